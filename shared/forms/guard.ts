/**
 * The role checks of a form submission (docs/team.md § What each role may do), pure so the
 * local service and the add-on refuse the same things with the same words: which person
 * may submit which form on which row, and who is written as 负责人/跟进人/处理人/回访人.
 */
import * as T from '../../sheets-templates/tabs.ts';
import { cellText } from '../cells.ts';
import {
  ACTOR_FIELDS,
  FORM_ACTIONS,
  decide,
  isManager,
  may,
  phoneAsSeen,
  type Subject,
} from '../permissions.ts';
import { byName, type Directory, type Person } from '../users.ts';
import type { WorkbookInput } from '../validate/index.ts';
import type { FormDef, FormKey } from './definitions.ts';
import type { CustomerVisibility, TargetItem } from './pickers.ts';
import { cellOf, findById, viewTab } from './sheet.ts';

export type GuardOutcome =
  | { ok: true; payload: Record<string, unknown> }
  /** the role may not: nothing is written (HTTP 403) */
  | { ok: false; forbidden: true; message: string }
  /** a named person is not an active user: a field message (HTTP 422) */
  | { ok: false; forbidden: false; message: string; problems: Record<string, string> };

const text = (payload: Record<string, unknown>, key: string): string => {
  const v = payload[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
};

function customerOwner(input: WorkbookInput, id: string): string | undefined {
  const view = viewTab(input, T.CUSTOMERS);
  const row = findById(view, id);
  return row ? cellText(cellOf(view, row, 'owner')) : undefined;
}

/**
 * What a submission of `form` touches, read from the workbook as it is now: the customer's
 * 负责人 (客户 must carry 客户编号 and 负责人), or the ticket's 处理人 and 处理部门.
 */
export function subjectOf(
  form: FormDef,
  payload: Record<string, unknown>,
  input: WorkbookInput,
): Subject {
  switch (form.key as FormKey) {
    case 'new-customer':
    case 'review-visit':
      return {};
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
    default: {
      const id = text(payload, 'customerId');
      const owner = customerOwner(input, id);
      return owner === undefined ? { id } : { id, owner };
    }
  }
}

/**
 * Checks a submission and returns the payload with the who-acts columns set: the
 * caller's 姓名, or — for a 经理/管理员 — another active person they named. A record
 * that does not exist is left to the form's own checks (a message naming the field).
 */
export function checkSubmission(
  form: FormDef,
  body: Record<string, unknown>,
  input: WorkbookInput,
  actor: Person,
  directory: Directory,
): GuardOutcome {
  const action = FORM_ACTIONS[form.key];
  const subject = subjectOf(form, body, input);
  const recordMissing =
    'id' in subject && subject.owner === undefined && subject.handler === undefined;
  // Even without the row, a role that may never use this form is refused here.
  const d =
    !recordMissing || action === 'reviewVisit'
      ? decide(actor, action, subject)
      : decide(actor, action, { ...subject, owner: actor.name, handler: actor.name });
  if (!d.ok) return { ok: false, forbidden: true, message: d.reason };
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
        return { ok: false, forbidden: false, message, problems: { [key]: message } };
      }
    }
  }
  return { ok: true, payload };
}

/** May this person use the form at all (its options and pickers)? The reason when not. */
export function formRefusal(form: FormDef, actor: Person): string | null {
  const d = decide(actor, FORM_ACTIONS[form.key], { owner: actor.name, handler: actor.name });
  return d.ok ? null : d.reason;
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

/** Lists and pickers show a person only the customers they may see, phones as they may see them. */
export function visibilityFor(actor: Person): CustomerVisibility {
  return {
    visible: (owner) => may(actor, 'viewCustomer', { owner }),
    phone: (owner, phone) => phoneAsSeen(actor, owner, phone),
  };
}
