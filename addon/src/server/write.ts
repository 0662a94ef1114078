/** Carries out the cell writes the shared code planned, one cell at a time. */
import type { CellWrite } from '../../../shared/sync/plan.ts';
import { cellInput, NUMBER_FORMATS } from './cells.ts';
import type { Sheet, Spreadsheet } from './gas.ts';

/** Grows a sheet so a row or column past its edge can be written (getRange would throw). */
export function ensureSize(sheet: Sheet, rows: number, columns: number): void {
  const maxRows = sheet.getMaxRows();
  if (rows > maxRows) sheet.insertRowsAfter(maxRows, rows - maxRows);
  const maxColumns = sheet.getMaxColumns();
  if (columns > maxColumns) sheet.insertColumnsAfter(maxColumns, columns - maxColumns);
}

export function writeCells(ss: Spreadsheet, cells: readonly CellWrite[]): void {
  const byTab = new Map<string, CellWrite[]>();
  for (const c of cells) byTab.set(c.tab, [...(byTab.get(c.tab) ?? []), c]);
  for (const [tab, writes] of byTab) {
    const sheet = ss.getSheetByName(tab);
    if (!sheet) throw new Error(`工作簿中没有“${tab}”工作表：请先运行“初始化表格”`);
    ensureSize(
      sheet,
      Math.max(...writes.map((w) => w.row)),
      Math.max(...writes.map((w) => w.col + 1)),
    );
    for (const w of writes) {
      const range = sheet.getRange(w.row, w.col + 1);
      const format = w.format ? NUMBER_FORMATS[w.format] : undefined;
      // A serial number is only a date to people once the cell says so.
      if (format && range.getNumberFormat() !== format) range.setNumberFormat(format);
      range.setValue(cellInput(w.value));
    }
  }
}
