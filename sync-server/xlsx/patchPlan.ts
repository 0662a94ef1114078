/** A patch checked and turned into sheet jobs: rows sorted, values and formats valid. */
import { isNumberFormat } from '../../shared/formats.ts';
import { MAX_CELL_CHARS, MAX_COLS, MAX_ROWS, MAX_SHEET_NAME } from './limits.ts';
import type { SheetInfo, WorkbookStructure } from './package.ts';
import {
  PatchError,
  type CellPatch,
  type CellValue,
  type NumFmt,
  type PatchCellX,
  type PatchRowX,
  type RowEditsPatch,
  type SheetJob,
  type WorkbookPatch,
} from './patchTypes.ts';
import type { SheetRowEdits } from './rowlessSheet.ts';
import { lastUsedRow } from './sheetScanner.ts';
import type { ZipArchive } from './zipRead.ts';

function findSheetInfo(structure: WorkbookStructure, name: string): SheetInfo | undefined {
  const lower = name.toLowerCase();
  return (
    structure.sheets.find((s) => s.name === name) ??
    structure.sheets.find((s) => s.name.toLowerCase() === lower)
  );
}

const cellName = (sheet: string, row: number, col: number): string => `${sheet}!R${row}C${col}`;

function checkValue(value: unknown, sheet: string, row: number, col: number): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new PatchError(`${cellName(sheet, row, col)}: ${value} is not a finite number`);
    }
    return value;
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (value === '') return null;
    if (value.length <= MAX_CELL_CHARS) return value;
    // Excel refuses cells longer than this; cut at a code point boundary.
    const cut = /[\uD800-\uDBFF]/.test(value.charAt(MAX_CELL_CHARS - 1))
      ? MAX_CELL_CHARS - 1
      : MAX_CELL_CHARS;
    return value.slice(0, cut);
  }
  throw new PatchError(`${cellName(sheet, row, col)}: unsupported value ${typeof value}`);
}

function checkNumFmt(fmt: unknown, where: string): NumFmt | undefined {
  if (fmt === null || fmt === undefined) return undefined;
  if (!isNumberFormat(fmt)) {
    throw new PatchError(`${where}: unknown number format ${String(fmt)}`);
  }
  return fmt;
}

function checkSheetName(name: string): void {
  if (
    name.length === 0 ||
    name.length > MAX_SHEET_NAME ||
    /[\\/?*[\]:]/.test(name) ||
    /^'|'$/.test(name)
  ) {
    throw new PatchError(`invalid sheet name "${name}"`);
  }
}

export function rowsFromCells(sheet: string, cells: readonly CellPatch[]): PatchRowX[] {
  // A sync's patch is a million cells or more, nearly all already in order and valid:
  // those are used as they are, so checking them allocates nothing.
  const checked: PatchCellX[] = new Array<PatchCellX>(cells.length);
  let sorted = true;
  let prev = -1;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (!Number.isInteger(c.row) || c.row < 1 || c.row > MAX_ROWS) {
      throw new PatchError(`${cellName(sheet, c.row, c.col)}: row out of range`);
    }
    if (!Number.isInteger(c.col) || c.col < 0 || c.col >= MAX_COLS) {
      throw new PatchError(`${cellName(sheet, c.row, c.col)}: column out of range`);
    }
    const key = c.row * MAX_COLS + c.col;
    if (key <= prev) sorted = false;
    prev = key;
    const value = checkValue(c.value, sheet, c.row, c.col);
    const numFmt =
      c.numFmt === undefined || isNumberFormat(c.numFmt)
        ? c.numFmt
        : checkNumFmt(c.numFmt, cellName(sheet, c.row, c.col));
    checked[i] =
      value === c.value && numFmt === c.numFmt && (c as PatchCellX).header === undefined
        ? c
        : { col: c.col, value, numFmt, header: false, bold: c.bold };
  }
  let order: number[] | null = null;
  if (!sorted) {
    order = Array.from(cells, (_, i) => i);
    order.sort((a, b) => cells[a]!.row - cells[b]!.row || cells[a]!.col - cells[b]!.col || a - b);
  }
  const rows: PatchRowX[] = [];
  let row: PatchRowX | undefined;
  for (let n = 0; n < cells.length; n++) {
    const i = order ? order[n]! : n;
    const rowNo = cells[i]!.row;
    const cell = checked[i]!;
    if (!row || row.row !== rowNo) {
      row = { row: rowNo, cells: [] };
      rows.push(row);
    }
    const last = row.cells[row.cells.length - 1];
    // A later update of the same cell wins.
    if (last && last.col === cell.col) row.cells[row.cells.length - 1] = cell;
    else row.cells.push(cell);
  }
  return rows;
}

function rowsFromContent(
  sheet: string,
  rows: readonly (readonly CellValue[])[],
  firstRow: number,
  numFmts: readonly (NumFmt | null | undefined)[] | undefined,
  headerRows: number,
  keepBlankCells: boolean,
  titleRows: ReadonlySet<number> = new Set(),
): PatchRowX[] {
  if (firstRow - 1 + rows.length > MAX_ROWS) throw new PatchError(`${sheet}: too many rows`);
  const fmts = (numFmts ?? []).map((f, i) => checkNumFmt(f, `${sheet} column ${i}`));
  const out: PatchRowX[] = [];
  rows.forEach((values, i) => {
    if (values.length > MAX_COLS) throw new PatchError(`${sheet}: too many columns`);
    const row = firstRow + i;
    const header = i < headerRows;
    const cells: PatchCellX[] = [];
    values.forEach((v, col) => {
      const value = checkValue(v, sheet, row, col);
      if (value === null && !keepBlankCells) return;
      const cell: PatchCellX = { col, value, numFmt: header ? undefined : fmts[col], header };
      if (titleRows.has(row)) cell.bold = true;
      cells.push(cell);
    });
    if (cells.length > 0) out.push({ row, cells });
  });
  return out;
}

