/**
 * The 报表 tab (docs/rules.md#reports), as plain tables. The
 * layout, one table under another, each with a title row and a header row:
 *
 * 1. 客户分层分布 — one row per tier in matching order (rule tiers by priority, then
 *    默认分层, then any other tier a customer holds), then 合计:
 *    客户分层 | 客户数 | 占比 | 近12月金额合计(元). All customers count.
 * 2. 健康度分布 — rows 健康 / 亚健康 / 风险 / 新客户, then 合计:
 *    健康等级 | 客户数 | 占比 | 平均健康度. Only customers with a score (正式); the
 *    average is of the rounded scores the 健康度 column shows, one decimal, and leaves
 *    新客户 out (their row's average is blank).
 * 3. 月度投诉分析 — one row per calendar month, oldest first, the current month last:
 *    月份 | 工单数 | one count column per 工单类型 | 平均处理时长(小时) | 按时率 |
 *    平均满意度 | 重复投诉率. Keyed on 创建时间.
 * 4. 回访执行 — one row per 负责人 (every owner of a customer, in character order), then
 *    合计: 负责人 | 逾期 | 今日 | 待办 | 近30天有效回访.
 * 5. 服务指标 — rows 近7天 and 近30天 (keyed on 创建时间, today included):
 *    统计周期 | 工单数 | 平均响应时长(小时) | 首次解决率 | 平均满意度 | 投诉复发率.
 *
 * Ratios are fractions 0–1, blank when nothing divides; money is yuan; averages of
 * hours have one decimal and 满意度 (the ticket's own 1–5 scale) two, rounded half up
 * on the exact value. Rows dated after today take no part, as in every metric.
 */
import { TICKET_TYPES, HEALTH_LEVELS } from '../../sheets-templates/values.ts';
import { civilFromDays, type EpochDay } from '../calendar.ts';
import type { ComplaintFact, CustomerOutcome } from './customers.ts';
import { firstReportMonth } from './metrics.ts';
import { NEW_CUSTOMER_LEVEL } from './newCustomers.ts';
import { divRound } from './rational.ts';

export type ReportFormat = 'text' | 'integer' | 'number' | 'money' | 'percent';
export type ReportCell = string | number | null;

export interface ReportTable {
  title: string;
  header: string[];
  rows: ReportCell[][];
  /** one per column */
  formats: ReportFormat[];
  /** a row's own formats where its figures differ in kind from the column's (目标达成) */
  rowFormats?: (ReportFormat[] | null)[];
}

export interface ReportInput {
  today: EpochDay;
  /** every customer's outcome, in any order: every figure is an exact sum */
  outcomes: readonly CustomerOutcome[];
  /** the tier a customer counts under; null when unknown (invalid rules, no previous tier) */
  tierOf: (outcome: CustomerOutcome) => string | null;
  /** the rule tiers in matching order, then 默认分层 */
  tierOrder: readonly string[];
}

const ratio = (num: number, den: number): number | null => (den === 0 ? null : num / den);
const average = (sum: number, count: number, decimals: number): number | null =>
  count === 0 ? null : divRound(sum, count, decimals);
const hours = (seconds: number, count: number): number | null =>
  count === 0 ? null : divRound(seconds, count * 3600, 1);
const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

const NO_TIER = '（未分层）';

/** A few named counters, found by name once per run of equal names rather than per row. */
function tallyByName<T>(fresh: () => T) {
  const map = new Map<string, T>();
  let lastName: string | undefined;
  let last: T | undefined;
  return {
    map,
    of(name: string): T {
      if (name === lastName) return last!;
      let t = map.get(name);
      if (t === undefined) map.set(name, (t = fresh()));
      lastName = name;
      return (last = t);
    },
  };
}

interface TierTally {
  count: number;
  fen: number;
}

interface LevelTally {
  count: number;
  sum: number;
}

interface OwnerTally {
  /** the customers counted, so that an owner left with none is dropped */
  customers: number;
  overdue: number;
  today: number;
  todo: number;
  visits: number;
}

/**
 * Everything the 报表 tables count, gathered in one pass over the outcomes (and each
 * outcome's tickets) rather than one pass per table: at 100,000 customers every pass was
 * mostly waiting for the outcomes to come in from memory. Each tally sees the same rows
 * in the same order as a pass of its own would, so every sum is the same.
 */
