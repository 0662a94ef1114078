/**
 * Per-customer metrics (docs/rules.md#metrics) and the per-customer facts the callback
 * rules need, gathered in one pass over each child table.
 */
import { addMonths, dateOf, type EpochDay, type WallSeconds } from '../calendar.ts';
import { compareIds } from '../ids.ts';
import type { Customer, Dataset, Fen, FollowUp, Settings, Ticket, Visit } from '../model.ts';

/** An exact fraction of two safe integers. */
export interface Ratio {
  num: number;
  den: number;
}

/** Window bounds: "last N months" is (fromNm, today]; previous 3 months is (from6m, from3m]. */
export interface Windows {
  today: EpochDay;
  from12m: EpochDay;
  from6m: EpochDay;
  from3m: EpochDay;
}

export function windowsOf(now: WallSeconds): Windows {
  const today = dateOf(now);
  return {
    today,
    from12m: addMonths(today, -12),
    from6m: addMonths(today, -6),
    from3m: addMonths(today, -3),
  };
}

export interface CustomerMetrics {
  amount12m: Fen;
  orders12m: number;
  orders6m: number;
  ordersLast3m: number;
  ordersPrev3m: number;
  complaints6m: number;
  interactions3m: number;
  /** 按时 ÷ (按时 + 逾期) over the last 12 months; 1/1 when there are none */
  onTimeRate12m: Ratio;
  /** mean of the items × 20, on 0–100; null when there is nothing to average */
  satisfaction: Ratio | null;
}

/** What the callback rules need of one customer besides the customer row itself. */
export interface CustomerFacts {
  metrics: CustomerMetrics;
  /** greatest (跟进时间, 跟进编号) among follow-ups dated up to today */
  latestFollowUp: FollowUp | null;
  /** greatest (回访时间, 回访编号) among valid visits dated up to today */
  latestValidVisit: Visit | null;
  /**
   * The resolved ticket with the earliest resolution day that no valid visit on or after
   * that day has answered yet (投诉回访), ties by 工单编号; and that day.
   */
  unvisitedTicket: Ticket | null;
  unvisitedDate: EpochDay;
}

/** A customer with nothing recorded. */
export const ZERO_METRICS: CustomerMetrics = Object.freeze({
  amount12m: 0,
  orders12m: 0,
  orders6m: 0,
  ordersLast3m: 0,
  ordersPrev3m: 0,
  complaints6m: 0,
  interactions3m: 0,
  onTimeRate12m: Object.freeze({ num: 1, den: 1 }),
  satisfaction: null,
});

/** Only a 完成 visit not sent back counts, whatever 回访需审核 says (docs/rules.md#tickets-more). */
export function isValidVisit(visit: Visit, settings: Settings): boolean {
  if (visit.outcome !== '完成' || visit.reviewResult === '退回') return false;
  return !settings.visitsNeedReview || (!!visit.reviewer && visit.reviewDate !== null);
}

export function isResolved(ticket: Ticket): boolean {
  return ticket.resolvedAt !== null && (ticket.status === '已解决' || ticket.status === '已关闭');
}

/** Per customer, in dataset.customers order, as columns. */
export interface MetricsResult {
  /** customer ID → position in dataset.customers */
  index: ReadonlyMap<string, number>;
  metrics: CustomerMetrics[];
  latestFollowUp: (FollowUp | null)[];
  latestValidVisit: (Visit | null)[];
  /** valid visits dated in (today − 30, today], for the 回访执行 report */
  validVisits30: Int32Array;
  unvisitedTicket: (Ticket | null)[];
  unvisitedDate: Float64Array;
}

/** Customer i's facts, written into `into` when given (one object reused for all). */
export function factsOf(r: MetricsResult, i: number, into?: CustomerFacts): CustomerFacts {
  const f = into ?? ({} as CustomerFacts);
  f.metrics = r.metrics[i]!;
  f.latestFollowUp = r.latestFollowUp[i]!;
  f.latestValidVisit = r.latestValidVisit[i]!;
  f.unvisitedTicket = r.unvisitedTicket[i]!;
  f.unvisitedDate = r.unvisitedDate[i]!;
  return f;
}

// Offsets in a customer's block of the accumulator (see computeMetrics).
const STRIDE = 16;
const AMOUNT = 0;
const ORDERS_12M = 1;
const PAID = 2;
const ON_TIME = 3;
const ORDERS_6M = 4;
const LAST_3M = 5;
const PREV_3M = 6;
const UNVISITED_DAY = 7;
const FOLLOW_UP_TIME = 8;
/** follow-ups and valid visits in the last 3 months; orders are LAST_3M */
const OTHER_INTERACTIONS = 9;
const VISIT_TIME = 10;
const VISIT_DAY = 11;
/** satisfaction items summed in halves, so that a visit's two-score mean stays integral */
const SATISFACTION_HALVES = 12;
const SATISFACTION_ITEMS = 13;
const VISITS_30D = 14;
const COMPLAINTS_6M = 15;

