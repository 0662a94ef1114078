/**
 * Streaming .xlsx reader. Cell values only: the sync needs what people typed or what
 * formulas last computed, not formatting, so styles are never parsed and a 10M-cell
 * workbook is read in one pass per sheet with memory proportional to the values kept.
 */
import { ZipArchive, type ZipEntry } from './zipRead.ts';
import { StringDecoder } from 'node:string_decoder';
import {
  decodeText,
  detach,
  digitsAt,
  findElement,
  findElements,
  newTagScan,
  parseAttributes,
  refColumn,
  rootPrefix,
  runText,
  scanTag,
  tagEnd,
  type TagScan,
} from './sheetXml.ts';

export type CellValue = string | number | boolean | null;

export interface RawRow {
  /** 1-based row number in the sheet */
  row: number;
  /**
   * Values by 0-based column. Gaps hold null; the array ends at the last non-blank
   * cell. Blank cells (no value, or an empty string) are null.
   */
  values: CellValue[];
}

export type SheetKind = 'worksheet' | 'chartsheet' | 'dialogsheet' | 'macrosheet' | 'other';
export type SheetState = 'visible' | 'hidden' | 'veryHidden';

export interface SheetInfo {
  name: string;
  /** `sheetId` from workbook.xml (stable; calcChain refers to sheets by it) */
  sheetId: number;
  /** 0-based position among the workbook's tabs */
  index: number;
  /** relationship id in workbook.xml.rels */
  relId: string;
  /** zip entry of the sheet part, e.g. `xl/worksheets/sheet3.xml`; null if unresolvable */
  part: string | null;
  kind: SheetKind;
  state: SheetState;
}

export interface ReadSheet {
  name: string;
  /** rows that hold at least one non-blank value, in sheet order */
  rows: RawRow[];
  /** largest row number holding a value, 0 when none */
  lastRow: number;
  /** largest 0-based column holding a value, -1 when none */
  lastCol: number;
  info: SheetInfo;
}

export interface WorkbookStructure {
  workbookPart: string;
  workbookRelsPart: string;
  /** every tab in workbook order, worksheets and others */
  sheets: SheetInfo[];
  date1904: boolean;
  sharedStringsPart: string | null;
  stylesPart: string | null;
  calcChainPart: string | null;
}

export interface ReadWorkbook {
  /** selected worksheets, in workbook order */
  sheets: ReadSheet[];
  /** true when serial dates count from 1904-01-01 (workbookPr date1904) */
  date1904: boolean;
  /** the workbook's parts and every tab, read or not */
  structure: WorkbookStructure;
  /** size and mtime of the file as opened, to detect a change before writing back */
  file: { size: number; mtimeMs: number };
}

export interface ReadOptions {
  /** which worksheets to read; all when omitted */
  sheets?: (name: string) => boolean;
}

export async function readWorkbook(path: string, opts: ReadOptions = {}): Promise<ReadWorkbook> {
  const zip = await ZipArchive.open(path);
  try {
    const structure = await readStructure(zip);
    const wanted = structure.sheets.filter(
      (s) => s.kind === 'worksheet' && (!opts.sheets || opts.sheets(s.name)),
    );
    const sstEntry =
      wanted.length > 0 && structure.sharedStringsPart
        ? zip.find(structure.sharedStringsPart)
        : undefined;
    const sst = sstEntry ? await readSharedStrings(zip, sstEntry) : [];
    const sheets: ReadSheet[] = [];
    for (const info of wanted) {
      const entry = info.part ? zip.find(info.part) : undefined;
      const scanner = new SheetScanner(sst);
      if (entry) await scanEntry(zip, entry, scanner);
      sheets.push({
        name: info.name,
        rows: scanner.rows,
        lastRow: scanner.lastRow,
        lastCol: scanner.lastCol,
        info,
      });
    }
    return {
      sheets,
      date1904: structure.date1904,
      structure,
      file: { size: zip.size, mtimeMs: zip.mtimeMs },
    };
  } finally {
    await zip.close();
  }
}

