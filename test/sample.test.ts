/**
 * The sample generator: reproducible, consistent with the templates and the ID rules,
 * and covering every path of docs/rules.md that a demo or a benchmark should exercise.
 */
import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, dateOf, type EpochDay } from '../shared/calendar.ts';
import { DATA_TABS, type TabDef } from '../sheets-templates/index.ts';
import { creditCodeCheckChar } from '../shared/cells.ts';
import {
  generateSample,
  isSampleTab,
  type SampleRow,
  type SampleTabKey,
} from '../sync-server/workbook/sample/index.ts';
import { organizationCheck } from '../sync-server/workbook/sample/identity.ts';

const NOW = daysFromCivil(2025, 6, 15) * 86_400 + 10 * 3600;
const T = dateOf(NOW);
const N = 2000;

const sample = generateSample({ customers: N, seed: 42, now: NOW });
const rows = Object.fromEntries(
  (['customers', 'orders', 'followUps', 'tickets', 'visits', 'experienceSurveys'] as const).map(
    (k) => [k, [...sample[k]()]],
  ),
) as Record<SampleTabKey, SampleRow[]>;
const customers = rows.customers;
const byId = new Map(customers.map((c) => [c.customerId as string, c]));
const childrenOf = (tab: SampleTabKey): Map<string, SampleRow[]> => {
  const map = new Map<string, SampleRow[]>();
  for (const r of rows[tab]) {
    const id = r.customerId as string;
    const list = map.get(id);
    if (list) list.push(r);
    else map.set(id, [r]);
  }
  return map;
};
const customerIndex = new Map(customers.map((c, i) => [c.customerId as string, i]));
const followUpsOf = childrenOf('followUps');
const ordersOf = childrenOf('orders');
const visitsOf = childrenOf('visits');

const num = (v: unknown): number => v as number;
const approved = (v: SampleRow) => v.reviewer != null && v.reviewDate != null;

/** addMonths as docs/rules.md#calendar-words defines it, for the order windows. */
function addMonths(d: EpochDay, n: number): EpochDay {
  const { year, month, day } = civilFromDays(d);
  const index = year * 12 + month - 1 + n;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return daysFromCivil(y, m, Math.min(day, last));
}

