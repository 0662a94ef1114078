/** A1-style references: column letters ↔ 0-based indexes, cell references and ranges. */

export function columnLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

/** 0-based index of column letters, either case. */
export function columnIndex(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + ((letters.charCodeAt(i) | 32) - 96);
  return n - 1;
}

/** Splits "AB12" into a 0-based column and a 1-based row. */
export function parseCellRef(ref: string): { col: number; row: number } {
  let i = 0;
  while (i < ref.length && ref.charCodeAt(i) >= 65) i++;
  return { col: columnIndex(ref.slice(0, i)), row: Number(ref.slice(i)) };
}

/**
 * 0-based column of the letters at the start of a cell reference in s[from, to), or -1.
 * For references already cut out of the markup; the sheet scanners read theirs from the
 * bytes (refColumnBytes in xmlScan.ts).
 */
export function refColumn(s: string, from: number, to: number): number {
  const letters = /^[A-Za-z$]*/.exec(s.slice(from, to))![0];
  return columnIndex(letters.replaceAll('$', ''));
}

/** 1-based row of a cell reference in s[from, to), or -1. */
export function refRow(s: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const ch = s.charCodeAt(i);
    if ((ch >= 48 && ch <= 57) || ch === 36) break;
    i++;
  }
  let n = 0;
  let digits = 0;
  for (; i < to; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 36) continue;
    if (ch < 48 || ch > 57) break;
    n = n * 10 + (ch - 48);
    digits++;
  }
  return digits === 0 ? -1 : n;
}

/** A block of cells: 1-based rows, 0-based columns, bounds included. */
export interface Extent {
  minRow: number;
  maxRow: number;
  minCol: number;
  maxCol: number;
}

/** "B2:D9", "$B$2" → the block, or null when it is not a range. */
export function parseRange(ref: string): Extent | null {
  const m = /^\$?([A-Za-z]+)\$?([0-9]+)(?::\$?([A-Za-z]+)\$?([0-9]+))?$/.exec(ref.trim());
  if (!m) return null;
  const c1 = refColumn(m[1] ?? '', 0, (m[1] ?? '').length);
  const r1 = Number(m[2]);
  const c2 = m[3] ? refColumn(m[3], 0, m[3].length) : c1;
  const r2 = m[4] ? Number(m[4]) : r1;
  return {
    minRow: Math.min(r1, r2),
    maxRow: Math.max(r1, r2),
    minCol: Math.min(c1, c2),
    maxCol: Math.max(c1, c2),
  };
}

export function formatRange(e: Extent): string {
  const a = `${columnLetters(e.minCol)}${e.minRow}`;
  const b = `${columnLetters(e.maxCol)}${e.maxRow}`;
  return a === b ? a : `${a}:${b}`;
}

/** The block the non-blank cells of these rows cover, or null when all are blank. */
export function extentOf(
  rows: readonly { row: number; cells: readonly { col: number; value: unknown }[] }[],
): Extent | null {
  let e: Extent | null = null;
  for (const row of rows) {
    for (const c of row.cells) {
      if (c.value === null) continue;
      if (!e) e = { minRow: row.row, maxRow: row.row, minCol: c.col, maxCol: c.col };
      else {
        e.minRow = Math.min(e.minRow, row.row);
        e.maxRow = Math.max(e.maxRow, row.row);
        e.minCol = Math.min(e.minCol, c.col);
        e.maxCol = Math.max(e.maxCol, c.col);
      }
    }
  }
  return e;
}

export function union(a: Extent, b: Extent | null): Extent {
  if (!b) return a;
  return {
    minRow: Math.min(a.minRow, b.minRow),
    maxRow: Math.max(a.maxRow, b.maxRow),
    minCol: Math.min(a.minCol, b.minCol),
    maxCol: Math.max(a.maxCol, b.maxCol),
  };
}
