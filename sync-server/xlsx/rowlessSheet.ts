/**
 * List tabs written without row and cell numbers, so that rows can be put in and taken
 * out by rewriting only the piece they fall in.
 *
 * ECMA-376 makes `r` optional on `<row>` and `<c>`: a row without it is the row after
 * the previous one, a cell without it the column after the previous one. A sync tab
 * written whole as a list (回访计划, 数据问题) is written that way, every row from 1 down
 * present (`<row/>` for a blank one) and every cell up to a row's last one present
 * (`<c/>` for a blank one): a row's number is then its place. Putting a row in shifts
 * every later row without changing a byte of it, so a sorted list that gains one row
 * (a new customer's callback) re-deflates one piece instead of every piece after it.
 *
 * A person saving the tab in Excel or LibreOffice writes numbers back; the file changed,
 * the sync reads it whole, and its next write makes the tab rowless again.
 */
import { extentOf, formatRange, parseRange, union, type Extent } from './cellRef.ts';
import type { LatinBuffer } from './byteText.ts';
import {
  PatchError,
  type PatchCellX,
  type PatchResult,
  type PatchRowX,
  type SheetJob,
} from './patchTypes.ts';
import {
  cutPieces,
  deflatePiece,
  nextRowStart,
  pieceOf,
  piecesOf,
  writePieces,
  type EntryChunks,
  type Piece,
} from './rowChunks.ts';
import { SheetMerger } from './sheetMerger.ts';
import type { StyleBook } from './styleBook.ts';
import { findElement, parseAttributes, rootPrefix, setAttr, tagEnd } from './xmlScan.ts';
import type { ZipArchive, ZipEntry } from './zipRead.ts';
import type { ZipWriter } from './zipWrite.ts';

