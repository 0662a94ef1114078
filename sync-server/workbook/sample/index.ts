/**
 * A deterministic sample workbook: N customers with their orders, follow-ups, tickets
 * and visits over the 18 months before `now`, covering every path of docs/rules.md (leads
 * of each intent with and without follow-ups, signed customers with and without
 * approved visits, open/resolved/overdue tickets, contracts about to expire, birthdays
 * next week, falling order counts, lost customers).
 *
 * Rows are produced lazily, tab by tab. Each customer draws from its own random streams
 * seeded from (seed, index, purpose), so a child tab regenerates the customer facts it
 * needs without keeping any customer in memory, and the same seed and now always give
 * the same rows.
 *
 * Dates are epoch days and date-times wall seconds (shared/calendar.ts); whoever writes
 * the rows into a sheet turns them into cells.
 */
import type { WallSeconds } from '../../../shared/calendar.ts';
import { customerRows } from './customers.ts';
import { followUpRows } from './followUps.ts';
import { orderRows } from './orders.ts';
import { seedOf } from './random.ts';
import { ticketRows } from './tickets.ts';
import { experienceSurveyRows } from './surveys.ts';
import { visitRows } from './visits.ts';
import { World, type SampleRow } from './world.ts';

export type { SampleRow, SampleValue } from './world.ts';

export interface SampleOptions {
  customers: number;
  seed: number;
  now: WallSeconds;
}

export type SampleTabKey =
  'customers' | 'orders' | 'followUps' | 'tickets' | 'visits' | 'experienceSurveys';

/** A generator per data tab, keyed like the tabs' `key`; each call starts afresh. */
export type Sample = Readonly<Record<SampleTabKey, () => Generator<SampleRow>>>;

export function isSampleTab(key: string): key is SampleTabKey {
  return (
    key === 'customers' ||
    key === 'orders' ||
    key === 'followUps' ||
    key === 'tickets' ||
    key === 'visits' ||
    key === 'experienceSurveys'
  );
}

/** Names, phones and codes are distinct up to about this many customers. */
export const MAX_SAMPLE_CUSTOMERS = 1_000_000;

export function generateSample(options: SampleOptions): Sample {
  const { customers, seed, now } = options;
  if (!Number.isSafeInteger(customers) || customers < 0 || customers > MAX_SAMPLE_CUSTOMERS) {
    throw new RangeError(`customers must be a whole number from 0 to ${MAX_SAMPLE_CUSTOMERS}`);
  }
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be a number, not ${seed}`);
  if (!Number.isSafeInteger(now)) throw new RangeError(`now must be wall seconds, not ${now}`);
  const world = new World(customers, seedOf(seed), now);
  return {
    customers: () => customerRows(world),
    orders: () => orderRows(world),
    followUps: () => followUpRows(world),
    tickets: () => ticketRows(world),
    visits: () => visitRows(world),
    experienceSurveys: () => experienceSurveyRows(world),
  };
}
