/**
 * Writes a workbook back by patching it rather than re-serialising it. Only the sheet
 * parts that change are inflated, edited as a text stream and deflated again; every
 * other zip entry is copied as its original compressed bytes. Whatever the sync does
 * not own — people's columns, formulas, styles, validation, comments, drawings, other
 * tabs — therefore comes out exactly as it went in, and memory stays bounded by the
 * patch plus a chunk or two of XML, whatever the workbook's size.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { constants as zlibConstants, crc32, deflateRaw, deflateRawSync } from 'node:zlib';
import { columnLetters } from './cellRef.ts';
import {
  lastUsedRow,
  parseRelationships,
  readStructure,
  relKind,
  resolveTarget,
  type CellValue,
  type SheetInfo,
  type WorkbookStructure,
} from './reader.ts';
import {
  decodeText,
  digitsAt,
  encodeCellText,
  escapeAttr,
  findElement,
  findElements,
  needsPreserve,
  newTagScan,
  parseAttributes,
  refColumn,
  refRow,
  rootPrefix,
  scanTag,
  shiftFormula,
  tagEnd,
} from './sheetXml.ts';
import { FLAG_UTF8, STREAM_CHUNK, ZipArchive, type ZipEntry } from './zipRead.ts';

export type { CellValue } from './reader.ts';

export type NumFmt = 'date' | 'datetime' | 'integer' | 'number' | 'money' | 'percent';

export interface CellPatch {
  /** 1-based sheet row */
  row: number;
  /** 0-based column */
  col: number;
  /** null (or '') clears the value and keeps the cell's style */
  value: CellValue;
  /** number format for a number written into a cell without a number format of its own */
  numFmt?: NumFmt;
}

export interface SheetContent {
  /** rows[0] is sheet row 1 */
  rows: readonly (readonly CellValue[])[];
  /** number format per 0-based column, applied below the header rows */
  numFmts?: readonly (NumFmt | null | undefined)[];
  /** leading rows styled as headers (bold, shaded) unless they already have a style; default 1 */
  headerRows?: number;
  /** column widths in characters, used when the sheet is created */
  colWidths?: readonly (number | null | undefined)[];
  /** freeze the header rows when the sheet is created; default true */
  freezeHeader?: boolean;
}

export interface AppendRows {
  /** rows written below the sheet's last row holding a value */
  rows: readonly (readonly CellValue[])[];
  numFmts?: readonly (NumFmt | null | undefined)[];
}

export interface WorkbookPatch {
  /** cell updates per existing sheet name */
  cells?: Readonly<Record<string, readonly CellPatch[]>>;
  /** sheets whose data is rewritten whole; created (as the last tab) when missing */
  replaceSheets?: Readonly<Record<string, SheetContent>>;
  /** rows appended per existing sheet name */
  appendRows?: Readonly<Record<string, AppendRows>>;
}

export interface PatchOptions {
  /**
   * zlib level for rewritten parts, 1 (fast) … 9 (small). Default 4: on sheet XML it
   * is within ~5% of level 6's size at under half its CPU time.
   */
  compressionLevel?: number;
}

export interface PatchResult {
  /** cells set or cleared by `cells` and `appendRows`, plus cells of replaced sheets */
  cellsWritten: number;
  /** formulas dropped from overwritten cells */
  formulasRemoved: number;
  /** shared formulas rewritten as standalone formulas because their anchor cell was overwritten */
  formulasDetached: number;
  sheetsAdded: string[];
  /** zip entries written anew; everything else was copied byte-for-byte */
  partsRewritten: string[];
  /** size of the written file */
  bytes: number;
}

const MAX_ROWS = 1_048_576;
const MAX_COLS = 16_384;
const MAX_TEXT = 32_767;
const U32 = 0xffffffff;
/** Uncompressed bytes per independently deflated segment (costs ~0.1% in size). */
const DEFLATE_SEGMENT = 2 << 20;
/** Room in a segment buffer: a segment ends once past DEFLATE_SEGMENT, so a piece fits whole. */
const SEGMENT_CAPACITY = DEFLATE_SEGMENT + (1 << 20);
/** Segments in flight; the libuv pool has four threads. */
const DEFLATE_PARALLEL = 4;

const deflateAsync = promisify(deflateRaw) as (
  data: Buffer,
  options: { level: number; finishFlush: number },
) => Promise<Buffer>;

const WORKSHEET_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml';
const STYLES_CONTENT_TYPE =
  'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml';
const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_REL_STRICT = 'http://purl.oclc.org/ooxml/officeDocument/relationships';
const REL_WORKSHEET = `${NS_REL}/worksheet`;
const REL_STYLES = `${NS_REL}/styles`;

export class PatchError extends Error {
  override name = 'PatchError';
}

// ---------------------------------------------------------------------------
// Entry point

/** A cell to write; a checked CellPatch serves as one as it is. */
interface PatchCellX {
  col: number;
  value: CellValue;
  numFmt?: NumFmt | undefined;
  header?: boolean;
}

interface PatchRowX {
  row: number;
  cells: PatchCellX[];
}

interface Extent {
  minRow: number;
  maxRow: number;
  minCol: number;
  maxCol: number;
}

interface SheetJob {
  name: string;
  /** null for a sheet the patch creates */
  info: SheetInfo | null;
  mode: 'merge' | 'replace';
  rows: PatchRowX[];
  content?: SheetContent;
  /** part name of a created sheet */
  newPart?: string;
  newRelId?: string;
  newSheetId?: number;
}

export async function patchWorkbook(
  srcPath: string,
  destPath: string,
  patch: WorkbookPatch,
  options: PatchOptions = {},
): Promise<PatchResult> {
  const level = options.compressionLevel ?? 4;
  const zip = await ZipArchive.open(srcPath);
  let out: ZipOut | undefined;
  try {
    const structure = await readStructure(zip);
    const jobs = await planJobs(zip, structure, patch);
    const result: PatchResult = {
      cellsWritten: 0,
      formulasRemoved: 0,
      formulasDetached: 0,
      sheetsAdded: [],
      partsRewritten: [],
      bytes: 0,
    };

    const needsStyles = jobs.some(
      (j) => j.mode === 'replace' || j.rows.some((r) => r.cells.some((c) => c.numFmt)),
    );
    const stylesEntry = structure.stylesPart ? zip.find(structure.stylesPart) : undefined;
    const styles = new StyleBook(stylesEntry ? await zip.readText(stylesEntry) : null);
    const createStyles = !stylesEntry && needsStyles;

    const newJobs = jobs.filter((j) => j.info === null);
    const calcChain = await planCalcChain(zip, structure, jobs);
    const structural = await planStructure(
      zip,
      structure,
      newJobs,
      createStyles,
      calcChain && calcChain.text === null ? calcChain.part : null,
    );

    out = new ZipOut(await open(destPath, 'w'));
    const jobByPart = new Map<string, SheetJob>();
    for (const job of jobs) if (job.info?.part) jobByPart.set(job.info.part, job);
    const replaced = new Map<string, string | null>(structural.texts);
    if (calcChain) replaced.set(calcChain.part, calcChain.text);

    for (const entry of zip.entries) {
      const job = jobByPart.get(entry.name);
      if (job) {
        const merger = new SheetMerger(job, styles, result);
        await out.writeStream(entry, mergeChunks(zip, entry, merger), level);
        result.partsRewritten.push(entry.name);
        continue;
      }
      if (stylesEntry && entry === stylesEntry) continue; // written last, once every xf is known
      if (replaced.has(entry.name)) {
        const text = replaced.get(entry.name);
        if (text === null || text === undefined) continue; // part removed
        await out.writeBuffer(entry, Buffer.from(text, 'utf8'), level);
        result.partsRewritten.push(entry.name);
        continue;
      }
      await out.copyRaw(zip, entry);
    }

    for (const job of newJobs) {
      const merger = new SheetMerger(job, styles, result);
      const meta = newEntryMeta(job.newPart ?? '');
      await out.writeStream(meta, newSheetChunks(merger), level);
      result.partsRewritten.push(meta.name);
      result.sheetsAdded.push(job.name);
    }

    if (stylesEntry) {
      if (styles.modified) {
        await out.writeBuffer(stylesEntry, Buffer.from(styles.serialize(), 'utf8'), level);
        result.partsRewritten.push(stylesEntry.name);
      } else {
        await out.copyRaw(zip, stylesEntry);
      }
    } else if (createStyles) {
      const meta = newEntryMeta(structural.newStylesPart ?? 'xl/styles.xml');
      await out.writeBuffer(meta, Buffer.from(styles.serialize(), 'utf8'), level);
      result.partsRewritten.push(meta.name);
    }

    result.bytes = await out.finish();
    return result;
  } finally {
    await out?.close();
    await zip.close();
  }
}

