import { describe, expect, it } from 'vitest';
import { computeRules } from '../../shared/rules/index.ts';
import { at, builder, day, fen, tierRules } from './build.ts';

// Today is Wednesday 2024-06-12, 10:00.
const NOW = at('2024-06-12 10:00');

function example() {
  const b = builder();
  const e1 = b.customer({ owner: '王' });
  const e2 = b.customer({ owner: '李' });
  b.customer({
    owner: '王',
    status: '潜在',
    intent: 'A',
    signedDate: null,
    createdDate: day('2024-06-10'),
  });
  b.customer({ owner: '李', status: '流失' });

  b.order(e1, '2024-06-01', { amount: fen('100000') });
  for (const d of ['01', '02', '03', '04', '05']) b.order(e2, `2024-05-${d}`);
  b.visit(e1, '2024-06-01 10:00'); // valid, in the last 30 days
  b.visit(e2, '2024-05-01 10:00'); // valid, 42 days ago
  b.visit(e2, '2024-06-02 10:00', { reviewer: null }); // not approved

  const resolved = (
    created: string,
    responded: string,
    done: string,
    satisfaction: number | null,
  ) => ({
    status: '已解决' as const,
    respondedAt: at(responded),
    resolvedAt: at(done),
    satisfaction,
  });
  // 中 tickets: 24 h to respond, 24 h to resolve
  b.ticket(e1, '2024-01-10 09:00', resolved('', '2024-01-10 10:00', '2024-01-10 21:00', 4)); // t1
  b.ticket(e1, '2024-03-05 09:00'); // t2, open
  b.ticket(e2, '2024-05-20 09:00', {
    type: '服务响应',
    ...resolved('', '2024-05-20 09:30', '2024-05-21 15:00', 2),
  }); // t3
  b.ticket(e2, '2024-06-05 09:00', {
    type: '服务响应',
    ...resolved('', '2024-06-05 10:00', '2024-06-05 18:00', 5),
  }); // t4
  b.ticket(e2, '2024-06-08 09:00', { type: '服务响应', respondedAt: at('2024-06-08 09:12') }); // t5, open
  b.ticket(e1, '2024-06-11 09:00', {
    type: '物流配送',
    ...resolved('', '2024-06-11 09:06', '2024-06-11 12:00', null),
  }); // t6
  b.ticket(e1, '2024-06-13 09:00', { type: '物流配送' }); // t7, after today: ignored
  return b.build();
}

const table = (title: string) =>
  computeRules(example(), NOW).reports.find((r) => r.title === title)!;

