/**
 * One tab as 初始化表格 finds it, read in a handful of calls: the header row's text and
 * weights together (as rich text), its notes and backgrounds, and the first data row's
 * formats and dropdowns, each read once for the whole width and only when the tab's
 * template has something to compare with. A tab created in this run is known to be
 * blank and is not read at all.
 */
import type { TabDef } from '../../../sheets-templates/types.ts';
import type { DataValidation, Sheet } from './gas.ts';

/** What a column's cells hold before anyone sets them. */
export const BLANK = {
  note: '',
  background: '#ffffff',
  weight: 'normal',
  format: '',
} as const;

export interface TabState {
  tab: TabDef;
  sheet: Sheet;
  /** created in this run */
  fresh: boolean;
  maxRows: number;
  /** row 1 as read; [] for a fresh tab */
  header: string[];
  notes: string[];
  backgrounds: string[];
  weights: string[];
  /** number formats and dropdowns of row 2, the first data row */
  formats: string[];
  validations: (DataValidation | null)[];
}

/** Which attributes a tab's template sets, so the others are never read. */
export interface Needs {
  notes: boolean;
  backgrounds: boolean;
  formats: boolean;
  validations: boolean;
}

/** A tab known to be blank: created in this run, or one whose template has no columns. */
export function blankState(tab: TabDef, sheet: Sheet, maxRows: number, fresh = true): TabState {
  return {
    tab,
    sheet,
    fresh,
    maxRows,
    header: [],
    notes: [],
    backgrounds: [],
    weights: [],
    formats: [],
    validations: [],
  };
}

/** Stands for a header cell holding a number or date: not blank, and no template header. */
const NOT_TEXT = '\u0000';

export function readState(tab: TabDef, sheet: Sheet, needs: Needs): TabState {
  const maxRows = sheet.getMaxRows();
  const width = sheet.getMaxColumns();
  const rows = Math.min(2, maxRows);
  const range = sheet.getRange(1, 1, rows, width);
  const text = (grid: string[][], row: number) => (grid[row] ?? []).map((v) => String(v ?? ''));
  const second = rows === 2 ? 1 : -1;
  const head = sheet.getRange(1, 1, 1, width).getRichTextValues()[0] ?? [];
  return {
    tab,
    sheet,
    fresh: false,
    maxRows,
    header: head.map((v) => (v === null ? NOT_TEXT : v.getText())),
    notes: needs.notes ? text(range.getNotes(), 0) : [],
    backgrounds: needs.backgrounds ? text(range.getBackgrounds(), 0) : [],
    weights: head.map((v) => (v?.getTextStyle().isBold() ? 'bold' : BLANK.weight)),
    formats: needs.formats && second > 0 ? text(range.getNumberFormats(), second) : [],
    validations: needs.validations && second > 0 ? (range.getDataValidations()[second] ?? []) : [],
  };
}

/** A1 letters of a 1-based column. */
export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A1 of whole columns from a row down to the sheet's last row, e.g. P2:P1000. */
export const columnA1 = (col: number, fromRow: number, toRow: number, lastCol = col): string =>
  `${columnLetters(col)}${fromRow}:${columnLetters(lastCol)}${toRow}`;

/** Runs of consecutive numbers, e.g. [3,4,5,9] → [[3,5],[9,9]]. */
export function runs(sorted: readonly number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const n of sorted) {
    const last = out.at(-1);
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}
