/**
 * The add-on's 我的待办 and identity in the vm harness: the bundle as Apps Script loads
 * it, the team fixture in a fake spreadsheet, and Session's email as known, unknown,
 * 停用 and empty (Apps Script returns '' for an account it may not name).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { built, type Built } from './build.ts';
import { teamAddon, teamSpreadsheet } from './team.ts';

let build: Built;
const sidebarAs = (email: string, ss = teamSpreadsheet()) => teamAddon(build, email, ss);

beforeAll(async () => {
  build = await built();
}, 60_000);

describe('add-on 我的待办', () => {
  it('shows a known account its own day, phones as its role may see them', () => {
    const reply = sidebarAs('ZhangWei@example.com').myWorklist();
    expect(reply.ok).toBe(true);
    if (!reply.ok) return;
    expect(reply.name).toBe('张伟');
    expect(reply.role).toBe('销售');
    expect(reply.worklist.date).toBe('2024-06-14');
    // The same day as the service computes (test/team/worklist.test.ts).
    expect(reply.worklist.items.map((i) => `${i.kind} ${i.customerId} ${i.due}`)).toEqual([
      '首次回访 E20240001 2024-06-10',
      '首次联系 P20240002 2024-06-10',
      '投诉回访 E20240001 2024-06-12',
      '流失挽回 E20240001 2024-06-14',
    ]);
    expect(reply.worklist.items[0]!.phone).toBe('13812345601');
    const service = sidebarAs('dengchao@example.com').myWorklist();
    expect(service.ok && service.worklist.items.map((i) => [i.ref, i.flag, i.phone])).toEqual([
      ['T20240003', '超时', '138****5602'],
      ['T20240002', '即将超时', '138****5603'],
    ]);
  });

  it('tells an unknown account it is not in 用户 and names the 管理员 to ask', () => {
    const reply = sidebarAs('stranger@example.org').myWorklist();
    expect(reply).toEqual({
      ok: false,
      message:
        '账号 stranger@example.org 不在“用户”表中：请联系管理员 系统管理员（admin@example.com）',
    });
  });

  it('tells a 停用 account it was disabled, naming the 管理员', () => {
    const reply = sidebarAs('wangfang@example.com').myWorklist();
    expect(reply).toEqual({
      ok: false,
      message:
        '账号 wangfang@example.com（王芳）已停用：请联系管理员 系统管理员（admin@example.com）',
    });
  });

  it('says so when Apps Script gives no email at all', () => {
    const reply = sidebarAs('').myWorklist();
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.message).toMatch(/Google 没有提供您的账号邮箱/);
    expect(!reply.ok && reply.message).toMatch(/请联系管理员 系统管理员/);
  });

  it('asks the owner to fill 用户 when nobody is in it', () => {
    const reply = sidebarAs('zhangwei@example.com', teamSpreadsheet([])).myWorklist();
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.message).toMatch(/“用户”表还没有人员/);
  });

  it('opens the 我的待办 sidebar from the menu, and an item’s form from the list', () => {
    const s = sidebarAs('zhangwei@example.com');
    s.call('onOpen');
    const menu = s.gas.ui.menus[0]!;
    expect(menu.items[0]).toEqual({ caption: '我的待办', fn: 'openWorklist' });
    s.call('openWorklist');
    expect(s.gas.ui.sidebars.at(-1)!.getTitle()).toBe('我的待办');
    expect(s.gas.ui.sidebars.at(-1)!.getContent()).toContain('data-form="worklist"');
    s.call('openFormFromWorklist', 'follow-up');
    expect(s.gas.ui.sidebars.at(-1)!.getTitle()).toBe('记录跟进');
  });
});