describe('worked example: reports', () => {
  it('lays out five titled tables with a format per column', () => {
    const reports = computeRules(example(), NOW).reports;
    expect(reports.map((r) => r.title)).toEqual([
      '客户分层分布',
      '健康度分布',
      '月度投诉分析',
      '回访执行',
      '服务指标',
    ]);
    for (const r of reports) {
      expect(r.formats).toHaveLength(r.header.length);
      for (const row of r.rows) expect(row).toHaveLength(r.header.length);
    }
  });

  it('客户分层分布', () => {
    // E1 100000 yuan → 高价值客户; E2 5 orders (500 yuan) → 活跃客户; E3 潜在 A → 潜力客户;
    // E4 → 普通客户. 4 customers, 100500 yuan in all.
    expect(table('客户分层分布')).toEqual({
      title: '客户分层分布',
      header: ['客户分层', '客户数', '占比', '近12月金额合计(元)'],
      rows: [
        ['高价值客户', 1, 0.25, 100000],
        ['活跃客户', 1, 0.25, 500],
        ['潜力客户', 1, 0.25, 0],
        ['普通客户', 1, 0.25, 0],
        ['合计', 4, 1, 100500],
      ],
      formats: ['text', 'integer', 'percent', 'money'],
    });
  });

  it('健康度分布', () => {
    // E1: A = (1 order + 1 visit) / 6 = 33⅓, R = 1/3 = 33⅓, S = 100, complaints t1 t2 t6 → C = 75
    //     (30 × 33⅓ + 30 × 33⅓ + 20 × 100 + 20 × 25) / 100 = 4500 / 100 = 45 → 风险
    // E2: A = (5 orders + 1 valid visit) / 6 = 100, R = 100, S = 100, t3 t4 t5 → C = 75
    //     (3000 + 3000 + 2000 + 500) / 100 = 85 → 健康
    // Only E1 and E2 are 正式: average (45 + 85) / 2 = 65
    expect(table('健康度分布').rows).toEqual([
      ['健康', 1, 0.5, 85],
      ['亚健康', 0, 0, null],
      ['风险', 1, 0.5, 45],
      ['新客户', 0, 0, null],
      ['合计', 2, 1, 65],
    ]);
  });

  it('月度投诉分析', () => {
    // 2024-01: t1, resolved in 12 h (按时), 满意度 4
    // 2024-03: t2, open: no resolved ticket to average or divide
    // 2024-05: t3, resolved in 30 h > 24 (超时), 满意度 2
    // 2024-06: t4 (9 h, 按时, 满意度 5), t5 (open), t6 (3 h, 按时); t7 is after today.
    //   重复: t4 (t3 16 days before, same customer and type), t5 (t4 3 days before) → 2/3
    //   处理时长 (9 + 3) / 2 = 6
    const t = table('月度投诉分析');
    expect(t.header).toEqual([
      '月份',
      '工单数',
      '产品质量',
      '服务响应',
      '物流配送',
      '账单费用',
      '其他',
      '平均处理时长(小时)',
      '按时率',
      '平均满意度',
      '重复投诉率',
    ]);
    expect(t.rows).toEqual([
      ['2024-01', 1, 1, 0, 0, 0, 0, 12, 1, 4, 0],
      ['2024-02', 0, 0, 0, 0, 0, 0, null, null, null, null],
      ['2024-03', 1, 1, 0, 0, 0, 0, null, null, null, 0],
      ['2024-04', 0, 0, 0, 0, 0, 0, null, null, null, null],
      ['2024-05', 1, 0, 1, 0, 0, 0, 30, 0, 2, 0],
      ['2024-06', 3, 0, 2, 1, 0, 0, 6, 1, 5, 2 / 3],
    ]);
  });

  it('回访执行', () => {
    // E1 (王): 投诉回访 for t6 (resolved 06-11, last valid visit 06-01) → 06-12: 今日
    // E2 (李): 投诉回访 for t3 (resolved 05-21) → 05-22: 逾期 (before 流失挽回 today)
    // E3 (王): 首次联系 06-10 + 3 = 06-13: 待办;  E4 (李): 流失, no callback
    // valid visits in (05-13, 06-12]: E1's on 06-01 (王); E2's are too old or not approved
    expect(table('回访执行').rows).toEqual([
      ['李', 1, 0, 0, 0],
      ['王', 0, 1, 1, 1],
      ['合计', 1, 1, 1, 1],
    ]);
  });

  it('服务指标', () => {
    // 近7天 = created in (06-05, 06-12]: t5, t6
    //   response (12 min + 6 min) / 2 = 9 min = 0.15 h → 0.2
    //   首次解决: t6, no 物流配送 ticket of E1 created 06-11 … 06-18 (t7 is after today) → 1/1
    //   满意度: none; 复发: t5 → 1/2
    // 近30天 = (05-13, 06-12]: t3, t4, t5, t6
    //   response (30 + 60 + 12 + 6) / 4 = 27 min = 0.45 h → 0.5
    //   首次解决: t3 yes (t4 is 15 days later), t4 no (t5 3 days later), t6 yes → 2/3
    //   满意度 (2 + 5) / 2 = 3.5; 复发: t4, t5 → 2/4
    expect(table('服务指标')).toEqual({
      title: '服务指标',
      header: [
        '统计周期',
        '工单数',
        '平均响应时长(小时)',
        '首次解决率',
        '平均满意度',
        '投诉复发率',
      ],
      rows: [
        ['近7天', 2, 0.2, 1, null, 0.5],
        ['近30天', 4, 0.5, 2 / 3, 3.5, 0.5],
      ],
      formats: ['text', 'integer', 'number', 'percent', 'number', 'percent'],
    });
  });
});

describe('reports edges', () => {
  it('counts a repeat complaint up to 30 days back, and not 31', () => {
    const b = builder();
    const c = b.customer();
    b.ticket(c, '2024-05-01 09:00');
    b.ticket(c, '2024-05-31 18:00'); // 30 days later: repeat
    b.ticket(c, '2024-05-31 09:00', { type: '其他' }); // other type: not a repeat
    const d = builder();
    const e = d.customer();
    d.ticket(e, '2024-05-01 09:00');
    d.ticket(e, '2024-06-01 09:00'); // 31 days later: not a repeat
    const repeatRate = (ds: ReturnType<typeof b.build>, month: number) =>
      computeRules(ds, NOW).reports.find((r) => r.title === '月度投诉分析')!.rows[month]![10];
    expect(repeatRate(b.build(), 4)).toBe(1 / 3); // 2024-05: 3 tickets, 1 repeat
    expect(repeatRate(d.build(), 5)).toBe(0); // 2024-06: 1 ticket, no repeat
  });

  it('leaves tiers out of 客户分层分布 when the rules are invalid, unless previous tiers are given', () => {
    const b = builder();
    const c = b.customer();
    const ds = b.build({ tierRules: tierRules([[1, '甲', '不存在', '=', 'x']]) });
    expect(computeRules(ds, NOW).reports[0]!.rows).toEqual([
      ['（未分层）', 1, 1, 0],
      ['合计', 1, 1, 0],
    ]);
    const previousTiers = new Map([[c.id, '老分层']]);
    expect(computeRules(ds, NOW, { previousTiers }).reports[0]!.rows).toEqual([
      ['老分层', 1, 1, 0],
      ['合计', 1, 1, 0],
    ]);
  });

  it('leaves every ratio blank on an empty workbook', () => {
    const reports = computeRules(builder().build(), NOW).reports;
    expect(reports[0]!.rows.at(-1)).toEqual(['合计', 0, null, 0]);
    expect(reports[1]!.rows.at(-1)).toEqual(['合计', 0, null, null]);
    expect(reports[3]!.rows).toEqual([['合计', 0, 0, 0, 0]]);
    expect(reports[4]!.rows).toEqual([
      ['近7天', 0, null, null, null, null],
      ['近30天', 0, null, null, null, null],
    ]);
  });
});