export interface ReportTallies {
  today: EpochDay;
  tiers: Map<string, TierTally>;
  total: number;
  totalAmount: number;
  levels: Map<string, LevelTally>;
  scoredTotal: number;
  scoredSum: number;
  scored: number;
  owners: Map<string, OwnerTally>;
  first: number;
  firstDay: EpochDay;
  months: Tally[];
  service7: Tally;
  service30: Tally;
}

/** The 报表 tallies of `input.outcomes`, which retally() brings up to date as outcomes change. */
export function tallyOutcomes(input: ReportInput): ReportTallies {
  const tiers = tallyByName((): TierTally => ({ count: 0, fen: 0 }));
  const levels = tallyByName((): LevelTally => ({ count: 0, sum: 0 }));
  const owners = new Map<string, OwnerTally>();
  const { first, firstDay } = firstReportMonth(input.today);
  const months = Array.from({ length: 6 }, emptyTally);
  const service7 = emptyTally();
  const service30 = emptyTally();
  const from7 = input.today - 7;
  const from30 = input.today - 30;
  let total = 0;
  let totalAmount = 0;
  let scoredTotal = 0;
  let scoredSum = 0;
  let scored = 0;
  const outcomes = input.outcomes;
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i]!;
    const r = o.result;
    const t = tiers.of(input.tierOf(o) ?? NO_TIER);
    const fen = r.amount12m;
    t.count += 1;
    t.fen += fen;
    total += 1;
    totalAmount += fen;

    const score = r.healthScore;
    const level = r.healthLevel;
    if (score !== null && level) {
      const l = levels.of(level);
      l.count += 1;
      scoredTotal += 1;
      // A new customer's score rests on too little history to move an average.
      if (level !== NEW_CUSTOMER_LEVEL) {
        l.sum += score;
        scoredSum += score;
        scored += 1;
      }
    }

    let w = owners.get(o.owner);
    if (!w) owners.set(o.owner, (w = { customers: 0, overdue: 0, today: 0, todo: 0, visits: 0 }));
    w.customers += 1;
    w.visits += o.validVisits30;
    const p = o.callback;
    if (p !== null) {
      if (p.state === '逾期') w.overdue += 1;
      else if (p.state === '今日') w.today += 1;
      else w.todo += 1;
    }

    const complaints = o.complaints;
    for (let k = 0; k < complaints.length; k++) {
      const f = complaints[k]!;
      // 投诉 only: a 咨询 or 技术支持 request is service work, not a complaint.
      if (f.date >= firstDay && f.ticket.requestType === '投诉') {
        const c = civilFromDays(f.date);
        const tally = months[c.year * 12 + (c.month - 1) - first]!;
        count(tally, f);
        if (f.repeat !== f.repeatComplaint) tally.repeats += f.repeatComplaint ? 1 : -1;
      }
      if (f.date > from7) count(service7, f);
      if (f.date > from30) count(service30, f);
    }
  }
  return {
    today: input.today,
    tiers: tiers.map,
    total,
    totalAmount,
    levels: levels.map,
    scoredTotal,
    scoredSum,
    scored,
    owners,
    first,
    firstDay,
    months,
    service7,
    service30,
  };
}

/**
 * Takes one outcome out of the tallies (`sign` −1) or puts one in (+1), counting under
 * `tier` (tierOf), exactly as tallyOutcomes counts it: every figure is a count or a sum of
 * whole numbers (fen, seconds, scores), so taking out what was put in leaves the sums of
 * the others, and a tier or owner left with no customer is dropped as if never met.
 */