export function computeMetrics(dataset: Dataset, now: WallSeconds): MetricsResult {
  const { today, from12m, from6m, from3m } = windowsOf(now);
  const from30d = today - 30;
  const settings = dataset.settings;
  const n = dataset.customers.length;
  const index = new Map<string, number>();
  dataset.customers.forEach((c: Customer, i) => index.set(c.id, i));
  // One flat block of 16 numbers per customer rather than an object: the million child
  // rows then touch plain memory, the pass stays linear and the garbage collector idle.
  // Orders use the first half and every other table the second, so that a row reaches
  // one or two cache lines of its customer, not one per figure.
  const acc = new Float64Array(n * STRIDE);
  for (let i = 0; i < n; i++) {
    const base = i * STRIDE;
    acc[base + FOLLOW_UP_TIME] = -Infinity;
    acc[base + VISIT_TIME] = -Infinity;
    acc[base + VISIT_DAY] = -Infinity;
  }
  const latestFollowUp = new Array<FollowUp | null>(n).fill(null);
  const latestVisit = new Array<Visit | null>(n).fill(null);
  const unvisited = new Array<Ticket | null>(n).fill(null);

  // Dates are checked before the customer lookup, the dearest step of each row.
  for (const o of dataset.orders) {
    const d = o.date;
    if (d > today || d <= from12m) continue;
    const i = index.get(o.customerId);
    if (i === undefined) continue;
    const b = i * STRIDE;
    acc[b + AMOUNT]! += o.amount;
    acc[b + ORDERS_12M]! += 1;
    if (o.paymentStatus === '按时') {
      acc[b + ON_TIME]! += 1;
      acc[b + PAID]! += 1;
    } else if (o.paymentStatus === '逾期') acc[b + PAID]! += 1;
    if (d <= from6m) continue;
    acc[b + ORDERS_6M]! += 1;
    acc[b + (d > from3m ? LAST_3M : PREV_3M)]! += 1;
  }

  for (const f of dataset.followUps) {
    const d = dateOf(f.time);
    if (d > today) continue;
    const i = index.get(f.customerId);
    if (i === undefined) continue;
    const b = i * STRIDE;
    if (d > from3m) acc[b + OTHER_INTERACTIONS]! += 1;
    // The latest time sits in the block, so most rows decide without reaching the
    // follow-up that currently holds the title.
    const lt = acc[b + FOLLOW_UP_TIME]!;
    if (f.time > lt || (f.time === lt && compareIds(f.id, latestFollowUp[i]!.id) > 0)) {
      latestFollowUp[i] = f;
      acc[b + FOLLOW_UP_TIME] = f.time;
    }
  }

  for (const v of dataset.visits) {
    const d = dateOf(v.time);
    if (d > today || !isValidVisit(v, settings)) continue;
    const i = index.get(v.customerId);
    if (i === undefined) continue;
    const b = i * STRIDE;
    if (d > from3m) acc[b + OTHER_INTERACTIONS]! += 1;
    if (d > from30d) acc[b + VISITS_30D]! += 1;
    if (d > from12m) {
      const p = v.productSatisfaction;
      const s = v.serviceSatisfaction;
      if (p !== null || s !== null) {
        acc[b + SATISFACTION_HALVES]! += p !== null && s !== null ? p + s : 2 * (p ?? s ?? 0);
        acc[b + SATISFACTION_ITEMS]! += 1;
      }
    }
    const lt = acc[b + VISIT_TIME]!;
    if (v.time > lt || (v.time === lt && compareIds(v.id, latestVisit[i]!.id) > 0)) {
      latestVisit[i] = v;
      acc[b + VISIT_TIME] = v.time;
      acc[b + VISIT_DAY] = d;
    }
  }

  // Runs after the visits: whether a resolution was answered needs the latest valid visit.
  for (const t of dataset.tickets) {
    const d = dateOf(t.createdAt);
    if (d > today) continue;
    const i = index.get(t.customerId);
    if (i === undefined) continue;
    const b = i * STRIDE;
    if (d > from6m) acc[b + COMPLAINTS_6M]! += 1;
    if (!isResolved(t)) continue;
    const r = dateOf(t.resolvedAt!);
    if (t.satisfaction !== null && r > from12m && r <= today) {
      acc[b + SATISFACTION_HALVES]! += 2 * t.satisfaction;
      acc[b + SATISFACTION_ITEMS]! += 1;
    }
    if (acc[b + VISIT_DAY]! >= r) continue;
    const u = unvisited[i]!;
    const ud = acc[b + UNVISITED_DAY]!;
    if (u === null || r < ud || (r === ud && compareIds(t.id, u.id) < 0)) {
      unvisited[i] = t;
      acc[b + UNVISITED_DAY] = r;
    }
  }

  const metrics = new Array<CustomerMetrics>(n);
  const validVisits30 = new Int32Array(n);
  const unvisitedDate = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const b = i * STRIDE;
    const items = acc[b + SATISFACTION_ITEMS]!;
    const paid = acc[b + PAID]!;
    metrics[i] = {
      amount12m: acc[b + AMOUNT]!,
      orders12m: acc[b + ORDERS_12M]!,
      orders6m: acc[b + ORDERS_6M]!,
      ordersLast3m: acc[b + LAST_3M]!,
      ordersPrev3m: acc[b + PREV_3M]!,
      complaints6m: acc[b + COMPLAINTS_6M]!,
      interactions3m: acc[b + LAST_3M]! + acc[b + OTHER_INTERACTIONS]!,
      onTimeRate12m:
        paid === 0 ? ZERO_METRICS.onTimeRate12m : { num: acc[b + ON_TIME]!, den: paid },
      // mean × 20 = (halves / 2) / items × 20
      satisfaction: items === 0 ? null : { num: acc[b + SATISFACTION_HALVES]! * 10, den: items },
    };
    validVisits30[i] = acc[b + VISITS_30D]!;
    unvisitedDate[i] = acc[b + UNVISITED_DAY]!;
  }
  return {
    index,
    metrics,
    latestFollowUp,
    latestValidVisit: latestVisit,
    validVisits30,
    unvisitedTicket: unvisited,
    unvisitedDate,
  };
}
