import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startOfDay, type EpochDay } from '../../shared/calendar.ts';
import type { Dataset, Ticket } from '../../shared/model.ts';
import {
  computeCustomers,
  computeRules,
  rulesContext,
  rulesContextKey,
  rulesOutput,
  type CustomerOutcome,
} from '../../shared/rules/index.ts';
import { sections } from './canonical.ts';
import { generatedDataset, ODD_SETTINGS, RULE_SETS } from './generate.ts';
import { day } from './build.ts';

const TODAY = day('2024-06-12');

/** A form write or an edit in a config tab, as the service would apply it. */
type Edit =
  | { kind: 'new customer'; status: 0 | 1 | 2; intent: number; offset: number }
  | { kind: 'follow-up'; c: number; offset: number; plan: number | null }
  | { kind: 'order'; c: number; offset: number; amount: number; paid: 0 | 1 | 2 }
  | { kind: 'visit'; c: number; offset: number; score: number | null; reviewed: boolean }
  | { kind: 'ticket'; c: number; offset: number; type: number }
  | { kind: 'resolve ticket'; t: number; hours: number; satisfaction: number | null }
  | { kind: 'review visit'; v: number }
  | { kind: 'customer status'; c: number; status: 0 | 1 | 2 }
  | { kind: 'settings'; odd: boolean }
  | { kind: 'tier rules'; set: number }
  | { kind: 'holiday'; offset: number }
  | { kind: 'next day' };

const offset = fc.integer({ min: -400, max: 10 });
const status = fc.constantFrom(0 as const, 1 as const, 2 as const);
const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('new customer' as const), status, intent: fc.nat(3), offset }),
  fc.record({
    kind: fc.constant('follow-up' as const),
    c: fc.nat(),
    offset,
    plan: fc.option(fc.integer({ min: -5, max: 30 }), { nil: null }),
  }),
  fc.record({
    kind: fc.constant('order' as const),
    c: fc.nat(),
    offset,
    amount: fc.nat(5_000_000),
    paid: fc.constantFrom(0 as const, 1 as const, 2 as const),
  }),
  fc.record({
    kind: fc.constant('visit' as const),
    c: fc.nat(),
    offset,
    score: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
    reviewed: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('ticket' as const), c: fc.nat(), offset, type: fc.nat(4) }),
  fc.record({
    kind: fc.constant('resolve ticket' as const),
    t: fc.nat(),
    hours: fc.integer({ min: 0, max: 400 }),
    satisfaction: fc.option(fc.integer({ min: 1, max: 5 }), { nil: null }),
  }),
  fc.record({ kind: fc.constant('review visit' as const), v: fc.nat() }),
  fc.record({ kind: fc.constant('customer status' as const), c: fc.nat(), status }),
  fc.record({ kind: fc.constant('settings' as const), odd: fc.boolean() }),
  fc.record({ kind: fc.constant('tier rules' as const), set: fc.nat(3) }),
  fc.record({ kind: fc.constant('holiday' as const), offset: fc.integer({ min: -10, max: 60 }) }),
  fc.constant({ kind: 'next day' as const }),
);

const STATUSES = ['潜在', '正式', '流失'] as const;
const TYPES = ['产品质量', '服务响应', '物流配送', '账单费用', '其他'] as const;
const RULES = Object.keys(RULE_SETS);

