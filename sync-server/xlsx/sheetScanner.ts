/**
 * A worksheet's `<sheetData>` read as a stream of bytes into rows of values: numbers,
 * shared and inline strings, booleans, and formulas' cached results.
 */
import type { CellValue } from '../../shared/cells.ts';
import { ByteScanner, pushText, scanEntry } from './byteScanner.ts';
import { decodeText } from './xmlText.ts';
import { XlsxFormatError } from './errors.ts';
import { MAX_COLS, MAX_ROWS } from './limits.ts';
import {
  bytesAt,
  markupEnd,
  digitsAtBytes,
  newTagScan,
  refColumnBytes,
  rootPrefix,
  runText,
  scanTagBytes,
  tagEnd,
  type TagScan,
} from './xmlScan.ts';
import type { ZipArchive } from './zipRead.ts';

export interface RawRow {
  /** 1-based row number in the sheet */
  row: number;
  /**
   * Values by 0-based column. Gaps hold null; the array ends at the last non-blank
   * cell. Blank cells (no value, or an empty string) are null.
   */
  values: CellValue[];
}

/**
 * A row as read, which is also a row as the sync takes it (`cells`, the same array),
 * so a store can hand a million of them on without making a million more.
 */
export class SheetRowOf implements RawRow {
  constructor(
    readonly row: number,
    readonly values: CellValue[],
  ) {}

  get cells(): readonly CellValue[] {
    return this.values;
  }
}

const T_NUMBER = 0;
const T_SHARED = 1;
const T_BOOL = 2;
const T_TEXT = 3;
const T_INLINE = 4;

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 10 || ch === 13;
}

function cellType(b: Uint8Array, at: number): number {
  if (at < 0) return T_NUMBER;
  const a = b[at];
  const c = b[at + 1];
  const closes = c === 34 || c === 39;
  if (a === 115 /* s */) return closes ? T_SHARED : T_TEXT; // s | str
  if (a === 110 /* n */) return T_NUMBER;
  if (a === 98 /* b */) return T_BOOL;
  if (a === 105 /* i */) return T_INLINE;
  return T_TEXT; // e (error), d (ISO date), and anything unknown: as text
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * A plain decimal of up to 15 digits, parsed here: the digits and the power of ten are
 * both exact doubles, so one division gives the correctly rounded value, the same
 * double Number() would. undefined for anything else, which goes through Number().
 */
function numberAt(b: Uint8Array, from: number, to: number): number | undefined {
  let i = from;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  }
  let n = 0;
  let digits = 0;
  let scale = -1;
  for (; i < to; i++) {
    const ch = b[i]!;
    if (ch >= 48 && ch <= 57) {
      n = n * 10 + (ch - 48);
      digits++;
    } else if (ch === 46 && scale < 0) {
      scale = 0;
      continue;
    } else {
      break;
    }
    if (scale >= 0) scale++;
  }
  if (i !== to || digits === 0 || digits > 15) return undefined;
  const value = scale > 0 ? n / (POW10[scale] ?? 1) : n;
  return neg ? -value : value;
}

/** The markup of the common cell forms as bytes, for a document's namespace prefix. */
function cellPatterns(p: string) {
  const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');
  return {
    plain: p === '',
    rowOpen: bytes(`<${p}row`),
    rowClose: bytes(`</${p}row>`),
    sheetDataClose: bytes(`</${p}sheetData`),
    cOpen: bytes(`<${p}c`),
    isT: bytes(`<${p}is><${p}t>`),
    tIsC: bytes(`</${p}t></${p}is></${p}c>`),
    v: bytes(`<${p}v>`),
    vc: bytes(`</${p}v></${p}c>`),
  };
}

/** Slots per column of {@link ColumnTexts}; a power of two. */
const TEXT_SLOTS = 256;
/** Lookups per verdict on whether a column's texts repeat enough to be worth keeping. */
const TEXT_WINDOW = 1024;
const CACHED_COLUMNS = 128;
/** Longest text kept, in bytes: longer ones are seldom repeated. */
const TEXT_KEY = 48;

