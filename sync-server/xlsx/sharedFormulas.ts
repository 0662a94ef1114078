/**
 * Shared formulas whose anchor cell a patch overwrites. The anchor holds the group's
 * formula text; the other cells of the group only point at it by `si`. Once the anchor is
 * gone, each of them is given the formula it stood for, shifted to its own place.
 */
import { fromBytes, toBytes } from './byteText.ts';
import { parseRange } from './cellRef.ts';
import { encodeFormula, shiftFormula } from './formula.ts';
import { parseAttributes, parseAttributesRaw, tagEnd } from './xmlScan.ts';
import { decodeText } from './xmlText.ts';

/** Cells of a shared formula whose anchor was overwritten, still to get their own formula. */
interface OrphanGroup {
  formula: string;
  row: number;
  col: number;
  lastRow: number;
}

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 10 || ch === 13;
}

export class OrphanedFormulas {
  private readonly groups = new Map<string, OrphanGroup>();
  /** the last row any group reaches; past it nothing is left to detach */
  lastRow = 0;
  private p = '';
  private fOpen = '<f';

  /** The namespace prefix of the sheet's elements, with its colon. */
  setPrefix(p: string): void {
    this.p = p;
    this.fOpen = `<${p}f`;
  }

  get size(): number {
    return this.groups.size;
  }

  /** Where the `<f` of a cell's content starts, or -1. */
  formulaAt(content: string): number {
    let at = content.indexOf(this.fOpen);
    while (at >= 0) {
      const d = content.charCodeAt(at + this.fOpen.length);
      if (isSpace(d) || d === 62 || d === 47) return at;
      at = content.indexOf(this.fOpen, at + 1);
    }
    return -1;
  }

  /** Whether buf[from, to) holds an `<f`: a quick test before a cell is looked at closely. */
  hasFormula(buf: string, from: number, to: number): boolean {
    const at = buf.indexOf(this.fOpen, from);
    return at >= 0 && at < to;
  }

  /**
   * A cell at (row, col) with this content is overwritten: true when it held a formula.
   * When it anchored a shared group, the group is remembered for its other cells.
   */
  overwritten(content: string, row: number, col: number): boolean {
    const fAt = this.formulaAt(content);
    if (fAt < 0) return false;
    const fTag = content.slice(fAt, tagEnd(content, fAt) + 1);
    const fa = parseAttributes(fTag);
    const si = fa.get('si');
    const ref = fa.get('ref');
    if (fa.get('t') !== 'shared' || si === undefined || ref === undefined || fTag.endsWith('/>'))
      return true;
    const close = content.indexOf(`</${this.p}f>`, fAt);
    const range = parseRange(ref);
    if (close > 0 && range) {
      this.groups.set(si, {
        formula: decodeText(fromBytes(content.slice(fAt + fTag.length, close))),
        row,
        col,
        lastRow: range.maxRow,
      });
      this.lastRow = Math.max(this.lastRow, range.maxRow);
    }
    return true;
  }

  /**
   * A cell of a group whose anchor was overwritten, given its own formula; the cell as it
   * was otherwise. `cellText` is the whole cell, `tagLength` its start tag's length.
   * Calls `detached` when it changed the cell.
   */
  detach(
    cellText: string,
    tagLength: number,
    content: string,
    row: number,
    col: number,
    detached: () => void,
  ): string {
    const fAt = this.formulaAt(content);
    if (fAt < 0) return cellText;
    const fEnd = tagEnd(content, fAt);
    const fTag = content.slice(fAt, fEnd + 1);
    const fa = parseAttributes(fTag);
    const si = fa.get('si');
    if (fa.get('t') !== 'shared' || si === undefined || fa.has('ref')) return cellText;
    const group = this.groups.get(si);
    if (!group) return cellText;
    const close = fTag.endsWith('/>')
      ? fEnd + 1
      : content.indexOf('>', content.indexOf(`</${this.p}f`, fEnd)) + 1;
    const formula = shiftFormula(group.formula, row - group.row, col - group.col);
    const keep = [...parseAttributesRaw(fTag)].filter(
      (a) => a.name !== 't' && a.name !== 'si' && a.name !== 'ref',
    );
    const newF = `<${this.p}f${keep.map((a) => a.text).join('')}>${toBytes(encodeFormula(formula))}</${this.p}f>`;
    detached();
    return (
      cellText.slice(0, tagLength) +
      content.slice(0, fAt) +
      newF +
      content.slice(close) +
      cellText.slice(tagLength + content.length)
    );
  }
}
