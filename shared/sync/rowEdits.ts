/**
 * A sync tab written whole as a list (回访计划, 数据问题) compared with the rows it holds,
 * as runs of rows removed and put in. Such a tab is sorted, so one new customer's
 * callback moves every later row one down: cell by cell that is every later cell, as
 * row runs it is one row put in. A store that can move rows (the local file, whose list
 * tabs are written without row numbers) writes the runs; every other store writes the
 * plan's cells, which say the same.
 */
import type { CellFormat } from '../formats.ts';
import type { CellValue, RawCell } from '../cells.ts';
import type { SheetRow } from '../validate/index.ts';

/** One run: `remove` old rows from `at` on, and `insert` new rows in their place. */
export interface RowEdit {
  /** 1-based row number, as read, of the first row removed or of the row the new ones go before */
  at: number;
  remove: number;
  insert: readonly (readonly CellValue[])[];
}

/** A list tab's change as row runs, in row order, none overlapping. */
export interface ListTabEdits {
  tab: string;
  edits: RowEdit[];
  /** a format per column, for the rows put in below the header (the header is text) */
  formats: readonly CellFormat[];
  /** rows (blank ones included) the tab holds as read, and after the edits */
  height: number;
  newHeight: number;
}

/** A run over indexes: old [from, from + remove) becomes new [to, to + insert). */
export interface IndexRun {
  from: number;
  remove: number;
  to: number;
  insert: number;
}

/** Past this many rows removed and put in, the differing middle is one run. */
const MAX_EDITS = 512;

/**
 * The shortest runs turning old rows [0, n) into new rows [0, m), rows compared by
 * `equal(oldIndex, newIndex)`: common rows at both ends are passed over, the middle is
 * diffed as Myers' O((n+m)·d) greedy walk, cheap while few rows differ. When more than
 * MAX_EDITS rows differ the middle is one run, which is still exact, only larger.
 */
export function indexRuns(
  n: number,
  m: number,
  equal: (i: number, j: number) => boolean,
): IndexRun[] {
  let head = 0;
  while (head < n && head < m && equal(head, head)) head++;
  let tail = 0;
  while (tail < n - head && tail < m - head && equal(n - 1 - tail, m - 1 - tail)) tail++;
  const a = n - head - tail;
  const b = m - head - tail;
  if (a === 0 && b === 0) return [];
  const whole: IndexRun[] = [{ from: head, remove: a, to: head, insert: b }];
  if (a === 0 || b === 0) return whole;
  return myers(head, a, b, equal) ?? whole;
}

function myers(
  start: number,
  a: number,
  b: number,
  equal: (i: number, j: number) => boolean,
): IndexRun[] | null {
  const limit = Math.min(MAX_EDITS, a + b);
  const off = limit + 1;
  const v = new Int32Array(2 * limit + 3);
  const trace: Int32Array[] = [];
  for (let d = 0; d <= limit; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!)
          ? v[off + k + 1]!
          : v[off + k - 1]! + 1;
      let y = x - k;
      while (x < a && y < b && equal(start + x, start + y)) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= a && y >= b) return runsOf(trace, d, a, b, start);
    }
  }
  return null;
}

/** Walks the trace back from (a, b) and joins the single-row steps into runs. */
function runsOf(
  trace: Int32Array[],
  depth: number,
  a: number,
  b: number,
  start: number,
): IndexRun[] {
  const off = (trace[0]!.length - 3) / 2 + 1;
  // Each step as the point it starts from and whether it removes (else puts in) a row.
  const steps: { x: number; y: number; remove: boolean }[] = [];
  let x = a;
  let y = b;
  for (let d = depth; d > 0; d--) {
    const v = trace[d]!;
    const k = x - y;
    const down = k === -d || (k !== d && v[off + k - 1]! < v[off + k + 1]!);
    const prevK = down ? k + 1 : k - 1;
    const prevX = v[off + prevK]!;
    const prevY = prevX - prevK;
    steps.push(down ? { x: prevX, y: prevY, remove: false } : { x: prevX, y: prevY, remove: true });
    x = prevX;
    y = prevY;
  }
  steps.reverse();
  const runs: IndexRun[] = [];
  let run: IndexRun | null = null;
  for (const s of steps) {
    const from = start + s.x;
    const to = start + s.y;
    if (!run || run.from + run.remove !== from || run.to + run.insert !== to) {
      run = { from, remove: 0, to, insert: 0 };
      runs.push(run);
    }
    if (s.remove) run.remove++;
    else run.insert++;
  }
  return runs;
}

/**
 * A list tab's rows as read against the rows it should hold (`want[0]` is row 1), as row
 * runs. `same` is the plan's cell equality, so a row the runs keep is one the plan's
 * cells would leave alone. `known`, from the caller, tells pairs of (cells as read, wanted
 * row) `same` found equal in every cell before: neither is ever changed, so such a pair is
 * equal again and need not be compared.
 */
export function listTabEdits(
  tab: string,
  sheet: readonly SheetRow[],
  want: readonly (readonly CellValue[])[],
  formats: readonly CellFormat[],
  same: (have: RawCell, want: CellValue) => boolean,
  known?: (have: readonly RawCell[], want: readonly CellValue[]) => boolean,
): ListTabEdits {
  const height = sheet.reduce((h, r) => Math.max(h, r.row), 0);
  const have: (readonly RawCell[] | undefined)[] = new Array(height);
  for (const r of sheet) have[r.row - 1] = r.cells;
  const equal = (i: number, j: number): boolean => {
    const read = have[i];
    const w = want[j]!;
    if (read !== undefined && known?.(read, w) === true) return true;
    const h = read ?? [];
    const width = Math.max(h.length, w.length);
    for (let c = 0; c < width; c++) {
      const x = h[c];
      const y = w[c] ?? null;
      // Nearly every kept cell holds exactly what is wanted: no need to ask `same`.
      if (x !== y && !same(x, y)) return false;
    }
    return true;
  };
  const edits = indexRuns(height, want.length, equal).map((run) => ({
    at: run.from + 1,
    remove: run.remove,
    insert: want.slice(run.to, run.to + run.insert),
  }));
  return { tab, edits, formats, height, newHeight: want.length };
}

/** Rows (index 0 is row 1; undefined blank) with the edits applied, as a new array. */
export function applyRowEdits<T>(
  rows: readonly (T | undefined)[],
  edits: readonly RowEdit[],
  make: (cells: readonly CellValue[]) => T | undefined,
): (T | undefined)[] {
  const out: (T | undefined)[] = [];
  let next = 0;
  for (const e of edits) {
    while (next < e.at - 1) out.push(rows[next++]);
    for (const cells of e.insert) out.push(make(cells));
    next = e.at - 1 + e.remove;
  }
  while (next < rows.length) out.push(rows[next++]);
  return out;
}