/** Row and cell start tags (any prefix), and formulas, which stop rows from moving. */
const TAG = /<((?:[A-Za-z_][\w.-]*:)?)(row|c|f)(?=[\s/>])([^>]*)>/g;
const ROW_REF = /\sr\s*=\s*["']\s*([0-9]+)\s*["']/;
const CELL_REF = /\sr\s*=\s*["']\s*\$?([A-Za-z]{1,3})\$?[0-9]*\s*["']/;
const ANY_REF = /\sr\s*=\s*["'][^"']*["']/;

function columnOf(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + ((letters.charCodeAt(i) | 32) - 96);
  return n - 1;
}

const latin1 = (bytes: Buffer): string => (bytes as LatinBuffer).latin1Slice(0, bytes.length);

/**
 * Takes the numbers out of a sheet's rows, given in order, filling every gap with an empty
 * row or cell so that counting gives the same places; and counts the rows of the pieces
 * such a sheet is written in.
 */
export class RowlessWriter {
  /** rows written so far: the number of the last one */
  height = 0;
  /** number of the first row of the piece last taken */
  firstRowOfLast = 0;
  /** false once a formula or a row out of order was met: such a sheet's rows must not move */
  movable = true;
  private prefix = '';
  private col = 0;

  /**
   * Counts the rows of one piece of a sheet written without numbers (the first piece holds
   * the head, where no row is): the pieces are numbered by counting.
   */
  piece(bytes: Buffer, first: boolean): Buffer {
    if (first) this.prefix = rootPrefix(latin1(bytes.subarray(0, 4096)));
    const rowOpen = Buffer.from(`<${this.prefix}row`, 'latin1');
    this.firstRowOfLast = this.height + 1;
    this.height += rowStarts(bytes, rowOpen, 0, bytes.length).length;
    return bytes;
  }

  /** Whole rows with their numbers taken out. */
  strip(rows: string): string {
    return rows.replace(TAG, (tag: string, p: string, name: string, attrs: string) => {
      if (name === 'f') {
        this.movable = false;
        return tag;
      }
      if (name === 'row') {
        const m = ROW_REF.exec(attrs);
        const rowNo = m ? Number(m[1]) : this.height + 1;
        if (rowNo <= this.height) {
          this.movable = false;
          return tag;
        }
        const gap = `<${p}row/>`.repeat(rowNo - this.height - 1);
        this.height = rowNo;
        this.col = 0;
        return `${gap}<${p}row${m ? attrs.replace(ANY_REF, '') : attrs}>`;
      }
      const m = CELL_REF.exec(attrs);
      const col = m ? columnOf(m[1]!) : this.col;
      if (col < this.col) {
        this.movable = false;
        return tag;
      }
      const gap = `<${p}c/>`.repeat(col - this.col);
      this.col = col + 1;
      return `${gap}<${p}c${m ? attrs.replace(ANY_REF, '') : attrs}>`;
    });
  }
}

/** A run of rows a patch takes out and puts in, the new rows as cells (every column up to the last). */
export interface SheetRowEdit {
  at: number;
  remove: number;
  insert: PatchCellX[][];
}

export interface SheetRowEdits {
  edits: readonly SheetRowEdit[];
  /** rows as read, and after the edits */
  height: number;
  newHeight: number;
}

/** Start offsets of the rows in text[from, to). */
function rowStarts(bytes: Buffer, rowOpen: Buffer, from: number, to: number): number[] {
  const starts: number[] = [];
  let at = nextRowStart(bytes, rowOpen, from);
  while (at >= 0 && at < to) {
    starts.push(at);
    at = nextRowStart(bytes, rowOpen, at + rowOpen.length);
  }
  return starts;
}

/**
 * Puts a rowless list tab's row runs into the pieces they fall in; every other piece is
 * copied as its compressed bytes and only renumbered in the description. Returns null,
 * having written nothing, when the description and the file do not agree.
 */
export async function patchRowEdits(
  out: ZipWriter,
  zip: ZipArchive,
  entry: ZipEntry,
  known: EntryChunks,
  job: SheetJob,
  styles: StyleBook,
  result: PatchResult,
  level: number,
): Promise<EntryChunks | null> {
  const re = job.rowEdits;
  // The file may hold blank rows below the last one read (cells cleared by an earlier
  // write): they stay below the rows the runs put in, where they read as nothing.
  if (!re || !known.rowless || known.rowless.height < re.height) return null;
  const { chunks } = known;
  const last = chunks.length - 1;
  const height = known.rowless.height;
  const newHeight = height + re.newHeight - re.height;
  const firstOf = (i: number): number => (i === 0 ? 1 : chunks[i]!.firstRow);
  const endOf = (i: number): number => (i === last ? height + 1 : chunks[i + 1]!.firstRow);
  const pieceAt = (row: number): number => (row > height ? last : pieceOf(chunks, row));
  const dirty = new Set<number>([0]);
  if (job.edits?.tail) dirty.add(last);
  for (const e of re.edits) {
    const a = pieceAt(e.at);
    const b = e.remove > 0 ? pieceAt(e.at + e.remove - 1) : a;
    for (let i = a; i <= b; i++) dirty.add(i);
  }
  const source = await piecesOf(zip, entry, known);
  if (!source) return null;
  const firstBytes = await source.read(0);
  if (!firstBytes) return null;
  const first = latin1(firstBytes);
  const p = rootPrefix(first);
  const rowOpen = Buffer.from(`<${p}row`, 'latin1');
  const open = first.indexOf(`<${p}sheetData`);
  const headEnd = open < 0 ? -1 : tagEnd(first, open) + 1;
  if (headEnd <= 0 || first.charCodeAt(headEnd - 2) === 47) return null;
  // The rows of the head written for the merger that makes the new rows' XML.
  const head = first.slice(0, headEnd);
  const closeData = `</${p}sheetData`;

  const insertedAt = new Map<number, SheetRowEdit>();
  for (const e of re.edits) insertedAt.set(e.at, e);
  const removed = (row: number, k: { i: number }): boolean => {
    const edits = re.edits;
    while (k.i < edits.length && edits[k.i]!.at + edits[k.i]!.remove <= row) k.i++;
    const e = edits[k.i];
    return e !== undefined && e.at <= row && row < e.at + e.remove;
  };

  const plan: Piece[] = [];
  let nextRow = 1;
  const cursor = { i: 0 };
  for (let i = 0; i <= last; i++) {
    const count = endOf(i) - firstOf(i);
    if (!dirty.has(i)) {
      plan.push({
        data: null,
        from: source.offsets[i]!,
        chunk: { ...chunks[i]!, firstRow: i === 0 ? 0 : nextRow },
      });
      nextRow += count;
      continue;
    }
    const bytes = i === 0 ? firstBytes : await source.read(i);
    if (!bytes) return null;
    const text = i === 0 ? first : latin1(bytes);
    const from = i === 0 ? headEnd : 0;
    const close = i === last ? text.lastIndexOf(closeData) : text.length;
    if (close < from) return null;
    const starts = rowStarts(bytes, rowOpen, from, close);
    if (starts.length !== count || (starts.length > 0 && starts[0] !== from)) return null;
    const fresh: PatchCellX[][] = [];
    const order: (number | string)[] = [];
    const take = (row: number): void => {
      const e = insertedAt.get(row);
      if (!e) return;
      for (const cells of e.insert) order.push(fresh.push(cells) - 1);
    };
    for (let k = 0; k < count; k++) {
      const row = firstOf(i) + k;
      take(row);
      if (!removed(row, cursor)) order.push(text.slice(starts[k]!, starts[k + 1] ?? close));
    }
    if (i === last) take(height + 1);
    const made = newRowsXml(fresh, head, p, job, styles, result);
    if (!made) return null;
    let body = '';
    for (const x of order) body += typeof x === 'number' ? made[x]! : x;
    let piece: string;
    if (i === 0) {
      let before = text.slice(0, open);
      before = withHeight(before, re);
      if (job.edits?.head) before = job.edits.head(before, p);
      piece = before + text.slice(open, headEnd) + body;
    } else piece = body;
    if (i === last) {
      const tail = text.slice(close);
      piece += job.edits?.tail ? job.edits.tail(tail, p) : tail;
    }
    const pieces = cutPieces(Buffer.from(piece, 'latin1'), rowOpen);
    for (let k = 0; k < pieces.length; k++) {
      const input = pieces[k]!;
      const rows = rowStarts(input, rowOpen, 0, input.length).length;
      // Within a piece after the first, the cut is at a row: counted, the rows give its number.
      const number = i === 0 && k === 0 ? 0 : nextRow;
      plan.push(deflatePiece(input, level, i === last && k === pieces.length - 1, number));
      nextRow += rows;
    }
  }
  if (nextRow !== newHeight + 1) return null;
  const written = await writePieces(out, zip, entry, source.start, plan);
  written.rowless = { height: newHeight };
  return written;
}

/**
 * The dimension (in the text before sheetData) widened to the rows read after the runs and
 * the columns of their new rows; like the sheet merge's, it never narrows.
 */
function withHeight(before: string, re: SheetRowEdits): string {
  const dim = findElement(before, 'dimension');
  if (!dim) return before;
  const old = parseRange(parseAttributes(dim.tag).get('ref') ?? '');
  const made = extentOf(re.edits.flatMap((e) => e.insert.map((cells) => ({ row: 1, cells }))));
  const rows: Extent = {
    minRow: 1,
    maxRow: Math.max(1, re.newHeight),
    minCol: made?.minCol ?? old?.minCol ?? 0,
    maxCol: made?.maxCol ?? old?.maxCol ?? 0,
  };
  const ref = formatRange(old ? union(old, rows) : rows);
  return (
    before.slice(0, dim.start) +
    setAttr(dim.tag, 'ref', ref) +
    before.slice(dim.start + dim.tag.length)
  );
}

/**
 * The XML of new rows, each without numbers, made by the sheet merge as it makes rows
 * a patch adds (styles from the columns, formats, the quote prefix), then stripped.
 */
function newRowsXml(
  fresh: readonly PatchCellX[][],
  head: string,
  p: string,
  job: SheetJob,
  styles: StyleBook,
  result: PatchResult,
): string[] | null {
  if (fresh.length === 0) return [];
  const rows: PatchRowX[] = fresh.map((cells, k) => ({ row: k + 1, cells }));
  const merger = new SheetMerger(
    { name: job.name, info: job.info, mode: 'merge', rows, edits: {} },
    styles,
    result,
  );
  merger.push(head);
  merger.push(`</${p}sheetData></${p}worksheet>`);
  merger.finish();
  const made = merger.take().join('');
  const at = made.indexOf(`<${p}sheetData`);
  const end = made.lastIndexOf(`</${p}sheetData`);
  if (at < 0 || end < 0) return null;
  const writer = new RowlessWriter();
  let body = writer.strip(made.slice(tagEnd(made, at) + 1, end));
  if (!writer.movable || writer.height > fresh.length) return null;
  body += `<${p}row/>`.repeat(fresh.length - writer.height);
  const bytes = Buffer.from(body, 'latin1');
  const rowOpen = Buffer.from(`<${p}row`, 'latin1');
  const starts = rowStarts(bytes, rowOpen, 0, bytes.length);
  if (starts.length !== fresh.length) return null;
  return starts.map((s, k) => body.slice(s, starts[k + 1] ?? body.length));
}

/** End of the row starting at `at` (just past `</row>` or its `/>`), or -1 when not all there. */
function rowEnd(text: string, at: number, rowClose: string): number {
  const gt = tagEnd(text, at);
  if (gt < 0) return -1;
  if (text.charCodeAt(gt - 1) === 47) return gt + 1;
  const close = text.indexOf(rowClose, gt);
  return close < 0 ? -1 : close + rowClose.length;
}

/** Rows put in made at a time by the whole-sheet write. */
const INSERT_BATCH = 2_000;

/**
 * The whole-sheet write of a list tab's row runs: the sheet streamed through, its rows
 * numbered (by `r` or by counting) and written without numbers, the runs' rows put in and
 * taken out on the way — what writing the runs into the pieces gives, so a file written
 * either way holds the same bytes. Batches of byte strings, as the sheet merge gives them.
 */
export async function* rowEditChunks(
  zip: ZipArchive,
  entry: ZipEntry,
  job: SheetJob,
  styles: StyleBook,
  result: PatchResult,
  counter: RowlessWriter,
): AsyncGenerator<readonly string[]> {
  const re = job.rowEdits!;
  const writer = new RowlessWriter();
  const insertedAt = new Map<number, SheetRowEdit>();
  for (const e of re.edits) insertedAt.set(e.at, e);
  const taken = new Set<number>();
  let cursor = 0;
  let buf = '';
  let head: string | null = null;
  let p = '';
  let rowOpen = '<row';
  let rowClose = '</row>';
  let closeData = '</sheetData';
  let done = false;
  const out: string[] = [];
  const put = (row: number): void => {
    const e = insertedAt.get(row);
    if (!e || taken.has(row)) return;
    taken.add(row);
    // In batches: a whole tab put in at once (the first write of 回访计划) would otherwise
    // be made as one string, stripped into a second and cut into a third.
    for (let k = 0; k < e.insert.length; k += INSERT_BATCH) {
      const batch = e.insert.slice(k, k + INSERT_BATCH);
      const made = newRowsXml(batch, head!, p, job, styles, result);
      if (!made) throw new PatchError(`${job.name}: 新行无法写成无行号的形式`);
      out.push(made.join(''));
    }
  };
  const removed = (row: number): boolean => {
    const edits = re.edits;
    while (cursor < edits.length && edits[cursor]!.at + edits[cursor]!.remove <= row) cursor++;
    const e = edits[cursor];
    return e !== undefined && e.at <= row && row < e.at + e.remove;
  };
  /** One old row (its text stripped of numbers) at its place. */
  const row = (rowNo: number, text: string): void => {
    put(rowNo);
    if (!removed(rowNo)) out.push(text);
  };
  for await (const chunk of zip.stream(entry)) {
    buf += latin1(chunk);
    let pos = 0;
    if (head === null) {
      p = rootPrefix(buf);
      const open = buf.indexOf(`<${p}sheetData`);
      const gt = open < 0 ? -1 : tagEnd(buf, open);
      if (gt < 0) continue;
      if (buf.charCodeAt(gt - 1) === 47) throw new PatchError(`${job.name}: 无行可改`);
      rowOpen = `<${p}row`;
      rowClose = `</${p}row>`;
      closeData = `</${p}sheetData`;
      head = buf.slice(0, gt + 1);
      let before = withHeight(buf.slice(0, open), re);
      if (job.edits?.head) before = job.edits.head(before, p);
      out.push(before + buf.slice(open, gt + 1));
      pos = gt + 1;
    }
    while (!done) {
      const lt = buf.indexOf('<', pos);
      if (lt < 0) {
        pos = buf.length;
        break;
      }
      if (buf.startsWith(closeData, lt)) {
        put(writer.height + 1);
        done = true;
        pos = lt;
        break;
      }
      if (buf.startsWith(rowOpen, lt) && isBreak(buf.charCodeAt(lt + rowOpen.length))) {
        const end = rowEnd(buf, lt, rowClose);
        if (end < 0) break;
        const before = writer.height;
        const text = writer.strip(buf.slice(lt, end));
        // Rows missing before this one were filled in as empty rows ahead of it.
        const gaps = writer.height - before - 1;
        for (let k = 1; k <= gaps; k++) row(before + k, `<${p}row/>`);
        row(writer.height, text.slice(gaps * `<${p}row/>`.length));
        pos = end;
        continue;
      }
      // Anything else between rows (whitespace, a comment) is passed over.
      const gt = buf.indexOf('>', lt);
      if (gt < 0) break;
      pos = gt + 1;
    }
    buf = buf.slice(pos);
    if (out.length > 0) yield out.splice(0);
  }
  if (!done || head === null) throw new PatchError(`${job.name}: malformed sheet (no sheetData)`);
  // Rows out of order or formulas: written, but not described as rows that can move.
  if (!writer.movable) counter.movable = false;
  out.push(job.edits?.tail ? job.edits.tail(buf, p) : buf);
  yield out.splice(0);
}

const isBreak = (ch: number): boolean =>
  ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 62 || ch === 47;