/** The worksheet of that name, matched as Excel does (case-insensitively). */
export function findSheet(book: ReadWorkbook, name: string): ReadSheet | undefined {
  const lower = name.toLowerCase();
  return (
    book.sheets.find((s) => s.name === name) ??
    book.sheets.find((s) => s.name.toLowerCase() === lower)
  );
}

async function scanEntry(zip: ZipArchive, entry: ZipEntry, scanner: Scanner): Promise<void> {
  // StringDecoder keeps multi-byte characters split across chunks whole, and is about
  // twice as fast as TextDecoder here.
  const decoder = new StringDecoder('utf8');
  for await (const chunk of zip.stream(entry)) scanner.push(decoder.write(chunk));
  scanner.push(decoder.end());
  scanner.finish();
}

interface Scanner {
  push(text: string): void;
  finish(): void;
}

// ---------------------------------------------------------------------------
// Package structure

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

export function parseRelationships(xml: string): Relationship[] {
  return findElements(xml, 'Relationship').map((m) => {
    const a = parseAttributes(m.tag);
    return {
      id: a.get('Id') ?? '',
      type: a.get('Type') ?? '',
      target: a.get('Target') ?? '',
      external: (a.get('TargetMode') ?? '').toLowerCase() === 'external',
    };
  });
}

/** The rels part that describes `part`: xl/workbook.xml → xl/_rels/workbook.xml.rels. */
export function relsPartOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** Resolves a relationship target against the directory of the part that holds it. */
export function resolveTarget(sourcePart: string, target: string): string {
  let path = target;
  try {
    path = decodeURIComponent(target);
  } catch {
    // a stray % is taken literally
  }
  const base = path.startsWith('/') ? [] : sourcePart.split('/').slice(0, -1);
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') base.pop();
    else base.push(seg);
  }
  return base.join('/');
}

/** Relationship types differ between transitional and strict OOXML; the last segment does not. */
export function relKind(type: string): string {
  return type.slice(type.lastIndexOf('/') + 1);
}

const SHEET_KINDS: Readonly<Record<string, SheetKind>> = {
  worksheet: 'worksheet',
  chartsheet: 'chartsheet',
  dialogsheet: 'dialogsheet',
  xlMacrosheet: 'macrosheet',
  xlIntlMacrosheet: 'macrosheet',
};

export async function readStructure(zip: ZipArchive): Promise<WorkbookStructure> {
  let workbookPart = 'xl/workbook.xml';
  const rootRels = zip.find('_rels/.rels');
  if (rootRels) {
    const office = parseRelationships(await zip.readText(rootRels)).find(
      (r) => relKind(r.type) === 'officeDocument' && !r.external,
    );
    if (office) workbookPart = resolveTarget('', office.target);
  }
  const workbookEntry = zip.find(workbookPart);
  if (!workbookEntry) throw new Error(`not a spreadsheet: ${workbookPart} is missing`);
  workbookPart = workbookEntry.name;
  const workbookRelsPart = relsPartOf(workbookPart);
  const relsEntry = zip.find(workbookRelsPart);
  const rels = relsEntry ? parseRelationships(await zip.readText(relsEntry)) : [];
  const relById = new Map(rels.map((r) => [r.id, r]));
  const partOf = (kind: string): string | null => {
    const rel = rels.find((r) => relKind(r.type) === kind && !r.external);
    if (!rel) return null;
    const entry = zip.find(resolveTarget(workbookPart, rel.target));
    return entry ? entry.name : null;
  };

  const xml = await zip.readText(workbookEntry);
  const pr = findElement(xml, 'workbookPr');
  const flag = pr ? parseAttributes(pr.tag).get('date1904') : undefined;
  const date1904 = flag === '1' || flag === 'true';
  const sheetsEl = findElement(xml, 'sheets');
  const sheets: SheetInfo[] = [];
  if (sheetsEl) {
    for (const m of findElements(xml, 'sheet', sheetsEl.innerStart, sheetsEl.innerEnd)) {
      const a = parseAttributes(m.tag);
      let relId = '';
      for (const [key, value] of a) if (key.endsWith(':id')) relId = value;
      const rel = relById.get(relId);
      const entry =
        rel && !rel.external ? zip.find(resolveTarget(workbookPart, rel.target)) : undefined;
      const state = a.get('state');
      sheets.push({
        name: a.get('name') ?? '',
        sheetId: Number(a.get('sheetId') ?? 0),
        index: sheets.length,
        relId,
        part: entry ? entry.name : null,
        kind: rel ? (SHEET_KINDS[relKind(rel.type)] ?? 'other') : 'other',
        state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
      });
    }
  }
  return {
    workbookPart,
    workbookRelsPart,
    sheets,
    date1904,
    sharedStringsPart: partOf('sharedStrings'),
    stylesPart: partOf('styles'),
    calcChainPart: partOf('calcChain'),
  };
}