/** Row runs with their new rows as checked cells, every column up to the last given. */
function rowEditsOf(sheet: string, runs: RowEditsPatch): SheetRowEdits {
  const fmts = (runs.numFmts ?? []).map((f, i) => checkNumFmt(f, `${sheet} column ${i}`));
  let shift = 0;
  let prev = 0;
  const edits = runs.edits.map((e) => {
    if (!Number.isInteger(e.at) || e.at <= prev || e.at > runs.height + 1 || e.remove < 0)
      throw new PatchError(`rowEdits: "${sheet}" runs out of order`);
    prev = e.at + e.remove - 1;
    const first = e.at + shift;
    shift += e.insert.length - e.remove;
    const insert = e.insert.map((values, k) =>
      values.map((v, col): PatchCellX => ({
        col,
        value: checkValue(v, sheet, first + k, col),
        numFmt: first + k === 1 ? undefined : fmts[col],
        header: false,
      })),
    );
    return { at: e.at, remove: e.remove, insert };
  });
  if (runs.height + shift !== runs.newHeight)
    throw new PatchError(`rowEdits: "${sheet}" runs do not add up to ${runs.newHeight} rows`);
  return { edits, height: runs.height, newHeight: runs.newHeight };
}

/** The checked sheet jobs of a patch; a sheet with nothing to change gets none. */
export async function planJobs(
  zip: ZipArchive,
  structure: WorkbookStructure,
  patch: WorkbookPatch,
): Promise<SheetJob[]> {
  const jobs = new Map<string, SheetJob>();
  const existing = (name: string, what: string): SheetInfo => {
    const info = findSheetInfo(structure, name);
    if (!info) throw new PatchError(`${what}: no sheet named "${name}"`);
    if (info.kind !== 'worksheet' || !info.part) {
      throw new PatchError(`${what}: "${name}" is not a worksheet`);
    }
    return info;
  };

  for (const [name, content] of Object.entries(patch.replaceSheets ?? {})) {
    const info = findSheetInfo(structure, name) ?? null;
    if (info && (info.kind !== 'worksheet' || !info.part)) {
      throw new PatchError(`replaceSheets: "${name}" is not a worksheet`);
    }
    if (!info) checkSheetName(name);
    const key = (info?.name ?? name).toLowerCase();
    if (jobs.has(key)) throw new PatchError(`replaceSheets: "${name}" given twice`);
    const headerRows = content.headerRows ?? 1;
    jobs.set(key, {
      name: info?.name ?? name,
      info,
      mode: 'replace',
      rows: rowsFromContent(
        name,
        content.rows,
        1,
        content.numFmts,
        headerRows,
        false,
        new Set(content.titleRows),
      ),
      content,
    });
  }

  for (const [name, cells] of Object.entries(patch.cells ?? {})) {
    const info = existing(name, 'cells');
    const key = info.name.toLowerCase();
    if (jobs.has(key)) throw new PatchError(`cells: "${name}" is also replaced or given twice`);
    jobs.set(key, { name: info.name, info, mode: 'merge', rows: rowsFromCells(name, cells) });
  }

  for (const [name, append] of Object.entries(patch.appendRows ?? {})) {
    const info = existing(name, 'appendRows');
    const key = info.name.toLowerCase();
    const job = jobs.get(key);
    if (job && job.mode === 'replace') {
      throw new PatchError(`appendRows: "${name}" is also replaced`);
    }
    let base = await lastUsedRow(zip, info.part ?? '');
    for (const row of job?.rows ?? []) {
      if (row.row > base && row.cells.some((c) => c.value !== null)) base = row.row;
    }
    const added = rowsFromContent(name, append.rows, base + 1, append.numFmts, 0, false);
    if (job) job.rows.push(...added);
    else jobs.set(key, { name: info.name, info, mode: 'merge', rows: added });
  }
  for (const [name, runs] of Object.entries(patch.rowEdits ?? {})) {
    const info = existing(name, 'rowEdits');
    const key = info.name.toLowerCase();
    if (jobs.has(key)) throw new PatchError(`rowEdits: "${name}" is also given cells or replaced`);
    if (runs.edits.length === 0) continue;
    jobs.set(key, {
      name: info.name,
      info,
      mode: 'merge',
      rows: [],
      rowEdits: rowEditsOf(name, runs),
    });
  }
  const cut = new Set<string>();
  for (const name of patch.cutSheets ?? []) {
    const info = existing(name, 'cutSheets');
    const key = info.name.toLowerCase();
    cut.add(key);
    if (!jobs.has(key)) jobs.set(key, { name: info.name, info, mode: 'merge', rows: [] });
  }
  // A sheet with nothing to change is copied as it is rather than re-deflated.
  return [...jobs.entries()]
    .filter(
      ([key, j]) =>
        j.mode === 'replace' || j.rows.length > 0 || j.rowEdits !== undefined || cut.has(key),
    )
    .map(([, j]) => j);
}
