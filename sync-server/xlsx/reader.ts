/**
 * Streaming .xlsx reader. Cell values only: the sync needs what people typed or what
 * formulas last computed, not formatting, so styles are never parsed and a 10M-cell
 * workbook is read in one pass per sheet with memory proportional to the values kept.
 */
import { ZipArchive, type ZipEntry } from './zipRead.ts';
import {
  decodeText,
  detach,
  findElement,
  findElements,
  parseAttributes,
  refColumn,
  rootPrefix,
  runText,
  tagEnd,
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
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of zip.stream(entry)) {
    scanner.push(decoder.decode(chunk, { stream: true }));
  }
  scanner.push(decoder.decode());
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

/**
 * Index of the first character of attribute `name`'s value inside the tag buf[from, to),
 * or -1. The common `name="` spelling is found with one indexOf; spaces around `=` and
 * single quotes fall back to a scan.
 */
export function attrValue(buf: string, from: number, to: number, name: string): number {
  const fast = buf.indexOf(` ${name}="`, from);
  if (fast >= 0 && fast < to) return fast + name.length + 3;
  let at = from;
  for (;;) {
    at = buf.indexOf(name, at + 1);
    if (at < 0 || at >= to) return -1;
    if (!isSpace(buf.charCodeAt(at - 1))) continue;
    let j = at + name.length;
    while (isSpace(buf.charCodeAt(j))) j++;
    if (buf.charCodeAt(j) !== 61) continue;
    j++;
    while (isSpace(buf.charCodeAt(j))) j++;
    const q = buf.charCodeAt(j);
    if (q === 34 || q === 39) return j + 1;
  }
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

/** A number's text; plain integers without a Number() call, the rest as written. */
function numberAt(buf: string, from: number, to: number): CellValue {
  let i = from;
  let neg = false;
  if (buf.charCodeAt(i) === 45) {
    neg = true;
    i++;
  }
  if (to - i > 0 && to - i <= 15) {
    let n = 0;
    for (; i < to; i++) {
      const ch = buf.charCodeAt(i) - 48;
      if (ch < 0 || ch > 9) break;
      n = n * 10 + ch;
    }
    if (i === to) return neg ? -n : n;
  }
  const text = buf.slice(from, to).trim();
  if (text === '') return null;
  const n = Number(text);
  return Number.isNaN(n) ? detach(decodeText(text)) : n;
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
  private isOpen = '<is';
  private sheetDataOpen = '<sheetData';
  private sheetDataClose = '</sheetData';

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
    const { rowOpen, rowClose } = this;
    let pos = this.pos;
    for (;;) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) {
        pos = buf.length;
        break;
      }
      if (buf.startsWith(rowOpen, lt)) {
        const d = buf.charCodeAt(lt + rowOpen.length);
        if (isSpace(d) || d === 62 || d === 47) {
          const gt = tagEnd(buf, lt);
          if (gt < 0) {
            pos = lt;
            break;
          }
          const selfClosing = buf.charCodeAt(gt - 1) === 47;
          let close = gt + 1;
          if (!selfClosing) {
            close = buf.indexOf(rowClose, gt + 1);
            if (close < 0) {
              pos = lt;
              break;
            }
          }
          const r = attrValue(buf, lt, gt, 'r');
          let rowNo = this.rowNo + 1;
          if (r >= 0) {
            let n = 0;
            for (let i = r; ; i++) {
              const ch = buf.charCodeAt(i) - 48;
              if (ch < 0 || ch > 9) break;
              n = n * 10 + ch;
            }
            if (n > 0) rowNo = n;
          }
          this.rowNo = rowNo;
          if (selfClosing) {
            pos = gt + 1;
          } else {
            this.scanCells(gt + 1, close, rowNo);
            pos = close + rowClose.length;
          }
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

  private scanCells(from: number, to: number, rowNo: number): void {
    const buf = this.buf;
    const { cOpen, cClose, sst } = this;
    const cLen = cOpen.length;
    const values: CellValue[] = [];
    let col = -1;
    let p = from;
    for (;;) {
      const lt = buf.indexOf(cOpen, p);
      if (lt < 0 || lt >= to) break;
      const d = buf.charCodeAt(lt + cLen);
      if (!(d === 32 || d === 62 || d === 47 || isSpace(d))) {
        p = lt + 1;
        continue;
      }
      const gt = buf.indexOf('>', lt);
      const r = attrValue(buf, lt, gt, 'r');
      const c = r >= 0 ? refColumn(buf, r, gt) : -1;
      col = c >= 0 ? c : col + 1;
      if (buf.charCodeAt(gt - 1) === 47) {
        p = gt + 1;
        continue;
      }
      const end = buf.indexOf(cClose, gt + 1);
      const stop = end < 0 || end > to ? to : end;
      p = stop + cClose.length;
      const type = cellType(buf, attrValue(buf, lt, gt, 't'));
      let value: CellValue = null;
      if (type === T_INLINE) {
        const is = buf.indexOf(this.isOpen, gt + 1);
        if (is >= 0 && is < stop) {
          const isGt = buf.indexOf('>', is);
          if (buf.charCodeAt(isGt - 1) !== 47) value = detach(runText(buf, isGt + 1, stop));
        }
      } else {
        let vStart: number;
        if (buf.startsWith(this.vPlain, gt + 1)) {
          vStart = gt + 1 + this.vPlain.length;
        } else {
          const v = this.findV(gt + 1, stop);
          if (v < 0) continue;
          vStart = v;
        }
        let vEnd = buf.indexOf('<', vStart);
        if (vEnd >= 0 && buf.charCodeAt(vEnd + 1) === 33 /* <![CDATA[ */) {
          vEnd = buf.indexOf(this.vClose, vStart);
        }
        if (vEnd < 0 || vEnd > stop || vEnd === vStart) continue;
        if (type === T_NUMBER) {
          value = numberAt(buf, vStart, vEnd);
        } else if (type === T_SHARED) {
          let n = 0;
          for (let i = vStart; i < vEnd; i++) {
            const digit = buf.charCodeAt(i) - 48;
            if (digit < 0 || digit > 9) {
              n = Number(buf.slice(vStart, vEnd).trim());
              break;
            }
            n = n * 10 + digit;
          }
          value = sst === null ? true : (sst[n] ?? null);
        } else if (type === T_BOOL) {
          const ch = buf.charCodeAt(vStart);
          value = ch === 49 || ch === 116; // "1" or "true"
        } else {
          value = detach(decodeText(buf.slice(vStart, vEnd)));
        }
      }
      if (value === null || value === '') continue;
      if (col === values.length) {
        values.push(value);
      } else if (col > values.length) {
        while (values.length < col) values.push(null);
        values.push(value);
      } else {
        values[col] = value;
      }
    }
    if (values.length > 0) {
      if (this.sst !== null) this.rows.push({ row: rowNo, values });
      if (rowNo > this.lastRow) this.lastRow = rowNo;
      if (values.length - 1 > this.lastCol) this.lastCol = values.length - 1;
    }
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

/** Decodes one worksheet part held in memory; for tests and small parts. */
export function scanSheetXml(xml: string, sharedStrings: readonly string[] = []): RawRow[] {
  const scanner = new SheetScanner(sharedStrings);
  scanner.push(xml);
  scanner.finish();
  return scanner.rows;
}

/** Decodes a sharedStrings part held in memory; for tests and small parts. */
export function scanSharedStringsXml(xml: string): string[] {
  const scanner = new SharedStringScanner();
  scanner.push(xml);
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
