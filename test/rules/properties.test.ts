import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { startOfDay, weekday, type EpochDay } from '../../shared/calendar.ts';
import type {
  Customer,
  Dataset,
  FollowUp,
  Holiday,
  Order,
  Settings,
  Ticket,
  Visit,
} from '../../shared/model.ts';
import { compareIds } from '../../shared/ids.ts';
import { computeRules, type RulesOutput } from '../../shared/rules/index.ts';
import { exactScore, healthOf, healthParams } from '../../shared/rules/health.ts';
import { roundHalfUp } from '../../shared/rules/rational.ts';
import { defaultSettings } from '../../shared/settings.ts';
import { day, defaultTierRules, tierRules } from './build.ts';

const TODAY = day('2024-06-12');
const NOW = startOfDay(TODAY) + 10 * 3600;

const dateArb = fc.integer({ min: TODAY - 500, max: TODAY + 20 });
const timeArb = fc.integer({ min: startOfDay(TODAY - 500), max: startOfDay(TODAY + 20) });
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
const id = (prefix: string, i: number) => `${prefix}2024${String(i + 1).padStart(4, '0')}`;

const customerArb = fc.record({
  kind: fc.constantFrom('企业', '个人' as const),
  status: fc.constantFrom('潜在', '正式', '流失' as const),
  intent: maybe(fc.constantFrom('A', 'B', 'C' as const)),
  level: fc.constantFrom('普通客户', 'VIP客户', '战略客户' as const),
  region: maybe(fc.constantFrom('华东', '华南')),
  owner: fc.constantFrom('王', '李', '赵', ''),
  createdDate: dateArb,
  signedDate: maybe(dateArb),
  contractEnd: maybe(dateArb),
  birthday: maybe(fc.integer({ min: day('1960-01-01'), max: TODAY })),
  phone: maybe(fc.constantFrom('13812345678', '057188886666')),
});