/**
 * Recent texts of one column by a hash of their bytes. Dropdown values, owners and the
 * customer IDs of child rows repeat down a column; a hit returns the string already
 * made, so such a cell allocates nothing and a million rows share a few hundred strings
 * instead of holding a million copies for the collector to trace. A column whose texts
 * do not repeat (names, phones) stops being looked up after one window.
 */
class ColumnTexts {
  /** each slot's bytes, TEXT_KEY apart */
  readonly keys = new Uint8Array(TEXT_SLOTS * TEXT_KEY);
  readonly lengths = new Int32Array(TEXT_SLOTS);
  readonly values: string[] = new Array<string>(TEXT_SLOTS).fill('');
  lookups = 0;
  hits = 0;
}

export class SheetScanner extends ByteScanner {
  readonly rows: SheetRowOf[] = [];
  lastRow = 0;
  lastCol = -1;
  private state = 0; // 0 before sheetData, 1 inside, 2 after
  private rowNo = 0;
  private prefix: string | null = null;
  private rowClose = '</row>';
  private cClose = '</c>';
  private vOpen = '<v';
  private vClose = '</v>';
  private isOpen = '<is';
  private pattern = cellPatterns('');
  private sheetDataOpen = '<sheetData';
  private readonly tag: TagScan = newTagScan();
  private readonly texts: (ColumnTexts | null | undefined)[] = [];
  /** filled length of the last row with a value */
  private width = 0;
  /** where the text last read by {@link text} ends */
  private textEnd = 0;

  /**
   * `sst` null: only row extents are wanted, so shared-string cells count as filled
   * without loading the strings, and no rows are kept.
   */
  constructor(private readonly sst: readonly string[] | null) {
    super();
  }

  protected scan(): void {
    if (this.state === 2) {
      this.pos = this.bytes.length;
      return;
    }
    if (this.prefix === null) {
      if (this.buf.indexOf('>') < 0) return;
      const p = (this.prefix = rootPrefix(this.buf));
      this.rowClose = `</${p}row>`;
      this.cClose = `</${p}c>`;
      this.vOpen = `<${p}v`;
      this.vClose = `</${p}v>`;
      this.isOpen = `<${p}is`;
      this.pattern = cellPatterns(p);
      this.sheetDataOpen = `<${p}sheetData`;
    }
    if (this.state === 0) this.findSheetData();
    if (this.state === 1) this.scanRows();
    if (this.state === 2) this.pos = this.bytes.length;
  }

  private findSheetData(): void {
    const buf = this.buf;
    const at = buf.indexOf(this.sheetDataOpen, this.pos);
    if (at < 0) {
      this.pos = Math.max(this.pos, buf.length - this.sheetDataOpen.length);
      return;
    }
    const gt = tagEnd(buf, at);
    if (gt < 0) {
      this.pos = at;
      return;
    }
    this.pos = gt + 1;
    this.state = buf.charCodeAt(gt - 1) === 47 ? 2 : 1;
  }

  private scanRows(): void {
    const b = this.bytes;
    const n = b.length;
    const { rowOpen, sheetDataClose } = this.pattern;
    let pos = this.pos;
    for (;;) {
      let lt = pos;
      while (lt < n && b[lt] !== 60) lt++;
      if (lt + rowOpen.length >= n) {
        pos = lt;
        break;
      }
      if (bytesAt(b, lt, rowOpen)) {
        const d = b[lt + rowOpen.length]!;
        if (isSpace(d) || d === 62 || d === 47) {
          const end = this.scanRow(lt);
          if (end < 0) {
            pos = lt;
            break;
          }
          pos = end;
          continue;
        }
      }
      if (bytesAt(b, lt, sheetDataClose)) {
        this.state = 2;
        pos = n;
        break;
      }
      const buf = this.buf;
      const next = markupEnd(buf, lt);
      if (next < 0) {
        pos = lt;
        break;
      }
      pos = next;
    }
    this.pos = pos;
  }

