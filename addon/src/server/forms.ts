/**
 * The server side of the sidebars: the shared form code run on the open spreadsheet.
 * A submission reads what decides its row and writes under the document lock, so two
 * people submitting at once each count on from the other's new ID; everything else
 * (参数, 工单路由, the customers a form refers to) is read before taking the lock.
 */
import * as T from '../../../sheets-templates/tabs.ts';
import {
  formOptions,
  type CustomerHit,
  type FormOptions,
  type SubmitResponse,
} from '../../../shared/forms/api.ts';
import { formByKey, type FormDef } from '../../../shared/forms/definitions.ts';
import {
  checkSubmission,
  formRefusal,
  maskTarget,
  targetFilter,
  visibilityFor,
} from '../../../shared/forms/guard.ts';
import { CUSTOMER_HITS, searchCustomers } from '../../../shared/forms/pickers.ts';
import { ACTOR_FIELDS, isManager } from '../../../shared/permissions.ts';
import { actingAs } from './actor.ts';
import { applySubmission, duplicateColumnsOf, workbookNow } from '../../../shared/forms/submit.ts';
import type { SheetRow } from '../../../shared/validate/index.ts';
import { gas, type Spreadsheet } from './gas.ts';
import { rowOfId, SheetReader, workbookInput } from './read.ts';
import { writeCells } from './write.ts';

/** Long enough for another submission to finish, short of the sidebar's patience. */
export const LOCK_WAIT_MS = 10_000;
export const BUSY_MESSAGE = '其他人正在提交，表格暂时被占用：请稍后再点一次提交';
export const NO_LOCK_MESSAGE =
  '无法锁定表格以安全地写入新行（加载项不在这个表格中运行）：请在表格中通过“客户管理”菜单打开表单再提交';
export const NO_EMAIL_MESSAGE =
  '无法获取您的 Google 账号邮箱，不能记录审核人：请用与表格同一组织的账号登录，或请管理员为您安装加载项后重试';

/** The columns a search shows. */
const HIT_COLUMNS = ['customerId', 'name', 'contact', 'phone', 'kind', 'status', 'tier'];

/** The signed-in person's email, or '' when Apps Script does not say (another domain, say). */
export function currentUser(): string {
  return gas.session().getActiveUser().getEmail();
}

function formOrThrow(key: string): FormDef {
  const form = formByKey(key);
  if (!form) throw new Error(`没有表单“${key}”：请更新加载项`);
  return form;
}

const refuse = (message: string): SubmitResponse => ({ ok: false, message, problems: {} });

const writesUser = (form: FormDef) => Object.values(form.set).includes('user');

const refersToCustomers = (form: FormDef) =>
  form.tab !== T.CUSTOMERS && form.fields.some((f) => f.input === 'customer');

