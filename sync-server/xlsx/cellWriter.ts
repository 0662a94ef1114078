/**
 * The XML of a cell a patch writes: its value and kind, and its style — the cell's own or
 * its row's or column's, extended with a number format or the quote prefix when the value
 * needs one (styleBook.ts). Everything is a byte string (byteText.ts), as the sheet
 * stream is.
 */
import { toBytes } from './byteText.ts';
import { columnLetters } from './cellRef.ts';
import type { NumFmt, PatchCellX, SheetContent } from './patchTypes.ts';
import type { StyleBook } from './styleBook.ts';
import { takesQuotePrefix } from './styles.ts';
import { encodeCellText, needsPreserve } from './xmlText.ts';

/** The rank of each number format in a style-cache key. */
const FMT_KEYS: Readonly<Record<NumFmt, number>> = {
  date: 1,
  datetime: 2,
  integer: 3,
  number: 4,
  money: 5,
  percent: 6,
};

function numberText(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

export class CellWriter {
  /** the namespace prefix of the sheet's elements, with its colon */
  p = '';
  private readonly styleCache = new Map<number, string>();
  private readonly textCache = new Map<string, string>();

  constructor(
    private readonly styles: StyleBook,
    private readonly content: SheetContent | undefined,
  ) {}

  private styleAttr(base: number | undefined, cell: PatchCellX): string {
    const fmt = typeof cell.value === 'number' ? cell.numFmt : undefined;
    const quote = takesQuotePrefix(cell.value, this.content);
    const fmtKey = fmt === undefined ? 0 : FMT_KEYS[fmt];
    const bold = cell.bold;
    // A style the patch owns does not depend on the base: negative keys of their own.
    const key =
      bold === undefined
        ? (((base ?? -1) + 1) * 32 + fmtKey * 2 + (cell.header ? 1 : 0)) * 2 + (quote ? 1 : 0)
        : -1 - ((fmtKey * 2 + (bold ? 1 : 0)) * 2 + (quote ? 1 : 0));
    let attr = this.styleCache.get(key);
    if (attr === undefined) {
      const s =
        bold === undefined
          ? this.styles.resolve(base, fmt, cell.header === true, quote)
          : this.styles.owned(fmt, bold, quote);
      attr = s === undefined || s === 0 ? '' : ` s="${s}"`;
      this.styleCache.set(key, attr);
    }
    return attr;
  }

  /** A text cell's `<t>` as bytes. Short texts a sync writes (levels, tiers, kinds) repeat, so they are kept. */
  private textXml(value: string): string {
    let xml = this.textCache.get(value);
    if (xml === undefined) {
      const space = needsPreserve(value) ? ' xml:space="preserve"' : '';
      xml = toBytes(`<${this.p}t${space}>${encodeCellText(value)}</${this.p}t>`);
      if (value.length <= 32) {
        if (this.textCache.size >= 4096) this.textCache.clear();
        this.textCache.set(value, xml);
      }
    }
    return xml;
  }

  /** The cell, or '' for a blank one with nothing to keep; `kept` are its other attributes as written. */
  cellXml(rowNo: number, cell: PatchCellX, base: number | undefined, kept: string): string {
    const p = this.p;
    const ref = `${columnLetters(cell.col)}${rowNo}`;
    const value = cell.value;
    if (value === null) {
      const s = base !== undefined && base !== 0 ? ` s="${base}"` : '';
      return s || kept ? `<${p}c r="${ref}"${s}${kept}/>` : '';
    }
    const s = this.styleAttr(base, cell);
    if (typeof value === 'number') {
      return `<${p}c r="${ref}"${s}${kept}><${p}v>${numberText(value)}</${p}v></${p}c>`;
    }
    if (typeof value === 'boolean') {
      return `<${p}c r="${ref}"${s}${kept} t="b"><${p}v>${value ? 1 : 0}</${p}v></${p}c>`;
    }
    return `<${p}c r="${ref}"${s}${kept} t="inlineStr"><${p}is>${this.textXml(value)}</${p}is></${p}c>`;
  }
}
