/**
 * The yardstick timed beside computeRules: the plainest one-pass aggregation over the
 * same rows. A Map from 客户编号 to each customer's sums, then one loop per child table
 * that finds the row's customer and adds what the metrics count, with no rule applied.
 * On a shared machine the same code runs half again as slow in one minute as in the
 * next; timed in turn with computeRules, it tells the minute's speed, and computeRules ÷
 * this pass is a figure of the engine alone.
 */
import { addMonths, dateOf, type EpochDay } from '../shared/calendar.ts';
import type { Dataset } from '../shared/model.ts';

interface Sums {
  amount12m: number;
  orders12m: number;
  followUps: number;
  latestFollowUp: number;
  visits: number;
  tickets: number;
  open: number;
}

/** A checksum of every customer's sums, so that no loop can be left out unseen. */
export function plainPass(dataset: Dataset, today: EpochDay): number {
  const from12m = addMonths(today, -12);
  const byId = new Map<string, Sums>();
  for (const c of dataset.customers)
    byId.set(c.id, {
      amount12m: 0,
      orders12m: 0,
      followUps: 0,
      latestFollowUp: -Infinity,
      visits: 0,
      tickets: 0,
      open: 0,
    });
  for (const o of dataset.orders) {
    if (o.date > today || o.date <= from12m) continue;
    const s = byId.get(o.customerId);
    if (s === undefined) continue;
    s.amount12m += o.amount;
    s.orders12m += 1;
  }
  for (const f of dataset.followUps) {
    const s = byId.get(f.customerId);
    if (s === undefined || dateOf(f.time) > today) continue;
    s.followUps += 1;
    if (f.time > s.latestFollowUp) s.latestFollowUp = f.time;
  }
  for (const v of dataset.visits) {
    const s = byId.get(v.customerId);
    if (s !== undefined && dateOf(v.time) <= today && v.outcome === '完成') s.visits += 1;
  }
  for (const t of dataset.tickets) {
    const s = byId.get(t.customerId);
    if (s === undefined) continue;
    s.tickets += 1;
    if (t.resolvedAt === null) s.open += 1;
  }
  let checksum = 0;
  for (const s of byId.values())
    checksum +=
      s.amount12m +
      s.orders12m +
      s.followUps +
      s.visits +
      s.tickets +
      s.open +
      (s.latestFollowUp > 0 ? 1 : 0);
  return checksum;
}
