/**
 * 我的待办 in the add-on: who the Google account is (its email matched to 用户.邮箱), and
 * that person's day computed from the open spreadsheet with the same pure code as the
 * service. Anyone who cannot be matched gets a message naming a 管理员 to ask.
 */
import * as T from '../../../sheets-templates/tabs.ts';
import { dateOf } from '../../../shared/calendar.ts';
import { workbookNow } from '../../../shared/forms/submit.ts';
import { computeRules } from '../../../shared/rules/index.ts';
import { readDirectory, type Person } from '../../../shared/users.ts';
import { personOf } from './actor.ts';
import { validateWorkbook } from '../../../shared/validate/index.ts';
import { buildWorkSource } from '../../../shared/worklist.ts';
import {
  worklistPage,
  type PageRequest,
  type WorklistReply,
} from '../../../shared/worklistPage.ts';
import type { Spreadsheet } from './gas.ts';
import { readTabs } from './read.ts';

export type Identity = { ok: true; person: Person } | { ok: false; message: string };

/** The signed-in account as a person of 用户, or why not. */
export function identify(ss: Spreadsheet, email: string): Identity {
  const directory = readDirectory(readTabs(ss, [T.USERS.name]));
  if (!directory.enabled)
    return {
      ok: false,
      message: `“用户”表还没有人员，无法确定您的角色：请表格所有者在“用户”表中添加人员（姓名、邮箱、角色）`,
    };
  return personOf(directory, email);
}

/** The tabs the add-on reads to validate and compute: 我的待办 and the tier preview. */
export const TABS_READ = [
  T.CUSTOMERS,
  T.ORDERS,
  T.FOLLOW_UPS,
  T.TICKETS,
  T.VISITS,
  T.TIER_RULES,
  T.SETTINGS_TAB,
  T.HOLIDAYS,
  // 体验问卷 callbacks, 定期回访 per 分层策略 and lead owners depend on these, as in the sync.
  T.EXPERIENCE_SURVEYS,
  T.TIER_STRATEGIES,
  T.LEAD_ASSIGNMENT,
  T.SERVICE_TARGETS,
].map((t) => t.name);

/**
 * The account's day, a page of it. Apps Script keeps nothing between calls, so asking for
 * more of a group computes the day again from the spreadsheet.
 */
export function myDay(
  ss: Spreadsheet,
  email: string,
  nowMs: number,
  page: PageRequest,
): WorklistReply {
  const who = identify(ss, email);
  if (!who.ok) return who;
  const input = readTabs(ss, TABS_READ);
  const timeZone = ss.getSpreadsheetTimeZone();
  const now = workbookNow(input, nowMs, timeZone);
  const validated = validateWorkbook(input, now, { timeZone });
  const rules = computeRules(validated.dataset, now, { dueCallbacks: true });
  const source = buildWorkSource(
    validated.dataset,
    rules.dueCallbacks,
    dateOf(now),
    (id) => rules.customers.get(id)?.tier ?? null,
  );
  return {
    ok: true,
    name: who.person.name,
    role: who.person.role,
    worklist: worklistPage(source, who.person, now, page),
  };
}
