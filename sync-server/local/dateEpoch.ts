/**
 * Dates are planned as 1900-system serials (what Google Sheets and nearly every Excel
 * file use). A workbook on the 1904 system (Mac Excel, some LibreOffice files) counts
 * from 1904-01-01, 1462 days later; a 1900 serial written there unchanged would show 4
 * years and 1 day late. Only date and datetime cells move.
 */
import type { CellValue } from '../../shared/cells.ts';
import type { CellFormat } from '../../shared/formats.ts';

const DAYS_1900_TO_1904 = 1462;

export function inWorkbookEpoch(
  value: CellValue,
  format: CellFormat,
  date1904: boolean,
): CellValue {
  if (!date1904 || typeof value !== 'number') return value;
  return format === 'date' || format === 'datetime' ? value - DAYS_1900_TO_1904 : value;
}