// ---------------------------------------------------------------------------
// Shared strings

async function readSharedStrings(zip: ZipArchive, entry: ZipEntry): Promise<string[]> {
  const scanner = new SharedStringScanner();
  await scanEntry(zip, entry, scanner);
  return scanner.strings;
}

class SharedStringScanner implements Scanner {
  readonly strings: string[] = [];
  private buf = '';
  private pos = 0;
  private prefix: string | null = null;
  private siOpen = '<si';
  private siClose = '</si>';
  private tOpen = '<t';
  private tClose = '</t>';

  push(text: string): void {
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    if (this.prefix === null) {
      if (this.buf.indexOf('>') < 0) return;
      this.prefix = rootPrefix(this.buf);
      const p = this.prefix;
      this.siOpen = `<${p}si`;
      this.siClose = `</${p}si>`;
      this.tOpen = `<${p}t`;
      this.tClose = `</${p}t>`;
    }
    this.scan();
  }

  finish(): void {
    this.buf = '';
  }

  private scan(): void {
    const buf = this.buf;
    const { siOpen, siClose, tOpen, tClose } = this;
    let pos = this.pos;
    for (;;) {
      const lt = buf.indexOf(siOpen, pos);
      if (lt < 0) {
        pos = Math.max(pos, buf.length - siOpen.length);
        break;
      }
      if (lt + siOpen.length >= buf.length) {
        pos = lt;
        break;
      }
      const d = buf.charCodeAt(lt + siOpen.length);
      if (d !== 62 && d !== 32 && d !== 47 && d !== 9 && d !== 10 && d !== 13) {
        pos = lt + 1;
        continue;
      }
      const gt = buf.indexOf('>', lt);
      if (gt < 0) {
        pos = lt;
        break;
      }
      if (buf.charCodeAt(gt - 1) === 47) {
        this.strings.push('');
        pos = gt + 1;
        continue;
      }
      const close = buf.indexOf(siClose, gt + 1);
      if (close < 0) {
        pos = lt;
        break;
      }
      this.strings.push(siText(buf, gt + 1, close, tOpen, tClose));
      pos = close + siClose.length;
    }
    this.pos = pos;
  }
}

/** Text of an `<si>`/`<is>`: the plain single-`<t>` case inline, rich text the long way. */
function siText(buf: string, from: number, to: number, tOpen: string, tClose: string): string {
  if (buf.startsWith(tOpen, from)) {
    const d = buf.charCodeAt(from + tOpen.length);
    if (d === 62 || d === 32) {
      const gt = d === 62 ? from + tOpen.length : buf.indexOf('>', from);
      if (gt > 0 && gt < to && buf.charCodeAt(gt - 1) !== 47) {
        const end = buf.indexOf('<', gt + 1);
        if (end >= 0 && buf.startsWith(tClose, end) && end + tClose.length === to) {
          return detach(decodeText(buf.slice(gt + 1, end)));
        }
      }
    }
  }
  return detach(runText(buf, from, to));
}

