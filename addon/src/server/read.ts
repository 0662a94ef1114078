/** Tabs of the open spreadsheet as the shared code reads a workbook. */
import type { SheetRow, WorkbookInput } from '../../../shared/validate/index.ts';
import { rawCell } from './cells.ts';
import type { Spreadsheet } from './gas.ts';

/** The named tabs that exist, every row of their data range; missing tabs stay missing. */
export function readTabs(ss: Spreadsheet, names: Iterable<string>): WorkbookInput {
  const timeZone = ss.getSpreadsheetTimeZone();
  const tabs = new Map<string, SheetRow[]>();
  for (const name of new Set(names)) {
    const sheet = ss.getSheetByName(name);
    if (!sheet) continue;
    const values = sheet.getDataRange().getValues();
    tabs.set(
      name,
      values.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => rawCell(c, timeZone)) })),
    );
  }
  return { tabs, epoch: 'sheets' };
}