/** The merged part as batches of byte strings, one batch per chunk read. */
async function* mergeChunks(
  zip: ZipArchive,
  entry: ZipEntry,
  merger: SheetMerger,
): AsyncGenerator<readonly string[]> {
  for await (const chunk of zip.stream(entry)) {
    merger.push((chunk as LatinBuffer).latin1Slice(0, chunk.length));
    yield merger.take();
  }
  merger.finish();
  yield merger.take();
}

async function* newSheetChunks(merger: SheetMerger): AsyncGenerator<readonly string[]> {
  merger.generateNew();
  yield merger.take();
}

/** Buffer's latin1 codec without toString's and write's argument handling; every Buffer has it. */
interface LatinBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length: number): number;
}

// The merger works on byte strings: a sheet part's bytes, each as the char of that code
// (latin1). Decoding is then a plain copy, strings stay one byte per char, and whatever
// passes through comes out as the very bytes that went in. Markup is ASCII, so it reads
// the same either way; only text the patch writes, and formulas it rewrites, convert.

const NON_ASCII = /[\u0080-\uffff]/;

/** Text as the byte string of its UTF-8 encoding. */
function toBytes(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const bytes = Buffer.from(text, 'utf8') as LatinBuffer;
  return bytes.latin1Slice(0, bytes.length);
}

/** A byte string read back as text. */
function fromBytes(bytes: string): string {
  if (!NON_ASCII.test(bytes)) return bytes;
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

// ---------------------------------------------------------------------------
// Planning: validation, sheet jobs, structure edits

function findSheetInfo(structure: WorkbookStructure, name: string): SheetInfo | undefined {
  const lower = name.toLowerCase();
  return (
    structure.sheets.find((s) => s.name === name) ??
    structure.sheets.find((s) => s.name.toLowerCase() === lower)
  );
}

const cellName = (sheet: string, row: number, col: number): string => `${sheet}!R${row}C${col}`;

function checkValue(value: unknown, sheet: string, row: number, col: number): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new PatchError(`${cellName(sheet, row, col)}: ${value} is not a finite number`);
    }
    return value;
  }
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    if (value === '') return null;
    if (value.length <= MAX_TEXT) return value;
    // Excel refuses cells longer than this; cut at a code point boundary.
    const cut = /[\uD800-\uDBFF]/.test(value.charAt(MAX_TEXT - 1)) ? MAX_TEXT - 1 : MAX_TEXT;
    return value.slice(0, cut);
  }
  throw new PatchError(`${cellName(sheet, row, col)}: unsupported value ${typeof value}`);
}

const NUM_FMTS = new Set<string>(['date', 'datetime', 'integer', 'number', 'money', 'percent']);
const FMT_KEYS: Readonly<Record<NumFmt, number>> = {
  date: 1,
  datetime: 2,
  integer: 3,
  number: 4,
  money: 5,
  percent: 6,
};

function checkNumFmt(fmt: unknown, where: string): NumFmt | undefined {
  if (fmt === null || fmt === undefined) return undefined;
  if (typeof fmt !== 'string' || !NUM_FMTS.has(fmt)) {
    throw new PatchError(`${where}: unknown number format ${String(fmt)}`);
  }
  return fmt as NumFmt;
}

function checkSheetName(name: string): void {
  if (name.length === 0 || name.length > 31 || /[\\/?*[\]:]/.test(name) || /^'|'$/.test(name)) {
    throw new PatchError(`invalid sheet name "${name}"`);
  }
}

function rowsFromCells(sheet: string, cells: readonly CellPatch[]): PatchRowX[] {
  // A sync's patch is a million cells or more, nearly all already in order and valid:
  // those are used as they are, so checking them allocates nothing.
  const checked: PatchCellX[] = new Array<PatchCellX>(cells.length);
  let sorted = true;
  let prev = -1;
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i]!;
    if (!Number.isInteger(c.row) || c.row < 1 || c.row > MAX_ROWS) {
      throw new PatchError(`${cellName(sheet, c.row, c.col)}: row out of range`);
    }
    if (!Number.isInteger(c.col) || c.col < 0 || c.col >= MAX_COLS) {
      throw new PatchError(`${cellName(sheet, c.row, c.col)}: column out of range`);
    }
    const key = c.row * MAX_COLS + c.col;
    if (key <= prev) sorted = false;
    prev = key;
    const value = checkValue(c.value, sheet, c.row, c.col);
    const numFmt =
      c.numFmt === undefined || NUM_FMTS.has(c.numFmt)
        ? c.numFmt
        : checkNumFmt(c.numFmt, cellName(sheet, c.row, c.col));
    checked[i] =
      value === c.value && numFmt === c.numFmt && (c as PatchCellX).header === undefined
        ? c
        : { col: c.col, value, numFmt, header: false };
  }
  let order: number[] | null = null;
  if (!sorted) {
    order = Array.from(cells, (_, i) => i);
    order.sort((a, b) => cells[a]!.row - cells[b]!.row || cells[a]!.col - cells[b]!.col || a - b);
  }
  const rows: PatchRowX[] = [];
  let row: PatchRowX | undefined;
  for (let n = 0; n < cells.length; n++) {
    const i = order ? order[n]! : n;
    const rowNo = cells[i]!.row;
    const cell = checked[i]!;
    if (!row || row.row !== rowNo) {
      row = { row: rowNo, cells: [] };
      rows.push(row);
    }
    const last = row.cells[row.cells.length - 1];
    // A later update of the same cell wins.
    if (last && last.col === cell.col) row.cells[row.cells.length - 1] = cell;
    else row.cells.push(cell);
  }
  return rows;
}

function rowsFromContent(
  sheet: string,
  rows: readonly (readonly CellValue[])[],
  firstRow: number,
  numFmts: readonly (NumFmt | null | undefined)[] | undefined,
  headerRows: number,
  keepBlankCells: boolean,
): PatchRowX[] {
  if (firstRow - 1 + rows.length > MAX_ROWS) throw new PatchError(`${sheet}: too many rows`);
  const fmts = (numFmts ?? []).map((f, i) => checkNumFmt(f, `${sheet} column ${i}`));
  const out: PatchRowX[] = [];
  rows.forEach((values, i) => {
    if (values.length > MAX_COLS) throw new PatchError(`${sheet}: too many columns`);
    const row = firstRow + i;
    const header = i < headerRows;
    const cells: PatchCellX[] = [];
    values.forEach((v, col) => {
      const value = checkValue(v, sheet, row, col);
      if (value === null && !keepBlankCells) return;
      cells.push({ col, value, numFmt: header ? undefined : fmts[col], header });
    });
    if (cells.length > 0) out.push({ row, cells });
  });
  return out;
}

async function planJobs(
  zip: ZipArchive,
  structure: WorkbookStructure,
  patch: WorkbookPatch,
): Promise<SheetJob[]> {
  const jobs = new Map<string, SheetJob>();
  const existing = (name: string, what: string): SheetInfo => {
    const info = findSheetInfo(structure, name);
    if (!info) throw new PatchError(`${what}: no sheet named "${name}"`);
    if (info.kind !== 'worksheet' || !info.part) {
      throw new PatchError(`${what}: "${name}" is not a worksheet`);
    }
    return info;
  };

  for (const [name, content] of Object.entries(patch.replaceSheets ?? {})) {
    const info = findSheetInfo(structure, name) ?? null;
    if (info && (info.kind !== 'worksheet' || !info.part)) {
      throw new PatchError(`replaceSheets: "${name}" is not a worksheet`);
    }
    if (!info) checkSheetName(name);
    const key = (info?.name ?? name).toLowerCase();
    if (jobs.has(key)) throw new PatchError(`replaceSheets: "${name}" given twice`);
    const headerRows = content.headerRows ?? 1;
    jobs.set(key, {
      name: info?.name ?? name,
      info,
      mode: 'replace',
      rows: rowsFromContent(name, content.rows, 1, content.numFmts, headerRows, false),
      content,
    });
  }

  for (const [name, cells] of Object.entries(patch.cells ?? {})) {
    const info = existing(name, 'cells');
    const key = info.name.toLowerCase();
    if (jobs.has(key)) throw new PatchError(`cells: "${name}" is also replaced or given twice`);
    jobs.set(key, { name: info.name, info, mode: 'merge', rows: rowsFromCells(name, cells) });
  }

  for (const [name, append] of Object.entries(patch.appendRows ?? {})) {
    const info = existing(name, 'appendRows');
    const key = info.name.toLowerCase();
    const job = jobs.get(key);
    if (job && job.mode === 'replace') {
      throw new PatchError(`appendRows: "${name}" is also replaced`);
    }
    let base = await lastUsedRow(zip, info.part ?? '');
    for (const row of job?.rows ?? []) {
      if (row.row > base && row.cells.some((c) => c.value !== null)) base = row.row;
    }
    const added = rowsFromContent(name, append.rows, base + 1, append.numFmts, 0, false);
    if (job) job.rows.push(...added);
    else jobs.set(key, { name: info.name, info, mode: 'merge', rows: added });
  }
  // A sheet with nothing to change is copied as it is rather than re-deflated.
  return [...jobs.values()].filter((j) => j.mode === 'replace' || j.rows.length > 0);
}

