/**
 * The first `count` customers in 客户销售分析 order — 近12月金额 descending, then 客户编号
 * in character order, then their order in the input — without sorting all of them: each
 * amount is read once, and only the customers that beat the current last place are
 * placed. The result equals sorting the whole list with that comparison (a stable sort)
 * and keeping its head.
 */
import type { Customer } from '../model.ts';

/** Above this many places a full sort of positions is cheaper than placing one by one. */
const PLACED_AT_MOST = 256;

/** `amounts[i]` is the 近12月金额 of `customers[i]`; the answer is positions into both. */
export function topCustomers(
  customers: readonly Customer[],
  amounts: Float64Array,
  count: number,
): number[] {
  const n = customers.length;
  const k = Math.min(n, Math.max(0, count));
  if (k === 0) return [];
  // true when position a comes before position b
  const before = (a: number, b: number): boolean => {
    const d = amounts[b]! - amounts[a]!;
    if (d !== 0 && d === d) return d < 0;
    const ia = customers[a]!.id;
    const ib = customers[b]!.id;
    return ia < ib || (ia === ib && a < b);
  };
  if (k > PLACED_AT_MOST) {
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));
    return Array.from(order.subarray(0, k));
  }
  const placed: number[] = [];
  for (let i = 0; i < n; i++) {
    if (placed.length === k && !before(i, placed[k - 1]!)) continue;
    let lo = 0;
    let hi = placed.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(placed[mid]!, i)) lo = mid + 1;
      else hi = mid;
    }
    placed.splice(lo, 0, i);
    if (placed.length > k) placed.pop();
  }
  return placed;
}
