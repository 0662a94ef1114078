/**
 * Seeded synthetic workbooks of moderate size for the engine's equivalence checks:
 * about ten child rows per customer, with the awkward cases people produce — IDs of
 * several widths and prefixes, rows of customers that do not exist, rows dated after
 * today, equal timestamps, blank scores, unreviewed visits, holidays near today.
 */
import {
  daysFromCivil,
  startOfDay,
  type EpochDay,
  type WallSeconds,
} from '../../shared/calendar.ts';
import type {
  Customer,
  Dataset,
  FollowUp,
  Holiday,
  Order,
  RawTierRule,
  Settings,
  Ticket,
  Visit,
} from '../../shared/model.ts';
import { defaultSettings } from '../../shared/settings.ts';
import { defaultTierRules, tierRules } from './build.ts';

export interface Scenario {
  name: string;
  dataset: Dataset;
  now: WallSeconds;
}

/** A small deterministic generator (LCG), so that a failing seed can be replayed. */
export function seeded(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n: number): number => {
    s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
    return Math.floor((s / 2 ** 32) * n);
  };
}

export const RULE_SETS: Readonly<Record<string, readonly RawTierRule[]>> = {
  default: defaultTierRules(),
  none: [],
  mixed: tierRules([
    [2, '华东大客户', '区域', '=', '华东'],
    [1, '满意', '满意度', '>=', 80],
    [2, '华东大客户', '近12月金额', '>', '5万'],
    [3, '健康', '健康度', '≥', 70],
    [4, '活跃', '近3月互动次数', '属于', '3、4、5'],
    [5, '制造', '所属行业', '包含', '制造'],
    [6, '少投诉', '近6月投诉次数', '<', 1],
    [6, '少投诉', '客户等级', '!=', '普通客户'],
  ]),
  invalid: tierRules([
    [1, '坏', '近12月金額', '>=', 1],
    [2, '好', '近12月金额', '>=', '1万'],
  ]),
};

export interface GenerateOptions {
  customers: number;
  today: EpochDay;
  rules?: keyof typeof RULE_SETS;
  settings?: Partial<Settings>;
}