describe('sample data', () => {
  it('is the same for the same seed and now, and differs for another seed', () => {
    const again = generateSample({ customers: 300, seed: 42, now: NOW });
    const other = generateSample({ customers: 300, seed: 43, now: NOW });
    const later = generateSample({ customers: 300, seed: 42, now: NOW + 86_400 });
    for (const key of ['customers', 'orders', 'followUps', 'tickets', 'visits'] as const) {
      // Each customer has its own streams, so a smaller sample is a prefix of a larger one.
      const first300 = rows[key].filter((r) => customerIndex.get(r.customerId as string)! < 300);
      expect([...again[key]()]).toEqual(first300);
      expect([...other[key]()]).not.toEqual(first300);
      expect([...later[key]()]).not.toEqual(first300);
    }
  });

  it('uses only template columns, with values from their lists', () => {
    const problems: string[] = [];
    for (const tab of DATA_TABS.filter((t) => isSampleTab(t.key))) {
      const keys = new Map(tab.columns.map((c) => [c.key, c]));
      for (const row of rows[tab.key as SampleTabKey]) {
        const where = `${tab.name} ${row[tab.idColumn!]}`;
        for (const [key, value] of Object.entries(row)) {
          const column = keys.get(key);
          if (!column || column.owner !== 'people') problems.push(`${where}: column ${key}`);
          if (!column || value === null) continue;
          if (column.values && !column.values.includes(String(value))) {
            problems.push(`${where}: ${key} = ${value}`);
          }
          const numeric = ['date', 'datetime', 'money', 'integer'].includes(column.type);
          if (numeric && typeof value !== 'number') problems.push(`${where}: ${key} not a number`);
        }
        for (const c of tab.columns) {
          if (c.required === true && c.type !== 'id' && row[c.key] == null) {
            problems.push(`${where}: ${c.key} missing`);
          }
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('numbers every row as docs/workbook.md#ids says: prefix, year of its own date, serial per prefix+year', () => {
    const prefixes: Record<string, string> = {
      订单: 'O',
      跟进记录: 'G',
      工单: 'T',
      回访记录: 'V',
      体验问卷: 'W',
    };
    const problems: string[] = [];
    for (const tab of DATA_TABS.filter((t) => isSampleTab(t.key))) {
      const serials = new Map<string, number>();
      for (const row of rows[tab.key as SampleTabKey]) {
        const id = row[tab.idColumn!] as string;
        const m = /^([A-Z])(\d{4})(\d{4,})$/.exec(id);
        if (!m) {
          problems.push(`${tab.name}: bad ID ${id}`);
          continue;
        }
        const [, prefix, year, serial] = m;
        const wanted = prefixes[tab.name] ?? (row.kind === '企业' ? 'E' : 'P');
        if (prefix !== wanted) problems.push(`${id}: prefix should be ${wanted}`);
        const date = num(row[tab.idDateColumn!]);
        const day = dateColumnType(tab) === 'datetime' ? dateOf(date) : date;
        if (Number(year) !== civilFromDays(day).year) problems.push(`${id}: year of ${day}`);
        const key = prefix! + year!;
        if (Number(serial) !== (serials.get(key) ?? 0) + 1) problems.push(`${id}: serial`);
        serials.set(key, Number(serial));
      }
    }
    expect(problems).toEqual([]);
  });

  it('links every child row to an existing customer', () => {
    for (const key of ['orders', 'followUps', 'tickets', 'visits'] as const) {
      expect(rows[key].filter((r) => !byId.has(r.customerId as string))).toEqual([]);
    }
  });

  it('has about ten child rows per customer', () => {
    const children =
      rows.orders.length + rows.followUps.length + rows.tickets.length + rows.visits.length;
    expect(children / N).toBeGreaterThan(8);
    // Monthly visits (the default 分层策略 visits 高价值客户 monthly) put it above 12.
    expect(children / N).toBeLessThan(13);
  });

  it('gives every customer a valid phone or email, names and codes that do not repeat', () => {
    const mobile = /^(\+86)?1[3-9]\d{9}$/;
    const landline = /^0\d{2,3}-\d{7,8}$/;
    const email = /^[\w.+-]+@[\w-]+(\.[\w-]+)+$/;
    const problems: string[] = [];
    for (const c of customers) {
      const phone = c.phone == null ? null : String(c.phone);
      const phoneOk =
        phone !== null && (mobile.test(phone.replace(/[\s-]/g, '')) || landline.test(phone));
      const mailOk = c.email != null && email.test(String(c.email));
      if (!phoneOk && !mailOk) problems.push(`${String(c.customerId)}: no valid phone or email`);
      if (phone !== null && !phoneOk) problems.push(`phone ${phone}`);
      if (c.email != null && !mailOk) problems.push(`email ${String(c.email)}`);
    }
    expect(problems).toEqual([]);
    const distinct = (values: unknown[]) => new Set(values).size === values.length;
    const present = (key: string) => customers.map((c) => c[key]).filter((v) => v != null);
    const digits = present('phone').map((p) =>
      String(p)
        .replace(/\D/g, '')
        .replace(/^86(?=1)/, ''),
    );
    expect(distinct(digits)).toBe(true);
    expect(distinct(present('creditCode'))).toBe(true);
    expect(distinct(customers.filter((c) => c.kind === '企业').map((c) => c.name))).toBe(true);
    expect(distinct(customers.filter((c) => c.kind === '个人').map((c) => c.name))).toBe(true);
    expect(customers.some((c) => /^\d{3,4}-/.test(String(c.phone ?? '')))).toBe(true);
    expect(
      customers.some((c) => /^[\u4e00-\u9fa5]{2,4}(科技|商贸|物流)/.test(String(c.name))),
    ).toBe(true);
  });

  it('computes credit-code check characters as GB 32100-2015 and GB 11714 do', () => {
    // A published code: 91110108551385082Q.
    expect(organizationCheck('55138508')).toBe('2');
    expect(creditCodeCheckChar('91110108551385082')).toBe('Q');
    const wrong = customers
      .map((c) => c.creditCode)
      .filter((v) => v != null)
      .map(String)
      .filter(
        (text) =>
          !/^91\d{6}\d{8}[\dX][0-9A-HJ-NP-RTUW-Y]$/.test(text) ||
          text.slice(16, 17) !== organizationCheck(text.slice(8, 16)) ||
          text.slice(17) !== creditCodeCheckChar(text.slice(0, 17)),
      );
    expect(wrong).toEqual([]);
    expect(customers.some((c) => c.creditCode != null)).toBe(true);
  });

  it('keeps money to the fen and dates in order and not after now', () => {
    // One list of every broken row (not an expect per row): 20,000 rows stay a fast check
    // whose failure names each row.
    const problems: string[] = [];
    const check = (ok: boolean, what: string) => {
      if (!ok) problems.push(what);
    };
    const fen = (x: unknown) => Math.abs(num(x) * 100 - Math.round(num(x) * 100)) < 1e-6;
    for (const o of rows.orders) {
      const id = String(o.orderId);
      check(fen(o.amount) && num(o.amount) > 0, `${id}: 金额 ${o.amount}`);
      check(num(o.orderDate) <= T, `${id}: 下单日期 after today`);
      const c = byId.get(o.customerId as string)!;
      check(
        typeof c.signedDate === 'number' && num(o.orderDate) >= c.signedDate,
        `${id}: 下单日期 before 签约日期`,
      );
    }
    for (const c of customers) {
      const id = String(c.customerId);
      if (c.contractAmount != null) check(fen(c.contractAmount), `${id}: 合同金额`);
      check(num(c.createdDate) <= T, `${id}: 建档日期 after today`);
      check(num(c.createdDate) >= addMonths(T, -18), `${id}: 建档日期 too old`);
      if (c.signedDate != null) {
        check(num(c.signedDate) >= num(c.createdDate), `${id}: 签约日期 before 建档日期`);
        check(num(c.signedDate) <= T, `${id}: 签约日期 after today`);
      }
      if (c.contractEnd != null) {
        check(
          typeof c.signedDate === 'number' && num(c.contractEnd) > c.signedDate,
          `${id}: 合同到期 not after 签约日期`,
        );
      }
      check((c.signedDate == null) === (c.status === '潜在'), `${id}: 签约日期 and 客户状态`);
    }
    for (const f of rows.followUps) check(num(f.time) <= NOW, `${String(f.followUpId)}: time`);
    for (const t of rows.tickets) {
      const times = [t.createdAt, t.respondedAt, t.resolvedAt].filter((v) => v != null).map(num);
      const ordered = times.every((x, i) => i === 0 || times[i - 1]! <= x);
      check(ordered && Math.max(...times) <= NOW, `${String(t.ticketId)}: times ${times}`);
    }
    for (const v of rows.visits) {
      const id = String(v.visitId);
      check(num(v.time) <= NOW, `${id}: time after now`);
      if (v.reviewDate != null) {
        check(num(v.reviewDate) >= dateOf(num(v.time)), `${id}: 审核日期 before the visit`);
        check(num(v.reviewDate) <= T, `${id}: 审核日期 after today`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('covers leads of every intent, with and without follow-ups, and leads without intent', () => {
    const leads = customers.filter((c) => c.status === '潜在');
    for (const intent of ['A', 'B', 'C', null]) {
      const group = leads.filter((c) => c.intent === intent);
      expect(
        group.some((c) => followUpsOf.has(c.customerId as string)),
        `${intent}`,
      ).toBe(true);
      expect(
        group.some((c) => !followUpsOf.has(c.customerId as string)),
        `${intent}`,
      ).toBe(true);
    }
    expect(rows.followUps.some((f) => f.planDate != null && num(f.planDate) >= T)).toBe(true);
    expect(rows.followUps.some((f) => f.planDate == null)).toBe(true);
  });

  it('covers signed customers of both kinds with and without approved visits', () => {
    for (const kind of ['企业', '个人']) {
      const signed = customers.filter((c) => c.status === '正式' && c.kind === kind);
      const hasApproved = (c: SampleRow) =>
        (visitsOf.get(c.customerId as string) ?? []).some(approved);
      expect(signed.some(hasApproved), kind).toBe(true);
      expect(
        signed.some((c) => !hasApproved(c)),
        kind,
      ).toBe(true);
    }
    expect(rows.visits.some((v) => !approved(v))).toBe(true);
    expect(customers.filter((c) => c.status === '流失').length).toBeGreaterThan(N * 0.05);
  });

  it('covers open, resolved and overdue tickets, with and without a first response', () => {
    const resolved = rows.tickets.filter((t) => t.status === '已解决' || t.status === '已关闭');
    const open = rows.tickets.filter((t) => t.status === '新建' || t.status === '处理中');
    expect(resolved.filter((t) => t.resolvedAt === null).map((t) => t.ticketId)).toEqual([]);
    expect(
      open.filter((t) => t.resolvedAt != null || t.satisfaction != null).map((t) => t.ticketId),
    ).toEqual([]);
    expect(resolved.some((t) => t.respondedAt == null)).toBe(true);
    expect(resolved.some((t) => t.respondedAt != null)).toBe(true);
    expect(new Set(resolved.map((t) => t.satisfaction ?? null))).toEqual(
      new Set([1, 2, 3, 4, 5, null]),
    );
    expect(open.some((t) => t.status === '新建')).toBe(true);
    expect(open.some((t) => t.status === '处理中' && t.respondedAt != null)).toBe(true);
    // Overdue: open for longer than any resolution limit, or resolved after it.
    expect(open.some((t) => NOW - num(t.createdAt) > 48 * 3600)).toBe(true);
    expect(open.some((t) => NOW - num(t.createdAt) < 24 * 3600)).toBe(true);
    expect(resolved.some((t) => num(t.resolvedAt) - num(t.createdAt) > 48 * 3600)).toBe(true);
    expect(resolved.some((t) => num(t.respondedAt ?? 0) - num(t.createdAt) > 24 * 3600)).toBe(true);
  });

  it('covers contracts near expiry, birthdays next week and falling orders', () => {
    const signed = customers.filter((c) => c.status === '正式');
    expect(
      signed.some(
        (c) => c.contractEnd != null && num(c.contractEnd) >= T && num(c.contractEnd) <= T + 30,
      ),
    ).toBe(true);
    const thisYear = civilFromDays(T).year;
    const nextAnniversary = (d: number) => {
      const { month, day } = civilFromDays(d);
      const at = (y: number) => daysFromCivil(y, month, day);
      return at(thisYear) >= T ? at(thisYear) : at(thisYear + 1);
    };
    const soon = customers.filter(
      (c) => c.birthday != null && nextAnniversary(num(c.birthday)) <= T + 7,
    );
    expect(soon.length).toBeGreaterThan(N * 0.02);
    const [last3, last6] = [addMonths(T, -3), addMonths(T, -6)];
    const falling = signed.filter((c) => {
      const days = (ordersOf.get(c.customerId as string) ?? []).map((o) => num(o.orderDate));
      const recent = days.filter((d) => d > last3 && d <= T).length;
      const previous = days.filter((d) => d > last6 && d <= last3).length;
      return previous > 0 && recent * 100 <= previous * 70;
    });
    expect(falling.length).toBeGreaterThan(N * 0.03);
    // Some reach the 高价值客户 tier (近12月金额 ≥ 100000) and the 活跃客户 one (≥ 5 orders).
    const last12 = addMonths(T, -12);
    const yearOf = (c: SampleRow) =>
      (ordersOf.get(c.customerId as string) ?? []).filter((o) => num(o.orderDate) > last12);
    expect(signed.some((c) => yearOf(c).reduce((s, o) => s + num(o.amount), 0) >= 100_000)).toBe(
      true,
    );
    expect(signed.some((c) => yearOf(c).length >= 5)).toBe(true);
  });
});

function dateColumnType(tab: TabDef): string {
  return tab.columns.find((c) => c.key === tab.idDateColumn)!.type;
}