/** Applies one edit to a copy of the dataset; returns the customers whose rows changed. */
function apply(ds: Dataset, today: EpochDay, e: Edit, serial: number): [Dataset, string[]] {
  const pickCustomer = (c: number) => ds.customers[c % ds.customers.length]!;
  const at = (off: number) => startOfDay(today + off) + ((serial * 7919) % 86_400);
  switch (e.kind) {
    case 'new customer': {
      const id = `N2024${String(serial).padStart(5, '0')}`;
      const signed = e.status === 0 ? null : today + e.offset;
      const c = {
        ...ds.customers[0]!,
        row: ds.customers.length + 2,
        id,
        name: `新客户${serial}`,
        status: STATUSES[e.status],
        intent: e.intent === 3 ? null : (['A', 'B', 'C'] as const)[e.intent]!,
        createdDate: today + Math.min(0, e.offset),
        signedDate: signed,
        owner: `负责人${serial % 3}`,
      };
      return [{ ...ds, customers: [...ds.customers, c] }, [id]];
    }
    case 'follow-up': {
      const c = pickCustomer(e.c);
      const f = {
        row: ds.followUps.length + 2,
        id: `G2025${String(serial).padStart(5, '0')}`,
        customerId: c.id,
        time: at(e.offset),
        planDate: e.plan === null ? null : today + e.plan,
      };
      return [{ ...ds, followUps: [...ds.followUps, f] }, [c.id]];
    }
    case 'order': {
      const c = pickCustomer(e.c);
      const o = {
        row: ds.orders.length + 2,
        id: `O2025${String(serial).padStart(5, '0')}`,
        customerId: c.id,
        date: today + e.offset,
        product: null,
        quantity: 1,
        amount: e.amount,
        paymentStatus: (['按时', '逾期', '未到期'] as const)[e.paid],
      };
      return [{ ...ds, orders: [...ds.orders, o] }, [c.id]];
    }
    case 'visit': {
      const c = pickCustomer(e.c);
      const time = at(e.offset);
      const v = {
        row: ds.visits.length + 2,
        id: `V2025${String(serial).padStart(5, '0')}`,
        customerId: c.id,
        time,
        productSatisfaction: e.score,
        serviceSatisfaction: e.score === null ? null : 6 - e.score,
        reviewer: e.reviewed ? '审核人' : null,
        reviewDate: e.reviewed ? today : null,
        outcome: '完成' as const,
        by: '张伟',
        reviewResult: '通过' as const,
      };
      return [{ ...ds, visits: [...ds.visits, v] }, [c.id]];
    }
    case 'ticket': {
      const c = pickCustomer(e.c);
      const t: Ticket = {
        row: ds.tickets.length + 2,
        id: `T2025${String(serial).padStart(5, '0')}`,
        customerId: c.id,
        type: TYPES[e.type]!,
        urgency: '中',
        createdAt: at(e.offset),
        respondedAt: null,
        resolvedAt: null,
        status: '新建',
        requestType: '投诉',
        satisfaction: null,
        department: null,
        handler: null,
      };
      return [{ ...ds, tickets: [...ds.tickets, t] }, [c.id]];
    }
    case 'resolve ticket': {
      const k = e.t % ds.tickets.length;
      const t = ds.tickets[k]!;
      const resolved: Ticket = {
        ...t,
        respondedAt: t.respondedAt ?? t.createdAt + 1800,
        resolvedAt: t.createdAt + e.hours * 3600,
        status: '已解决',
        satisfaction: e.satisfaction,
        department: null,
        handler: null,
      };
      return [
        { ...ds, tickets: ds.tickets.map((x, i) => (i === k ? resolved : x)) },
        [t.customerId],
      ];
    }
    case 'review visit': {
      const k = e.v % ds.visits.length;
      const v = ds.visits[k]!;
      const reviewed = { ...v, reviewer: '李总', reviewDate: today };
      return [{ ...ds, visits: ds.visits.map((x, i) => (i === k ? reviewed : x)) }, [v.customerId]];
    }
    case 'customer status': {
      const k = e.c % ds.customers.length;
      const c = { ...ds.customers[k]!, status: STATUSES[e.status] };
      return [{ ...ds, customers: ds.customers.map((x, i) => (i === k ? c : x)) }, [c.id]];
    }
    case 'settings':
      return [
        {
          ...ds,
          settings: { ...ds.settings, ...(e.odd ? ODD_SETTINGS : { visitsNeedReview: true }) },
        },
        [],
      ];
    case 'tier rules':
      return [{ ...ds, tierRules: RULE_SETS[RULES[e.set % RULES.length]!]! }, []];
    case 'holiday':
      return [
        { ...ds, holidays: [...ds.holidays, { date: today + e.offset, kind: '休息日' }] },
        [],
      ];
    case 'next day':
      return [ds, []];
  }
}

describe('incremental compute', () => {
  it('equals a full computation after any sequence of form writes and config edits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(editArb, { minLength: 1, maxLength: 12 }),
        (seed, edits) => {
          let ds = generatedDataset(seed, { customers: 40, today: TODAY });
          let today = TODAY;
          let now = startOfDay(today) + 10 * 3600;
          let key = rulesContextKey(ds, now);
          let context = rulesContext(ds, now);
          const kept = new Map<string, CustomerOutcome>(
            computeCustomers(ds, context).map((o) => [o.id, o]),
          );
          edits.forEach((e, step) => {
            if (e.kind === 'next day') today += 1;
            // A later hour of the same day moves ticket SLAs but no customer.
            now = startOfDay(today) + 10 * 3600 + step * 600;
            const [next, touched] = apply(ds, today, e, step + 1);
            ds = next;
            context = rulesContext(ds, now);
            const nextKey = rulesContextKey(ds, now);
            const fresh =
              nextKey === key
                ? computeCustomers(ds, context, touched)
                : computeCustomers(ds, context);
            key = nextKey;
            for (const o of fresh) kept.set(o.id, o);
            const incremental = rulesOutput(ds, kept.values(), context);
            expect(sections(incremental)).toEqual(sections(computeRules(ds, now)));
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('recomputes only the customers asked for, reading only their rows', () => {
    const ds = generatedDataset(7, { customers: 50, today: TODAY });
    const now = startOfDay(TODAY) + 10 * 3600;
    const context = rulesContext(ds, now);
    const all = new Map(computeCustomers(ds, context).map((o) => [o.id, o]));
    const ids = [ds.customers[3]!.id, ds.customers[17]!.id, 'E20249999999'];
    const some = computeCustomers(ds, context, ids);
    expect(some.map((o) => o.id)).toEqual(ids.slice(0, 2));
    for (const o of some) expect(o).toEqual(all.get(o.id));
    // A dataset cut down to those customers and their rows gives the same outcomes.
    const mine = new Set(ids);
    const cut: Dataset = {
      ...ds,
      customers: ds.customers.filter((c) => mine.has(c.id)),
      orders: ds.orders.filter((r) => mine.has(r.customerId)),
      followUps: ds.followUps.filter((r) => mine.has(r.customerId)),
      tickets: ds.tickets.filter((r) => mine.has(r.customerId)),
      visits: ds.visits.filter((r) => mine.has(r.customerId)),
    };
    expect(computeCustomers(cut, context)).toEqual(some);
  });
});
