/** A1 notation for the ranges the store sends: tab names quoted, so any name works. */
import { columnLetters } from '../xlsx/cellRef.ts';

export { columnLetters };

/** `客户` → `'客户'`, `Bob's` → `'Bob''s'`. */
export function quoteTab(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

/** A rectangle from a 1-based row and a 0-based column. */
export function rectA1(tab: string, row: number, col: number, rows: number, cols: number): string {
  const from = `${columnLetters(col)}${row}`;
  const to = `${columnLetters(col + Math.max(cols, 1) - 1)}${row + Math.max(rows, 1) - 1}`;
  return `${quoteTab(tab)}!${from}:${to}`;
}

/** A whole row, e.g. `'客户'!1:1`. */
export function rowA1(tab: string, row: number): string {
  return `${quoteTab(tab)}!${row}:${row}`;
}

/** A whole column, e.g. `'客户'!A:A`. */
export function columnA1(tab: string, col: number): string {
  const letters = columnLetters(col);
  return `${quoteTab(tab)}!${letters}:${letters}`;
}

/** From a row down to the end of the sheet, columns A to the sheet's last. */
export function rowsFromA1(tab: string, row: number, columnCount: number): string {
  return `${quoteTab(tab)}!A${row}:${columnLetters(Math.max(columnCount, 1) - 1)}`;
}