interface StructurePlan {
  /** new text per part name */
  texts: Map<string, string>;
  newStylesPart: string | null;
}

function relationshipPrefix(rootTag: string): { prefix: string; declare: string } {
  for (const [key, value] of parseAttributes(rootTag)) {
    if (key.startsWith('xmlns:') && (value === NS_REL || value === NS_REL_STRICT)) {
      return { prefix: key.slice(6), declare: '' };
    }
  }
  return { prefix: 'r', declare: ` xmlns:r="${NS_REL}"` };
}

function relativeTarget(fromPart: string, toPart: string): string {
  const from = fromPart.split('/').slice(0, -1);
  const to = toPart.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

function insertBeforeClose(xml: string, local: string, insert: string): string {
  const el = findElement(xml, local);
  if (!el) throw new PatchError(`<${local}> not found`);
  if (el.innerStart === el.end) {
    // self-closing: open it up
    const tag = el.tag.replace(/\s*\/>$/, '>');
    return `${xml.slice(0, el.start)}${tag}${insert}</${el.qname}>${xml.slice(el.end)}`;
  }
  return xml.slice(0, el.innerEnd) + insert + xml.slice(el.innerEnd);
}

async function planStructure(
  zip: ZipArchive,
  structure: WorkbookStructure,
  newJobs: SheetJob[],
  createStyles: boolean,
  removedPart: string | null,
): Promise<StructurePlan> {
  const texts = new Map<string, string>();
  if (newJobs.length === 0 && !createStyles && !removedPart) return { texts, newStylesPart: null };

  const relsEntry = zip.find(structure.workbookRelsPart);
  let rels = relsEntry
    ? await zip.readText(relsEntry)
    : `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`;
  const relList = parseRelationships(rels);
  const usedIds = new Set(relList.map((r) => r.id));
  const nextRelId = (): string => {
    let n = relList.length + 1;
    while (usedIds.has(`rId${n}`)) n++;
    usedIds.add(`rId${n}`);
    return `rId${n}`;
  };
  const worksheetType = relList.find((r) => relKind(r.type) === 'worksheet')?.type ?? REL_WORKSHEET;
  const stylesType = worksheetType.replace(/worksheet$/, 'styles') || REL_STYLES;

  const ctEntry = zip.find('[Content_Types].xml');
  if (!ctEntry) throw new PatchError('[Content_Types].xml is missing');
  let contentTypes = await zip.readText(ctEntry);

  const taken = new Set(zip.entries.map((e) => e.name.toLowerCase()));
  const firstSheet = structure.sheets.find((s) => s.kind === 'worksheet' && s.part)?.part;
  const sheetDir = firstSheet
    ? firstSheet.slice(0, firstSheet.lastIndexOf('/') + 1)
    : `${structure.workbookPart.slice(0, structure.workbookPart.lastIndexOf('/') + 1)}worksheets/`;

  let relInsert = '';
  let ctInsert = '';
  let newStylesPart: string | null = null;

  if (newJobs.length > 0) {
    const wbEntry = zip.find(structure.workbookPart);
    if (!wbEntry) throw new PatchError('workbook part is missing');
    let workbook = await zip.readText(wbEntry);
    const prefix = rootPrefix(workbook);
    const rootStart = workbook.indexOf(`<${prefix}workbook`);
    const rootTag = workbook.slice(rootStart, tagEnd(workbook, rootStart) + 1);
    const rel = relationshipPrefix(rootTag);
    let maxSheetId = 0;
    for (const s of structure.sheets) maxSheetId = Math.max(maxSheetId, s.sheetId);
    let sheetInsert = '';
    let k = 1;
    for (const job of newJobs) {
      while (taken.has(`${sheetDir}sheet${k}.xml`.toLowerCase())) k++;
      const part = `${sheetDir}sheet${k}.xml`;
      taken.add(part.toLowerCase());
      job.newPart = part;
      job.newRelId = nextRelId();
      job.newSheetId = ++maxSheetId;
      sheetInsert += `<${prefix}sheet name="${escapeAttr(job.name)}" sheetId="${job.newSheetId}"${rel.declare} ${rel.prefix}:id="${job.newRelId}"/>`;
      relInsert += `<Relationship Id="${job.newRelId}" Type="${escapeAttr(worksheetType)}" Target="${escapeAttr(relativeTarget(structure.workbookPart, part))}"/>`;
      ctInsert += `<Override PartName="/${escapeAttr(part)}" ContentType="${WORKSHEET_CONTENT_TYPE}"/>`;
    }
    workbook = insertBeforeClose(workbook, 'sheets', sheetInsert);
    texts.set(wbEntry.name, workbook);
  }

  if (createStyles) {
    const dir = structure.workbookPart.slice(0, structure.workbookPart.lastIndexOf('/') + 1);
    newStylesPart = `${dir}styles.xml`;
    if (taken.has(newStylesPart.toLowerCase())) {
      throw new PatchError(`${newStylesPart} exists but is not the workbook's styles part`);
    }
    relInsert += `<Relationship Id="${nextRelId()}" Type="${escapeAttr(stylesType)}" Target="${escapeAttr(relativeTarget(structure.workbookPart, newStylesPart))}"/>`;
    ctInsert += `<Override PartName="/${escapeAttr(newStylesPart)}" ContentType="${STYLES_CONTENT_TYPE}"/>`;
  }

  if (removedPart) {
    const wbPart = structure.workbookPart;
    for (const m of findElements(rels, 'Relationship').reverse()) {
      const a = parseAttributes(m.tag);
      if (resolveTarget(wbPart, a.get('Target') ?? '') === removedPart) {
        rels = rels.slice(0, m.start) + rels.slice(m.end);
      }
    }
    for (const m of findElements(contentTypes, 'Override').reverse()) {
      const name = parseAttributes(m.tag).get('PartName') ?? '';
      if (name.replace(/^\//, '').toLowerCase() === removedPart.toLowerCase()) {
        contentTypes = contentTypes.slice(0, m.start) + contentTypes.slice(m.end);
      }
    }
  }
  if (relInsert) rels = insertBeforeClose(rels, 'Relationships', relInsert);
  if (ctInsert) contentTypes = insertBeforeClose(contentTypes, 'Types', ctInsert);
  if (!relsEntry) throw new PatchError(`${structure.workbookRelsPart} is missing`);
  texts.set(relsEntry.name, rels);
  texts.set(ctEntry.name, contentTypes);
  return { texts, newStylesPart };
}

/**
 * calcChain lists formula cells; an entry for a cell that no longer has a formula makes
 * Excel report the file as damaged. Every cell the patch overwrites loses its formula,
 * so their entries (and every entry of a replaced sheet) are dropped up front.
 */
async function planCalcChain(
  zip: ZipArchive,
  structure: WorkbookStructure,
  jobs: SheetJob[],
): Promise<{ part: string; text: string | null } | null> {
  if (!structure.calcChainPart) return null;
  const entry = zip.find(structure.calcChainPart);
  if (!entry) return null;
  const wholeSheets = new Set<number>();
  const cells = new Map<number, Set<number>>();
  for (const job of jobs) {
    if (!job.info) continue;
    if (job.mode === 'replace') {
      wholeSheets.add(job.info.sheetId);
      continue;
    }
    const set = new Set<number>();
    for (const row of job.rows) for (const c of row.cells) set.add(row.row * MAX_COLS + c.col);
    cells.set(job.info.sheetId, set);
  }
  if (wholeSheets.size === 0 && cells.size === 0) return null;

  const xml = await zip.readText(entry);
  const root = findElement(xml, 'calcChain');
  if (!root) return null;
  const items = findElements(xml, 'c', root.innerStart, root.innerEnd);
  const kept: string[] = [];
  let sheet = 0;
  let lastWritten = -1;
  let changed = false;
  for (const item of items) {
    const attrs = parseAttributes(item.tag);
    const i = attrs.get('i');
    if (i !== undefined) sheet = Number(i);
    const ref = attrs.get('r') ?? '';
    const key = refRow(ref, 0, ref.length) * MAX_COLS + refColumn(ref, 0, ref.length);
    if (wholeSheets.has(sheet) || (cells.get(sheet)?.has(key) ?? false)) {
      changed = true;
      continue;
    }
    let text = xml.slice(item.start, item.end);
    // `i` carries over from the entry before; restate it where that entry was dropped.
    if (sheet !== lastWritten && i === undefined) {
      text = text.replace(/^<([^\s/>]+)/, `<$1 i="${sheet}"`);
    }
    lastWritten = sheet;
    kept.push(text);
  }
  if (!changed) return null;
  // An empty calcChain is invalid; without the part Excel simply rebuilds the chain.
  if (kept.length === 0) return { part: entry.name, text: null };
  const last = items[items.length - 1];
  const after = last ? last.end : root.innerEnd;
  return {
    part: entry.name,
    text: xml.slice(0, root.innerStart) + kept.join('') + xml.slice(after),
  };
}

// ---------------------------------------------------------------------------
// Styles

const BUILTIN_FORMATS: Readonly<Record<NumFmt, number | string>> = {
  integer: 1, // 0
  number: 2, // 0.00
  money: 4, // #,##0.00
  percent: 10, // 0.00%
  date: 'yyyy-mm-dd',
  datetime: 'yyyy-mm-dd hh:mm',
};

const EMPTY_STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="${NS_MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/**
 * The cell formats of styles.xml, extended on demand. Existing entries are never
 * changed or reordered, so every `s` index already in the workbook keeps its meaning.
 */
class StyleBook {
  private readonly xml: string;
  private readonly prefix: string;
  private readonly xfs: string[];
  private readonly numFmtCodes = new Map<string, number>();
  private maxNumFmtId = 163;
  private readonly fontCount: number;
  private readonly fillCount: number;
  private readonly firstFont: string;
  private readonly addedNumFmts: string[] = [];
  private readonly addedXfs: string[] = [];
  private readonly addedFonts: string[] = [];
  private readonly addedFills: string[] = [];
  private readonly cache = new Map<string, number | undefined>();
  private headerXf: number | undefined;

  constructor(xml: string | null) {
    this.xml = xml ?? EMPTY_STYLES;
    this.prefix = rootPrefix(this.xml);
    const numFmts = findElement(this.xml, 'numFmts');
    if (numFmts) {
      for (const m of findElements(this.xml, 'numFmt', numFmts.innerStart, numFmts.innerEnd)) {
        const a = parseAttributes(m.tag);
        const id = Number(a.get('numFmtId'));
        if (!Number.isFinite(id)) continue;
        const code = a.get('formatCode') ?? '';
        if (!this.numFmtCodes.has(code)) this.numFmtCodes.set(code, id);
        this.maxNumFmtId = Math.max(this.maxNumFmtId, id);
      }
    }
    const cellXfs = findElement(this.xml, 'cellXfs');
    this.xfs = cellXfs
      ? findElements(this.xml, 'xf', cellXfs.innerStart, cellXfs.innerEnd).map((m) =>
          this.xml.slice(m.start, m.end),
        )
      : [];
    const fonts = findElement(this.xml, 'fonts');
    const fontList = fonts ? findElements(this.xml, 'font', fonts.innerStart, fonts.innerEnd) : [];
    this.fontCount = fontList.length;
    this.firstFont = fontList[0] ? this.xml.slice(fontList[0].start, fontList[0].end) : '';
    const fills = findElement(this.xml, 'fills');
    this.fillCount = fills
      ? findElements(this.xml, 'fill', fills.innerStart, fills.innerEnd).length
      : 0;
  }

  get modified(): boolean {
    return this.addedXfs.length > 0;
  }

  private get count(): number {
    return this.xfs.length + this.addedXfs.length;
  }

  private xfNumFmt(index: number): number {
    const xf = index < this.xfs.length ? this.xfs[index] : this.addedXfs[index - this.xfs.length];
    if (!xf) return 0;
    const m = /\snumFmtId\s*=\s*["']([0-9]+)["']/.exec(xf.slice(0, tagEnd(xf, 0) + 1));
    return m ? Number(m[1]) : 0;
  }

  private formatId(fmt: NumFmt): number {
    const spec = BUILTIN_FORMATS[fmt];
    if (typeof spec === 'number') return spec;
    const known = this.numFmtCodes.get(spec);
    if (known !== undefined) return known;
    const id = ++this.maxNumFmtId;
    this.numFmtCodes.set(spec, id);
    this.addedNumFmts.push(
      `<${this.prefix}numFmt numFmtId="${id}" formatCode="${escapeAttr(spec)}"/>`,
    );
    return id;
  }

  private addXf(xf: string): number {
    this.addedXfs.push(xf);
    return this.count - 1;
  }

  /**
   * The `s` for a written cell. The cell's own or inherited style wins; a number format
   * is added only where that style shows numbers as General or Text, so a date never
   * appears as a bare serial and people's fonts, fills and borders stay.
   */
  resolve(base: number | undefined, fmt: NumFmt | undefined, header: boolean): number | undefined {
    const key = `${base ?? ''}|${fmt ?? ''}|${header ? 1 : 0}`;
    if (this.cache.has(key)) return this.cache.get(key);
    let s: number | undefined;
    if (header) {
      s = base ?? this.header();
    } else if (base !== undefined && base < this.count) {
      const current = this.xfNumFmt(base);
      if (fmt && (current === 0 || current === 49)) {
        s = this.addXf(this.withNumFmt(base, this.formatId(fmt)));
      } else {
        s = base;
      }
    } else if (fmt) {
      const id = this.formatId(fmt);
      const plain = this.xfs.findIndex((xf) => isPlainXf(xf, id));
      s =
        plain >= 0
          ? plain
          : this.addXf(
              `<${this.prefix}xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`,
            );
    }
    this.cache.set(key, s);
    return s;
  }

  private withNumFmt(base: number, id: number): string {
    const xf =
      (base < this.xfs.length ? this.xfs[base] : this.addedXfs[base - this.xfs.length]) ?? '';
    const end = tagEnd(xf, 0);
    let tag = xf.slice(0, end + 1);
    const rest = xf.slice(end + 1);
    tag = setAttr(tag, 'numFmtId', String(id));
    tag = setAttr(tag, 'applyNumberFormat', '1');
    return tag + rest;
  }

  private header(): number {
    if (this.headerXf !== undefined) return this.headerXf;
    const p = this.prefix;
    let font = this.firstFont || `<${p}font><${p}sz val="11"/></${p}font>`;
    if (!/<(?:\w+:)?b[\s/>]/.test(font)) {
      font = /\/>$/.test(font.slice(0, tagEnd(font, 0) + 1))
        ? font.replace(/\s*\/>$/, `><${p}b/></${p}font>`)
        : font.replace(/^(<[^>]*>)/, `$1<${p}b/>`);
    }
    this.addedFonts.push(font);
    this.addedFills.push(
      `<${p}fill><${p}patternFill patternType="solid"><${p}fgColor rgb="FFDDEBF7"/><${p}bgColor indexed="64"/></${p}patternFill></${p}fill>`,
    );
    const fontId = this.fontCount + this.addedFonts.length - 1;
    const fillId = this.fillCount + this.addedFills.length - 1;
    this.headerXf = this.addXf(
      `<${p}xf numFmtId="0" fontId="${fontId}" fillId="${fillId}" borderId="0" xfId="0" applyFont="1" applyFill="1"/>`,
    );
    return this.headerXf;
  }

  serialize(): string {
    let xml = this.xml;
    const p = this.prefix;
    // Later insertions first would shift earlier offsets; each step re-finds its element.
    xml = appendChildren(xml, 'cellXfs', 'xf', this.addedXfs, p, 'cellStyles');
    xml = appendChildren(xml, 'fills', 'fill', this.addedFills, p, 'borders');
    xml = appendChildren(xml, 'fonts', 'font', this.addedFonts, p, 'fills');
    if (this.addedNumFmts.length > 0) {
      if (findElement(xml, 'numFmts')) {
        xml = appendChildren(xml, 'numFmts', 'numFmt', this.addedNumFmts, p, 'fonts');
      } else {
        const root = findElement(xml, 'styleSheet');
        if (!root) throw new PatchError('styles.xml has no styleSheet');
        const at = root.innerStart;
        xml = `${xml.slice(0, at)}<${p}numFmts count="${this.addedNumFmts.length}">${this.addedNumFmts.join('')}</${p}numFmts>${xml.slice(at)}`;
      }
    }
    return xml;
  }
}

function isPlainXf(xf: string, numFmtId: number): boolean {
  const end = tagEnd(xf, 0);
  if (end !== xf.length - 1 && !/^<[^>]*>\s*<\/[^>]*>$/.test(xf)) return false;
  const a = parseAttributes(xf.slice(0, end + 1));
  const zero = (name: string): boolean => (a.get(name) ?? '0') === '0';
  return (
    Number(a.get('numFmtId') ?? 0) === numFmtId &&
    zero('fontId') &&
    zero('fillId') &&
    zero('borderId') &&
    zero('xfId')
  );
}

function setAttr(tag: string, name: string, value: string): string {
  const re = new RegExp(`(\\s${name}\\s*=\\s*)(["'])[^"']*\\2`);
  if (re.test(tag)) return tag.replace(re, `$1"${value}"`);
  return tag.replace(/\s*(\/?)>$/, ` ${name}="${value}"$1>`);
}

/** Appends elements to a collection element and fixes its `count`, creating it if missing. */
function appendChildren(
  xml: string,
  local: string,
  child: string,
  items: string[],
  prefix: string,
  before: string,
): string {
  if (items.length === 0) return xml;
  const el = findElement(xml, local);
  if (!el) {
    const next = findElement(xml, before);
    const root = findElement(xml, 'styleSheet');
    const at = next ? next.start : (root?.innerEnd ?? xml.length);
    return `${xml.slice(0, at)}<${prefix}${local} count="${items.length}">${items.join('')}</${prefix}${local}>${xml.slice(at)}`;
  }
  const existing = findElements(xml, child, el.innerStart, el.innerEnd).length;
  const total = existing + items.length;
  const tag = setAttr(el.tag, 'count', String(total));
  if (el.innerStart === el.end) {
    const open = tag.replace(/\s*\/>$/, '>');
    return `${xml.slice(0, el.start)}${open}${items.join('')}</${el.qname}>${xml.slice(el.end)}`;
  }
  return `${xml.slice(0, el.start)}${tag}${xml.slice(el.innerStart, el.innerEnd)}${items.join('')}${xml.slice(el.innerEnd)}`;
}

// ---------------------------------------------------------------------------
// Sheet stream merge

interface RawAttr {
  name: string;
  /** the attribute as written, leading space included */
  text: string;
  value: string;
}

function rawAttributes(tag: string, nameEnd: number, stop: number): RawAttr[] {
  const out: RawAttr[] = [];
  const re = /(\s+)([^\s=/<>"']+)(\s*=\s*)(?:"([^"]*)"|'([^']*)')/g;
  re.lastIndex = nameEnd;
  for (let m = re.exec(tag); m && m.index < stop; m = re.exec(tag)) {
    out.push({ name: m[2] ?? '', text: m[0], value: m[4] ?? m[5] ?? '' });
  }
  return out;
}

interface OrphanGroup {
  formula: string;
  row: number;
  col: number;
  lastRow: number;
}

function parseRange(ref: string): Extent | null {
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

function formatRange(e: Extent): string {
  const a = `${columnLetters(e.minCol)}${e.minRow}`;
  const b = `${columnLetters(e.maxCol)}${e.maxRow}`;
  return a === b ? a : `${a}:${b}`;
}

function extentOf(rows: PatchRowX[]): Extent | null {
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

function union(a: Extent, b: Extent | null): Extent {
  if (!b) return a;
  return {
    minRow: Math.min(a.minRow, b.minRow),
    maxRow: Math.max(a.maxRow, b.maxRow),
    minCol: Math.min(a.minCol, b.minCol),
    maxCol: Math.max(a.maxCol, b.maxCol),
  };
}

function numberText(n: number): string {
  return Object.is(n, -0) ? '0' : String(n);
}

const HEAD = 0;
const BODY = 1;
const TAIL = 2;

function isSpace(ch: number): boolean {
  return ch === 32 || ch === 9 || ch === 10 || ch === 13;
}

function isQuote(ch: number): boolean {
  return ch === 34 || ch === 39;
}

/**
 * Streams one worksheet part through, merging a sorted list of row updates into
 * `<sheetData>`. Text between the updated rows is passed on as the same string slices
 * it arrived in; only rows that change are taken apart and rebuilt.
 */
class SheetMerger {
  out: string[] = [];
  private buf = '';
  private pos = 0;
  private copyFrom = 0;
  private state = HEAD;
  private p = '';
  private rowOpen = '<row';
  private rowClose = '</row>';
  private cOpen = '<c';
  private cClose = '</c>';
  private fOpen = '<f';
  private sheetDataClose = '</sheetData';
  private next = 0;
  private rowNo = 0;
  private colStyles: Int32Array | null = null;
  private readonly headerStyles = new Map<number, number>();
  private readonly orphans = new Map<string, OrphanGroup>();
  private orphanLastRow = 0;
  private readonly styleCache = new Map<number, string>();
  private readonly textCache = new Map<string, string>();
  private readonly scan = newTagScan();
  private readonly cellScan = newTagScan();

  constructor(
    private readonly job: SheetJob,
    private readonly styles: StyleBook,
    private readonly result: PatchResult,
  ) {}

  private get replacing(): boolean {
    return this.job.mode === 'replace';
  }

  push(text: string): void {
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + text : text;
    this.pos = 0;
    this.copyFrom = 0;
    if (this.state === HEAD) this.head();
    if (this.state === BODY) this.body();
    if (this.state === TAIL) {
      this.flush(this.buf.length);
      this.pos = this.buf.length;
    } else if (this.state === BODY) {
      if (!this.replacing) this.flush(this.pos);
    }
  }

  finish(): void {
    if (this.state !== TAIL)
      throw new PatchError(`${this.job.name}: malformed sheet (no sheetData)`);
    this.buf = '';
    this.pos = 0;
  }

  private flush(to: number): void {
    if (to > this.copyFrom) this.out.push(this.buf.slice(this.copyFrom, to));
    this.copyFrom = to;
  }

  /** What has been produced since the last call. */
  take(): string[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private setPrefix(p: string): void {
    this.p = p;
    this.rowOpen = `<${p}row`;
    this.rowClose = `</${p}row>`;
    this.cOpen = `<${p}c`;
    this.cClose = `</${p}c>`;
    this.fOpen = `<${p}f`;
    this.sheetDataClose = `</${p}sheetData`;
  }

  /** Everything up to `<sheetData>` is small; it is buffered whole and edited as text. */
  private head(): void {
    const buf = this.buf;
    if (buf.indexOf('>') < 0) return;
    const p = rootPrefix(buf);
    const open = `<${p}sheetData`;
    let at = buf.indexOf(open);
    while (at >= 0) {
      const d = buf.charCodeAt(at + open.length);
      if (isSpace(d) || d === 62 || d === 47) break;
      at = buf.indexOf(open, at + 1);
    }
    if (at < 0) return;
    const gt = tagEnd(buf, at);
    if (gt < 0) return;
    this.setPrefix(p);
    let head = buf.slice(0, at);
    head = this.editHead(head);
    const selfClosing = buf.charCodeAt(gt - 1) === 47;
    if (selfClosing) {
      this.out.push(head, buf.slice(at, gt + 1).replace(/\s*\/>$/, '>'));
      this.emitRemaining();
      this.out.push(`</${p}sheetData>`);
      this.state = TAIL;
      this.copyFrom = gt + 1;
      return;
    }
    this.out.push(head, buf.slice(at, gt + 1));
    this.state = BODY;
    this.pos = gt + 1;
    this.copyFrom = gt + 1;
  }

  private editHead(head: string): string {
    const cols = findElement(head, 'cols');
    if (cols) {
      for (const m of findElements(head, 'col', cols.innerStart, cols.innerEnd)) {
        const a = parseAttributes(m.tag);
        const style = a.get('style');
        if (style === undefined) continue;
        const min = Math.max(1, Number(a.get('min') ?? 1));
        const max = Math.min(MAX_COLS, Number(a.get('max') ?? min));
        this.colStyles ??= new Int32Array(MAX_COLS).fill(-1);
        for (let c = min; c <= max; c++) this.colStyles[c - 1] = Number(style);
      }
    }
    const dim = findElement(head, 'dimension');
    if (!dim) return head;
    const patchExtent = extentOf(this.job.rows);
    let ref: string;
    if (this.replacing) {
      ref = patchExtent ? formatRange(patchExtent) : 'A1';
    } else {
      if (!patchExtent) return head;
      const old = parseRange(parseAttributes(dim.tag).get('ref') ?? '');
      ref = formatRange(old ? union(old, patchExtent) : patchExtent);
    }
    return (
      head.slice(0, dim.start) +
      setAttr(dim.tag, 'ref', ref) +
      head.slice(dim.start + dim.tag.length)
    );
  }

  private body(): void {
    const buf = this.buf;
    const rows = this.job.rows;
    let pos = this.pos;
    for (;;) {
      if (!this.replacing && this.next >= rows.length && this.rowNo >= this.orphanLastRow) {
        // Nothing left to change: copy through to the end of sheetData.
        const close = buf.indexOf(this.sheetDataClose, pos);
        if (close < 0) {
          pos = Math.max(pos, buf.length - this.sheetDataClose.length);
          break;
        }
        this.closeSheetData(close);
        return;
      }
      const lt = buf.indexOf('<', pos);
      if (lt < 0) {
        pos = buf.length;
        break;
      }
      if (lt + this.rowOpen.length >= buf.length) {
        pos = lt;
        break;
      }
      if (buf.startsWith(this.rowOpen, lt)) {
        const d = buf.charCodeAt(lt + this.rowOpen.length);
        if (isSpace(d) || d === 62 || d === 47) {
          if (!scanTag(buf, lt + this.rowOpen.length, this.scan)) {
            pos = lt;
            break;
          }
          const gt = this.scan.end - 1;
          const selfClosing = this.scan.selfClosing;
          const close = selfClosing ? gt + 1 : buf.indexOf(this.rowClose, gt + 1);
          if (close < 0) {
            pos = lt;
            break;
          }
          const rowEnd = selfClosing ? gt + 1 : close + this.rowClose.length;
          this.row(lt, gt, close, rowEnd, selfClosing);
          pos = rowEnd;
          continue;
        }
      }
      if (buf.startsWith(this.sheetDataClose, lt)) {
        this.closeSheetData(lt);
        return;
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

  private closeSheetData(at: number): void {
    if (this.replacing) this.copyFrom = at;
    else this.flush(at);
    this.emitRemaining();
    this.state = TAIL;
    this.pos = at;
  }

  private emitRemaining(): void {
    const rows = this.job.rows;
    while (this.next < rows.length) {
      const row = rows[this.next++];
      if (row) this.out.push(this.newRow(row));
    }
  }

  /** One `<row>`; `this.scan` holds its start tag's attributes. */
  private row(lt: number, gt: number, close: number, rowEnd: number, selfClosing: boolean): void {
    const buf = this.buf;
    const hasRef = this.scan.r >= 0;
    const r = hasRef ? digitsAt(buf, this.scan.r) : -1;
    const rowNo = r > 0 ? r : this.rowNo + 1;
    this.rowNo = rowNo;

    if (this.replacing) {
      if (rowNo <= (this.job.content?.headerRows ?? 1)) this.captureStyles(gt, close, rowNo);
      this.copyFrom = rowEnd;
      return;
    }
    const rows = this.job.rows;
    let patchRow = rows[this.next];
    while (patchRow && patchRow.row < rowNo) {
      this.flush(lt);
      this.out.push(this.newRow(patchRow));
      patchRow = rows[++this.next];
    }
    const hit = patchRow && patchRow.row === rowNo ? patchRow : null;
    if (hit) this.next++;
    let orphaned = false;
    if (this.orphans.size > 0 && rowNo <= this.orphanLastRow && !selfClosing) {
      const f = buf.indexOf(this.fOpen, gt);
      orphaned = f >= 0 && f < close;
    }
    if (!hit && hasRef && !orphaned) return;
    const tag = buf.slice(lt, gt + 1);
    this.flush(lt);
    this.out.push(this.mergeRow(tag, gt, close, selfClosing, rowNo, hit, !hasRef));
    this.copyFrom = rowEnd;
  }

  private captureStyles(gt: number, close: number, rowNo: number): void {
    const buf = this.buf;
    let col = -1;
    let at = gt + 1;
    for (;;) {
      const c = buf.indexOf(this.cOpen, at);
      if (c < 0 || c >= close) return;
      const d = buf.charCodeAt(c + this.cOpen.length);
      if (!(isSpace(d) || d === 62 || d === 47)) {
        at = c + 1;
        continue;
      }
      const cgt = tagEnd(buf, c);
      const a = parseAttributes(buf.slice(c, cgt + 1));
      const ref = a.get('r');
      const rc = ref ? refColumn(ref, 0, ref.length) : -1;
      col = rc >= 0 ? rc : col + 1;
      const s = a.get('s');
      if (s !== undefined) this.headerStyles.set(rowNo * MAX_COLS + col, Number(s));
      at = cgt + 1;
    }
  }

  private mergeRow(
    tag: string,
    gt: number,
    close: number,
    selfClosing: boolean,
    rowNo: number,
    patch: PatchRowX | null,
    addRef: boolean,
  ): string {
    const buf = this.buf;
    const p = this.p;
    const cells = patch?.cells ?? [];
    const parts: string[] = [];
    let rowStyle: number | undefined;
    // A plain start tag (no spans to widen, no row style, nothing to add) stays as written.
    if (
      !selfClosing &&
      !addRef &&
      isQuote(tag.charCodeAt(tag.length - 2)) &&
      tag.indexOf('spans') < 0 &&
      tag.indexOf('customFormat') < 0
    ) {
      parts.push(tag);
    } else {
      const attrs = rawAttributes(tag, this.rowOpen.length, tag.length);
      const customFormat = attrs.find((a) => a.name === 'customFormat');
      const rowS = attrs.find((a) => a.name === 's');
      rowStyle =
        customFormat && (customFormat.value === '1' || customFormat.value === 'true') && rowS
          ? Number(rowS.value)
          : undefined;
      let start = `<${p}row`;
      if (addRef) start += ` r="${rowNo}"`;
      for (const a of attrs) {
        if (a.name === 'spans' && cells.length > 0) {
          const m = /^\s*([0-9]+):([0-9]+)/.exec(a.value);
          const first = (cells[0]?.col ?? 0) + 1;
          const last = (cells[cells.length - 1]?.col ?? 0) + 1;
          const lo = m ? Math.min(Number(m[1]), first) : first;
          const hi = m ? Math.max(Number(m[2]), last) : last;
          start += ` spans="${lo}:${hi}"`;
        } else {
          start += a.text;
        }
      }
      parts.push(start + '>');
    }

    const scan = this.cellScan;
    const cOpen = this.cOpen;
    let k = 0;
    let col = -1;
    let at = gt + 1;
    // Cells that stay as they are pass through as one slice, from `copy` on.
    let copy = at;
    if (!selfClosing) {
      for (;;) {
        const lt = buf.indexOf('<', at);
        if (lt < 0 || lt >= close) {
          parts.push(buf.slice(copy, close));
          break;
        }
        const d = buf.charCodeAt(lt + cOpen.length);
        const isCell = buf.startsWith(cOpen, lt) && (isSpace(d) || d === 62 || d === 47);
        if (!isCell) {
          // Anything after the cells (extLst) stays after them.
          const firstChild = buf.charCodeAt(lt + 1) !== 47 && !buf.startsWith('<!--', lt);
          if (firstChild) {
            parts.push(buf.slice(copy, lt));
            while (k < cells.length) this.pushNewCell(parts, cells[k++], rowNo, rowStyle);
            parts.push(buf.slice(lt, close));
            copy = close;
            break;
          }
          at = buf.startsWith('<!--', lt) ? buf.indexOf('-->', lt) + 3 : tagEnd(buf, lt) + 1;
          continue;
        }
        if (!scanTag(buf, lt + cOpen.length, scan) || scan.end > close) {
          throw new PatchError(`${this.job.name}: malformed cell in row ${rowNo}`);
        }
        const cgt = scan.end - 1;
        const hasRef = scan.r >= 0;
        const rc = hasRef ? refColumn(buf, scan.r, cgt) : -1;
        col = rc >= 0 ? rc : col + 1;
        const cEnd = scan.selfClosing
          ? scan.end
          : buf.indexOf(this.cClose, scan.end) + this.cClose.length;
        const before = k < cells.length && (cells[k]?.col ?? 0) < col;
        const hit = !before && k < cells.length && cells[k]?.col === col;
        const formula =
          this.orphans.size > 0 && !scan.selfClosing && this.formulaIn(scan.end, cEnd);
        if (!before && !hit && hasRef && !formula) {
          at = cEnd;
          continue;
        }
        parts.push(buf.slice(copy, lt));
        while (k < cells.length && (cells[k]?.col ?? 0) < col) {
          this.pushNewCell(parts, cells[k++], rowNo, rowStyle);
        }
        const content = scan.selfClosing ? '' : buf.slice(cgt + 1, cEnd - this.cClose.length);
        const pc = cells[k];
        if (pc && pc.col === col) {
          k++;
          const ctag = buf.slice(lt, cgt + 1);
          const cattrs = rawAttributes(ctag, cOpen.length, ctag.length);
          parts.push(this.replaceCell(cattrs, content, pc, rowNo, rowStyle));
        } else {
          let text = buf.slice(lt, cEnd);
          if (formula) text = this.detachShared(text, cgt - lt + 1, content, rowNo, col);
          if (!hasRef) text = text.replace(/^<([^\s/>]+)/, `<$1 r="${columnLetters(col)}${rowNo}"`);
          parts.push(text);
        }
        at = cEnd;
        copy = cEnd;
      }
    }
    while (k < cells.length) this.pushNewCell(parts, cells[k++], rowNo, rowStyle);
    parts.push(`</${p}row>`);
    return parts.join('');
  }

  /** Whether the cell content in buf[from, to) holds an `<f>`. */
  private formulaIn(from: number, to: number): boolean {
    const at = this.buf.indexOf(this.fOpen, from);
    return at >= 0 && at < to;
  }

  private pushNewCell(
    parts: string[],
    cell: PatchCellX | undefined,
    rowNo: number,
    rowStyle: number | undefined,
  ): void {
    if (!cell) return;
    this.result.cellsWritten++;
    if (cell.value === null) return;
    const colStyle = this.colStyles?.[cell.col];
    const base = rowStyle ?? (colStyle !== undefined && colStyle >= 0 ? colStyle : undefined);
    parts.push(this.cellXml(rowNo, cell, base, ''));
  }

  private replaceCell(
    attrs: RawAttr[],
    content: string,
    cell: PatchCellX,
    rowNo: number,
    rowStyle: number | undefined,
  ): string {
    this.result.cellsWritten++;
    const fAt = this.formulaAt(content);
    if (fAt >= 0) {
      this.result.formulasRemoved++;
      const fTag = content.slice(fAt, tagEnd(content, fAt) + 1);
      const fa = parseAttributes(fTag);
      const si = fa.get('si');
      const ref = fa.get('ref');
      if (
        fa.get('t') === 'shared' &&
        si !== undefined &&
        ref !== undefined &&
        !fTag.endsWith('/>')
      ) {
        const close = content.indexOf(`</${this.p}f>`, fAt);
        const range = parseRange(ref);
        if (close > 0 && range) {
          this.orphans.set(si, {
            formula: decodeText(fromBytes(content.slice(fAt + fTag.length, close))),
            row: rowNo,
            col: cell.col,
            lastRow: range.maxRow,
          });
          this.orphanLastRow = Math.max(this.orphanLastRow, range.maxRow);
        }
      }
    }
    const sAttr = attrs.find((a) => a.name === 's');
    let base: number | undefined = sAttr ? Number(sAttr.value) : undefined;
    if (base === undefined) {
      const colStyle = this.colStyles?.[cell.col];
      base = rowStyle ?? (colStyle !== undefined && colStyle >= 0 ? colStyle : undefined);
    }
    // The value and its kind are ours now; value metadata and dynamic-array flags
    // described the old value and would point at nothing.
    let kept = '';
    for (const a of attrs) {
      if (
        a.name !== 'r' &&
        a.name !== 's' &&
        a.name !== 't' &&
        a.name !== 'cm' &&
        a.name !== 'vm'
      ) {
        kept += a.text;
      }
    }
    return this.cellXml(rowNo, cell, base, kept);
  }

  private formulaAt(content: string): number {
    let at = content.indexOf(this.fOpen);
    while (at >= 0) {
      const d = content.charCodeAt(at + this.fOpen.length);
      if (isSpace(d) || d === 62 || d === 47) return at;
      at = content.indexOf(this.fOpen, at + 1);
    }
    return -1;
  }

  /** A cell of a shared-formula group whose anchor was overwritten gets its own formula. */
  private detachShared(
    cellText: string,
    tagLength: number,
    content: string,
    rowNo: number,
    col: number,
  ): string {
    const fAt = this.formulaAt(content);
    if (fAt < 0) return cellText;
    const fEnd = tagEnd(content, fAt);
    const fTag = content.slice(fAt, fEnd + 1);
    const fa = parseAttributes(fTag);
    const si = fa.get('si');
    if (fa.get('t') !== 'shared' || si === undefined || fa.has('ref')) return cellText;
    const group = this.orphans.get(si);
    if (!group) return cellText;
    const close = fTag.endsWith('/>')
      ? fEnd + 1
      : content.indexOf('>', content.indexOf(`</${this.p}f`, fEnd)) + 1;
    const formula = shiftFormula(group.formula, rowNo - group.row, col - group.col);
    const keep = [...parseAttributesRaw(fTag)].filter(
      (a) => a.name !== 't' && a.name !== 'si' && a.name !== 'ref',
    );
    const newF = `<${this.p}f${keep.map((a) => a.text).join('')}>${toBytes(encodeFormula(formula))}</${this.p}f>`;
    this.result.formulasDetached++;
    return (
      cellText.slice(0, tagLength) +
      content.slice(0, fAt) +
      newF +
      content.slice(close) +
      cellText.slice(tagLength + content.length)
    );
  }

  private styleAttr(base: number | undefined, cell: PatchCellX): string {
    const fmt = typeof cell.value === 'number' ? cell.numFmt : undefined;
    const key =
      ((base ?? -1) + 1) * 32 + (fmt === undefined ? 0 : FMT_KEYS[fmt]) * 2 + (cell.header ? 1 : 0);
    let attr = this.styleCache.get(key);
    if (attr === undefined) {
      const s = this.styles.resolve(base, fmt, cell.header === true);
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

  private cellXml(rowNo: number, cell: PatchCellX, base: number | undefined, kept: string): string {
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

  private newRow(row: PatchRowX): string {
    const parts: string[] = [`<${this.p}row r="${row.row}">`];
    for (const cell of row.cells) {
      this.result.cellsWritten++;
      if (cell.value === null) continue;
      let base: number | undefined;
      if (cell.header) base = this.headerStyles.get(row.row * MAX_COLS + cell.col);
      if (base === undefined) {
        const colStyle = this.colStyles?.[cell.col];
        if (colStyle !== undefined && colStyle >= 0) base = colStyle;
      }
      parts.push(this.cellXml(row.row, cell, base, ''));
    }
    if (parts.length === 1) return '';
    parts.push(`</${this.p}row>`);
    return parts.join('');
  }

  /** A sheet the patch creates: the whole part is generated. */
  generateNew(): void {
    const content = this.job.content;
    const headerRows = content?.headerRows ?? 1;
    const extent = extentOf(this.job.rows);
    const out = this.out;
    out.push(
      `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">`,
      `<dimension ref="${extent ? formatRange(extent) : 'A1'}"/>`,
    );
    if ((content?.freezeHeader ?? true) && headerRows > 0) {
      const top = `A${headerRows + 1}`;
      out.push(
        `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${headerRows}" topLeftCell="${top}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${top}" sqref="${top}"/></sheetView></sheetViews>`,
      );
    } else {
      out.push(`<sheetViews><sheetView workbookViewId="0"/></sheetViews>`);
    }
    out.push(`<sheetFormatPr defaultRowHeight="15"/>`);
    const widths = content?.colWidths ?? [];
    const cols: string[] = [];
    widths.forEach((w, i) => {
      if (typeof w === 'number' && Number.isFinite(w) && w > 0) {
        cols.push(
          `<col min="${i + 1}" max="${i + 1}" width="${Math.min(255, w)}" customWidth="1"/>`,
        );
      }
    });
    if (cols.length > 0) out.push(`<cols>${cols.join('')}</cols>`);
    out.push('<sheetData>');
    this.setPrefix('');
    for (const row of this.job.rows) out.push(this.newRow(row));
    out.push(
      '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>',
    );
  }
}

function parseAttributesRaw(tag: string): RawAttr[] {
  let nameEnd = 1;
  while (nameEnd < tag.length && !/[\s/>]/.test(tag[nameEnd] ?? '')) nameEnd++;
  return rawAttributes(tag, nameEnd, tag.length);
}

function encodeFormula(formula: string): string {
  return formula.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Applies cell updates to one worksheet part held in memory, whole or in the pieces a
 * stream would deliver; for tests and small parts. Returns the new sheet XML and, when
 * formats had to be added, the new styles XML.
 */
export function patchSheetXml(
  xml: string | readonly string[],
  cells: readonly CellPatch[],
  stylesXml: string | null = null,
): { xml: string; stylesXml: string | null } {
  const result: PatchResult = {
    cellsWritten: 0,
    formulasRemoved: 0,
    formulasDetached: 0,
    sheetsAdded: [],
    partsRewritten: [],
    bytes: 0,
  };
  const styles = new StyleBook(stylesXml);
  const job: SheetJob = {
    name: 'sheet',
    info: null,
    mode: 'merge',
    rows: rowsFromCells('sheet', cells),
  };
  const merger = new SheetMerger(job, styles, result);
  const out: string[] = [];
  let carry = '';
  for (const piece of typeof xml === 'string' ? [xml] : xml) {
    // A surrogate pair split between pieces is whole again once the next one arrives.
    let text = carry + piece;
    carry = '';
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      carry = text.slice(-1);
      text = text.slice(0, -1);
    }
    merger.push(toBytes(text));
    out.push(...merger.out);
    merger.out = [];
  }
  if (carry) merger.push(toBytes(carry));
  merger.finish();
  out.push(...merger.out);
  return {
    xml: fromBytes(out.join('')),
    stylesXml: styles.modified ? styles.serialize() : null,
  };
}

// ---------------------------------------------------------------------------
// Zip output

interface EntryMeta {
  name: string;
  nameBytes: Uint8Array;
  versionMadeBy: number;
  flags: number;
  modTime: number;
  modDate: number;
  internalAttrs: number;
  externalAttrs: number;
  extra: Uint8Array;
  comment: Uint8Array;
}

function dosTime(date: Date): { time: number; date: number } {
  return {
    time: (date.getHours() << 11) | (date.getMinutes() << 5) | Math.floor(date.getSeconds() / 2),
    date: ((date.getFullYear() - 1980) << 9) | ((date.getMonth() + 1) << 5) | date.getDate(),
  };
}

function newEntryMeta(name: string): EntryMeta {
  const now = dosTime(new Date());
  const nameBytes = new Uint8Array(Buffer.from(name, 'utf8'));
  const ascii = nameBytes.every((b) => b < 0x80);
  return {
    name,
    nameBytes,
    versionMadeBy: 20,
    flags: ascii ? 0 : FLAG_UTF8,
    modTime: now.time,
    modDate: now.date,
    internalAttrs: 0,
    externalAttrs: 0,
    extra: new Uint8Array(0),
    comment: new Uint8Array(0),
  };
}

class ZipOut {
  private flushed = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly central: Buffer[] = [];
  private count = 0;
  private closed = false;

  constructor(private readonly fh: FileHandle) {}

  private get offset(): number {
    return this.flushed + this.pendingBytes;
  }

  private async write(buf: Buffer): Promise<void> {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes >= STREAM_CHUNK) await this.flush();
  }

  private async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const data =
      this.pending.length === 1 ? (this.pending[0] as Buffer) : Buffer.concat(this.pending);
    this.pending = [];
    this.pendingBytes = 0;
    await writeAll(this.fh, data, this.flushed);
    this.flushed += data.length;
  }

  private checkSize(n: number, what: string): void {
    if (n >= U32) throw new PatchError(`${what} exceeds the 4 GiB zip limit`);
  }

  async copyRaw(zip: ZipArchive, entry: ZipEntry): Promise<void> {
    const offset = this.offset;
    this.checkSize(offset, 'output');
    const end = await zip.rawEnd(entry);
    for await (const chunk of zip.rawChunks(entry.localHeaderOffset, end)) await this.write(chunk);
    this.addCentral(entry, {
      versionNeeded: entry.versionNeeded,
      flags: entry.flags,
      method: entry.method,
      crc: entry.crc32,
      csize: entry.compressedSize,
      usize: entry.uncompressedSize,
      offset,
    });
  }

  async writeBuffer(meta: EntryMeta, data: Buffer, level: number): Promise<void> {
    const compressed = deflateRawSync(data, { level });
    const crc = crc32(data);
    const offset = this.offset;
    const flags = meta.flags & FLAG_UTF8;
    await this.write(this.localHeader(meta, flags, crc, compressed.length, data.length));
    await this.write(compressed);
    this.addCentral(meta, {
      versionNeeded: 20,
      flags,
      method: 8,
      crc,
      csize: compressed.length,
      usize: data.length,
      offset,
    });
  }

  /**
   * Streams an entry of unknown size, given as byte strings. The bytes are deflated in
   * independent segments on the libuv pool, several at a time, and the segments are
   * joined as pigz does: each but the last ends on a sync flush, so together they are one
   * valid deflate stream. A sheet of hundreds of megabytes thus compresses on every core,
   * not one. The text is copied straight into segment buffers that are used again once
   * deflated, so a part costs no allocation per chunk.
   */
  async writeStream(
    meta: EntryMeta,
    batches: AsyncIterable<readonly string[]>,
    level: number,
  ): Promise<void> {
    const offset = this.offset;
    const flags = meta.flags & FLAG_UTF8;
    await this.write(this.localHeader(meta, flags, 0, 0, 0));
    let crc = 0;
    let usize = 0;
    let csize = 0;
    const inflight: { input: LatinBuffer; job: Promise<Buffer> }[] = [];
    const free: LatinBuffer[] = [];
    let segment: LatinBuffer | null = null;
    let used = 0;
    const submit = (data: LatinBuffer, length: number, last: boolean): void => {
      const input = data.subarray(0, length);
      crc = crc32(input, crc);
      usize += length;
      const job = deflateAsync(input, {
        level,
        finishFlush: last ? zlibConstants.Z_FINISH : zlibConstants.Z_SYNC_FLUSH,
      });
      // Rejections are awaited in order below; this only keeps an early one from
      // being reported as unhandled while an earlier segment is still awaited.
      job.catch(() => {});
      inflight.push({ input: data, job });
    };
    const writeNext = async (): Promise<void> => {
      const { input, job } = inflight.shift()!;
      const out = await job;
      if (input.length === SEGMENT_CAPACITY) free.push(input);
      csize += out.length;
      await this.write(out);
    };
    const endSegment = async (last: boolean): Promise<void> => {
      if (segment === null) {
        if (!last) return;
        segment = Buffer.allocUnsafe(0) as LatinBuffer;
      }
      submit(segment, used, last);
      segment = null;
      used = 0;
      if (inflight.length >= DEFLATE_PARALLEL) await writeNext();
    };
    try {
      for await (const pieces of batches) {
        for (const piece of pieces) {
          if (piece.length === 0) continue;
          if (segment !== null && used + piece.length > SEGMENT_CAPACITY) await endSegment(false);
          if (piece.length > SEGMENT_CAPACITY) {
            const big = Buffer.from(piece, 'latin1') as LatinBuffer;
            submit(big, big.length, false);
            if (inflight.length >= DEFLATE_PARALLEL) await writeNext();
            continue;
          }
          segment ??= free.pop() ?? (Buffer.allocUnsafe(SEGMENT_CAPACITY) as LatinBuffer);
          used += segment.latin1Write(piece, used, piece.length);
          if (used >= DEFLATE_SEGMENT) await endSegment(false);
        }
      }
      await endSegment(true);
      while (inflight.length > 0) await writeNext();
    } finally {
      await Promise.allSettled(inflight.map((f) => f.job));
    }
    this.checkSize(usize, meta.name);
    this.checkSize(csize, meta.name);
    // The sizes are known only now; the header is rewritten in place instead of
    // trailing a data descriptor, which some readers handle poorly.
    await this.flush();
    const fix = Buffer.alloc(12);
    fix.writeUInt32LE(crc >>> 0, 0);
    fix.writeUInt32LE(csize, 4);
    fix.writeUInt32LE(usize, 8);
    await writeAll(this.fh, fix, offset + 14);
    this.addCentral(meta, { versionNeeded: 20, flags, method: 8, crc, csize, usize, offset });
  }

  private localHeader(
    meta: EntryMeta,
    flags: number,
    crc: number,
    csize: number,
    usize: number,
  ): Buffer {
    const head = Buffer.alloc(30 + meta.nameBytes.length);
    head.writeUInt32LE(0x04034b50, 0);
    head.writeUInt16LE(20, 4);
    head.writeUInt16LE(flags, 6);
    head.writeUInt16LE(8, 8);
    head.writeUInt16LE(meta.modTime, 10);
    head.writeUInt16LE(meta.modDate, 12);
    head.writeUInt32LE(crc >>> 0, 14);
    head.writeUInt32LE(csize, 18);
    head.writeUInt32LE(usize, 22);
    head.writeUInt16LE(meta.nameBytes.length, 26);
    head.writeUInt16LE(0, 28);
    head.set(meta.nameBytes, 30);
    return head;
  }

  private addCentral(
    meta: EntryMeta,
    f: {
      versionNeeded: number;
      flags: number;
      method: number;
      crc: number;
      csize: number;
      usize: number;
      offset: number;
    },
  ): void {
    this.checkSize(f.offset, 'output');
    this.checkSize(f.csize, meta.name);
    this.checkSize(f.usize, meta.name);
    const rec = Buffer.alloc(46 + meta.nameBytes.length + meta.extra.length + meta.comment.length);
    rec.writeUInt32LE(0x02014b50, 0);
    rec.writeUInt16LE(meta.versionMadeBy, 4);
    rec.writeUInt16LE(Math.min(f.versionNeeded, 45), 6);
    rec.writeUInt16LE(f.flags, 8);
    rec.writeUInt16LE(f.method, 10);
    rec.writeUInt16LE(meta.modTime, 12);
    rec.writeUInt16LE(meta.modDate, 14);
    rec.writeUInt32LE(f.crc >>> 0, 16);
    rec.writeUInt32LE(f.csize, 20);
    rec.writeUInt32LE(f.usize, 24);
    rec.writeUInt16LE(meta.nameBytes.length, 28);
    rec.writeUInt16LE(meta.extra.length, 30);
    rec.writeUInt16LE(meta.comment.length, 32);
    rec.writeUInt16LE(0, 34);
    rec.writeUInt16LE(meta.internalAttrs, 36);
    rec.writeUInt32LE(meta.externalAttrs >>> 0, 38);
    rec.writeUInt32LE(f.offset, 42);
    rec.set(meta.nameBytes, 46);
    rec.set(meta.extra, 46 + meta.nameBytes.length);
    rec.set(meta.comment, 46 + meta.nameBytes.length + meta.extra.length);
    this.central.push(rec);
    this.count++;
  }

  async finish(): Promise<number> {
    const cdOffset = this.offset;
    let cdSize = 0;
    for (const rec of this.central) {
      cdSize += rec.length;
      await this.write(rec);
    }
    if (this.count > 0xffff) throw new PatchError('too many zip entries');
    this.checkSize(cdOffset + cdSize, 'output');
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(this.count, 8);
    eocd.writeUInt16LE(this.count, 10);
    eocd.writeUInt32LE(cdSize, 12);
    eocd.writeUInt32LE(cdOffset, 16);
    await this.write(eocd);
    await this.flush();
    return this.flushed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.fh.close();
  }
}

async function writeAll(fh: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}
