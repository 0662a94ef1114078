/**
 * The add-on's 客户列表 sidebar in the vm harness, as each Google account of the team
 * fixture: the account's 用户 row decides which customers and phone digits it sees,
 * exactly as the service's pages do (test/customers/roles.e2e.test.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Customer360, CustomerListView } from '../../shared/customer360/view.ts';
import { built, type Built } from './build.ts';
import { teamAddon as sidebarFor, teamSpreadsheet } from './team.ts';

let build: Built;

beforeAll(async () => {
  build = await built();
}, 60_000);

function as(email: string, ss = teamSpreadsheet()) {
  const s = sidebarFor(build, email, ss);
  return {
    list: (query: Record<string, string> = {}) =>
      s.call('customerList', { limit: '500', ...query }) as CustomerListView,
    page: (id: string) => s.call('customer360', id) as Customer360 | null,
  };
}

describe('add-on 客户列表 sidebar', () => {
  it('shows a 销售 only their own customers, phones in full', () => {
    const zw = as('zhangwei@example.com');
    const view = zw.list();
    expect(view.rows.map((r) => [r.id, r.phone])).toEqual([
      ['E20240001', '13812345601'],
      ['P20240002', '13812345602'],
    ]);
    expect(zw.list({ q: '13812345603' }).rows).toEqual([]);
    expect(zw.page('E20240001')!.access.canEdit).toBe(true);
    expect(() => zw.page('E20240003')).toThrow(/张伟（销售）不能查看该客户/);
  });

  it('shows the 客服 every customer with phones masked, read-only', () => {
    const dc = as('dengchao@example.com');
    const view = dc.list();
    expect(view.rows).toHaveLength(5);
    for (const r of view.rows) expect(r.phone).toMatch(/^138\*{4}\d{4}$/);
    expect(dc.list({ q: '12345' }).rows).toEqual([]);
    const page = dc.page('E20240003')!;
    expect(page.profile).toContainEqual({ label: '联系电话', value: '138****5603' });
    expect(page.access.canEdit).toBe(false);
  });

  it('shows the 经理 everything', () => {
    const view = as('huangzq@example.com').list();
    expect(view.rows.map((r) => r.phone)).toContain('13812345603');
    expect(view.rows).toHaveLength(5);
  });

  it('refuses an unknown or 停用 account, naming the 管理员', () => {
    expect(() => as('stranger@example.org').list()).toThrow(/不在“用户”表中.*系统管理员/);
    expect(() => as('wangfang@example.com').list()).toThrow(/已停用/);
  });

  it('serves the one person of a workbook whose 用户 is empty, as before', () => {
    const view = as('owner@example.com', teamSpreadsheet([])).list();
    expect(view.rows).toHaveLength(5);
    expect(view.rows[0]!.phone).toBe('13812345601');
  });
});