// ---------------------------------------------------------------------------
// Sheet data

const T_NUMBER = 0;
const T_SHARED = 1;
const T_BOOL = 2;
const T_TEXT = 3;
const T_INLINE = 4;

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 10 || ch === 13;
}

function cellType(buf: string, at: number): number {
  if (at < 0) return T_NUMBER;
  const a = buf.charCodeAt(at);
  const b = buf.charCodeAt(at + 1);
  const closes = b === 34 || b === 39;
  if (a === 115 /* s */) return closes ? T_SHARED : T_TEXT; // s | str
  if (a === 110 /* n */) return T_NUMBER;
  if (a === 98 /* b */) return T_BOOL;
  if (a === 105 /* i */) return T_INLINE;
  return T_TEXT; // e (error), d (ISO date), and anything unknown: as text
}

const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * A number's text. Plain decimals of up to 15 digits are parsed here: the digits and
 * the power of ten are both exact doubles, so one division gives the correctly rounded
 * value, the same double Number() would. Everything else goes through Number().
 */
function numberAt(buf: string, from: number, to: number): CellValue {
  let i = from;
  let neg = false;
  if (buf.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  let n = 0;
  let digits = 0;
  let scale = -1;
  for (; i < to; i++) {
    const ch = buf.charCodeAt(i);
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
  if (i === to && digits > 0 && digits <= 15) {
    const value = scale > 0 ? n / (POW10[scale] ?? 1) : n;
    return neg ? -value : value;
  }
  const text = buf.slice(from, to).trim();
  if (text === '') return null;
  const value = Number(text);
  return Number.isNaN(value) ? detach(decodeText(text)) : value;
}

class SheetScanner implements Scanner {
  readonly rows: RawRow[] = [];
  lastRow = 0;
  lastCol = -1;
  private buf = '';
  private pos = 0;
  private state = 0; // 0 before sheetData, 1 inside, 2 after
  private rowNo = 0;
  private prefix: string | null = null;
  private rowOpen = '<row';
  private rowClose = '</row>';
  private cOpen = '<c';
  private cClose = '</c>';
  private vOpen = '<v';
  private vPlain = '<v>';
  private vClose = '</v>';
  private vcClose = '</v></c>';
  private isOpen = '<is';
  private sheetDataOpen = '<sheetData';
  private sheetDataClose = '</sheetData';
  private readonly tag: TagScan = newTagScan();

  /**
   * `sst` null: only row extents are wanted, so shared-string cells count as filled
   * without loading the strings, and no rows are kept.
   */
  constructor(private readonly sst: readonly string[] | null) {}

  push(text: string): void {
    if (this.state === 2) return;
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    if (this.prefix === null) {
      if (this.buf.indexOf('>') < 0) return;
      const p = (this.prefix = rootPrefix(this.buf));
      this.rowOpen = `<${p}row`;
      this.rowClose = `</${p}row>`;
      this.cOpen = `<${p}c`;
      this.cClose = `</${p}c>`;
      this.vOpen = `<${p}v`;
      this.vPlain = `<${p}v>`;
      this.vClose = `</${p}v>`;
      this.vcClose = `</${p}v></${p}c>`;
      this.isOpen = `<${p}is`;
      this.sheetDataOpen = `<${p}sheetData`;
      this.sheetDataClose = `</${p}sheetData`;
    }
    if (this.state === 0) this.findSheetData();
    if (this.state === 1) this.scanRows();
  }

  finish(): void {
    this.buf = '';
    this.pos = 0;
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
    const buf = this.buf;
    const { rowOpen } = this;
    let pos = this.pos;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) {
        pos = buf.length;
        break;
      }
      if (lt + rowOpen.length >= buf.length) {
        pos = lt;
        break;
      }
      if (buf.startsWith(rowOpen, lt)) {
        const d = buf.charCodeAt(lt + rowOpen.length);
        if (isSpace(d) || d === 62 || d === 47) {
          const end = this.scanRow(buf, lt);
          if (end < 0) {
            pos = lt;
            break;
          }
          pos = end;
          continue;
        }
      }
      if (buf.startsWith(this.sheetDataClose, lt)) {
        this.state = 2;
        pos = buf.length;
        break;
      }
      if (buf.startsWith('<!--', lt)) {
        const end = buf.indexOf('-->', lt + 4);
        if (end < 0) {
          pos = lt;
          break;
        }
        pos = end + 3;
        continue;
      }
      const gt = tagEnd(buf, lt);
      if (gt < 0) {
        pos = lt;
        break;
      }
      pos = gt + 1;
    }
    this.pos = pos;
  }

  /**
   * One `<row>`: its cells are read as they come, so the row is scanned once. Returns
   * the index past `</row>`, or -1 when the row is not complete in the buffer yet (it is
   * then read again, whole, once more text has arrived).
   */
  private scanRow(buf: string, lt: number): number {
    const tag = this.tag;
    const n = buf.length;
    if (!scanTag(buf, lt + this.rowOpen.length, tag)) return -1;
    let rowNo = this.rowNo + 1;
    if (tag.r >= 0) {
      const r = digitsAt(buf, tag.r);
      if (r > 0) rowNo = r;
    }
    if (tag.selfClosing) {
      this.rowNo = rowNo;
      return tag.end;
    }
    const { cOpen, cClose, vPlain, vcClose, rowClose, sst } = this;
    // Unprefixed documents (nearly all) compare char codes inline instead of calling startsWith.
    const plain = this.prefix === '';
    const cLen = cOpen.length;
    const values: CellValue[] = [];
    let col = -1;
    let p = tag.end;
    for (;;) {
      let ch = buf.charCodeAt(p);
      while (ch === 32 || ch === 9 || ch === 10 || ch === 13) ch = buf.charCodeAt(++p);
      if (p >= n) return -1;
      if (ch !== 60) {
        p = buf.indexOf('<', p);
        if (p < 0) return -1;
        continue;
      }
      const d = buf.charCodeAt(p + cLen);
      const isCell = plain ? buf.charCodeAt(p + 1) === 99 : buf.startsWith(cOpen, p);
      if (!(isCell && (d === 32 || d === 62 || d === 47 || isSpace(d)))) {
        if (buf.startsWith(rowClose, p)) {
          p += rowClose.length;
          break;
        }
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
      if (!scanTag(buf, p + cLen, tag)) return -1;
      const c = tag.r >= 0 ? refColumn(buf, tag.r, n) : -1;
      col = c >= 0 ? c : col + 1;
      if (tag.selfClosing) {
        p = tag.end;
        continue;
      }
      const type = cellType(buf, tag.t);
      const start = tag.end;
      let value: CellValue = null;
      if (
        type !== T_INLINE &&
        (plain
          ? buf.charCodeAt(start) === 60 &&
            buf.charCodeAt(start + 1) === 118 &&
            buf.charCodeAt(start + 2) === 62
          : buf.startsWith(vPlain, start))
      ) {
        // <c …><v>text</v></c>, the form nearly every cell has
        const vStart = start + vPlain.length;
        const vEnd = buf.indexOf('<', vStart);
        if (vEnd < 0) return -1;
        if (plain ? isVcClose(buf, vEnd) : buf.startsWith(vcClose, vEnd)) {
          p = vEnd + vcClose.length;
          if (vEnd > vStart) value = this.valueOf(buf, type, vStart, vEnd);
          if (value !== null && value !== '') pushValue(values, col, value);
          continue;
        }
      }
      const end = buf.indexOf(cClose, start);
      if (end < 0) return -1;
      p = end + cClose.length;
      if (type === T_INLINE) {
        const is = buf.indexOf(this.isOpen, start);
        if (is >= 0 && is < end) {
          const isGt = buf.indexOf('>', is);
          if (buf.charCodeAt(isGt - 1) !== 47) value = detach(runText(buf, isGt + 1, end));
        }
      } else {
        const vStart = this.findV(start, end);
        if (vStart < 0) continue;
        let vEnd = buf.indexOf('<', vStart);
        if (vEnd >= 0 && buf.charCodeAt(vEnd + 1) === 33 /* <![CDATA[ */) {
          vEnd = buf.indexOf(this.vClose, vStart);
        }
        if (vEnd < 0 || vEnd > end || vEnd === vStart) continue;
        value = this.valueOf(buf, type, vStart, vEnd);
      }
      if (value !== null && value !== '') pushValue(values, col, value);
    }
    this.rowNo = rowNo;
    if (values.length > 0) {
      if (sst !== null) this.rows.push({ row: rowNo, values });
      if (rowNo > this.lastRow) this.lastRow = rowNo;
      if (values.length - 1 > this.lastCol) this.lastCol = values.length - 1;
    }
    return p;
  }

  private valueOf(buf: string, type: number, from: number, to: number): CellValue {
    if (type === T_NUMBER) return numberAt(buf, from, to);
    if (type === T_SHARED) {
      let n = 0;
      let i = from;
      for (; i < to; i++) {
        const d = buf.charCodeAt(i) - 48;
        if (d < 0 || d > 9) break;
        n = n * 10 + d;
      }
      if (i !== to) n = Number(buf.slice(from, to).trim());
      const sst = this.sst;
      return sst === null ? true : (sst[n] ?? null);
    }
    if (type === T_BOOL) {
      const ch = buf.charCodeAt(from);
      return ch === 49 || ch === 116; // "1" or "true"
    }
    return detach(decodeText(buf.slice(from, to)));
  }

  /** Start of the `<v>` text inside a cell, or -1 (no `<v>`, or `<v/>`). */
  private findV(from: number, to: number): number {
    const buf = this.buf;
    let at = from;
    for (;;) {
      const v = buf.indexOf(this.vOpen, at);
      if (v < 0 || v >= to) return -1;
      const d = buf.charCodeAt(v + this.vOpen.length);
      if (d === 62) return v + this.vOpen.length + 1;
      if (isSpace(d) || d === 47) {
        const gt = tagEnd(buf, v);
        if (gt < 0 || gt >= to || buf.charCodeAt(gt - 1) === 47) return -1;
        return gt + 1;
      }
      at = v + 1;
    }
  }
}

/** `</v></c>` at `at`. */
function isVcClose(buf: string, at: number): boolean {
  return (
    buf.charCodeAt(at + 1) === 47 &&
    buf.charCodeAt(at + 2) === 118 &&
    buf.charCodeAt(at + 3) === 62 &&
    buf.charCodeAt(at + 4) === 60 &&
    buf.charCodeAt(at + 5) === 47 &&
    buf.charCodeAt(at + 6) === 99 &&
    buf.charCodeAt(at + 7) === 62
  );
}

function pushValue(values: CellValue[], col: number, value: CellValue): void {
  if (col === values.length) {
    values.push(value);
  } else if (col > values.length) {
    while (values.length < col) values.push(null);
    values.push(value);
  } else {
    values[col] = value;
  }
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
  for (const piece of typeof xml === 'string' ? [xml] : xml) scanner.push(piece);
  scanner.finish();
  return scanner.rows;
}

/** Decodes a sharedStrings part held in memory, whole or in pieces; for tests. */
export function scanSharedStringsXml(xml: string | readonly string[]): string[] {
  const scanner = new SharedStringScanner();
  for (const piece of typeof xml === 'string' ? [xml] : xml) scanner.push(piece);
  scanner.finish();
  return scanner.strings;
}

/** The last row of a sheet part that holds a non-blank value (0 when none). */
export async function lastUsedRow(zip: ZipArchive, part: string): Promise<number> {
  const entry = zip.find(part);
  if (!entry) return 0;
  const scanner = new SheetScanner(null);
  await scanEntry(zip, entry, scanner);
  return scanner.lastRow;
}