export function retally(
  all: ReportTallies,
  o: CustomerOutcome,
  tier: string | null,
  sign: 1 | -1,
): void {
  const r = o.result;
  const name = tier ?? NO_TIER;
  let t = all.tiers.get(name);
  if (!t) all.tiers.set(name, (t = { count: 0, fen: 0 }));
  t.count += sign;
  t.fen += sign * r.amount12m;
  if (t.count === 0) all.tiers.delete(name);
  all.total += sign;
  all.totalAmount += sign * r.amount12m;

  const score = r.healthScore;
  const level = r.healthLevel;
  if (score !== null && level) {
    let l = all.levels.get(level);
    if (!l) all.levels.set(level, (l = { count: 0, sum: 0 }));
    l.count += sign;
    all.scoredTotal += sign;
    if (level !== NEW_CUSTOMER_LEVEL) {
      l.sum += sign * score;
      all.scoredSum += sign * score;
      all.scored += sign;
    }
    if (l.count === 0) all.levels.delete(level);
  }

  let w = all.owners.get(o.owner);
  if (!w) all.owners.set(o.owner, (w = { customers: 0, overdue: 0, today: 0, todo: 0, visits: 0 }));
  w.customers += sign;
  w.visits += sign * o.validVisits30;
  const p = o.callback;
  if (p !== null) {
    if (p.state === '逾期') w.overdue += sign;
    else if (p.state === '今日') w.today += sign;
    else w.todo += sign;
  }
  if (w.customers === 0) all.owners.delete(o.owner);

  const from7 = all.today - 7;
  const from30 = all.today - 30;
  for (const f of o.complaints) {
    if (f.date >= all.firstDay && f.ticket.requestType === '投诉') {
      const c = civilFromDays(f.date);
      const tally = all.months[c.year * 12 + (c.month - 1) - all.first]!;
      count(tally, f, sign);
      if (f.repeat !== f.repeatComplaint) tally.repeats += sign * (f.repeatComplaint ? 1 : -1);
    }
    if (f.date > from7) count(all.service7, f, sign);
    if (f.date > from30) count(all.service30, f, sign);
  }
}

function tierTable(input: ReportInput, all: ReportTallies): ReportTable {
  const { tiers, total, totalAmount } = all;
  const known = new Set(input.tierOrder);
  const names = [
    ...input.tierOrder,
    ...[...tiers.keys()].filter((t) => !known.has(t)).sort(byText),
  ];
  const rows: ReportCell[][] = names.map((t) => [
    t,
    tiers.get(t)?.count ?? 0,
    ratio(tiers.get(t)?.count ?? 0, total),
    (tiers.get(t)?.fen ?? 0) / 100,
  ]);
  rows.push(['合计', total, ratio(total, total), totalAmount / 100]);
  return {
    title: '客户分层分布',
    header: ['客户分层', '客户数', '占比', '近12月金额合计(元)'],
    rows,
    formats: ['text', 'integer', 'percent', 'money'],
  };
}

function healthTable(all: ReportTallies): ReportTable {
  const { levels } = all;
  const total = all.scoredTotal;
  const totalSum = all.scoredSum;
  const scored = all.scored;
  const rows: ReportCell[][] = HEALTH_LEVELS.map((level) => {
    const t = levels.get(level);
    return [
      level,
      t?.count ?? 0,
      ratio(t?.count ?? 0, total),
      level === NEW_CUSTOMER_LEVEL ? null : average(t?.sum ?? 0, t?.count ?? 0, 1),
    ];
  });
  rows.push(['合计', total, ratio(total, total), average(totalSum, scored, 1)]);
  return {
    title: '健康度分布',
    header: ['健康等级', '客户数', '占比', '平均健康度'],
    rows,
    formats: ['text', 'integer', 'percent', 'number'],
  };
}

interface Tally {
  tickets: number;
  byType: Map<string, number>;
  resolved: number;
  onTime: number;
  resolutionSeconds: number;
  responded: number;
  responseSeconds: number;
  rated: number;
  satisfactionSum: number;
  repeats: number;
  firstTimeFixes: number;
}

const emptyTally = (): Tally => ({
  tickets: 0,
  byType: new Map(),
  resolved: 0,
  onTime: 0,
  resolutionSeconds: 0,
  responded: 0,
  responseSeconds: 0,
  rated: 0,
  satisfactionSum: 0,
  repeats: 0,
  firstTimeFixes: 0,
});

