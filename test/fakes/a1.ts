/** A1 ranges as the Sheets API reads them, for the fake: `'客户'!A1:B2`, `客户!1:1`, `'x'!D:D`, `'x'`. */

export interface ParsedRange {
  sheet: string | undefined;
  /** 0-based, inclusive start and exclusive end; undefined = open */
  startRow?: number;
  endRow?: number;
  startCol?: number;
  endCol?: number;
}

export function letterIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function indexLetters(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

const CELL = /^([A-Za-z]*)(\d*)$/;

function parseRef(ref: string): { col?: number; row?: number } | null {
  const m = CELL.exec(ref);
  if (!m || (m[1] === '' && m[2] === '')) return null;
  const out: { col?: number; row?: number } = {};
  if (m[1]) out.col = letterIndex(m[1]);
  if (m[2]) {
    const row = Number(m[2]);
    if (row < 1) return null;
    out.row = row - 1;
  }
  return out;
}

/** The cells part, e.g. `A1:B2`, `1:1`, `D:D`, `A5:AD`, `B3`; null if it is not one. */
export function parseCells(text: string): Omit<ParsedRange, 'sheet'> | null {
  const [a, b, extra] = text.split(':');
  if (extra !== undefined || a === undefined) return null;
  const from = parseRef(a);
  if (!from) return null;
  if (b === undefined) {
    // A single cell; a bare column or row alone is not a range.
    if (from.col === undefined || from.row === undefined) return null;
    return {
      startRow: from.row,
      endRow: from.row + 1,
      startCol: from.col,
      endCol: from.col + 1,
    };
  }
  const to = parseRef(b);
  if (!to) return null;
  const out: Omit<ParsedRange, 'sheet'> = {};
  if (from.row !== undefined) out.startRow = from.row;
  if (from.col !== undefined) out.startCol = from.col;
  if (to.row !== undefined) out.endRow = to.row + 1;
  if (to.col !== undefined) out.endCol = to.col + 1;
  // `A:B` starts at row 1, `1:2` at column A.
  if (out.startRow === undefined && from.col !== undefined) out.startRow = 0;
  if (out.startCol === undefined && from.row !== undefined) out.startCol = 0;
  return out;
}

/** Splits `'it''s'!A1:B2` into the sheet name and the cells; null when it cannot be parsed. */
export function parseA1(text: string, sheetNames: readonly string[]): ParsedRange | null {
  let sheet: string | undefined;
  let rest: string | undefined;
  if (text.startsWith("'")) {
    let i = 1;
    let name = '';
    for (; i < text.length; i++) {
      if (text[i] === "'") {
        if (text[i + 1] === "'") {
          name += "'";
          i++;
          continue;
        }
        break;
      }
      name += text[i];
    }
    if (i >= text.length) return null;
    sheet = name;
    const after = text.slice(i + 1);
    if (after === '') rest = undefined;
    else if (after.startsWith('!')) rest = after.slice(1);
    else return null;
  } else {
    const bang = text.lastIndexOf('!');
    if (bang >= 0) {
      sheet = text.slice(0, bang);
      rest = text.slice(bang + 1);
    } else if (sheetNames.includes(text)) {
      sheet = text;
    } else {
      rest = text;
    }
  }
  if (rest === undefined) return { sheet };
  const cells = parseCells(rest);
  return cells ? { sheet, ...cells } : null;
}

/** The way the API names a range in its answers: the sheet name quoted when it must be. */
export function formatA1(
  sheet: string,
  startRow: number,
  endRow: number,
  startCol: number,
  endCol: number,
): string {
  const name = /^[A-Za-z_][A-Za-z0-9_]*$/.test(sheet) ? sheet : `'${sheet.replaceAll("'", "''")}'`;
  const from = `${indexLetters(startCol)}${startRow + 1}`;
  const to = `${indexLetters(endCol - 1)}${endRow}`;
  return from === to ? `${name}!${from}` : `${name}!${from}:${to}`;
}