/** A dataset with distinct IDs; child rows point at existing customers. */
const datasetArb: fc.Arbitrary<Dataset> = fc
  .record({
    customers: fc.array(customerArb, { minLength: 1, maxLength: 6 }),
    orders: fc.array(
      fc.record({
        c: fc.nat(),
        date: dateArb,
        amount: fc.integer({ min: 0, max: 20_000_000 }),
        paymentStatus: fc.constantFrom('按时', '逾期', '未到期' as const),
      }),
      { maxLength: 25 },
    ),
    followUps: fc.array(fc.record({ c: fc.nat(), time: timeArb, planDate: maybe(dateArb) }), {
      maxLength: 12,
    }),
    tickets: fc.array(
      fc.record({
        c: fc.nat(),
        type: fc.constantFrom('产品质量', '服务响应', '其他' as const),
        urgency: fc.constantFrom('高', '中', '低' as const),
        createdAt: timeArb,
        respond: maybe(fc.integer({ min: 0, max: 4 * 86_400 })),
        resolve: maybe(fc.integer({ min: 0, max: 6 * 86_400 })),
        status: fc.constantFrom('新建', '处理中', '已解决', '已关闭' as const),
        satisfaction: maybe(fc.integer({ min: 1, max: 5 })),
        requestType: fc.constantFrom('投诉', '咨询', '技术支持', '售后' as const),
      }),
      { maxLength: 15 },
    ),
    visits: fc.array(
      fc.record({
        c: fc.nat(),
        time: timeArb,
        productSatisfaction: maybe(fc.integer({ min: 1, max: 5 })),
        serviceSatisfaction: maybe(fc.integer({ min: 1, max: 5 })),
        reviewed: fc.boolean(),
        outcome: fc.constantFrom('完成', '完成', '未联系上', '客户拒访', '需再次回访' as const),
        reviewResult: fc.constantFrom('通过', '通过', '退回' as const),
      }),
      { maxLength: 12 },
    ),
    surveys: fc.array(fc.record({ c: fc.nat(), date: dateArb }), { maxLength: 6 }),
    leadRules: fc.array(
      fc.record({
        priority: fc.integer({ min: 1, max: 3 }),
        region: maybe(fc.constantFrom('华东', '华南')),
        owner: fc.constantFrom('钱', '孙'),
      }),
      { maxLength: 3 },
    ),
    strategyMonths: maybe(fc.constantFrom(1, 2, 6, 0.5)),
    holidays: fc.array(
      fc.record({
        date: fc.integer({ min: TODAY - 30, max: TODAY + 120 }),
        kind: fc.constantFrom('休息日', '调休工作日' as const),
      }),
      { maxLength: 8 },
    ),
    rules: fc.constantFrom(
      defaultTierRules(),
      [],
      tierRules([
        [2, '华东大客户', '区域', '=', '华东'],
        [1, '满意', '满意度', '>=', 80],
        [2, '华东大客户', '近12月金额', '>', '5万'],
        [3, '健康', '健康度', '≥', 70],
      ]),
      tierRules([[1, '坏', '近12月金額', '>=', 1]]),
    ),
    visitsNeedReview: fc.boolean(),
  })
  .map((g): Dataset => {
    const n = g.customers.length;
    const customers: Customer[] = g.customers.map((c, i) => ({
      ...c,
      row: i + 2,
      id: id(c.kind === '企业' ? 'E' : 'P', i),
      name: `客户${i}`,
      creditCode: null,
      contact: null,
      email: null,
      industry: '制造业',
      source: '转介绍',
      contractAmount: null,
    }));
    const cid = (k: number) => customers[k % n]!.id;
    const orders: Order[] = g.orders.map((o, i) => ({
      row: i + 2,
      id: id('O', i),
      customerId: cid(o.c),
      date: o.date,
      product: null,
      quantity: 1,
      amount: o.amount,
      paymentStatus: o.paymentStatus,
    }));
    const followUps: FollowUp[] = g.followUps.map((f, i) => ({
      row: i + 2,
      id: id('G', i),
      customerId: cid(f.c),
      time: f.time,
      planDate: f.planDate,
    }));
    const tickets: Ticket[] = g.tickets.map((t, i) => ({
      row: i + 2,
      id: id('T', i),
      customerId: cid(t.c),
      type: t.type,
      urgency: t.urgency,
      createdAt: t.createdAt,
      respondedAt: t.respond === null ? null : t.createdAt + t.respond,
      resolvedAt: t.resolve === null ? null : t.createdAt + t.resolve,
      status: t.status,
      satisfaction: t.satisfaction,
      requestType: t.requestType,
      department: null,
      handler: null,
    }));
    const visits: Visit[] = g.visits.map((v, i) => ({
      row: i + 2,
      id: id('V', i),
      customerId: cid(v.c),
      time: v.time,
      by: '张伟',
      productSatisfaction: v.productSatisfaction,
      serviceSatisfaction: v.serviceSatisfaction,
      reviewer: v.reviewed ? '李总' : null,
      reviewDate: v.reviewed ? Math.floor(v.time / 86_400) : null,
      outcome: v.outcome,
      reviewResult: v.reviewResult,
    }));
    const holidays: Holiday[] = g.holidays;
    return {
      customers,
      orders,
      followUps,
      tickets,
      visits,
      holidays,
      tierRules: g.rules,
      experienceSurveys: g.surveys.map((x, i) => ({
        row: i + 2,
        id: id('W', i),
        customerId: cid(x.c),
        date: x.date,
        overall: 4,
        product: null,
        service: null,
        delivery: null,
        recommend: null,
      })),
      leadRules: g.leadRules.map((r, i) => ({ row: i + 2, industry: null, ...r })),
      tierStrategies: ['高价值客户', '活跃客户', '普通客户', '健康'].map((tier, i) => ({
        row: i + 2,
        tier,
        strategy: `${tier}策略`,
        visitMonths: g.strategyMonths,
      })),
      serviceTargets: [],
      settings: { ...defaultSettings(), visitsNeedReview: g.visitsNeedReview },
    };
  });