  /**
   * One `<row>`: its cells are read as they come, so the row is scanned once. Returns
   * the index past `</row>`, or -1 when the row is not complete in the buffer yet (it is
   * then read again, whole, once more text has arrived).
   */
  private scanRow(lt: number): number {
    const b = this.bytes;
    const tag = this.tag;
    const n = b.length;
    if (!scanTagBytes(b, lt + this.pattern.rowOpen.length, tag)) return -1;
    let rowNo = this.rowNo + 1;
    if (tag.r >= 0) {
      const r = digitsAtBytes(b, tag.r);
      if (r > 0) rowNo = r;
    }
    if (rowNo > MAX_ROWS) throw beyondSheet(`第 ${String(rowNo)} 行`, '1048576 行');
    if (tag.selfClosing) {
      this.rowNo = rowNo;
      return tag.end;
    }
    const { sst, pattern } = this;
    const cLen = pattern.cOpen.length;
    // Sized like the row before, which rows of a sheet nearly always match: no growing,
    // no unused capacity. `len` is how much of it is filled; the rest is cut off below.
    const values = new Array<CellValue>(this.width);
    let len = 0;
    let col = -1;
    let p = tag.end;
    for (;;) {
      if (p >= n) return -1;
      let ch = b[p]!;
      while (ch === 32 || ch === 9 || ch === 10 || ch === 13) {
        if (++p >= n) return -1;
        ch = b[p]!;
      }
      if (ch !== 60) {
        while (p < n && b[p] !== 60) p++;
        continue;
      }
      // Past the end of what has arrived, every test below would fail for want of bytes.
      if (p + pattern.rowClose.length >= n) return -1;
      const d = b[p + cLen];
      if (!(bytesAt(b, p, pattern.cOpen) && (d === 32 || d === 62 || d === 47 || isSpace(d!)))) {
        if (bytesAt(b, p, pattern.rowClose)) {
          p += pattern.rowClose.length;
          break;
        }
        const buf = this.buf;
        const rowClose = this.rowClose;
        if (buf.startsWith('<!--', p)) {
          const end = buf.indexOf('-->', p);
          if (end < 0) return -1;
          p = end + 3;
          continue;
        }
        // Anything else in a row (extLst) comes after its cells.
        const end = buf.indexOf(rowClose, p);
        if (end < 0) return -1;
        p = end + rowClose.length;
        break;
      }
      if (!scanTagBytes(b, p + cLen, tag)) return -1;
      const c = tag.r >= 0 ? refColumnBytes(b, tag.r, n) : -1;
      col = c >= 0 ? c : col + 1;
      // Kept as an index into the row's values, a column past XFD would grow them without bound.
      if (col >= MAX_COLS) throw beyondSheet(`第 ${String(col + 1)} 列`, '16384 列（XFD）');
      if (tag.selfClosing) {
        p = tag.end;
        continue;
      }
      const type = cellType(b, tag.t);
      const start = tag.end;
      let value: CellValue = null;
      if (type === T_INLINE) {
        // <c … t="inlineStr"><is><t>text</t></is></c>, how this project writes text
        if (bytesAt(b, start, pattern.isT)) {
          const text = this.text(col, start + pattern.isT.length);
          if (text === null) return -1;
          if (bytesAt(b, this.textEnd, pattern.tIsC)) {
            p = this.textEnd + pattern.tIsC.length;
            if (text !== '') len = putValue(values, len, col, text);
            continue;
          }
          if (this.textEnd + pattern.tIsC.length > n) return -1;
        }
      } else if (bytesAt(b, start, pattern.v)) {
        // <c …><v>text</v></c>, the form nearly every other cell has
        const vStart = start + pattern.v.length;
        let vEnd = vStart;
        while (vEnd < n && b[vEnd] !== 60) vEnd++;
        if (vEnd >= n) return -1;
        if (pattern.plain ? isVcClose(b, vEnd) : bytesAt(b, vEnd, pattern.vc)) {
          p = vEnd + pattern.vc.length;
          if (vEnd > vStart) value = this.cellValue(type, vStart, vEnd);
          if (value !== null && value !== '') len = putValue(values, len, col, value);
          continue;
        }
        if (vEnd + pattern.vc.length > n) return -1;
      }
      const buf = this.buf;
      const end = buf.indexOf(this.cClose, start);
      if (end < 0) return -1;
      p = end + this.cClose.length;
      if (type === T_INLINE) {
        const is = indexWithin(buf, this.isOpen, start, end);
        if (is >= 0) {
          const isGt = buf.indexOf('>', is);
          if (b[isGt - 1] !== 47) {
            const xml = this.utf8(isGt + 1, end);
            value = runText(xml, 0, xml.length);
          }
        }
      } else {
        const vStart = this.findV(start, end);
        if (vStart < 0) continue;
        let vEnd = buf.indexOf('<', vStart);
        if (vEnd >= 0 && b[vEnd + 1] === 33 /* <![CDATA[ */) {
          vEnd = buf.indexOf(this.vClose, vStart);
        }
        if (vEnd < 0 || vEnd > end || vEnd === vStart) continue;
        value = this.cellValue(type, vStart, vEnd);
      }
      if (value !== null && value !== '') len = putValue(values, len, col, value);
    }
    this.rowNo = rowNo;
    if (len > 0) this.width = len;
    if (values.length !== len) values.length = len;
    if (len > 0) {
      if (sst !== null) this.rows.push(new SheetRowOf(rowNo, values));
      if (rowNo > this.lastRow) this.lastRow = rowNo;
      if (values.length - 1 > this.lastCol) this.lastCol = values.length - 1;
    }
    return p;
  }

