/**
 * A synthetic validated workbook for timing the rules: about ten child rows per
 * customer, dates spread over the last two years and a month ahead, from a fixed seed so
 * that every run times the same data.
 */
import { daysFromCivil, startOfDay, type WallSeconds } from '../shared/calendar.ts';
import type {
  Customer,
  Dataset,
  FollowUp,
  Holiday,
  Order,
  Ticket,
  Visit,
} from '../shared/model.ts';
import { recordLookedUpPositions } from '../shared/rules/customerPositions.ts';
import { defaultSettings } from '../shared/settings.ts';
import { TIER_RULES } from '../sheets-templates/tabs.ts';

export const BENCH_TODAY = daysFromCivil(2024, 6, 12);
export const BENCH_NOW: WallSeconds = startOfDay(BENCH_TODAY) + 10 * 3600;

export function benchDataset(customerCount = 100_000, seed = 20_240_612): Dataset {
  const orderCount = customerCount * 5;
  const followUpCount = customerCount * 2;
  const ticketCount = customerCount;
  const visitCount = customerCount * 2;
  const today = BENCH_TODAY;
  let s = seed;
  const rand = (n: number): number => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return s % n;
  };
  const pick = <T>(items: readonly T[]): T => items[rand(items.length)]!;
  const id = (prefix: string, i: number): string =>
    `${prefix}2024${String(i + 1).padStart(6, '0')}`;
  const someDay = (): number => today - 800 + rand(830);
  const someTime = (): number => startOfDay(someDay()) + rand(86_400);

  const customers: Customer[] = [];
  for (let i = 0; i < customerCount; i++) {
    const status = pick(['潜在', '正式', '正式', '正式', '流失'] as const);
    const signed = status === '潜在' ? null : someDay();
    customers.push({
      row: i + 2,
      id: id(i % 3 === 0 ? 'P' : 'E', i),
      kind: i % 3 === 0 ? '个人' : '企业',
      name: `客户${i}`,
      creditCode: null,
      contact: null,
      phone: `138${String(i).padStart(8, '0')}`,
      email: null,
      industry: pick(['制造业', '零售', '金融']),
      source: pick(['转介绍', '展会推广']),
      level: pick(['普通客户', 'VIP客户', '战略客户'] as const),
      status,
      intent: status === '潜在' ? pick(['A', 'B', 'C', null] as const) : null,
      region: pick(['华东', '华南', null]),
      owner: `负责人${rand(200)}`,
      createdDate: someDay(),
      signedDate: signed,
      contractAmount: null,
      contractEnd: signed === null || rand(2) ? null : signed + 365,
      birthday: rand(3) ? null : daysFromCivil(1970 + rand(40), 1 + rand(12), 1 + rand(28)),
    });
  }
  // A fresh string per row, as when every cell is read from the sheet on its own.
  const cid = (): string => `${customers[rand(customerCount)]!.id} `.trim();
  const orders: Order[] = [];
  for (let i = 0; i < orderCount; i++) {
    orders.push({
      row: i + 2,
      id: id('O', i),
      customerId: cid(),
      date: someDay(),
      product: null,
      quantity: 1,
      amount: rand(5_000_000),
      paymentStatus: pick(['按时', '逾期', '未到期'] as const),
    });
  }
  const followUps: FollowUp[] = [];
  for (let i = 0; i < followUpCount; i++) {
    followUps.push({
      row: i + 2,
      id: id('G', i),
      customerId: cid(),
      time: someTime(),
      planDate: rand(2) ? null : someDay(),
    });
  }
  const tickets: Ticket[] = [];
  for (let i = 0; i < ticketCount; i++) {
    const createdAt = someTime();
    const resolved = rand(3) > 0;
    tickets.push({
      row: i + 2,
      id: id('T', i),
      customerId: cid(),
      type: pick(['产品质量', '服务响应', '物流配送', '账单费用', '其他'] as const),
      urgency: pick(['高', '中', '低'] as const),
      createdAt,
      respondedAt: rand(4) ? createdAt + rand(40 * 3600) : null,
      resolvedAt: resolved ? createdAt + rand(60 * 3600) : null,
      status: resolved ? pick(['已解决', '已关闭'] as const) : pick(['新建', '处理中'] as const),
      satisfaction: resolved && rand(2) ? 1 + rand(5) : null,
      requestType: '投诉',
      department: null,
      handler: null,
    });
  }
  const visits: Visit[] = [];
  for (let i = 0; i < visitCount; i++) {
    const time = someTime();
    const reviewed = rand(5) > 0;
    visits.push({
      row: i + 2,
      id: id('V', i),
      customerId: cid(),
      time,
      productSatisfaction: rand(2) ? 1 + rand(5) : null,
      serviceSatisfaction: rand(2) ? 1 + rand(5) : null,
      reviewer: reviewed ? '审核人' : null,
      reviewDate: reviewed ? Math.floor(time / 86_400) : null,
      outcome: '完成',
      by: '张伟',
      reviewResult: '通过',
    });
  }
  const holidays: Holiday[] = [];
  for (let d = 0; d < 60; d++) holidays.push({ date: today - 100 + d * 7, kind: '休息日' });
  holidays.push({ date: today + 3, kind: '调休工作日' });
  const dataset: Dataset = {
    customers,
    orders,
    followUps,
    tickets,
    visits,
    holidays,
    tierRules: (TIER_RULES.defaultRows ?? []).map(
      ([priority, tier, metric, operator, threshold], i) => ({
        row: i + 2,
        priority,
        tier,
        metric,
        operator,
        threshold,
      }),
    ),
    experienceSurveys: [],
    leadRules: [],
    tierStrategies: [],
    serviceTargets: [],
    settings: defaultSettings(),
  };
  // As validation leaves a workbook: each child row's customer found once, when its
  // 客户编号 was checked.
  recordLookedUpPositions(dataset);
  return dataset;
}
