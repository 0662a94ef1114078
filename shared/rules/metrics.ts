/**
 * Per-customer metrics (docs/rules.md#metrics) and the per-customer facts the callback
 * rules and the reports need, gathered in one pass over each child table.
 */
import {
  addMonths,
  civilFromDays,
  dateOf,
  daysFromCivil,
  type EpochDay,
  type WallSeconds,
} from '../calendar.ts';
import { compareIds } from '../ids.ts';
import type { Customer, Dataset, Fen, FollowUp, Settings, Ticket, Visit } from '../model.ts';
import { customerPositions } from './customerPositions.ts';
import { IdIndex } from './idIndex.ts';
import { borrowFloat64, borrowInt32 } from './scratch.ts';
import { count, small } from './smallInts.ts';

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
  /** valid visits dated in (from30d, today] count in the 回访执行 report */
  from30d: EpochDay;
  /**
   * The oldest ticket creation day a ticket report can see: the report months start on
   * the first day of the sixth month back, and a repeat looks 30 days further back.
   */
  ticketsFrom: EpochDay;
}

/** Month index (year × 12 + month − 1) of the oldest of the six report months, and its first day. */
export function firstReportMonth(today: EpochDay): { first: number; firstDay: EpochDay } {
  const { year, month } = civilFromDays(today);
  const first = year * 12 + (month - 1) - 5;
  return { first, firstDay: daysFromCivil(Math.floor(first / 12), (first % 12) + 1, 1) };
}

