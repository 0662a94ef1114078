/**
 * Times computeRules on a synthetic workbook of 100,000 customers and about 1,000,000
 * child rows. Run: npx tsx bench/rules.ts
 */
import { daysFromCivil, startOfDay } from '../shared/calendar.ts';
import type {
  Customer,
  Dataset,
  FollowUp,
  Holiday,
  Order,
  Ticket,
  Visit,
} from '../shared/model.ts';
import { computeRules } from '../shared/rules/index.ts';
import { defaultSettings } from '../shared/settings.ts';
import { TIER_RULES } from '../sheets-templates/tabs.ts';

const CUSTOMERS = 100_000;
const ORDERS = 500_000;
const FOLLOW_UPS = 200_000;
const TICKETS = 100_000;
const VISITS = 200_000;

// A fixed-seed generator, so that every run times the same workbook.
let seed = 20_240_612;
const rand = (n: number): number => {
  seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
  return seed % n;
};
const pick = <T>(items: readonly T[]): T => items[rand(items.length)]!;
const id = (prefix: string, i: number): string => `${prefix}2024${String(i + 1).padStart(6, '0')}`;

const today = daysFromCivil(2024, 6, 12);
const now = startOfDay(today) + 10 * 3600;
const someDay = (): number => today - 800 + rand(830);
const someTime = (): number => startOfDay(someDay()) + rand(86_400);

function build(): Dataset {
  const customers: Customer[] = [];
  for (let i = 0; i < CUSTOMERS; i++) {
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
  const cid = (): string => `${customers[rand(CUSTOMERS)]!.id} `.trim();
  const orders: Order[] = [];
  for (let i = 0; i < ORDERS; i++) {
    orders.push({
      row: i + 2,
      id: id('O', i),
      customerId: cid(),
      date: someDay(),
      quantity: 1,
      amount: rand(5_000_000),
      paymentStatus: pick(['按时', '逾期', '未到期'] as const),
    });
  }
  const followUps: FollowUp[] = [];
  for (let i = 0; i < FOLLOW_UPS; i++) {
    followUps.push({
      row: i + 2,
      id: id('G', i),
      customerId: cid(),
      time: someTime(),
      planDate: rand(2) ? null : someDay(),
    });
  }
  const tickets: Ticket[] = [];
  for (let i = 0; i < TICKETS; i++) {
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
    });
  }
  const visits: Visit[] = [];
  for (let i = 0; i < VISITS; i++) {
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
      reviewResult: '通过',
    });
  }
  const holidays: Holiday[] = [];
  for (let d = 0; d < 60; d++) holidays.push({ date: today - 100 + d * 7, kind: '休息日' });
  holidays.push({ date: today + 3, kind: '调休工作日' });
  return {
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
}

const dataset = build();
const rows =
  dataset.orders.length + dataset.followUps.length + dataset.tickets.length + dataset.visits.length;
console.log(`${dataset.customers.length} customers, ${rows} child rows`);
const times: number[] = [];
// With --expose-gc the dataset's own allocation is collected before the clock starts.
const collect = (globalThis as { gc?: () => void }).gc;
for (let run = 0; run < 3; run++) {
  collect?.();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const out = computeRules(dataset, now);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  times.push(ms);
  // CPU time as well as wall time: on a shared machine the wall clock includes waiting.
  console.log(
    `run ${run + 1}: ${ms.toFixed(0)} ms wall, ${((used.user + used.system) / 1000).toFixed(0)} ms CPU (${out.customers.size} customers, ${out.tickets.size} tickets, ${out.callbackPlan.length} callbacks)`,
  );
}
console.log(`best ${Math.min(...times).toFixed(0)} ms`);