export function generatedDataset(seed: number, o: GenerateOptions): Dataset {
  const rand = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[rand(items.length)]!;
  const maybe = <T>(value: T, inOf = 2): T | null => (rand(inOf) === 0 ? null : value);
  const today = o.today;
  const someDay = (): EpochDay => today - 420 + rand(450);
  const someTime = (): WallSeconds =>
    startOfDay(someDay()) + (rand(4) === 0 ? 9 * 3600 : rand(86_400));
  const n = o.customers;
  // Serial widths vary so that natural ID order differs from text order (E20249999 < E202410000).
  const customerId = (i: number, kind: string): string => {
    const prefix = kind === '企业' ? 'E' : rand(7) === 0 ? 'VIP' : 'P';
    const year = rand(5) === 0 ? 2023 : 2024;
    return `${prefix}${year}${String(i + 1).padStart(rand(3) === 0 ? 6 : 4, '0')}`;
  };
  const customers: Customer[] = [];
  for (let i = 0; i < n; i++) {
    const kind = pick(['企业', '企业', '个人'] as const);
    const status = pick(['潜在', '正式', '正式', '流失'] as const);
    const signed = status === '潜在' && rand(4) > 0 ? null : maybe(someDay(), 6);
    customers.push({
      row: i + 2,
      id: customerId(i, kind),
      kind,
      name: `客户${i}`,
      creditCode: null,
      contact: null,
      phone: maybe(pick(['13812345678', '057188886666', '4008001234'])),
      email: null,
      industry: pick(['制造业', '零售', '金融', '智能制造']),
      source: pick(['转介绍', '展会推广']),
      level: pick(['普通客户', 'VIP客户', '战略客户'] as const),
      status,
      intent: maybe(pick(['A', 'B', 'C'] as const)),
      region: maybe(pick(['华东', '华南'])),
      owner: `负责人${rand(Math.max(2, Math.ceil(n / 40)))}`,
      createdDate: someDay(),
      signedDate: signed,
      contractAmount: null,
      contractEnd: maybe(today - 20 + rand(200), 3),
      birthday: maybe(daysFromCivil(1960 + rand(45), 1 + rand(12), 1 + rand(28)), 3),
    });
  }
  // A leap-day birthday, whose anniversary moves in common years.
  if (n > 0) customers[0] = { ...customers[0]!, birthday: daysFromCivil(1988, 2, 29) };
  const cid = (): string => (rand(50) === 0 ? 'E20249999999' : customers[rand(n)]!.id);
  const orders: Order[] = [];
  for (let i = 0; i < n * 5; i++) {
    orders.push({
      row: i + 2,
      id: `O2024${String(i + 1).padStart(6, '0')}`,
      customerId: cid(),
      date: someDay(),
      product: null,
      quantity: 1,
      amount: rand(3) === 0 ? rand(100) : rand(20_000_000),
      paymentStatus: pick(['按时', '逾期', '未到期'] as const),
    });
  }
  const followUps: FollowUp[] = [];
  for (let i = 0; i < n * 2; i++) {
    followUps.push({
      row: i + 2,
      id: `G2024${String(i + 1).padStart(rand(2) ? 4 : 5, '0')}`,
      customerId: cid(),
      time: someTime(),
      planDate: maybe(someDay()),
    });
  }
  const tickets: Ticket[] = [];
  for (let i = 0; i < n; i++) {
    const createdAt = someTime();
    const resolved = rand(3) > 0;
    tickets.push({
      row: i + 2,
      id: `T2024${String(i + 1).padStart(rand(2) ? 4 : 5, '0')}`,
      customerId: cid(),
      type: pick(['产品质量', '服务响应', '物流配送', '账单费用', '其他'] as const),
      urgency: pick(['高', '中', '低'] as const),
      createdAt,
      respondedAt: maybe(createdAt + rand(40 * 3600), 4),
      resolvedAt: resolved ? createdAt + rand(10 * 86_400) : maybe(createdAt + rand(9000), 8),
      status: resolved
        ? pick(['已解决', '已关闭', '处理中'] as const)
        : pick(['新建', '处理中'] as const),
      satisfaction: maybe(1 + rand(5)),
      requestType: '投诉',
      department: null,
      handler: null,
    });
  }
  const visits: Visit[] = [];
  for (let i = 0; i < n * 2; i++) {
    const time = someTime();
    const reviewed = rand(5) > 0;
    visits.push({
      row: i + 2,
      id: `V2024${String(i + 1).padStart(rand(2) ? 4 : 5, '0')}`,
      customerId: cid(),
      time,
      productSatisfaction: maybe(1 + rand(5)),
      serviceSatisfaction: maybe(1 + rand(5)),
      reviewer: reviewed ? '审核人' : null,
      reviewDate: reviewed || rand(3) === 0 ? Math.floor(time / 86_400) : null,
      outcome: '完成',
      by: '张伟',
      reviewResult: '通过',
    });
  }
  const holidays: Holiday[] = [];
  for (let k = 0; k < 30; k++)
    holidays.push({ date: today - 60 + rand(240), kind: rand(4) === 0 ? '调休工作日' : '休息日' });
  return {
    customers,
    orders,
    followUps,
    tickets,
    visits,
    holidays,
    tierRules: RULE_SETS[o.rules ?? 'default']!,
    experienceSurveys: [],
    leadRules: [],
    tierStrategies: [],
    serviceTargets: [],
    settings: { ...defaultSettings(), ...o.settings },
  };
}

/** Settings that take the engine off its usual paths: decimals, zero weights, no review. */
export const ODD_SETTINGS: Partial<Settings> = {
  visitsNeedReview: false,
  weightActivity: 0.35,
  weightRepurchase: 12.5,
  weightStability: 0,
  weightComplaints: 7.25,
  activityFullInteractions: 2.5,
  repurchaseFullOrders: 7,
  pointsPerComplaint: 33.3,
  healthyThreshold: 79.5,
  subHealthyThreshold: 40.01,
  purchaseDropPercent: 12.5,
  satisfactionAlertLine: 61.7,
  responseLimitHours: { 高: 0.5, 中: 2.25, 低: 30 },
  resolutionLimitHours: { 高: 4, 中: 24.5, 低: 96 },
  birthdayNoticeDays: 30,
  analysisTopCustomers: 20,
  analysisTopProducts: 8,
};

/** The scenarios every engine change must reproduce exactly. */
export function scenarios(customers: number): Scenario[] {
  const at = (
    y: number,
    m: number,
    d: number,
    hour = 10,
  ): { today: EpochDay; now: WallSeconds } => {
    const today = daysFromCivil(y, m, d);
    return { today, now: startOfDay(today) + hour * 3600 };
  };
  const cases: Array<[string, ReturnType<typeof at>, keyof typeof RULE_SETS, Partial<Settings>]> = [
    ['default rules, mid-year', at(2024, 6, 12), 'default', {}],
    ['mixed rules, odd settings, leap day', at(2024, 2, 29, 23), 'mixed', ODD_SETTINGS],
    ['no rules, month end', at(2025, 3, 31, 0), 'none', { defaultTier: '一般' }],
    ['invalid rules, new year', at(2025, 1, 1, 8), 'invalid', {}],
  ];
  return cases.map(([name, when, rules, settings], k) => ({
    name,
    now: when.now,
    dataset: generatedDataset(1000 + k, { customers, today: when.today, rules, settings }),
  }));
}
