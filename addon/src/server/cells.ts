/** Values between the grid of Apps Script and the shared code, both ways. */
import { secondsToSerial, wallClock } from '../../../shared/calendar.ts';
import type { RawCell } from '../../../shared/cells.ts';
import type { CellFormat, CellValue } from '../../../shared/sync/plan.ts';
import type { Cell } from './gas.ts';

/** Number formats of date and money cells, as the sync service writes them too. */
export const NUMBER_FORMATS: Readonly<Partial<Record<CellFormat, string>>> = {
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
  money: '#,##0.00',
};

// A Date made in another realm (the test's vm, or Apps Script's own) fails instanceof.
const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/**
 * Cells as read by getValues(). Apps Script hands date cells over as Date objects at
 * the instant their wall time names in the spreadsheet's zone; the shared code wants the
 * serial number a Sheets API read would have given. One reader per read: its clock is
 * built once for all the cells.
 */
export function cellReader(timeZone: string): (value: Cell) => RawCell {
  const clock = wallClock(timeZone);
  return (value) => {
    if (isDate(value)) {
      const ms = value.getTime();
      return Number.isNaN(ms) ? null : secondsToSerial(clock(ms));
    }
    return value === '' ? null : value;
  };
}

/** One cell; cellReader for more than a few. */
export const rawCell = (value: Cell, timeZone: string): RawCell => cellReader(timeZone)(value);

/**
 * Strings Sheets would otherwise read as a formula, number, date or boolean (a 联系电话
 * losing its leading 0, 分层规则's operator "=" becoming a broken formula) keep their
 * text behind a leading apostrophe, which Sheets drops.
 */
const REINTERPRETED = /^[\s=+\-@'\d.,%¥$€(]|^(true|false)$/i;

export function cellInput(value: CellValue): Cell {
  if (value === null) return '';
  if (typeof value === 'string' && REINTERPRETED.test(value)) return `'${value}`;
  return value;
}