/** Counts one ticket in (`sign` 1) or out (−1); a type counted out to none reads as none. */
function count(tally: Tally, f: ComplaintFact, sign: 1 | -1 = 1): void {
  const t = f.ticket;
  tally.tickets += sign;
  tally.byType.set(t.type, (tally.byType.get(t.type) ?? 0) + sign);
  if (f.repeat) tally.repeats += sign;
  if (t.respondedAt !== null) {
    tally.responded += sign;
    tally.responseSeconds += sign * (t.respondedAt - t.createdAt);
  }
  if (!f.resolved) return;
  tally.resolved += sign;
  tally.resolutionSeconds += sign * (t.resolvedAt! - t.createdAt);
  if (f.onTime) tally.onTime += sign;
  if (f.firstTimeFix) tally.firstTimeFixes += sign;
  if (t.satisfaction !== null) {
    tally.rated += sign;
    tally.satisfactionSum += sign * t.satisfaction;
  }
}

function monthlyTable(all: ReportTallies): ReportTable {
  const { first, months: tallies } = all;
  const rows: ReportCell[][] = tallies.map((t, k) => {
    const index = first + k;
    const label = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
    return [
      label,
      t.tickets,
      ...TICKET_TYPES.map((type) => t.byType.get(type) ?? 0),
      hours(t.resolutionSeconds, t.resolved),
      ratio(t.onTime, t.resolved),
      average(t.satisfactionSum, t.rated, 2),
      ratio(t.repeats, t.tickets),
    ];
  });
  return {
    title: '月度投诉分析',
    header: [
      '月份',
      '工单数',
      ...TICKET_TYPES,
      '平均处理时长(小时)',
      '按时率',
      '平均满意度',
      '重复投诉率',
    ],
    rows,
    formats: [
      'text',
      'integer',
      ...TICKET_TYPES.map((): ReportFormat => 'integer'),
      'number',
      'percent',
      'number',
      'percent',
    ],
  };
}

function callbackTable(all: ReportTallies): ReportTable {
  const owners = all.owners;
  const total = { overdue: 0, today: 0, todo: 0, visits: 0 };
  const rows: ReportCell[][] = [...owners.keys()].sort(byText).map((name) => {
    const o = owners.get(name)!;
    total.overdue += o.overdue;
    total.today += o.today;
    total.todo += o.todo;
    total.visits += o.visits;
    return [name, o.overdue, o.today, o.todo, o.visits];
  });
  rows.push(['合计', total.overdue, total.today, total.todo, total.visits]);
  return {
    title: '回访执行',
    header: ['负责人', '逾期', '今日', '待办', '近30天有效回访'],
    rows,
    formats: ['text', 'integer', 'integer', 'integer', 'integer'],
  };
}

export type ServiceTally = Readonly<Tally>;

/** The figures of one 服务指标 row, as written; 按时率 as 月度投诉分析 defines it. */
export function serviceFigures(t: ServiceTally) {
  return {
    tickets: t.tickets,
    responseHours: hours(t.responseSeconds, t.responded),
    firstFixRate: ratio(t.firstTimeFixes, t.resolved),
    satisfaction: average(t.satisfactionSum, t.rated, 2),
    repeatRate: ratio(t.repeats, t.tickets),
    onTimeRate: ratio(t.onTime, t.resolved),
  };
}

/** 服务指标 counts the tickets created in the last 7 and 30 days, today included, every 请求类型. */
function serviceTable(all: ReportTallies): ReportTable {
  const periods: Array<[string, Tally]> = [
    ['近7天', all.service7],
    ['近30天', all.service30],
  ];
  const rows = periods.map(([label, t]): ReportCell[] => {
    const f = serviceFigures(t);
    return [label, f.tickets, f.responseHours, f.firstFixRate, f.satisfaction, f.repeatRate];
  });
  return {
    title: '服务指标',
    header: ['统计周期', '工单数', '平均响应时长(小时)', '首次解决率', '平均满意度', '投诉复发率'],
    rows,
    formats: ['text', 'integer', 'number', 'percent', 'number', 'percent'],
  };
}

/**
 * The 报表 tables, and the 服务指标 tally of the last 30 days (销售分析's 目标达成 measures
 * it); from `tallies` when the caller keeps those of `input.outcomes`.
 */
export function buildReports(
  input: ReportInput,
  tallies?: ReportTallies,
): {
  reports: ReportTable[];
  service30: ServiceTally;
} {
  const all = tallies ?? tallyOutcomes(input);
  return {
    reports: [
      tierTable(input, all),
      healthTable(all),
      monthlyTable(all),
      callbackTable(all),
      serviceTable(all),
    ],
    service30: all.service30,
  };
}
