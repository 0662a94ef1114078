/**
 * 导出报表 in the add-on, in the vm harness: a 经理 gets a PDF link per report tab through
 * the Sheets export endpoint (A4 landscape, one page wide); a 销售 is told why not.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { TEAM } from '../team/fixture.ts';
import { built, type Built } from './build.ts';
import { teamAddon, teamSpreadsheet } from './team.ts';

type Links = { ok: true; links: { tab: string; url: string }[] } | { ok: false; message: string };

let build: Built;

beforeAll(async () => {
  build = await built();
}, 60_000);

function addonAs(email: string, ss = teamSpreadsheet()) {
  const addon = teamAddon(build, email, ss);
  return {
    ...addon,
    links: () => addon.call('myReportLinks') as Links,
    preview: () =>
      addon.call('myTierPreview') as
        | { ok: true; customers: number; moves: unknown[]; counts: { count: number }[] }
        | { ok: false; message: string },
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