  /**
   * The text from `from` to the next `<`, entities and escapes decoded, and where it
   * ends in {@link textEnd}; null when no `<` has arrived yet.
   */
  private text(col: number, from: number): string | null {
    const b = this.bytes;
    const n = b.length;
    let hash = 0;
    let special = false;
    let i = from;
    for (; i < n; i++) {
      const ch = b[i]!;
      if (ch === 60) break;
      hash = (Math.imul(hash, 31) + ch) | 0;
      if (ch === 38 /* & */ || ch === 95 /* _ */) special = true;
    }
    if (i >= n) return null;
    this.textEnd = i;
    const length = i - from;
    if (length === 0) return '';
    if (special) return decodeText(b.utf8Slice(from, i));
    let cache = col < CACHED_COLUMNS && length <= TEXT_KEY ? this.texts[col] : null;
    if (cache === undefined) cache = this.texts[col] = new ColumnTexts();
    if (cache === null) return b.utf8Slice(from, i);
    const slot = hash & (TEXT_SLOTS - 1);
    const keys = cache.keys;
    const at = slot * TEXT_KEY;
    let hit = cache.lengths[slot] === length;
    for (let k = 0; hit && k < length; k++) hit = keys[at + k] === b[from + k];
    if (++cache.lookups === TEXT_WINDOW) this.judge(col, cache);
    if (hit) {
      cache.hits++;
      return cache.values[slot]!;
    }
    const value = b.utf8Slice(from, i);
    for (let k = 0; k < length; k++) keys[at + k] = b[from + k]!;
    cache.lengths[slot] = length;
    cache.values[slot] = value;
    return value;
  }

  private judge(col: number, cache: ColumnTexts): void {
    if (cache.hits * 4 < cache.lookups) {
      this.texts[col] = null;
    } else {
      cache.hits = 0;
      cache.lookups = 0;
    }
  }

