/**
 * The customers list, search and customer page over real HTTP, per person of the team
 * fixture (docs/team.md): each 销售 sees exactly their own customers with full phones, the
 * 客服 every customer with phones masked everywhere (and no way to find hidden digits by
 * searching), the 经理 everything; a customer one may not see is a 403 in Chinese.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerListView } from '../../shared/customer360/view.ts';
import { Client, signIn, startTeam, type Reply, type TeamServer } from '../team/helpers.ts';

let team: TeamServer;
const as: Record<string, Client> = {};

beforeAll(async () => {
  team = await startTeam();
  for (const login of ['zhangwei', 'lina', 'dengchao', 'huangzq']) {
    const r = await signIn(team.running.url, login);
    expect(r.status).toBe(200);
    as[login] = r.client;
  }
}, 120_000);

afterAll(async () => {
  await team?.running.close();
  if (team) await rm(team.dir, { recursive: true, force: true });
});

interface Row {
  id: string;
  phone: string;
  owner: string;
}

async function list(
  who: string,
  query = '',
): Promise<{ ids: string[]; rows: Row[]; body: CustomerListView }> {
  const r = await as[who]!.get(`/api/customer-list?limit=500${query}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const body = r.body as CustomerListView;
  const rows: Row[] = body.rows;
  return { ids: rows.map((x) => x.id), rows, body };
}

// in 客户编号 order: prefix, then year and number
const ALL = ['E20240001', 'E20240003', 'E20240004', 'E20240005', 'P20240002'];
const PHONE: Record<string, string> = {
  E20240001: '13812345601',
  P20240002: '13812345602',
  E20240003: '13812345603',
  E20240004: '13812345604',
  E20240005: '13812345605',
};
const masked = (id: string): string => PHONE[id]!.slice(0, 3) + '****' + PHONE[id]!.slice(-4);

/** Every phone number in an answer, whole or masked. */
const phonesIn = (body: unknown): string[] =>
  JSON.stringify(body).match(/1\d{2}(?:\d{4}|\*{4})\d{4}/g) ?? [];

const page360 = (who: string, id: string): Promise<Reply> =>
  as[who]!.get(`/api/customer-360/${id}`);

describe('who sees which customers on the customers pages', { timeout: 60_000 }, () => {
  it('answers 401 without a session or token', async () => {
    const anon = new Client(team.running.url);
    expect((await anon.get('/api/customer-list')).status).toBe(401);
    expect((await anon.get('/api/customer-360/E20240001')).status).toBe(401);
  });

  it('shows each 销售 exactly their own customers, with full phones and only their own filter values', async () => {
    const zw = await list('zhangwei');
    expect(zw.ids).toEqual(['E20240001', 'P20240002']);
    for (const r of zw.rows) expect(r.phone).toBe(PHONE[r.id]);
    expect(zw.body.facets.owner).toEqual(['张伟']);
    expect(zw.body.canCreate).toBe(true);
    const ln = await list('lina');
    expect(ln.ids).toEqual(['E20240003']);
    expect(ln.rows[0]!.phone).toBe(PHONE.E20240003);
    expect(ln.body.facets.owner).toEqual(['李娜']);
  });

  it("never finds another 销售's customer by name, ID, owner or phone", async () => {
    for (const q of ['宁波海川', 'E20240003', '李娜', '13812345603', '5603']) {
      const found = await list('zhangwei', `&q=${encodeURIComponent(q)}`);
      expect(found.ids, q).toEqual([]);
    }
    expect((await list('zhangwei', `&owner=${encodeURIComponent('李娜')}`)).ids).toEqual([]);
    expect((await list('zhangwei', '&q=5601')).ids).toEqual(['E20240001']);
  });

  it('refuses a 销售 the page of a customer they do not own: 403 with a Chinese message', async () => {
    const r = await page360('zhangwei', 'E20240003');
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('forbidden');
    expect(r.body.error.message).toMatch(/张伟（销售）不能查看该客户.*E20240003.*李娜/);
    expect(JSON.stringify(r.body)).not.toContain('宁波海川');
    // A customer of a 停用 colleague is not theirs either.
    expect((await page360('lina', 'E20240005')).status).toBe(403);
    expect((await page360('zhangwei', 'E19990001')).status).toBe(404);
  });

  it("shows a 销售 their own customer's page in full, with the forms they may use", async () => {
    const r = await page360('zhangwei', 'E20240001');
    expect(r.status).toBe(200);
    expect(r.body.profile).toContainEqual({ label: '联系电话', value: PHONE.E20240001 });
    expect(r.body.access).toEqual({
      canEdit: true,
      forms: ['edit-customer', 'new-order', 'follow-up', 'new-ticket', 'visit-record'],
    });
    expect(r.body.timeline.map((t: { id: string }) => t.id)).toEqual(['V20240001', 'T20240001']);
  });

  it('shows the 客服 every customer with every phone masked, read-only but for tickets and visits', async () => {
    const all = await list('dengchao');
    expect(all.ids).toEqual(ALL);
    for (const r of all.rows) expect(r.phone).toBe(masked(r.id));
    expect(phonesIn(all.body).every((p) => p.includes('****'))).toBe(true);
    expect(all.body.canCreate).toBe(false);
    for (const id of ALL) {
      const r = await page360('dengchao', id);
      expect(r.status).toBe(200);
      expect(r.body.profile).toContainEqual({ label: '联系电话', value: masked(id) });
      expect(
        phonesIn(r.body).every((p) => p.includes('****')),
        id,
      ).toBe(true);
      expect(r.body.access).toEqual({ canEdit: false, forms: ['new-ticket', 'visit-record'] });
    }
  });

  it('lets the 客服 find a customer by the whole number or its last four digits, never by hidden ones', async () => {
    expect((await list('dengchao', '&q=13812345601')).ids).toEqual(['E20240001']);
    expect((await list('dengchao', '&q=5601')).ids).toEqual(['E20240001']);
    // 1234 are masked digits of every number here: no answer may confirm them.
    for (const q of ['1234', '12345601', '381234', '8123456']) {
      expect((await list('dengchao', `&q=${q}`)).ids, q).toEqual([]);
    }
  });

  it('shows the 经理 every customer with full phones, and may edit each', async () => {
    const all = await list('huangzq');
    expect(all.ids).toEqual(ALL);
    for (const r of all.rows) expect(r.phone).toBe(PHONE[r.id]);
    expect(all.body.facets.owner).toEqual(
      ['张伟', '李娜', '黄志强', '王芳'].sort((a, b) => a.localeCompare(b, 'zh-CN')),
    );
    expect((await list('huangzq', '&q=12345603')).ids).toEqual(['E20240003']);
    const r = await page360('huangzq', 'E20240003');
    expect(r.body.profile).toContainEqual({ label: '联系电话', value: PHONE.E20240003 });
    expect(r.body.access.canEdit).toBe(true);
  });
});
