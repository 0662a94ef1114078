/**
 * Arrays kept in row order (rows, typed rows, problems) and changed where rows changed:
 * found by binary search, replaced by splicing a copy, and the rows that differ between
 * two versions of a tab found by walking both.
 */
import type { SheetRow } from '../validate/index.ts';

/** The first position in `arr` (sorted by row) whose row is at least `row`. */
export function lowerBound<X>(arr: readonly X[], row: number, rowOf: (x: X) => number): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rowOf(arr[mid]!) < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function atRow<X>(arr: readonly X[], row: number, rowOf: (x: X) => number): X | undefined {
  const at = lowerBound(arr, row, rowOf);
  const x = arr[at];
  return x !== undefined && rowOf(x) === row ? x : undefined;
}

/**
 * A copy of `arr` (sorted by row) with the items of each of `rows` (ascending) replaced
 * by `itemsAt(row)`: spliced when few, merged in one pass when many.
 */
export function replaceByRow<X>(
  arr: readonly X[],
  rows: readonly number[],
  itemsAt: (row: number) => readonly X[],
  rowOf: (x: X) => number,
): X[] {
  if (rows.length <= 64) {
    const out = arr.slice();
    for (const row of rows) {
      const lo = lowerBound(out, row, rowOf);
      let hi = lo;
      while (hi < out.length && rowOf(out[hi]!) === row) hi++;
      const items = itemsAt(row);
      if (hi - lo === items.length) for (let k = 0; k < items.length; k++) out[lo + k] = items[k]!;
      else out.splice(lo, hi - lo, ...items);
    }
    return out;
  }
  // The items between two changes are copied as blocks, joined once.
  const pieces: (readonly X[])[] = [];
  let i = 0;
  for (const row of rows) {
    const lo = lowerBound(arr, row, rowOf);
    if (lo > i) pieces.push(arr.slice(i, lo));
    i = lo;
    while (i < arr.length && rowOf(arr[i]!) === row) i++;
    pieces.push(itemsAt(row));
  }
  pieces.push(arr.slice(i));
  return ([] as X[]).concat(...pieces);
}

export function insertSorted(list: number[], value: number): void {
  const at = lowerBound(list, value, (x) => x);
  list.splice(at, 0, value);
}

export function removeSorted(list: number[], value: number): void {
  const at = lowerBound(list, value, (x) => x);
  if (list[at] === value) list.splice(at, 1);
}

/**
 * Walks two versions of a row list in row order and calls `changed` for each row number
 * whose object differs (a kept row is the same object while unchanged): the old row or
 * undefined, the new row or undefined. False when rows are not in row order.
 */
export function walkChanged<R extends { readonly row: number }>(
  was: readonly R[],
  now: readonly R[],
  changed: (before: R | undefined, after: R | undefined, row: number) => void,
): boolean {
  let i = 0;
  let j = 0;
  let last = -Infinity;
  while (i < was.length || j < now.length) {
    const a = was[i];
    const b = now[j];
    let row: number;
    if (a !== undefined && b !== undefined && a.row === b.row) {
      row = a.row;
      if (a !== b) changed(a, b, row);
      i++;
      j++;
    } else if (b === undefined || (a !== undefined && a.row < b.row)) {
      row = a!.row;
      changed(a, undefined, row);
      i++;
    } else {
      row = b.row;
      changed(undefined, b, row);
      j++;
    }
    if (!(row > last)) return false;
    last = row;
  }
  return true;
}

/**
 * Rows whose object differs between two versions of a tab, by row number: the row now,
 * or undefined for one gone. Null when rows are not in row order.
 */
export function diffRows(
  was: readonly SheetRow[],
  now: readonly SheetRow[],
): Map<number, SheetRow | undefined> | null {
  const out = new Map<number, SheetRow | undefined>();
  return walkChanged(was, now, (_, b, row) => out.set(row, b)) ? out : null;
}
