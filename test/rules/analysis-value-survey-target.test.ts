/**
 * 销售分析 tables 5–7 (客户价值, 问卷汇总, 目标达成): a hand-checked example of each, with
 * the arithmetic in comments, and the properties every sync relies on — row order never
 * shows, 客户价值合计 is the sum of the customers' 客户价值 to the fen, and the shares
 * and means stay within what they can be.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dataset, ServiceTarget } from '../../shared/model.ts';
import { computeRules, type ReportTable } from '../../shared/rules/index.ts';
import { nps } from '../../shared/rules/surveySummary.ts';
import { at, builder, day, fen } from './build.ts';

// Today is Wednesday 2024-06-12; the 12 months are 2023-06-13 … 2024-06-12 and the
// 30 days of 服务指标 2024-05-14 … 2024-06-12.
const NOW = at('2024-06-12 10:00');

const tableOf = (d: Dataset, title: string): ReportTable =>
  computeRules(d, NOW).analysis.find((t) => t.title === title)!;

const targets = (rows: [ServiceTarget['metric'], number][]): ServiceTarget[] =>
  rows.map(([metric, target], i) => ({ row: i + 2, metric, target }));

describe('客户价值 by tier', () => {
  function valueExample(): Dataset {
    const b = builder();
    const e1 = b.customer(); // one order of 100,000.01 → 高价值客户 (≥ 100000)
    b.order(e1, '2024-05-01', { amount: fen('100000.01') });
    const e2 = b.customer(); // five orders, 1,000.01 → 活跃客户 (≥ 5 orders)
    for (const a of ['200', '200', '200', '200', '200.01'])
      b.order(e2, '2024-04-01', { amount: fen(a) });
    const e3 = b.customer(); // 333.33 → 普通客户
    b.order(e3, '2024-03-01', { amount: fen('333.33') });
    b.customer(); // E4: no orders → 普通客户, 客户价值 0
    b.customer({ status: '潜在', signedDate: null, intent: 'A' }); // 潜力客户, no 客户价值
    const e6 = b.customer({ status: '流失' }); // not counted
    b.order(e6, '2024-05-01', { amount: fen('100000') });
    return b.build();
  }

  it('sums each tier to the fen, in the tiers’ 优先级 order', () => {
    // 客户价值 = 近12月金额 × 30% × 3 = × 0.9, half up to the fen:
    //   E1 100,000.01 × 0.9 = 90,000.009 → 90,000.01
    //   E2   1,000.01 × 0.9 =    900.009 →    900.01
    //   E3     333.33 × 0.9 =    299.997 →    300.00;  E4 0
    // 普通客户 2 customers, 300.00, mean 150.00; 潜力客户 only holds the 潜在 E5: 0, mean blank.
    // 合计 4 customers, 9,000,001 + 90,001 + 30,000 + 0 = 9,120,002 fen = 91,200.02;
    //   mean 9,120,002 ÷ 4 = 2,280,000.5 fen → half up 2,280,001 = 22,800.01.
    const t = tableOf(valueExample(), '客户价值');
    expect(t.header).toEqual(['客户分层', '客户数', '客户价值合计(元)', '平均客户价值(元)']);
    expect(t.formats).toEqual(['text', 'integer', 'money', 'money']);
    expect(t.rows).toEqual([
      ['高价值客户', 1, 90000.01, 90000.01],
      ['活跃客户', 1, 900.01, 900.01],
      ['潜力客户', 0, 0, null],
      ['普通客户', 2, 300, 150],
      ['合计', 4, 91200.02, 22800.01],
    ]);
  });

  it('a tier no rule gives comes after the rule tiers, a blank one last as （未分层）', () => {
    // Invalid rules (优先级 not a number): the tiers are the 客户分层 column as it stands.
    const b = builder();
    const [a, c, d] = [b.customer(), b.customer(), b.customer()];
    for (const x of [a, c, d]) b.order(x, '2024-05-01', { amount: fen('10') });
    const dataset = b.build({
      tierRules: [
        { row: 2, priority: '一', tier: 'X', metric: '客户状态', operator: '=', threshold: '正式' },
      ],
    });
    const previousTiers = new Map([
      [a.id, '老客户'],
      [c.id, null],
    ]);
    const t = computeRules(dataset, NOW, { previousTiers }).analysis.find(
      (x) => x.title === '客户价值',
    )!;
    // each 10.00 × 0.9 = 9.00; d has no 客户分层 read either → （未分层） with c
    expect(t.rows).toEqual([
      ['老客户', 1, 9, 9],
      ['（未分层）', 2, 18, 9],
      ['合计', 3, 27, 9],
    ]);
  });
});

describe('问卷汇总 by 所属行业', () => {
  function surveyExample(): Dataset {
    const b = builder();
    const e1 = b.customer({ industry: '制造业' });
    const e2 = b.customer({ industry: '零售' });
    const e3 = b.customer({ industry: '' });
    const e4 = b.customer({ industry: '制造业', status: '流失' });
    b.survey(e1, '2024-06-01', { overall: 5, product: 4, service: 5, recommend: 10 });
    b.survey(e1, '2024-01-10', { overall: 4, product: 2, delivery: 3, recommend: 6 });
    b.survey(e4, '2024-03-01', { overall: 4, service: 4, delivery: 4, recommend: 9 });
    b.survey(e2, '2024-05-05', { overall: 2, product: 3, recommend: 7 });
    b.survey(e3, '2024-02-02', { overall: 5 });
    b.survey(e1, '2023-06-12', { overall: 1, recommend: 0 }); // 12 months ago: out
    b.survey(e2, '2024-06-13', { overall: 1, recommend: 0 }); // after today: out
    return b.build();
  }

  it('counts, means and NPS, by hand', () => {
    // 制造业: E1 twice and E4 (流失 since, its answers still count) → 3 问卷
    //   整体 (5+4+4)/3 = 4.333 → 4.33; 产品 (4+2)/2 = 3; 服务 (5+4)/2 = 4.5; 交付 (3+4)/2 = 3.5
    //   推荐意愿 10, 6, 9: 2 of 3 promote, 1 of 3 detracts → (2−1)/3 × 100 = 33.33 → 33.3
    // 零售: 1 问卷, 整体 2, 产品 3, 推荐 7 (neither) → NPS 0
    // 未填 (blank 所属行业): 1 问卷, 整体 5, no 推荐意愿 → NPS blank
    // 零售 and 未填 tie on 1: by label (未 U+672A before 零 U+96F6).
    // 合计: 5 问卷; 整体 20/5 = 4; 产品 9/3 = 3; 服务 9/2 = 4.5; 交付 7/2 = 3.5;
    //   推荐 10, 6, 9, 7: (2−1)/4 × 100 = 25
    const t = tableOf(surveyExample(), '问卷汇总');
    expect(t.header).toEqual([
      '所属行业',
      '问卷数',
      '整体满意度',
      '产品满意度',
      '服务满意度',
      '交付满意度',
      'NPS',
    ]);
    expect(t.rows).toEqual([
      ['制造业', 3, 4.33, 3, 4.5, 3.5, 33.3],
      ['未填', 1, 5, null, null, null, null],
      ['零售', 1, 2, 3, null, null, 0],
      ['合计', 5, 4, 3, 4.5, 3.5, 25],
    ]);
  });

  it('NPS rounds half up on the exact value, negative ones towards +∞', () => {
    expect(nps(0, 1, 8)).toBe(-12.5); // −1/8 × 100 exactly
    expect(nps(0, 1, 80)).toBe(-1.2); // −1.25 → −1.2
    expect(nps(1, 0, 80)).toBe(1.3); // 1.25 → 1.3
    expect(nps(2, 1, 3)).toBe(33.3);
    expect(nps(0, 0, 0)).toBeNull();
  });

  it('no survey in the 12 months leaves one 合计 row of blanks', () => {
    const b = builder();
    b.customer();
    expect(tableOf(b.build(), '问卷汇总').rows).toEqual([
      ['合计', 0, null, null, null, null, null],
    ]);
  });
});

describe('目标达成 against 服务指标 of the last 30 days', () => {
  function ticketExample(rows: [ServiceTarget['metric'], number][]): Dataset {
    const b = builder();
    const e1 = b.customer();
    const e2 = b.customer();
    // T1: answered in 2 h, resolved in 11 h (≤ 24 h: 按时), 满意度 5; T2 of the same
    // type 4 days after T1 was resolved, so T1 is no first-time fix.
    b.ticket(e1, '2024-06-01 09:00', {
      respondedAt: at('2024-06-01 11:00'),
      resolvedAt: at('2024-06-01 20:00'),
      status: '已解决',
      satisfaction: 5,
    });
    // T2: a repeat (T1 within the 30 days before), answered in 3.5 h, resolved in 48 h (超时), 满意度 4.
    b.ticket(e1, '2024-06-05 09:00', {
      respondedAt: at('2024-06-05 12:30'),
      resolvedAt: at('2024-06-07 09:00'),
      status: '已解决',
      satisfaction: 4,
    });
    b.ticket(e2, '2024-06-10 09:00', { type: '服务响应' }); // T3: open, unanswered
    b.ticket(e2, '2024-04-01 09:00'); // before the 30 days: out
    return { ...b.build(), serviceTargets: targets(rows) };
  }

  it('compares each target with its figure, lower better for 响应时长 and 重复投诉率', () => {
    // 30 days: T1, T2, T3 → 3 tickets, 2 resolved.
    //   按时率 1/2 = 0.5 ≥ 0.5 → 是 (the bound meets)
    //   平均满意度 (5+4)/2 = 4.50 ≥ 4.5 → 是
    //   重复投诉率 1/3 = 0.333 > 0.3 → 否 (lower is better)
    //   首次解决率 1/2 (T2 only) vs 60 typed as a percent = 0.6 → 否
    //   平均响应时长 (2 + 3.5)/2 = 2.75 h, written 2.8; ≤ 2.8 → 是; vs 2.75 → 否 (实际 as shown)
    const t = tableOf(
      ticketExample([
        ['按时率', 0.5],
        ['平均满意度', 4.5],
        ['重复投诉率', 0.3],
        ['首次解决率', 60],
        ['平均响应时长', 2.8],
        ['平均响应时长', 2.75],
      ]),
      '目标达成',
    );
    expect(t.header).toEqual(['指标', '目标值', '实际', '达成']);
    expect(t.rows).toEqual([
      ['按时率', 0.5, 0.5, '是'],
      ['平均满意度', 4.5, 4.5, '是'],
      ['重复投诉率', 0.3, 1 / 3, '否'],
      ['首次解决率', 0.6, 0.5, '否'],
      ['平均响应时长(小时)', 2.8, 2.8, '是'],
      ['平均响应时长(小时)', 2.75, 2.8, '否'],
    ]);
    // shares as percents, the others as plain figures
    expect(t.rowFormats).toEqual([
      ['text', 'percent', 'percent', 'text'],
      ['text', 'number', 'number', 'text'],
      ['text', 'percent', 'percent', 'text'],
      ['text', 'percent', 'percent', 'text'],
      ['text', 'number', 'number', 'text'],
      ['text', 'number', 'number', 'text'],
    ]);
  });

  it('a figure with nothing to measure leaves 实际 and 达成 blank', () => {
    const b = builder();
    b.customer();
    const d = {
      ...b.build(),
      serviceTargets: targets([
        ['按时率', 0.95],
        ['平均响应时长', 24],
      ]),
    };
    expect(tableOf(d, '目标达成').rows).toEqual([
      ['按时率', 0.95, null, null],
      ['平均响应时长(小时)', 24, null, null],
    ]);
  });

  it('实际 is the figure 服务指标 writes for the last 30 days', () => {
    const d = ticketExample([
      ['平均响应时长', 1],
      ['首次解决率', 0.5],
      ['平均满意度', 4],
      ['重复投诉率', 0.1],
    ]);
    const out = computeRules(d, NOW);
    const service = out.reports.find((t) => t.title === '服务指标')!.rows[1]!;
    const actual = out.analysis.find((t) => t.title === '目标达成')!.rows.map((r) => r[2]);
    // 服务指标: 统计周期 | 工单数 | 平均响应时长 | 首次解决率 | 平均满意度 | 投诉复发率
    expect(actual).toEqual([service[2], service[3], service[4], service[5]]);
  });
});

const STATUSES = ['潜在', '正式', '流失'] as const;
const INDUSTRIES = ['制造业', '零售', ''] as const;

const worldArb = fc.record({
  customers: fc.array(
    fc.record({
      status: fc.constantFrom(...STATUSES),
      industry: fc.constantFrom(...INDUSTRIES),
    }),
    { maxLength: 10 },
  ),
  orders: fc.array(
    fc.record({
      customer: fc.nat(),
      daysAgo: fc.integer({ min: -3, max: 400 }),
      fen: fc.integer({ min: 1, max: 20_000_000_00 }),
    }),
    { maxLength: 25 },
  ),
  surveys: fc.array(
    fc.record({
      customer: fc.nat(),
      daysAgo: fc.integer({ min: -3, max: 400 }),
      overall: fc.integer({ min: 1, max: 5 }),
      product: fc.option(fc.integer({ min: 1, max: 5 })),
      recommend: fc.option(fc.integer({ min: 0, max: 10 })),
    }),
    { maxLength: 20 },
  ),
  seed: fc.nat(),
});

type WorldInput = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function datasetOf(w: WorldInput, shuffle: boolean): Dataset {
  const b = builder();
  const customers = w.customers.map((c) =>
    b.customer({
      status: c.status,
      industry: c.industry,
      signedDate: c.status === '潜在' ? null : day('2023-01-10'),
      intent: c.status === '潜在' ? 'B' : null,
    }),
  );
  const today = day('2024-06-12');
  if (customers.length > 0) {
    for (const o of w.orders)
      b.order(customers[o.customer % customers.length]!, '2024-06-12', {
        date: today - o.daysAgo,
        amount: o.fen,
      });
    for (const s of w.surveys)
      b.survey(customers[s.customer % customers.length]!, '2024-06-12', {
        date: today - s.daysAgo,
        overall: s.overall,
        product: s.product,
        recommend: s.recommend,
      });
  }
  const d = b.build();
  if (!shuffle) return d;
  const mix = <T>(items: readonly T[], salt: number): T[] => {
    const out = [...items];
    let s = (w.seed + salt) % 2147483647 || 1;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 16807) % 2147483647;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j]!, out[i]!];
    }
    return out;
  };
  return {
    ...d,
    customers: mix(d.customers, 1),
    orders: mix(d.orders, 2),
    experienceSurveys: mix(d.experienceSurveys, 3),
  };
}

const fenOf = (yuan: unknown): number => Math.round((yuan as number) * 100);

describe('properties: 客户价值, 问卷汇总, 目标达成', () => {
  it('客户价值合计 is the sum of the customers’ 客户价值 to the fen, per tier and in all', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const out = computeRules(datasetOf(w, false), NOW);
        const t = out.analysis.find((x) => x.title === '客户价值')!;
        const byTier = new Map<string, number>();
        let all = 0;
        for (const [, r] of out.customers) {
          if (r.customerValue === null) continue;
          byTier.set(r.tier!, (byTier.get(r.tier!) ?? 0) + r.customerValue);
          all += r.customerValue;
        }
        for (const row of t.rows.slice(0, -1))
          expect(fenOf(row[2])).toBe(byTier.get(row[0] as string) ?? 0);
        expect(fenOf(t.rows.at(-1)![2])).toBe(all);
        // the counts add up too, and 流失 customers (no 客户价值) never count
        const counted = t.rows.slice(0, -1).reduce((s, r) => s + (r[1] as number), 0);
        expect(counted).toBe(t.rows.at(-1)![1]);
      }),
    );
  });

  it('the order of the customer, order and survey rows does not matter', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const pick = (d: Dataset) =>
          computeRules(d, NOW).analysis.filter((t) =>
            ['客户价值', '问卷汇总', '目标达成'].includes(t.title),
          );
        expect(pick(datasetOf(w, true))).toEqual(pick(datasetOf(w, false)));
      }),
    );
  });

  it('问卷数 add up to the 合计, every mean lies within 1–5 and NPS within ±100', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const t = tableOf(datasetOf(w, false), '问卷汇总');
        const body = t.rows.slice(0, -1);
        expect(body.reduce((s, r) => s + (r[1] as number), 0)).toBe(t.rows.at(-1)![1]);
        for (const r of t.rows) {
          for (const m of r.slice(2, 6)) {
            if (m === null) continue;
            expect(m as number).toBeGreaterThanOrEqual(1);
            expect(m as number).toBeLessThanOrEqual(5);
          }
          if (r[6] !== null) expect(Math.abs(r[6] as number)).toBeLessThanOrEqual(100);
        }
        // rows by 问卷数 descending
        for (let i = 1; i < body.length; i++)
          expect(body[i - 1]![1] as number).toBeGreaterThanOrEqual(body[i]![1] as number);
      }),
    );
  });
});
