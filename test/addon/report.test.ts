/**
 * 导出报表 in the add-on, in the vm harness: a 经理 gets a PDF link per report tab through
 * the Sheets export endpoint (A4 landscape, one page wide); a 销售 is told why not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { NOW_MS, TEAM, USERS } from '../team/fixture.ts';
import { built, type Built } from './build.ts';
import { fakeAppsScript, loadBundle } from './fakes/services.ts';
import { FakeSpreadsheet } from './fakes/spreadsheet.ts';

type Links = { ok: true; links: { tab: string; url: string }[] } | { ok: false; message: string };

let build: Built;

beforeAll(async () => {
  build = await built();
}, 60_000);

/** The team's workbook as people would have typed it into Sheets. */
function teamSpreadsheet(users = USERS): FakeSpreadsheet {
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

function addonAs(email: string, ss = teamSpreadsheet()) {
  const gas = fakeAppsScript({ dist: build.dir, whitelist: [], ss, user: email });
  const ctx = loadBundle(build.code, gas.globals, { Date: FixedDate });
  return {
    gas,
    links: () => (ctx.myReportLinks as () => Links)(),
    preview: () =>
      (
        ctx.myTierPreview as () =>
          | { ok: true; customers: number; moves: unknown[]; counts: { count: number }[] }
          | { ok: false; message: string }
      )(),
    call: (name: string, ...args: unknown[]) =>
      (ctx[name] as (...a: unknown[]) => unknown)(...args),
  };
}

describe('add-on 导出报表', () => {
  it('gives a 经理 a PDF link per report tab, landscape and one page wide', () => {
    const ss = teamSpreadsheet();
    ss.insertSheet(T.REPORTS.name);
    ss.insertSheet(T.ANALYSIS.name);
    const reply = addonAs('huangzq@example.com', ss).links();
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.links.map((l) => l.tab)).toEqual(['报表', '销售分析']);
    const url = new URL(reply.links[0]!.url);
    expect(url.origin + url.pathname).toBe(
      `https://docs.google.com/spreadsheets/d/${ss.getId()}/export`,
    );
    const p = url.searchParams;
    expect(p.get('format')).toBe('pdf');
    expect(p.get('gid')).toBe(String(ss.getSheetByName('报表')!.getSheetId()));
    expect([p.get('portrait'), p.get('fitw'), p.get('size')]).toEqual(['false', 'true', 'A4']);
    expect(new URL(reply.links[1]!.url).searchParams.get('gid')).toBe(
      String(ss.getSheetByName('销售分析')!.getSheetId()),
    );
  });

  it('tells a 销售 that exporting is for managers, and opens the dialog with that', () => {
    const addon = addonAs('zhangwei@example.com');
    const reply = addon.links();
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.message).toMatch(/导出报表/);
    addon.call('exportReport');
    const dialog = addon.gas.ui.dialogs.at(-1)!;
    expect(dialog.title).toBe('导出报表');
    expect(dialog.page.getContent()).toContain('导出报表');
  });

  it('asks for a sync first when the report tabs are not there yet', () => {
    const reply = addonAs('huangzq@example.com').links();
    expect(reply).toEqual({ ok: false, message: expect.stringContaining('立即同步') });
  });

  it('is on the menu', () => {
    const addon = addonAs('huangzq@example.com');
    addon.call('onOpen');
    expect(JSON.stringify(addon.gas.ui.menus)).toContain('导出报表');
  });
});

describe('add-on 预览分层变化', () => {
  it('shows a 经理 who would move, with counts, and writes nothing', () => {
    const ss = teamSpreadsheet();
    const addon = addonAs('huangzq@example.com', ss);
    const before = ss.mutations.length;
    const reply = addon.preview();
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.customers).toBe(TEAM.customers!.length);
    // the fixture's 客户分层 cells are blank: every computed tier is a move from （空）
    expect(reply.moves.length).toBeGreaterThan(0);
    expect(reply.counts.reduce((n, c) => n + c.count, 0)).toBe(reply.moves.length);
    addon.call('openTierPreview');
    const page = addon.gas.ui.sidebars.at(-1)!;
    expect(page.getContent()).toContain('（空） →');
    expect(ss.mutations.length).toBe(before);
  });

  it('tells a 销售 it is for managers', () => {
    const reply = addonAs('zhangwei@example.com').preview();
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.message).toMatch(/[\u4e00-\u9fff]/);
  });
});
