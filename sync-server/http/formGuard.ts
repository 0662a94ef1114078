/**
 * Permissions on the forms (docs/team.md): which person may submit which form on which row,
 * who is written as 负责人/跟进人/处理人/回访人, and what pickers show. Refusals are
 * 403 with a Chinese message, raised before anything is written.
 */
import * as T from '../../sheets-templates/tabs.ts';
import { cellText } from '../../shared/cells.ts';
import type { FormDef, FormKey } from '../../shared/forms/definitions.ts';
import type { TargetItem } from '../../shared/forms/pickers.ts';
import { cellOf, findById, viewTab } from '../../shared/forms/sheet.ts';
import {
  ACTOR_FIELDS,
  FORM_ACTIONS,
  decide,
  isManager,
  phoneAsSeen,
  type Subject,
} from '../../shared/permissions.ts';
import { byName, type Directory, type Person } from '../../shared/users.ts';
import type { WorkbookInput } from '../../shared/validate/index.ts';
import { HttpError } from './errors.ts';

export const forbidden = (message: string): HttpError => new HttpError(403, 'forbidden', message);

const text = (payload: Record<string, unknown>, key: string): string => {
  const v = payload[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
};

function customerOwner(input: WorkbookInput, id: string): string | undefined {
  const view = viewTab(input, T.CUSTOMERS);
  const row = findById(view, id);
  return row ? cellText(cellOf(view, row, 'owner')) : undefined;
}

/** What a submission of `form` touches, read from the workbook as it is now. */
function subjectOf(form: FormDef, payload: Record<string, unknown>, input: WorkbookInput): Subject {
  switch (form.key as FormKey) {
    case 'new-customer':
      return {};
    case 'sign-contract':
    case 'edit-customer': {
      const id = text(payload, 'customerId');
      const owner = customerOwner(input, id);
      return owner === undefined ? { id } : { id, owner };
    }
    case 'follow-up':
    case 'new-order':
    case 'new-ticket':
    case 'visit-record': {
      const id = text(payload, 'customerId');
      const owner = customerOwner(input, id);
      return owner === undefined ? { id } : { id, owner };
    }
    case 'handle-ticket': {
      const id = text(payload, 'ticketId');
      const view = viewTab(input, T.TICKETS);
      const row = findById(view, id);
      if (!row) return { id };
      return {
        id,
        handler: cellText(cellOf(view, row, 'handler')),
        department: cellText(cellOf(view, row, 'department')),
      };
    }
    case 'review-visit':
      return {};
  }
}

/**
 * Checks a submission and returns the payload with the who-acts columns set: the
 * caller's 姓名, or — for a 经理/管理员 — another active person they named. A record
 * that does not exist is left to the form's own checks (a 422 naming the field).
 */
export function guardSubmission(
  form: FormDef,
  body: Record<string, unknown>,
  input: WorkbookInput,
  actor: Person,
  directory: Directory,
):
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; message: string; problems: Record<string, string>; duplicates?: undefined } {
  const action = FORM_ACTIONS[form.key];
  const subject = subjectOf(form, body, input);
  const recordMissing =
    'id' in subject && subject.owner === undefined && subject.handler === undefined;
  if (!recordMissing || action === 'reviewVisit') {
    const d = decide(actor, action, subject);
    if (!d.ok) throw forbidden(d.reason);
  } else {
    // Even without the row, a role that may never use this form is refused here.
    const d = decide(actor, action, { ...subject, owner: actor.name, handler: actor.name });
    if (!d.ok) throw forbidden(d.reason);
  }
  const payload: Record<string, unknown> = { ...body };
  for (const key of ACTOR_FIELDS[form.key]) {
    const named = text(body, key);
    if (named === '' || named === actor.name || !isManager(actor)) {
      payload[key] = actor.name;
      continue;
    }
    // A 经理/管理员 may name another person, who must be in 用户 and 在职.
    if (directory.enabled) {
      const other = byName(directory, named);
      if (!other || !other.active) {
        const header = T.column(form.tab, key).header;
        const message = `${header}“${named}”不是在职用户：应填写“用户”表中在职人员的姓名`;
        return { ok: false, message, problems: { [key]: message } };
      }
    }
  }
  return { ok: true, payload };
}

/** Refuses the whole form (options and pickers) to a role that may never use it. */
export function guardForm(form: FormDef, actor: Person): void {
  const action = FORM_ACTIONS[form.key];
  const d = decide(actor, action, { owner: actor.name, handler: actor.name });
  if (!d.ok) throw forbidden(d.reason);
}

/** The picker rows of an update form this person may act on, phones as they may see them. */
export function targetFilter(form: FormDef, actor: Person): (item: TargetItem) => boolean {
  const action = FORM_ACTIONS[form.key];
  return (item) => {
    const r = item.record;
    const subject: Subject =
      form.tab === T.TICKETS
        ? { handler: r.handler ?? '', department: r.department ?? '' }
        : { owner: r.owner ?? '' };
    return decide(actor, action, subject).ok;
  };
}

export function maskTarget(item: TargetItem, actor: Person): TargetItem {
  const phone = item.record.phone;
  if (phone === undefined || phone === '') return item;
  return {
    ...item,
    record: { ...item.record, phone: phoneAsSeen(actor, item.record.owner ?? '', phone) },
  };
}