export function submit(
  ss: Spreadsheet,
  formKey: string,
  payload: unknown,
  user: string,
  nowMs: number,
): SubmitResponse {
  const form = formByKey(formKey);
  if (!form) return refuse(`没有表单“${formKey}”：请更新加载项`);
  const reader = new SheetReader(ss);
  // Who acts: the account's person of 用户, under the same role checks as the local forms.
  const acting = actingAs(reader.whole(T.USERS.name), user);
  if (!acting.ok) return refuse(acting.message);
  const name = acting.person?.name ?? user;
  if (writesUser(form) && name.trim() === '') return refuse(NO_EMAIL_MESSAGE);
  // What does not decide the new row's place or ID is read before the lock.
  const before: [string, SheetRow[] | undefined][] = [
    [T.SETTINGS_TAB.name, reader.whole(T.SETTINGS_TAB.name)],
    [T.TICKET_ROUTING.name, reader.whole(T.TICKET_ROUTING.name)],
  ];
  if (refersToCustomers(form))
    before.push([T.CUSTOMERS.name, reader.columns(T.CUSTOMERS, ['customerId', 'owner'])?.rows]);

  const lock = gas.lock().getDocumentLock();
  if (!lock) return refuse(NO_LOCK_MESSAGE);
  if (!lock.tryLock(LOCK_WAIT_MS)) return refuse(BUSY_MESSAGE);
  try {
    // Read only once the lock is held: what was read before may already have a new row.
    const idKey = form.tab.idColumn!;
    // Forms of 客户 also compare the new row with every customer's phone, email and name.
    const own = reader.columns(form.tab, [idKey, ...duplicateColumnsOf(form.key)]);
    if (own) {
      if (form.mode === 'append') reader.fullRow(own, own.lastRow);
      else {
        const id = (payload as Record<string, unknown> | null)?.[idKey];
        const row = rowOfId(own, idKey, typeof id === 'string' ? id.trim() : '');
        if (row !== undefined) reader.fullRow(own, row);
      }
    }
    const input = workbookInput([...before, [form.tab.name, own?.rows]]);
    const now = workbookNow(input, nowMs, reader.timeZone);
    let body: unknown = payload;
    if (acting.person) {
      const given =
        typeof payload === 'object' && payload !== null && !Array.isArray(payload)
          ? (payload as Record<string, unknown>)
          : {};
      const guarded = checkSubmission(form, given, input, acting.person, acting.directory);
      if (!guarded.ok)
        return guarded.forbidden
          ? refuse(guarded.message)
          : { ok: false, message: guarded.message, problems: guarded.problems };
      body = guarded.payload;
    }
    const result = applySubmission(formKey, body, input, { now, user: name });
    if (!result.ok) return { ok: false, message: result.message, problems: result.problems };
    const newRows = new Set(form.mode === 'append' ? [result.row] : []);
    writeCells(own!.sheet, result.cells, newRows);
    // The next holder of the lock must read these cells, not a pending buffer.
    gas.sheets().flush();
    return { ok: true, id: result.id, row: result.row };
  } finally {
    lock.releaseLock();
  }
}

export function options(ss: Spreadsheet, formKey: string, q: string, user: string): FormOptions {
  const form = formOrThrow(formKey);
  const reader = new SheetReader(ss);
  const acting = actingAs(reader.whole(T.USERS.name), user);
  if (!acting.ok) throw new Error(acting.message);
  const person = acting.person;
  if (person) {
    const refusal = formRefusal(form, person);
    if (refusal !== null) throw new Error(refusal);
  }
  const tabs: [string, SheetRow[] | undefined][] = [
    [T.SETTINGS_TAB.name, reader.whole(T.SETTINGS_TAB.name)],
    [T.TICKET_ROUTING.name, reader.whole(T.TICKET_ROUTING.name)],
    [T.TIER_STRATEGIES.name, reader.whole(T.TIER_STRATEGIES.name)],
    [T.LEAD_ASSIGNMENT.name, reader.whole(T.LEAD_ASSIGNMENT.name)],
  ];
  if (form.target) {
    // The rows a form can edit carry every people column to the page.
    const people = form.tab.columns.filter((c) => c.owner === 'people').map((c) => c.key);
    if (form.tab === T.CUSTOMERS) people.push('tier');
    tabs.push([form.tab.name, reader.columns(form.tab, people)?.rows]);
    if (form.tab !== T.CUSTOMERS)
      tabs.push([
        T.CUSTOMERS.name,
        reader.columns(T.CUSTOMERS, ['customerId', 'name', 'tier'])?.rows,
      ]);
  }
  const ctx = { user: person?.name ?? user, timeZone: reader.timeZone };
  if (!person) return formOptions(form, workbookInput(tabs), ctx, q);
  // Only the rows this person may act on, phones as they may see them; who-acts fields locked.
  const options = formOptions(
    form,
    workbookInput(tabs),
    { ...ctx, keep: targetFilter(form, person) },
    q,
  );
  return {
    ...options,
    targets: options.targets.map((t) => maskTarget(t, person)),
    locked: isManager(person) ? [] : [...ACTOR_FIELDS[form.key]],
  };
}

export function search(ss: Spreadsheet, q: string, user: string): CustomerHit[] {
  const reader = new SheetReader(ss);
  const acting = actingAs(reader.whole(T.USERS.name), user);
  if (!acting.ok) throw new Error(acting.message);
  const rows = reader.columns(T.CUSTOMERS, [...HIT_COLUMNS, 'owner'])?.rows;
  const input = workbookInput([[T.CUSTOMERS.name, rows]]);
  // Only the customers this person may see, phones as they may see them.
  if (!acting.person) return searchCustomers(input, q);
  return searchCustomers(input, q, CUSTOMER_HITS, visibilityFor(acting.person));
}
