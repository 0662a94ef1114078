/**
 * Where each titled table of 报表 and 销售分析 lands on its tab, and how wide each column
 * must be to show its numbers. The sync plan writes the cells from this, and the charts
 * and the print setup refer to the same rows, so a chart's ranges always cover its table.
 */
import type { CellValue } from '../cells.ts';
import type { CellFormat } from '../formats.ts';
import type { ReportTable } from '../rules/reports.ts';

export interface PlacedTable {
  table: ReportTable;
  /** 1-based rows */
  titleRow: number;
  /** null for a table without a header row (the 摘要) */
  headerRow: number | null;
  firstDataRow: number;
  lastDataRow: number;
}

export interface TablesLayout {
  rows: CellValue[][];
  /** a format per cell, by row */
  formats: CellFormat[][];
  placed: PlacedTable[];
  /** column widths in characters (Excel's unit), fitted to headers and figures */
  widths: number[];
}

/** Titled tables one under another, a blank row between. */
export function layoutTables(tables: readonly ReportTable[]): TablesLayout {
  const rows: CellValue[][] = [];
  const formats: CellFormat[][] = [];
  const placed: PlacedTable[] = [];
  const fitted: { row: readonly CellValue[]; formats: readonly CellFormat[] }[] = [];
  for (const table of tables) {
    if (rows.length > 0) {
      rows.push([]);
      formats.push([]);
    }
    rows.push([table.title]);
    formats.push(['text']);
    const titleRow = rows.length;
    let headerRow: number | null = null;
    if (table.header.length > 0) {
      rows.push(table.header);
      const headerFormats = table.header.map((): CellFormat => 'text');
      formats.push(headerFormats);
      headerRow = rows.length;
      fitted.push({ row: table.header, formats: headerFormats });
    }
    table.rows.forEach((row, i) => {
      const rowFormats = table.rowFormats?.[i] ?? table.formats;
      rows.push(row);
      formats.push(rowFormats);
      // A row of one cell in a table without a header is a sentence: it may run on.
      if (headerRow !== null) fitted.push({ row, formats: rowFormats });
    });
    placed.push({
      table,
      titleRow,
      headerRow,
      firstDataRow: titleRow + (headerRow === null ? 1 : 2),
      lastDataRow: rows.length,
    });
  }
  return { rows, formats, placed, widths: fitWidths(fitted) };
}

/** East Asian wide characters take two columns of width, as in Excel and LibreOffice. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

/** How many characters a value takes in its format: `#,##0.00`, `0.0%`, `0.0`, `0`. */
export function shownWidth(value: CellValue, format: CellFormat | undefined): number {
  if (value === null || value === '') return 0;
  if (typeof value !== 'number') return textWidth(String(value));
  const negative = value < 0 ? 1 : 0;
  const abs = Math.abs(value);
  switch (format) {
    case 'money': {
      const digits = String(Math.floor(abs)).length;
      return negative + digits + Math.floor((digits - 1) / 3) + 3;
    }
    case 'percent':
      return negative + String(Math.floor(abs * 100)).length + 3;
    case 'number':
      return negative + String(Math.floor(abs)).length + 2;
    case 'integer':
      return negative + String(Math.round(abs)).length;
    default:
      return String(value).length;
  }
}

/** Padding for the cell's margins, and bounds so one odd value cannot make a column absurd. */
const PAD = 2;
const MIN_WIDTH = 8;
const MAX_WIDTH = 48;

function fitWidths(rows: readonly { row: readonly CellValue[]; formats: readonly CellFormat[] }[]) {
  const widths: number[] = [];
  for (const { row, formats } of rows)
    row.forEach((v, c) => {
      widths[c] = Math.max(widths[c] ?? MIN_WIDTH, shownWidth(v, formats[c]) + PAD);
    });
  return Array.from(widths, (w) => Math.min(MAX_WIDTH, w ?? MIN_WIDTH));
}
