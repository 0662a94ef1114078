/**
 * The diff of one sync tab against the rows as read — a cell is written only where it
 * differs as a person would see it — with the rows found equal kept for the next diff.
 */
import * as T from '../../sheets-templates/tabs.ts';
import { isBlank, type CellValue, type RawCell } from '../cells.ts';
import type { CellFormat } from '../formats.ts';
import { seekRow, type SheetRow } from '../validate/index.ts';
import type { SyncPlan, SyncTabContent } from './planTypes.ts';
import { listTabEdits } from './rowEdits.ts';

/** Equal as a person would see it: blank is blank, numbers by value, text trimmed. */
export function sameCell(current: RawCell, next: CellValue): boolean {
  if (isBlank(current)) return next === null || next === '';
  if (next === null || next === '') return false;
  if (typeof next === 'number')
    return typeof current === 'number' && Math.abs(current - next) < 1e-9;
  if (typeof next === 'boolean') return current === next;
  return typeof current === 'string' && current.trim() === next;
}

/**
 * Finds a tab's rows by row number: by halving when they are in row order (as every
 * store reads them), through a map otherwise.
 */
export function rowFinder(rows: readonly SheetRow[]): (row: number) => SheetRow | undefined {
  let sorted = true;
  for (let i = 1; i < rows.length && sorted; i++) sorted = rows[i - 1]!.row < rows[i]!.row;
  if (!sorted) {
    const map = new Map(rows.map((r) => [r.row, r]));
    return (row) => map.get(row);
  }
  return (row) => {
    const found = rows[seekRow(rows, row)];
    return found?.row === row ? found : undefined;
  };
}

/** A sync tab's rows (as read, and as planned) its last diff found equal, by row number. */
export interface EqualSyncRows {
  have: (SheetRow | undefined)[];
  want: (readonly CellValue[] | undefined)[];
  /**
   * A list tab's: the same pairs by the cells as read, wherever either stood. A row a
   * store moves keeps its cells and a kept plan row its wanted row, so a row moved down
   * by a new one before it is known equal at its new place. Made again by each diff from
   * the rows it holds (a map weak in its keys cost every garbage collection a pass over
   * all of them).
   */
  same?: Map<readonly RawCell[], readonly CellValue[]>;
}

const NO_CELLS: readonly CellValue[] = [];

const sameValues = (a: readonly CellValue[], b: readonly CellValue[]): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
};

/** Diffs a whole sync tab cell by cell, clearing what the new content no longer covers. */
export function planSyncTab(
  content: SyncTabContent,
  sheet: readonly SheetRow[] | undefined,
  out: SyncPlan,
  /** the diffs kept between plans, by tab name (a plan without a memo keeps none) */
  kept: Map<string, EqualSyncRows> | undefined,
): void {
  if (!sheet) {
    kept?.delete(content.tab.name);
    out.newTabs.push(content);
    return;
  }
  const rowOf = rowFinder(sheet);
  const height = sheet.reduce((h, r) => Math.max(h, r.row), content.rows.length);
  const isReports = T.isTablesTab(content.tab);
  let equal = kept?.get(content.tab.name);
  if (kept && !equal) kept.set(content.tab.name, (equal = { have: [], want: [] }));
  const lastSame = isReports ? undefined : equal?.same;
  const same =
    isReports || !equal ? undefined : new Map<readonly RawCell[], readonly CellValue[]>();
  const first = out.cells.length;
  for (let r = 1; r <= height; r++) {
    const want = content.rows[r - 1] ?? NO_CELLS;
    const row = rowOf(r);
    if (equal && equal.have[r] === row) {
      const was = equal.want[r];
      if (was !== undefined && (was === want || sameValues(was, want))) {
        if (row !== undefined) same?.set(row.cells, want);
        continue;
      }
    }
    if (equal && row !== undefined && lastSame?.get(row.cells) === want) {
      equal.have[r] = row;
      equal.want[r] = want;
      same?.set(row.cells, want);
      continue;
    }
    const have = row?.cells ?? [];
    const width = Math.max(want.length, have.length);
    const before = out.cells.length;
    for (let c = 0; c < width; c++) {
      const value = want[c] ?? null;
      if (sameCell(have[c], value)) continue;
      const fmt = isReports
        ? (content.formats[r - 1] as CellFormat[] | undefined)?.[c]
        : (content.formats[c] as CellFormat | undefined);
      out.cells.push({
        tab: content.tab.name,
        row: r,
        col: c,
        value,
        format: r === 1 && !isReports ? 'text' : (fmt ?? 'text'),
        rowId: '',
        column: '',
      });
    }
    if (equal) {
      const equalNow = out.cells.length === before;
      equal.have[r] = row;
      equal.want[r] = equalNow ? want : undefined;
      if (equalNow && row !== undefined) same?.set(row.cells, want);
    }
  }
  if (!isReports && out.cells.length > first) {
    // Pairs found equal before, wherever they stand now, are kept for the next diff.
    const known =
      lastSame === undefined
        ? undefined
        : (have: readonly RawCell[], want: readonly CellValue[]): boolean => {
            if (lastSame.get(have) !== want) return false;
            same?.set(have, want);
            return true;
          };
    (out.rowEdits ??= []).push(
      listTabEdits(
        content.tab.name,
        sheet,
        content.rows,
        content.formats as CellFormat[],
        sameCell,
        known,
      ),
    );
  }
  if (equal && same) equal.same = same;
}
