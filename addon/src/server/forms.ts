/**
 * The server side of the sidebars: the shared form code run on the open spreadsheet.
 * A submission reads and writes under the document lock, so two people submitting at
 * once each count on from the other's new ID.
 */
import * as T from '../../../sheets-templates/tabs.ts';
import {
  formOptions,
  type CustomerHit,
  type FormOptions,
  type SubmitResponse,
} from '../../../shared/forms/api.ts';
import { formByKey, type FormDef } from '../../../shared/forms/definitions.ts';
import { searchCustomers } from '../../../shared/forms/pickers.ts';
import { applySubmission, workbookNow } from '../../../shared/forms/submit.ts';
import { gas, type Spreadsheet } from './gas.ts';
import { readTabs } from './read.ts';
import { writeCells } from './write.ts';

/** Long enough for another submission to finish, short of the sidebar's patience. */
export const LOCK_WAIT_MS = 10_000;
export const BUSY_MESSAGE = '其他人正在提交，表格暂时被占用：请稍后再点一次提交';

/** Everything the shared code may consult for a form. */
const tabsFor = (form: FormDef): string[] => [
  ...form.reads,
  form.tab.name,
  T.CUSTOMERS.name,
  T.TICKET_ROUTING.name,
  T.SETTINGS_TAB.name,
];

export function currentUser(): string {
  return gas.session().getActiveUser().getEmail();
}

function formOrThrow(key: string): FormDef {
  const form = formByKey(key);
  if (!form) throw new Error(`没有表单“${key}”：请更新加载项`);
  return form;
}

export function submit(
  ss: Spreadsheet,
  formKey: string,
  payload: unknown,
  user: string,
  nowMs: number,
): SubmitResponse {
  const form = formByKey(formKey);
  if (!form) return { ok: false, message: `没有表单“${formKey}”：请更新加载项`, problems: {} };
  const lock = gas.lock().getDocumentLock();
  try {
    lock.waitLock(LOCK_WAIT_MS);
  } catch {
    return { ok: false, message: BUSY_MESSAGE, problems: {} };
  }
  try {
    // Read only once the lock is held: what was read before may already have a new row.
    const input = readTabs(ss, tabsFor(form));
    const now = workbookNow(input, nowMs, ss.getSpreadsheetTimeZone());
    const result = applySubmission(formKey, payload, input, { now, user });
    if (!result.ok) return { ok: false, message: result.message, problems: result.problems };
    writeCells(ss, result.cells);
    // The next holder of the lock must read these cells, not a pending buffer.
    gas.sheets().flush();
    return { ok: true, id: result.id, row: result.row };
  } finally {
    lock.releaseLock();
  }
}

export function options(ss: Spreadsheet, formKey: string, q: string, user: string): FormOptions {
  const form = formOrThrow(formKey);
  const input = readTabs(ss, tabsFor(form));
  return formOptions(form, input, { user, timeZone: ss.getSpreadsheetTimeZone() }, q);
}

export function search(ss: Spreadsheet, q: string): CustomerHit[] {
  return searchCustomers(readTabs(ss, [T.CUSTOMERS.name]), q);
}