  private cellValue(type: number, from: number, to: number): CellValue {
    const b = this.bytes;
    if (type === T_NUMBER) {
      const n = numberAt(b, from, to);
      if (n !== undefined) return n;
      const text = this.utf8(from, to).trim();
      if (text === '') return null;
      const value = Number(text);
      return Number.isNaN(value) ? decodeText(text) : value;
    }
    if (type === T_SHARED) {
      let n = 0;
      let i = from;
      for (; i < to; i++) {
        const d = b[i]! - 48;
        if (d < 0 || d > 9) break;
        n = n * 10 + d;
      }
      if (i !== to) n = Number(this.buf.slice(from, to).trim());
      const sst = this.sst;
      if (sst === null) return true;
      const found = sst[n];
      // Read as blank, a cell whose text is lost would look free and get an ID written over it.
      if (found === undefined)
        throw new XlsxFormatError(
          `工作表中有一个单元格引用了不存在的共享字符串（第 ${String(n)} 个，文件中只有 ${sst.length} 个）：工作簿已损坏，该单元格的内容无法读出。请从 .crm-backups 中恢复上一版本，或在 Excel/WPS 中打开修复后另存`,
        );
      return found;
    }
    if (type === T_BOOL) {
      const ch = b[from];
      return ch === 49 || ch === 116; // "1" or "true"
    }
    return decodeText(this.utf8(from, to));
  }

  /**
   * Start of the `<v>` text inside a cell, or -1 (no `<v>`, or `<v/>`). Looks only
   * between the cell's tags: a search running on to the next `<v>` of a later cell would
   * make a sheet of empty cells quadratic.
   */
  private findV(from: number, to: number): number {
    const buf = this.buf;
    for (let v = indexWithin(buf, this.vOpen, from, to); v >= 0;) {
      const d = buf.charCodeAt(v + this.vOpen.length);
      if (d === 62) return v + this.vOpen.length + 1;
      if (isSpace(d) || d === 47) {
        const gt = tagEnd(buf, v);
        if (gt < 0 || gt >= to || buf.charCodeAt(gt - 1) === 47) return -1;
        return gt + 1;
      }
      v = indexWithin(buf, this.vOpen, v + 1, to);
    }
    return -1;
  }
}

/** Where `needle` starts in buf[from, to), or -1; never looks past `to`. */
function indexWithin(buf: string, needle: string, from: number, to: number): number {
  const first = needle.charCodeAt(0);
  const last = to - needle.length;
  for (let at = from; at <= last; at++) {
    if (buf.charCodeAt(at) === first && buf.startsWith(needle, at)) return at;
  }
  return -1;
}

/** `</v></c>` at `at`. */
function isVcClose(b: Uint8Array, at: number): boolean {
  return (
    b[at + 1] === 47 &&
    b[at + 2] === 118 &&
    b[at + 3] === 62 &&
    b[at + 4] === 60 &&
    b[at + 5] === 47 &&
    b[at + 6] === 99 &&
    b[at + 7] === 62
  );
}

/** Sets values[col], blanks (null) filling any gap before it; returns the filled length. */
/** A row or column no spreadsheet can hold: the part is damaged, not merely large. */
function beyondSheet(where: string, limit: string): XlsxFormatError {
  return new XlsxFormatError(
    `工作表中有单元格位于${where}，超出了表格的范围（最多 ${limit}）：工作簿已损坏。请从 .crm-backups 中恢复上一版本，或在 Excel/WPS 中打开修复后另存`,
  );
}

function putValue(values: CellValue[], len: number, col: number, value: CellValue): number {
  if (col < len) {
    values[col] = value;
    return len;
  }
  for (let i = len; i < col; i++) values[i] = null;
  values[col] = value;
  return col + 1;
}

/**
 * Decodes one worksheet part held in memory, whole or as the pieces a stream would
 * deliver; for tests and small parts.
 */
export function scanSheetXml(
  xml: string | readonly string[],
  sharedStrings: readonly string[] = [],
): RawRow[] {
  const scanner = new SheetScanner(sharedStrings);
  pushText(scanner, xml);
  return scanner.rows;
}

/** The last row of a sheet part that holds a non-blank value (0 when none). */
export async function lastUsedRow(zip: ZipArchive, part: string): Promise<number> {
  const entry = zip.find(part);
  if (!entry) return 0;
  const scanner = new SheetScanner(null);
  await scanEntry(zip, entry, scanner);
  return scanner.lastRow;
}