export function windowsOf(now: WallSeconds): Windows {
  const today = dateOf(now);
  return {
    today,
    from12m: addMonths(today, -12),
    from6m: addMonths(today, -6),
    from3m: addMonths(today, -3),
    from30d: today - 30,
    ticketsFrom: firstReportMonth(today).firstDay - 30,
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
  /**
   * its day and its 下次跟进日期, null without one: kept with the sums, so that the rules
   * need not reach the follow-up row itself for every customer
   */
  latestFollowUpDay: EpochDay | null;
  latestFollowUpPlan: EpochDay | null;
  /** greatest (回访时间, 回访编号) among valid visits dated up to today */
  latestValidVisit: Visit | null;
  /** its day, null without one */
  latestValidVisitDay: EpochDay | null;
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

// Offsets in a customer's block of the accumulator (see gatherFacts).
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
/** the latest follow-up's 下次跟进日期, NaN when it has none */
const FOLLOW_UP_PLAN = 11;
/** satisfaction items summed in halves, so that a visit's two-score mean stays integral */
const SATISFACTION_HALVES = 12;
const SATISFACTION_ITEMS = 13;
const VISITS_30D = 14;
const COMPLAINTS_6M = 15;

/**
 * The facts of a batch of customers, as columns by position in the batch. Tickets the
 * reports can see are chained per customer through `ticketNext` (indexes into
 * dataset.tickets, −1 ending a chain), in dataset order, so that grouping them costs
 * no allocation.
 */
export interface GatheredFacts {
  count: number;
  acc: Float64Array;
  /**
   * Each customer's latest follow-up, latest valid visit and unvisited ticket as row
   * indexes into the tables below (−1: none). Kept in borrowed integer arrays rather than
   * arrays of rows, which were 2.4 MB of garbage a computation at 100,000 customers.
   */
  latestFollowUpRow: Int32Array;
  latestVisitRow: Int32Array;
  unvisitedRow: Int32Array;
  followUps: readonly FollowUp[];
  visits: readonly Visit[];
  tickets: readonly Ticket[];
  ticketHead: Int32Array;
  ticketNext: Int32Array;
  /** with `rowPositions`: each order's customer position, −1 outside (from12m, today] or unknown */
  orderAt: Int32Array | null;
  /**
   * with `rowPositions`: the day of the latest valid visit (up to today) of each ticket's
   * customer, any ticket date; −Infinity when the customer has none or is unknown
   */
  ticketVisitDay: Float64Array | null;
}

/**
 * One pass over each child table for the customers of `index` (客户编号 → position in
 * the batch, `count` positions). Rows of other customers are skipped, so a batch can be
 * every customer or only the few whose rows changed. The accumulator is borrowed
 * (scratch.ts): the facts are valid until the next gatherFacts call. With `rowPositions`
 * each order's customer position and each ticket's customer's latest visit day are kept
 * as well, so that the reports and the tickets need not look the 客户编号 up again.
 * `customers`, when the batch is dataset.customers and their 客户编号 are unique, lets the
 * positions validation recorded (customerPositions.ts) stand in for the lookups.
 */
export function gatherFacts(
  dataset: Dataset,
  index: IdIndex,
  count: number,
  w: Windows,
  settings: Settings,
  rowPositions = false,
  customers: readonly Customer[] | null = null,
): GatheredFacts {
  const { today, from12m, from6m, from3m, from30d, ticketsFrom } = w;
  // One flat block of 16 numbers per customer rather than an object: the million child
  // rows then touch plain memory, the pass stays linear and the garbage collector idle.
  // Orders use the first half and every other table the second, so that a row reaches
  // one or two cache lines of its customer, not one per figure.
  const acc = borrowFloat64('customer facts', count * STRIDE);
  for (let i = 0; i < count; i++) {
    const base = i * STRIDE;
    acc[base + FOLLOW_UP_TIME] = -Infinity;
    acc[base + VISIT_TIME] = -Infinity;
  }
  const latestFollowUpRow = borrowInt32('latest follow-ups', count).fill(-1);
  const latestVisitRow = borrowInt32('latest visits', count).fill(-1);
  const unvisitedRow = borrowInt32('unvisited tickets', count).fill(-1);

  // Dates are checked before the customer lookup, the dearest step of each row.
  const orders = dataset.orders;
  // Each table in two passes, the rows' customers first and then the sums: apart, the
  // sums' reads of customer blocks spread over memory no longer wait behind each lookup,
  // and the processor overlaps them.
  // Kept by the caller with `rowPositions`, else only needed here.
  const orderAt = rowPositions
    ? new Int32Array(orders.length)
    : borrowInt32('order customers', orders.length);
  const orderKnown = customers && customerPositions(orders, customers);
  for (let k = 0; k < orders.length; k++) {
    const d = orders[k]!.date;
    orderAt[k] =
      d > today || d <= from12m
        ? -1
        : orderKnown
          ? orderKnown[k]!
          : index.get(orders[k]!.customerId);
  }
  for (let k = 0; k < orders.length; k++) {
    const i = orderAt[k]!;
    if (i < 0) continue;
    const o = orders[k]!;
    const d = o.date;
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

  // Indexed rather than for…of: each loop runs once per computation, largely before the
  // optimiser takes it over, and until then for…of makes an iterator result per row.
  const followUps = dataset.followUps;
  const followUpAt = borrowInt32('follow-up customers', followUps.length);
  const followUpKnown = customers && customerPositions(followUps, customers);
  for (let k = 0; k < followUps.length; k++) {
    const f = followUps[k]!;
    followUpAt[k] =
      dateOf(f.time) > today ? -1 : followUpKnown ? followUpKnown[k]! : index.get(f.customerId);
  }
  for (let k = 0; k < followUps.length; k++) {
    const i = followUpAt[k]!;
    if (i < 0) continue;
    const f = followUps[k]!;
    const d = dateOf(f.time);
    const b = i * STRIDE;
    if (d > from3m) acc[b + OTHER_INTERACTIONS]! += 1;
    // The latest time sits in the block, so most rows decide without reaching the
    // follow-up that currently holds the title.
    const lt = acc[b + FOLLOW_UP_TIME]!;
    if (
      f.time > lt ||
      (f.time === lt && compareIds(f.id, followUps[latestFollowUpRow[i]!]!.id) > 0)
    ) {
      latestFollowUpRow[i] = k;
      acc[b + FOLLOW_UP_TIME] = f.time;
      acc[b + FOLLOW_UP_PLAN] = f.planDate ?? NaN;
    }
  }

  const visits = dataset.visits;
  const visitAt = borrowInt32('visit customers', visits.length);
  const visitKnown = customers && customerPositions(visits, customers);
  for (let k = 0; k < visits.length; k++) {
    const v = visits[k]!;
    visitAt[k] =
      dateOf(v.time) > today || !isValidVisit(v, settings)
        ? -1
        : visitKnown
          ? visitKnown[k]!
          : index.get(v.customerId);
  }
  for (let k = 0; k < visits.length; k++) {
    const i = visitAt[k]!;
    if (i < 0) continue;
    const v = visits[k]!;
    const d = dateOf(v.time);
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
    if (v.time > lt || (v.time === lt && compareIds(v.id, visits[latestVisitRow[i]!]!.id) > 0)) {
      latestVisitRow[i] = k;
      acc[b + VISIT_TIME] = v.time;
    }
  }

  // Runs after the visits: whether a resolution was answered needs the latest valid visit.
  const tickets = dataset.tickets;
  const ticketHead = new Int32Array(count).fill(-1);
  const ticketTail = new Int32Array(count).fill(-1);
  const ticketNext = new Int32Array(tickets.length).fill(-1);
  const visitDayAt = rowPositions ? new Float64Array(tickets.length) : null;
  const ticketAt = borrowInt32('ticket customers', tickets.length);
  const ticketKnown = customers && customerPositions(tickets, customers);
  for (let k = 0; k < tickets.length; k++) {
    const t = tickets[k]!;
    ticketAt[k] =
      visitDayAt === null && dateOf(t.createdAt) > today
        ? -1
        : ticketKnown
          ? ticketKnown[k]!
          : index.get(t.customerId);
  }
  for (let k = 0; k < tickets.length; k++) {
    const t = tickets[k]!;
    const d = dateOf(t.createdAt);
    if (d > today && visitDayAt === null) continue;
    const i = ticketAt[k]!;
    // The visits are all counted by now, so the customer's latest valid visit is final.
    if (visitDayAt) visitDayAt[k] = i < 0 ? -Infinity : dateOf(acc[i * STRIDE + VISIT_TIME]!);
    if (d > today || i < 0) continue;
    if (d >= ticketsFrom) {
      const tail = ticketTail[i]!;
      if (tail < 0) ticketHead[i] = k;
      else ticketNext[tail] = k;
      ticketTail[i] = k;
    }
    const b = i * STRIDE;
    if (d > from6m) acc[b + COMPLAINTS_6M]! += 1;
    if (!isResolved(t)) continue;
    const r = dateOf(t.resolvedAt!);
    if (t.satisfaction !== null && r > from12m && r <= today) {
      acc[b + SATISFACTION_HALVES]! += 2 * t.satisfaction;
      acc[b + SATISFACTION_ITEMS]! += 1;
    }
    if (dateOf(acc[b + VISIT_TIME]!) >= r) continue;
    const u = unvisitedRow[i]!;
    const ud = acc[b + UNVISITED_DAY]!;
    if (u < 0 || r < ud || (r === ud && compareIds(t.id, tickets[u]!.id) < 0)) {
      unvisitedRow[i] = k;
      acc[b + UNVISITED_DAY] = r;
    }
  }

  return {
    count,
    acc,
    latestFollowUpRow,
    latestVisitRow,
    unvisitedRow,
    followUps,
    visits,
    tickets,
    ticketHead,
    ticketNext,
    orderAt: rowPositions ? orderAt : null,
    ticketVisitDay: visitDayAt,
  };
}

/**
 * Customer i's metrics, written into `into`; its figures are small integers (smallInts.ts)
 * where they can be.
 */
export function metricsInto(g: GatheredFacts, i: number, into: CustomerMetrics): CustomerMetrics {
  const acc = g.acc;
  const b = i * STRIDE;
  const items = acc[b + SATISFACTION_ITEMS]!;
  const paid = acc[b + PAID]!;
  into.amount12m = small(acc[b + AMOUNT]!);
  into.orders12m = count(acc[b + ORDERS_12M]!);
  into.orders6m = count(acc[b + ORDERS_6M]!);
  into.ordersLast3m = count(acc[b + LAST_3M]!);
  into.ordersPrev3m = count(acc[b + PREV_3M]!);
  into.complaints6m = count(acc[b + COMPLAINTS_6M]!);
  into.interactions3m = count(acc[b + LAST_3M]! + acc[b + OTHER_INTERACTIONS]!);
  into.onTimeRate12m =
    paid === 0 ? ZERO_METRICS.onTimeRate12m : ratio(count(acc[b + ON_TIME]!), count(paid));
  // mean × 20 = (halves / 2) / items × 20
  into.satisfaction =
    items === 0 ? null : ratio(small(acc[b + SATISFACTION_HALVES]! * 10), count(items));
  return into;
}

/** Customer i's metrics, a new object. */
export const metricsAt = (g: GatheredFacts, i: number): CustomerMetrics =>
  metricsInto(g, i, {} as CustomerMetrics);

/** Shared ratios: num < RATIO_NUMS, den < RATIO_DENS. */
const RATIO_NUMS = 2048;
const RATIO_DENS = 32;
const ratios = new Array<Ratio | undefined>(RATIO_NUMS * RATIO_DENS);

/**
 * num / den as a frozen object shared by every customer with the same small figures:
 * the results keep two ratios per customer, and nearly all of them repeat a few hundred
 * pairs, so sharing spares the memory and the garbage collector's copying. (Never the
 * object of ZERO_METRICS, which the 360° view tells apart by identity.)
 */
function ratio(num: number, den: number): Ratio {
  if (!(num >= 0 && num < RATIO_NUMS && den < RATIO_DENS && (num | 0) === num)) return { num, den };
  const k = den * RATIO_NUMS + num;
  return (ratios[k] ??= Object.freeze({ num, den }));
}

/** Valid visits of customer i dated in the last 30 days. */
export const validVisits30At = (g: GatheredFacts, i: number): number =>
  count(g.acc[i * STRIDE + VISITS_30D]!);

/** Customer i's facts, written into `into`, with `metrics` as given. */
export function factsAt(
  g: GatheredFacts,
  i: number,
  metrics: CustomerMetrics,
  into: CustomerFacts,
): CustomerFacts {
  const acc = g.acc;
  const b = i * STRIDE;
  const f = g.latestFollowUpRow[i]!;
  const v = g.latestVisitRow[i]!;
  const u = g.unvisitedRow[i]!;
  const followUp = f < 0 ? null : g.followUps[f]!;
  const visit = v < 0 ? null : g.visits[v]!;
  const plan = acc[b + FOLLOW_UP_PLAN]!;
  into.metrics = metrics;
  into.latestFollowUp = followUp;
  into.latestFollowUpDay = followUp === null ? null : small(dateOf(acc[b + FOLLOW_UP_TIME]!));
  into.latestFollowUpPlan = followUp === null || Number.isNaN(plan) ? null : small(plan);
  into.latestValidVisit = visit;
  into.latestValidVisitDay = visit === null ? null : small(dateOf(acc[b + VISIT_TIME]!));
  into.unvisitedTicket = u < 0 ? null : g.tickets[u]!;
  into.unvisitedDate = acc[b + UNVISITED_DAY]!;
  return into;
}

/** Every customer's metrics, in dataset.customers order. */
export function computeMetrics(dataset: Dataset, now: WallSeconds): { metrics: CustomerMetrics[] } {
  const index = new IdIndex(dataset.customers.map((c) => c.id));
  const n = dataset.customers.length;
  const g = gatherFacts(dataset, index, n, windowsOf(now), dataset.settings);
  return { metrics: Array.from({ length: n }, (_, i) => metricsAt(g, i)) };
}
