/** Rows as a store reads them: in row order, each row number once. */
import type { SheetRow } from './types.ts';

/** Index of `row` in rows sorted by row number, or where it would go. */
export function seekRow(rows: readonly SheetRow[], row: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (rows[mid]!.row < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
