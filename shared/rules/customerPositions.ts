/**
 * Each child row's customer as a position in the list of customers, as validation found
 * it when it checked the row's 客户编号. The rules then take it instead of looking every
 * 客户编号 up again: a million lookups at 100,000 customers, about a quarter of a
 * computation.
 *
 * Kept by the identity of the arrays it describes rather than as a field of the Dataset,
 * so that no copy of a dataset carries positions for arrays it has replaced: a dataset
 * with another array of customers or of rows has none, and its 客户编号 are looked up as
 * before. The arrays of a validated dataset are never changed in place (a sync makes new
 * ones), so positions kept for an array stay true while it lives.
 */
import type { Customer, Dataset } from '../model.ts';
import { IdIndex } from './idIndex.ts';

interface Known {
  customers: readonly Customer[];
  at: Int32Array;
}

const known = new WeakMap<readonly object[], Known>();

/**
 * Records that rows[k]'s 客户编号 is customers[at[k]]'s (−1: no customer has it). The
 * caller vouches for it; a customer's position is the one a lookup of the 客户编号 gives.
 */
export function recordCustomerPositions(
  rows: readonly object[],
  customers: readonly Customer[],
  at: Int32Array,
): void {
  known.set(rows, { customers, at });
}

/**
 * The recorded positions of `rows`' customers in `customers`, or null when there are none
 * (or a record of another length than the rows).
 */
export function customerPositions(
  rows: readonly object[],
  customers: readonly Customer[],
): Int32Array | null {
  const k = known.get(rows);
  return k !== undefined && k.customers === customers && k.at.length === rows.length ? k.at : null;
}

/**
 * Looks every child row's customer up and records the positions, for a dataset made
 * without validation (the benches' synthetic workbooks), as validation records them.
 */
export function recordLookedUpPositions(dataset: Dataset): void {
  const customers = dataset.customers;
  const index = new IdIndex(customers.map((c) => c.id));
  for (const rows of [dataset.orders, dataset.followUps, dataset.tickets, dataset.visits]) {
    const at = new Int32Array(rows.length);
    for (let k = 0; k < rows.length; k++) at[k] = index.get(rows[k]!.customerId);
    recordCustomerPositions(rows, customers, at);
  }
}
