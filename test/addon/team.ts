/**
 * The team fixture (test/team/fixture.ts) as a Google spreadsheet, and the add-on loaded
 * over it as one account of 用户 with the clock stopped at the fixture's day.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type { WorklistReply } from '../../shared/worklistPage.ts';
import { NOW_MS, TEAM, USERS } from '../team/fixture.ts';
import type { Built } from './build.ts';
import { fakeAppsScript, loadBundle } from './fakes/services.ts';
import { FakeSpreadsheet } from './fakes/spreadsheet.ts';

/** The team's workbook as people would have typed it into Sheets. */
export function teamSpreadsheet(users = USERS): FakeSpreadsheet {
  const ss = new FakeSpreadsheet();
  const put = (tab: TabDef, rows: (string | number | null)[][]): void => {
    const sheet = ss.insertSheet(tab.name);
    const header = tab.columns.map((c) => c.header);
    if (header.length > sheet.getMaxColumns())
      sheet.insertColumnsAfter(sheet.getMaxColumns(), header.length - sheet.getMaxColumns());
    sheet.getRange(1, 1, 1, header.length).setValues([header]);
    if (rows.length > 0)
      sheet
        .getRange(2, 1, rows.length, header.length)
        .setValues(rows.map((r) => header.map((_h, i) => r[i] ?? '')));
  };
  const byKey = (tab: TabDef, list: readonly Record<string, unknown>[] | undefined) =>
    (list ?? []).map((row) => tab.columns.map((c) => (row[c.key] ?? null) as string | null));
  put(T.CUSTOMERS, byKey(T.CUSTOMERS, TEAM.customers));
  put(T.FOLLOW_UPS, byKey(T.FOLLOW_UPS, TEAM.followUps));
  put(T.TICKETS, byKey(T.TICKETS, TEAM.tickets));
  put(T.VISITS, byKey(T.VISITS, TEAM.visits));
  put(T.USERS, users);
  put(T.SETTINGS_TAB, TEAM.config!['参数']!);
  return ss;
}

/** Date with its clock stopped at the fixture's 2024-06-14 10:00 (Asia/Shanghai). */
class FixedDate extends Date {
  constructor(...args: unknown[]) {
    if (args.length === 0) super(NOW_MS);
    else super(...(args as [number]));
  }
  static override now(): number {
    return NOW_MS;
  }
}

export function teamAddon(build: Built, email: string, ss = teamSpreadsheet()) {
  const gas = fakeAppsScript({ dist: build.dir, whitelist: [], ss, user: email });
  const ctx = loadBundle(build.code, gas.globals, { Date: FixedDate });
  return {
    gas,
    myWorklist: () => (ctx.myWorklist as () => WorklistReply)(),
    call: (name: string, ...args: unknown[]) =>
      (ctx[name] as (...a: unknown[]) => unknown)(...args),
  };
}