/** A comparable plain form: Maps as entries sorted by key. */
function normalize(out: RulesOutput) {
  const sorted = <V>(m: ReadonlyMap<string, V>) =>
    [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  return { ...out, customers: sorted(out.customers), tickets: sorted(out.tickets) };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0 || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1_103_515_245 + 12_345) >>> 0;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

describe('properties', () => {
  it('keeps every health score within 0–100, blank exactly when no weight counts', () => {
    const weight = fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 1000 }).map((n) => n / 10),
    );
    fc.assert(
      fc.property(
        fc.record({
          interactions3m: fc.nat(50),
          orders6m: fc.nat(50),
          complaints6m: fc.nat(20),
          onTime: fc.nat(40),
          late: fc.nat(40),
          weights: fc.tuple(weight, weight, weight, weight),
          activityFull: fc.integer({ min: 1, max: 20 }),
          repurchaseFull: fc.integer({ min: 1, max: 20 }),
          points: fc.integer({ min: 0, max: 1000 }).map((n) => n / 10),
        }),
        (g) => {
          const settings: Settings = {
            ...defaultSettings(),
            weightActivity: g.weights[0],
            weightRepurchase: g.weights[1],
            weightStability: g.weights[2],
            weightComplaints: g.weights[3],
            activityFullInteractions: g.activityFull,
            repurchaseFullOrders: g.repurchaseFull,
            pointsPerComplaint: g.points,
          };
          const paid = g.onTime + g.late;
          const metrics = {
            amount12m: 0,
            orders12m: g.orders6m,
            orders6m: g.orders6m,
            ordersLast3m: 0,
            ordersPrev3m: 0,
            complaints6m: g.complaints6m,
            interactions3m: g.interactions3m,
            onTimeRate12m: paid === 0 ? { num: 1, den: 1 } : { num: g.onTime, den: paid },
            satisfaction: null,
          };
          const params = healthParams(settings);
          const h = healthOf(metrics, params);
          const exact = exactScore(metrics, params);
          // the safe-integer path agrees with the bigint one
          expect(h?.score ?? null).toBe(exact === null ? null : roundHalfUp(exact));
          if (g.weights.every((w) => w === 0)) {
            expect(h).toBeNull();
            return;
          }
          expect(h).not.toBeNull();
          expect(Number.isInteger(h!.score)).toBe(true);
          expect(h!.score).toBeGreaterThanOrEqual(0);
          expect(h!.score).toBeLessThanOrEqual(100);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps health within 0–100 on whole datasets', () => {
    fc.assert(
      fc.property(datasetArb, (ds) => {
        for (const r of computeRules(ds, NOW).customers.values()) {
          if (r.healthScore === null) continue;
          expect(r.healthScore).toBeGreaterThanOrEqual(0);
          expect(r.healthScore).toBeLessThanOrEqual(100);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('does not depend on the order of rows with distinct IDs', () => {
    fc.assert(
      fc.property(datasetArb, fc.integer(), (ds, seed) => {
        const reordered: Dataset = {
          ...ds,
          customers: shuffled(ds.customers, seed),
          orders: shuffled(ds.orders, seed + 1),
          followUps: shuffled(ds.followUps, seed + 2),
          tickets: shuffled(ds.tickets, seed + 3),
          visits: shuffled(ds.visits, seed + 4),
          holidays: shuffled(ds.holidays, seed + 5),
          tierRules: shuffled(ds.tierRules, seed + 6),
          experienceSurveys: shuffled(ds.experienceSurveys, seed + 7),
        };
        expect(normalize(computeRules(reordered, NOW))).toEqual(normalize(computeRules(ds, NOW)));
      }),
      { numRuns: 150 },
    );
  });

  it('gives the same output for the same input, without touching the input', () => {
    fc.assert(
      fc.property(datasetArb, (ds) => {
        const frozen = deepFreeze(ds);
        expect(computeRules(frozen, NOW)).toEqual(computeRules(frozen, NOW));
      }),
      { numRuns: 100 },
    );
  });

  it('plans callbacks on working days only, sorted by date then ID', () => {
    fc.assert(
      fc.property(datasetArb, (ds) => {
        const out = computeRules(ds, NOW);
        const rest = new Set(ds.holidays.filter((h) => h.kind === '休息日').map((h) => h.date));
        const work = new Set(ds.holidays.filter((h) => h.kind === '调休工作日').map((h) => h.date));
        const off = (d: EpochDay) => !work.has(d) && ([0, 6].includes(weekday(d)) || rest.has(d));
        for (const p of out.callbackPlan) expect(off(p.date)).toBe(false);
        for (let i = 1; i < out.callbackPlan.length; i++) {
          const [a, b] = [out.callbackPlan[i - 1]!, out.callbackPlan[i]!];
          expect(
            a.date < b.date || (a.date === b.date && compareIds(a.customerId, b.customerId) < 0),
          ).toBe(true);
        }
        const lost = ds.customers.filter((c) => c.status === '流失').map((c) => c.id);
        for (const p of out.callbackPlan) expect(lost).not.toContain(p.customerId);
      }),
      { numRuns: 150 },
    );
  });
});
