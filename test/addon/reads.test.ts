/**
 * The sidebar's calls against a big 客户 tab: a submission and a search cost the same
 * calls at 100 customers and at 10,000, a new row is one setValues, and the document
 * lock, the person's email and the lock's absence are handled as Apps Script has them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { reaching, type Value } from './fakes/spreadsheet.ts';
import { built, type Built } from './build.ts';
import { customerPayload, env, type Env, type Submit } from './env.ts';

let build: Built;

beforeAll(async () => {
  build = await built();
}, 60_000);

const SUBMIT_LIMIT = 20;

/** A set-up workbook with `n` customers, filled without counting as script calls. */
function withCustomers(n: number): Env {
  const e = env(build);
  e.call('initWorkbook');
  const at = new Map(T.CUSTOMERS.columns.map((c, i) => [c.key, i]));
  const rows: Value[][] = [];
  for (let i = 1; i <= n; i++) {
    const line: Value[] = new Array<Value>(T.CUSTOMERS.columns.length).fill('');
    const set = (key: (typeof T.CUSTOMERS.columns)[number]['key'], v: Value) =>
      (line[at.get(key)!] = v);
    set('customerId', `E2024${String(i).padStart(4, '0')}`);
    set('kind', '企业');
    set('name', `客户${i}号贸易有限公司`);
    set('contact', '王芳');
    set('phone', `0571-8${String(i).padStart(7, '0')}`);
    set('industry', '零售');
    set('source', '转介绍');
    set('status', '正式');
    set('owner', '李明');
    set('createdDate', 45300 + (i % 300));
    set('signedDate', 45310 + (i % 300));
    rows.push(line);
  }
  e.ss.sheet(T.CUSTOMERS.name).fill(rows);
  return e;
}

interface Cost {
  calls: string[];
  reaching: number;
  /** wall time less the time spent inside the fakes */
  scriptMs: number;
}

function measure<R>(e: Env, fn: () => R): { result: R; cost: Cost } {
  const start = e.ss.calls.length;
  const fake = e.ss.log.fakeMs;
  const t = performance.now();
  const result = fn();
  const wall = performance.now() - t;
  const calls = e.ss.calls.slice(start);
  return {
    result,
    cost: { calls, reaching: reaching(calls).length, scriptMs: wall - (e.ss.log.fakeMs - fake) },
  };
}

describe('sidebar calls on 100 and 10,000 customers', { timeout: 120_000 }, () => {
  it('cost the same calls whatever the number of customers', () => {
    const costs = [100, 10_000].map((n) => {
      const e = withCustomers(n);
      const submit = measure(e, () =>
        e.call<Submit>('submitForm', 'new-customer', customerPayload({ name: '新客户' })),
      );
      expect(submit.result).toEqual({
        ok: true,
        id: `E2024${String(n + 1).padStart(4, '0')}`,
        row: n + 2,
      });
      const search = measure(e, () => e.call<{ id: string }[]>('searchCustomers', '新客户'));
      expect(search.result.map((h) => h.id)).toEqual([submit.result.id]);
      const ticket = measure(e, () =>
        e.call<Submit>('submitForm', 'new-ticket', {
          customerId: 'E20240050',
          type: '产品质量',
          description: '包装破损',
          urgency: '高',
          department: '技术部',
        }),
      );
      expect(ticket.result).toMatchObject({ ok: true, row: 2 });
      return { n, submit: submit.cost, search: search.cost, ticket: ticket.cost };
    });
    for (const c of costs)
      console.log(
        `${c.n} customers: submit ${c.submit.reaching} calls (${c.submit.calls.length} in all) ` +
          `${c.submit.scriptMs.toFixed(0)} ms; search ${c.search.reaching} calls ` +
          `${c.search.scriptMs.toFixed(0)} ms; new ticket ${c.ticket.reaching} calls`,
      );
    const [small, large] = costs;
    expect(large!.submit.calls).toEqual(small!.submit.calls);
    expect(large!.search.calls).toEqual(small!.search.calls);
    expect(large!.ticket.calls).toEqual(small!.ticket.calls);
    expect(large!.submit.reaching).toBeLessThan(SUBMIT_LIMIT);
    expect(large!.ticket.reaching).toBeLessThan(SUBMIT_LIMIT);
    // One write per new row, and nothing read cell by cell.
    expect(large!.submit.calls.filter((c) => c === 'Range.setValues')).toHaveLength(1);
    expect(large!.submit.calls.filter((c) => c.startsWith('Range.set'))).toEqual([
      'Range.setValues',
    ]);
  });
});

describe('what Apps Script may not give', () => {
  it('refuses to write without a document lock, and says why', () => {
    const e = withCustomers(3);
    e.lock.available = false;
    const mutations = e.ss.mutations.length;
    expect(e.call<Submit>('submitForm', 'new-customer', customerPayload())).toEqual({
      ok: false,
      message: expect.stringMatching(/无法锁定表格/),
      problems: {},
    });
    expect(e.ss.mutations.slice(mutations)).toEqual([]);
  });

  it('tells a reviewer whose email Apps Script does not give that no review can be recorded', () => {
    const e = withCustomers(3);
    e.call('submitForm', 'visit-record', {
      customerId: 'E20240001',
      time: '2024-06-15 10:30',
      method: '电话',
      by: '李明',
    });
    e.user.email = '';
    const mutations = e.ss.mutations.length;
    expect(
      e.call<Submit>('submitForm', 'review-visit', { visitId: 'V20240001', reviewComment: '同意' }),
    ).toEqual({
      ok: false,
      message: expect.stringMatching(/无法获取您的 Google 账号邮箱/),
      problems: {},
    });
    expect(e.ss.mutations.slice(mutations)).toEqual([]);
    // Forms that do not record who submitted still work.
    expect(e.call<Submit>('submitForm', 'new-customer', customerPayload())).toMatchObject({
      ok: true,
    });
    expect(e.call<{ user: string }>('formOptions', 'review-visit', '').user).toBe('');
  });
});
