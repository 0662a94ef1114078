/**
 * Carries out the cell writes the shared code planned: one setValues per run of
 * adjacent cells of a row (a new row is one run, its blank columns written blank), and
 * the number formats of those cells in one read and at most one write per run.
 */
import type { CellWrite } from '../../../shared/sync/plan.ts';
import { cellInput, NUMBER_FORMATS } from './cells.ts';
import type { Cell, Sheet } from './gas.ts';

/** Grows a sheet so a row or column past its edge can be written (getRange would throw). */
export function ensureSize(sheet: Sheet, rows: number, columns: number): void {
  const maxRows = sheet.getMaxRows();
  if (rows > maxRows) sheet.insertRowsAfter(maxRows, rows - maxRows);
  const maxColumns = sheet.getMaxColumns();
  if (columns > maxColumns) sheet.insertColumnsAfter(maxColumns, columns - maxColumns);
}

/**
 * Writes the cells of one tab. `newRows` are rows known to be blank in every column
 * (a row appended after the last one), so the gaps between their cells may be written.
 */
export function writeCells(
  sheet: Sheet,
  cells: readonly CellWrite[],
  newRows: ReadonlySet<number> = new Set(),
): void {
  if (cells.length === 0) return;
  ensureSize(sheet, Math.max(...cells.map((w) => w.row)), Math.max(...cells.map((w) => w.col + 1)));
  const byRow = new Map<number, CellWrite[]>();
  for (const c of cells) byRow.set(c.row, [...(byRow.get(c.row) ?? []), c]);
  for (const [row, writes] of byRow) {
    writes.sort((a, b) => a.col - b.col);
    const spans: CellWrite[][] = [];
    for (const w of writes) {
      const last = spans.at(-1);
      if (last && (newRows.has(row) || w.col === last.at(-1)!.col + 1)) last.push(w);
      else spans.push([w]);
    }
    for (const span of spans) writeSpan(sheet, row, span);
  }
}

function writeSpan(sheet: Sheet, row: number, span: readonly CellWrite[]): void {
  const first = span[0]!.col;
  const width = span.at(-1)!.col - first + 1;
  const range = sheet.getRange(row, first + 1, 1, width);
  const values: Cell[] = new Array<Cell>(width).fill('');
  const wanted = new Map<number, string>();
  for (const w of span) {
    values[w.col - first] = cellInput(w.value);
    const format = w.format ? NUMBER_FORMATS[w.format] : undefined;
    if (format) wanted.set(w.col - first, format);
  }
  // A serial number is only a date to people once the cell says so.
  if (wanted.size > 0) {
    const formats = range.getNumberFormats()[0] ?? [];
    if ([...wanted].some(([i, f]) => formats[i] !== f))
      range.setNumberFormats([formats.map((f, i) => wanted.get(i) ?? f)]);
  }
  range.setValues([values]);
}
