/** Formulas the patcher has to touch: shared formulas moved to a cell of their own. */
import { columnIndex, columnLetters } from './cellRef.ts';
import { MAX_COLS, MAX_ROWS } from './limits.ts';

const columnNumber = (letters: string): number => columnIndex(letters) + 1;

const CELL_REF = /(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_.(\\?[])/y;
const COL_RANGE = /(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![A-Za-z0-9_.(\\?[])/y;
const ROW_RANGE = /(\$?)([0-9]{1,7}):(\$?)([0-9]{1,7})(?![0-9A-Za-z_.(])/y;
const NAME_CHARS = /[A-Za-z0-9_.\\?$]+/y;
const NUMBER = /[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?/y;

/**
 * The formula a cell of a shared-formula group holds: the group's formula with its
 * relative references moved by the cell's offset from the group's first cell. Used when
 * that first cell is overwritten and the other cells need a formula of their own.
 */
export function shiftFormula(formula: string, dRow: number, dCol: number): string {
  let out = '';
  let i = 0;
  const n = formula.length;
  const shiftRow = (abs: string, row: number): string | null => {
    const r = abs ? row : row + dRow;
    return r >= 1 && r <= MAX_ROWS ? abs + String(r) : null;
  };
  const shiftCol = (abs: string, letters: string): string | null => {
    const c = columnNumber(letters);
    if (c > MAX_COLS) return null;
    const moved = abs ? c : c + dCol;
    return moved >= 1 && moved <= MAX_COLS ? abs + columnLetters(moved - 1) : null;
  };
  while (i < n) {
    const ch = formula[i] ?? '';
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < n) {
        if (formula[j] === ch) {
          if (formula[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      out += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '[') {
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        if (formula[j] === '[') depth++;
        else if (formula[j] === ']' && --depth === 0) break;
      }
      out += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '#') {
      NAME_CHARS.lastIndex = i + 1;
      const m = NAME_CHARS.exec(formula);
      const end = m ? i + 1 + m[0].length : i + 1;
      const bang = formula[end] === '!' || formula[end] === '?' ? end + 1 : end;
      out += formula.slice(i, bang);
      i = bang;
      continue;
    }
    if (/[A-Za-z0-9_$\\.]/.test(ch)) {
      COL_RANGE.lastIndex = i;
      let m = COL_RANGE.exec(formula);
      if (m) {
        const a = shiftCol(m[1] ?? '', m[2] ?? '');
        const b = shiftCol(m[3] ?? '', m[4] ?? '');
        if (columnNumber(m[2] ?? '') <= MAX_COLS && columnNumber(m[4] ?? '') <= MAX_COLS) {
          out += a && b ? `${a}:${b}` : '#REF!';
          i += m[0].length;
          continue;
        }
      }
      CELL_REF.lastIndex = i;
      m = CELL_REF.exec(formula);
      if (
        m &&
        columnNumber(m[2] ?? '') <= MAX_COLS &&
        Number(m[4]) <= MAX_ROWS &&
        Number(m[4]) >= 1
      ) {
        const c = shiftCol(m[1] ?? '', m[2] ?? '');
        const r = shiftRow(m[3] ?? '', Number(m[4]));
        out += c && r ? c + r : '#REF!';
        i += m[0].length;
        continue;
      }
      ROW_RANGE.lastIndex = i;
      m = ROW_RANGE.exec(formula);
      if (m) {
        const a = shiftRow(m[1] ?? '', Number(m[2]));
        const b = shiftRow(m[3] ?? '', Number(m[4]));
        out += a && b ? `${a}:${b}` : '#REF!';
        i += m[0].length;
        continue;
      }
      if (/[0-9.]/.test(ch)) {
        NUMBER.lastIndex = i;
        const num = NUMBER.exec(formula);
        if (num && num[0].length > 0) {
          out += num[0];
          i += num[0].length;
          continue;
        }
      }
      NAME_CHARS.lastIndex = i;
      const name = NAME_CHARS.exec(formula);
      const len = name ? name[0].length : 1;
      out += formula.slice(i, i + len);
      i += len;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** A formula as the text of an `<f>` element. */
export function encodeFormula(formula: string): string {
  return formula.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
