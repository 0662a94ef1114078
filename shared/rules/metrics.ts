/**
 * Per-customer metrics (rules.md § Metrics) and the per-customer facts the callback
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

export interface CustomerFacts {
  metrics: CustomerMetrics;
  /** greatest (跟进时间, 跟进编号) among follow-ups dated up to today */
  latestFollowUp: FollowUp | null;
  /** greatest (回访时间, 回访编号) among valid visits dated up to today */
  latestValidVisit: Visit | null;
  /** valid visits dated in (today − 30, today], for the 回访执行 report */
  validVisits30: number;
  /**
   * The resolved ticket with the earliest resolution day that no valid visit on or after
   * that day has answered yet (投诉回访); ties by 工单编号.
   */
  unvisitedResolution: { ticket: Ticket; date: EpochDay } | null;
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

export function isValidVisit(visit: Visit, settings: Settings): boolean {
  return !settings.visitsNeedReview || (!!visit.reviewer && visit.reviewDate !== null);
}

export function isResolved(ticket: Ticket): boolean {
  return ticket.resolvedAt !== null && (ticket.status === '已解决' || ticket.status === '已关闭');
}

export interface MetricsResult {
  /** customer ID → position in dataset.customers */
  index: ReadonlyMap<string, number>;
  /** one entry per dataset.customers, same order */
  facts: CustomerFacts[];
}

export function computeMetrics(dataset: Dataset, now: WallSeconds): MetricsResult {
  const { today, from12m, from6m, from3m } = windowsOf(now);
  const from30d = today - 30;
  const settings = dataset.settings;
  const n = dataset.customers.length;
  const index = new Map<string, number>();
  dataset.customers.forEach((c: Customer, i) => index.set(c.id, i));
  // Columns rather than one object per customer: a million child rows then touch only
  // flat arrays, which keeps the pass linear and the garbage collector idle.
  const amount12m = new Float64Array(n);
  const orders12m = new Int32Array(n);
  const orders6m = new Int32Array(n);
  const last3m = new Int32Array(n);
  const prev3m = new Int32Array(n);
  const complaints6m = new Int32Array(n);
  const interactions3m = new Int32Array(n);
  const paid = new Int32Array(n);
  const onTime = new Int32Array(n);
  // satisfaction items summed in halves, so that a visit's two-score mean stays integral
  const satisfactionHalves = new Int32Array(n);
  const satisfactionItems = new Int32Array(n);
  const visits30 = new Int32Array(n);
  const latestFollowUp = new Array<FollowUp | null>(n).fill(null);
  // The latest times are kept apart too, so most rows are compared without reaching
  // back to the row that currently holds the title.
  const latestFollowUpTime = new Float64Array(n).fill(-Infinity);
  const latestVisit = new Array<Visit | null>(n).fill(null);
  const latestVisitTime = new Float64Array(n).fill(-Infinity);
  const latestVisitDay = new Float64Array(n).fill(-Infinity);
  const unvisited = new Array<Ticket | null>(n).fill(null);
  const unvisitedDay = new Float64Array(n);

  // Dates are checked before the customer lookup, the dearest step of each row.
  for (const o of dataset.orders) {
    const d = o.date;
    if (d > today || d <= from12m) continue;
    const i = index.get(o.customerId);
    if (i === undefined) continue;
    amount12m[i]! += o.amount;
    orders12m[i]! += 1;
    if (o.paymentStatus === '按时') {
      onTime[i]! += 1;
      paid[i]! += 1;
    } else if (o.paymentStatus === '逾期') paid[i]! += 1;
    if (d <= from6m) continue;
    orders6m[i]! += 1;
    if (d > from3m) {
      last3m[i]! += 1;
      interactions3m[i]! += 1;
    } else prev3m[i]! += 1;
  }

  for (const f of dataset.followUps) {
    const d = dateOf(f.time);
    if (d > today) continue;
    const i = index.get(f.customerId);
    if (i === undefined) continue;
    if (d > from3m) interactions3m[i]! += 1;
    const lt = latestFollowUpTime[i]!;
    if (f.time > lt || (f.time === lt && compareIds(f.id, latestFollowUp[i]!.id) > 0)) {
      latestFollowUp[i] = f;
      latestFollowUpTime[i] = f.time;
    }
  }

  for (const v of dataset.visits) {
    const d = dateOf(v.time);
    if (d > today || !isValidVisit(v, settings)) continue;
    const i = index.get(v.customerId);
    if (i === undefined) continue;
    if (d > from3m) interactions3m[i]! += 1;
    if (d > from30d) visits30[i]! += 1;
    if (d > from12m) {
      const p = v.productSatisfaction;
      const s = v.serviceSatisfaction;
      if (p !== null || s !== null) {
        satisfactionHalves[i]! += p !== null && s !== null ? p + s : 2 * (p ?? s ?? 0);
        satisfactionItems[i]! += 1;
      }
    }
    const lt = latestVisitTime[i]!;
    if (v.time > lt || (v.time === lt && compareIds(v.id, latestVisit[i]!.id) > 0)) {
      latestVisit[i] = v;
      latestVisitTime[i] = v.time;
      latestVisitDay[i] = d;
    }
  }

  // Runs after the visits: whether a resolution was answered needs the latest valid visit.
  for (const t of dataset.tickets) {
    const d = dateOf(t.createdAt);
    if (d > today) continue;
    const i = index.get(t.customerId);
    if (i === undefined) continue;
    if (d > from6m) complaints6m[i]! += 1;
    if (!isResolved(t)) continue;
    const r = dateOf(t.resolvedAt!);
    if (t.satisfaction !== null && r > from12m && r <= today) {
      satisfactionHalves[i]! += 2 * t.satisfaction;
      satisfactionItems[i]! += 1;
    }
    if (latestVisitDay[i]! >= r) continue;
    const u = unvisited[i]!;
    if (
      u === null ||
      r < unvisitedDay[i]! ||
      (r === unvisitedDay[i] && compareIds(t.id, u.id) < 0)
    ) {
      unvisited[i] = t;
      unvisitedDay[i] = r;
    }
  }

  const facts = new Array<CustomerFacts>(n);
  for (let i = 0; i < n; i++) {
    const items = satisfactionItems[i]!;
    const u = unvisited[i]!;
    facts[i] = {
      metrics: {
        amount12m: amount12m[i]!,
        orders12m: orders12m[i]!,
        orders6m: orders6m[i]!,
        ordersLast3m: last3m[i]!,
        ordersPrev3m: prev3m[i]!,
        complaints6m: complaints6m[i]!,
        interactions3m: interactions3m[i]!,
        onTimeRate12m:
          paid[i] === 0 ? ZERO_METRICS.onTimeRate12m : { num: onTime[i]!, den: paid[i]! },
        // mean × 20 = (halves / 2) / items × 20
        satisfaction: items === 0 ? null : { num: satisfactionHalves[i]! * 10, den: items },
      },
      latestFollowUp: latestFollowUp[i]!,
      latestValidVisit: latestVisit[i]!,
      validVisits30: visits30[i]!,
      unvisitedResolution: u === null ? null : { ticket: u, date: unvisitedDay[i]! },
    };
  }
  return { index, facts };
}
