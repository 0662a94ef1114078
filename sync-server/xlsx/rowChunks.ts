/**
 * Sheet parts deflated in pieces of whole rows, so that changing a few rows later
 * deflates a few pieces again instead of the whole sheet.
 *
 * A worksheet the patcher writes is cut, just before a `<row`, into pieces of about
 * {@link ROW_CHUNK} bytes, each deflated on its own and ended on a sync flush (the last
 * one finished): joined, they are one ordinary deflate stream any zip reader inflates,
 * and each piece can be inflated and deflated again without the others. The patcher
 * reports where the pieces are ({@link EntryChunks}); given that description back for
 * the same file, a later patch inflates only the pieces holding the rows it changes
 * (and the first, which holds the sheet's dimension), merges them as the whole-sheet
 * merge would, copies every other piece as its compressed bytes, and joins the CRC-32s
 * without reading the untouched pieces. Whatever the fast path cannot be sure of — a
 * shared formula, a row without its number, a description that does not fit the entry
 * — sends the sheet down the whole-sheet merge instead.
 */
import { promisify } from 'node:util';
import {
  constants as zlibConstants,
  crc32,
  deflateRaw,
  deflateRawSync,
  inflateRawSync,
} from 'node:zlib';
import { extentOf, formatRange, parseRange, union } from './cellRef.ts';
import type { LatinBuffer } from './byteText.ts';
import { crc32Combine } from './crc32Combine.ts';
import type { RowlessWriter } from './rowlessSheet.ts';
import type { PatchResult, PatchRowX, SheetJob } from './patchTypes.ts';
import { SheetMerger } from './sheetMerger.ts';
import type { StyleBook } from './styleBook.ts';
import { findElement, parseAttributes, rootPrefix, setAttr, tagEnd } from './xmlScan.ts';
import type { ZipArchive, ZipEntry } from './zipRead.ts';
import type { EntryMeta, ZipWriter } from './zipWrite.ts';

/** Uncompressed bytes per piece: a changed row costs deflating about this much again. */
export const ROW_CHUNK = 64 << 10;
/** Without a row start in this much text, pieces are cut anywhere and not described. */
const UNCUT_MAX = 64 * ROW_CHUNK;
/** Pieces deflating at once (the libuv pool has four threads). */
const PARALLEL = 4;

export interface RowChunk {
  /** compressed bytes */
  clen: number;
  /** uncompressed bytes */
  ulen: number;
  crc: number;
  /** number of the piece's first row (0 for the first piece, which starts with the sheet's head) */
  firstRow: number;
}

/** Where the pieces of one zip entry are; offsets run from the start of its data. */
export interface EntryChunks {
  crc: number;
  csize: number;
  usize: number;
  chunks: RowChunk[];
  /**
   * Written without row and cell numbers, every row from 1 to `height` present (see
   * rowlessSheet.ts): pieces are numbered by counting rows, and rows can be moved.
   */
  rowless?: { height: number };
}

const deflateAsync = promisify(deflateRaw) as (
  data: Buffer,
  options: { level: number; finishFlush: number },
) => Promise<Buffer>;

const isTagBreak = (ch: number | undefined): boolean =>
  ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 62 || ch === 47;

const latin1 = (bytes: Buffer): string => (bytes as LatinBuffer).latin1Slice(0, bytes.length);

/** Start of the last `<row` tag in bytes[from, to), or -1. */
function lastRowStart(bytes: Buffer, rowOpen: Buffer, from: number, to: number): number {
  let at = bytes.lastIndexOf(rowOpen, to - rowOpen.length - 1);
  while (at >= from) {
    if (isTagBreak(bytes[at + rowOpen.length])) return at;
    at = at > 0 ? bytes.lastIndexOf(rowOpen, at - 1) : -1;
  }
  return -1;
}

/** Start of the first `<row` tag at or after `from` whose name ends within the bytes, or -1. */
export function nextRowStart(bytes: Buffer, rowOpen: Buffer, from: number): number {
  let at = bytes.indexOf(rowOpen, from);
  while (at >= 0 && at + rowOpen.length < bytes.length) {
    if (isTagBreak(bytes[at + rowOpen.length])) return at;
    at = bytes.indexOf(rowOpen, at + 1);
  }
  return -1;
}

/** The `r` of the row tag starting at `at`, or NaN. */
function rowNumberAt(bytes: Buffer, at: number): number {
  const end = bytes.indexOf(62, at);
  if (end < 0) return NaN;
  const m = /\sr\s*=\s*["']([0-9]+)["']/.exec((bytes as LatinBuffer).latin1Slice(at, end));
  return m ? Number(m[1]) : NaN;
}

/** The bytes' pieces of about ROW_CHUNK, each but the first starting at a row. */
export function cutPieces(bytes: Buffer, rowOpen: Buffer): Buffer[] {
  const pieces: Buffer[] = [];
  let start = 0;
  while (bytes.length - start > 2 * ROW_CHUNK) {
    const at = lastRowStart(bytes, rowOpen, start + 1, start + ROW_CHUNK + 1);
    if (at < 0) break;
    pieces.push(bytes.subarray(start, at));
    start = at;
  }
  pieces.push(bytes.subarray(start));
  return pieces;
}

/**
 * Text (byte strings) or bytes gathered into row-aligned pieces of about ROW_CHUNK, in
 * buffers: cut points are found by a byte search, and no long string is ever built.
 */
class RowCutter {
  private buf: Buffer = Buffer.allocUnsafe(4 * ROW_CHUNK);
  private used = 0;
  rowOpen: Buffer | null = null;
  /** false once a piece had to be cut away from a row start */
  aligned = true;

  constructor(private readonly emit: (piece: Buffer, last: boolean) => Promise<void>) {}

  async push(part: string | Uint8Array): Promise<void> {
    let done = 0;
    while (done < part.length) {
      if (this.used === this.buf.length) await this.cut(true);
      const n = Math.min(part.length - done, this.buf.length - this.used);
      if (typeof part === 'string')
        (this.buf as LatinBuffer).latin1Write(
          done === 0 && n === part.length ? part : part.slice(done, done + n),
          this.used,
          n,
        );
      else this.buf.set(n === part.length ? part : part.subarray(done, done + n), this.used);
      this.used += n;
      done += n;
      while (this.used >= 3 * ROW_CHUNK) if (!(await this.cut(false))) break;
    }
  }

  /** Cuts one piece off the front; false when no row starts where it should and there is room to wait. */
  private async cut(full: boolean): Promise<boolean> {
    const bytes = this.buf;
    if (this.rowOpen === null) {
      const text = (bytes as LatinBuffer).latin1Slice(0, Math.min(this.used, ROW_CHUNK));
      this.rowOpen = Buffer.from(`<${rootPrefix(text)}row`, 'latin1');
    }
    let at = lastRowStart(bytes, this.rowOpen, 1, Math.min(this.used, ROW_CHUNK + 1));
    // A long head or long rows: the first row start past the usual size.
    if (at <= 0) at = nextRowStart(bytes.subarray(0, this.used), this.rowOpen, ROW_CHUNK);
    if (at <= 0) {
      if (!full) return false;
      if (this.buf.length < UNCUT_MAX) {
        // A row longer than the room left: make room rather than cut inside it.
        const bigger = Buffer.allocUnsafe(this.buf.length * 2);
        bytes.copy(bigger, 0, 0, this.used);
        this.buf = bigger;
        return true;
      }
      this.aligned = false;
      at = ROW_CHUNK;
    }
    const next = Buffer.allocUnsafe(this.buf.length);
    bytes.copy(next, 0, at, this.used);
    this.buf = next;
    this.used -= at;
    await this.emit(bytes.subarray(0, at), false);
    return true;
  }

  async end(): Promise<void> {
    await this.emit(this.buf.subarray(0, this.used), true);
  }
}

/**
 * Streams one sheet entry (batches of byte strings, or bytes) into the zip in row-aligned
 * pieces. Returns the description of the pieces, or null when they could not all be cut
 * at rows.
 */
export async function writeRowChunked(
  out: ZipWriter,
  meta: EntryMeta,
  batches: AsyncIterable<readonly (string | Uint8Array)[]>,
  level: number,
  rowless?: RowlessWriter,
): Promise<EntryChunks | null> {
  const offset = out.offset;
  const flags = meta.flags & 0x800;
  await out.write(out.localHeader(meta, flags, 0, 0, 0));
  const chunks: RowChunk[] = [];
  const inflight: { job: Promise<Buffer>; chunk: RowChunk }[] = [];
  let described = true;
  let crc = 0;
  let usize = 0;
  let csize = 0;

  const writeNext = async (): Promise<void> => {
    const { job, chunk } = inflight.shift()!;
    const data = await job;
    chunk.clen = data.length;
    csize += data.length;
    await out.write(data);
  };
  const cutter: RowCutter = new RowCutter(async (cut, last) => {
    // A sheet written without row numbers: its pieces are numbered by counting rows.
    const input = rowless ? rowless.piece(cut, chunks.length === 0) : cut;
    const pieceCrc = crc32(input) >>> 0;
    crc = usize === 0 ? pieceCrc : crc32Combine(crc, pieceCrc, input.length);
    usize += input.length;
    const chunk: RowChunk = {
      clen: 0,
      ulen: input.length,
      crc: pieceCrc,
      firstRow:
        chunks.length === 0
          ? 0
          : rowless
            ? rowless.firstRowOfLast
            : cutter.rowOpen
              ? rowNumberAt(input, 0)
              : NaN,
    };
    if (Number.isNaN(chunk.firstRow)) described = false;
    chunks.push(chunk);
    const job = deflateAsync(input, {
      level,
      finishFlush: last ? zlibConstants.Z_FINISH : zlibConstants.Z_SYNC_FLUSH,
    });
    job.catch(() => {});
    inflight.push({ job, chunk });
    if (inflight.length >= PARALLEL) await writeNext();
  });

  try {
    for await (const batch of batches) for (const part of batch) await cutter.push(part);
    await cutter.end();
    while (inflight.length > 0) await writeNext();
  } catch (err) {
    await Promise.allSettled(inflight.map((f) => f.job));
    throw err;
  }
  await out.endEntry(meta, { flags, offset, crc, csize, usize });
  if (!described || !cutter.aligned) return null;
  const made: EntryChunks = { crc: crc >>> 0, csize, usize, chunks };
  if (rowless?.movable) made.rowless = { height: rowless.height };
  return made;
}

/** True when `known` describes the entry as it is in the archive. */
export function describes(known: EntryChunks | undefined, entry: ZipEntry): known is EntryChunks {
  return (
    known !== undefined &&
    entry.method === 8 &&
    (entry.flags & 1) === 0 &&
    known.crc === entry.crc32 >>> 0 &&
    known.csize === entry.compressedSize &&
    known.usize === entry.uncompressedSize
  );
}

/** Index of the piece a patch row belongs to: the last one starting at or before it. */
export function pieceOf(chunks: readonly RowChunk[], row: number): number {
  let lo = 1;
  let hi = chunks.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (chunks[mid]!.firstRow <= row) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Rows in the piece whose start tag lacks its number, or shared formulas: the merge needs the whole sheet. */
function needsWholeSheet(bytes: Buffer, rowOpen: Buffer): boolean {
  if (bytes.indexOf('shared') >= 0 && /\st\s*=\s*["']shared["']/.test(latin1(bytes))) return true;
  const n = rowOpen.length;
  let at = bytes.indexOf(rowOpen);
  while (at >= 0) {
    // ` r="` straight after the name, as every writer puts it, needs no closer look.
    const numbered =
      bytes[at + n] === 32 && bytes[at + n + 1] === 114 && bytes[at + n + 2] === 61
        ? true
        : !isTagBreak(bytes[at + n]) || !Number.isNaN(rowNumberAt(bytes, at));
    if (!numbered) return true;
    at = bytes.indexOf(rowOpen, at + n);
  }
  return false;
}

/** The sheet's dimension widened to cover every row the patch writes. */
function widenDimension(head: string, rows: readonly PatchRowX[]): string {
  const dim = findElement(head, 'dimension');
  const extent = extentOf(rows);
  if (!dim || !extent) return head;
  const old = parseRange(parseAttributes(dim.tag).get('ref') ?? '');
  const ref = formatRange(old ? union(old, extent) : extent);
  return (
    head.slice(0, dim.start) + setAttr(dim.tag, 'ref', ref) + head.slice(dim.start + dim.tag.length)
  );
}

export interface Piece {
  /** new compressed bytes, or null to copy the old piece */
  data: Buffer | null;
  chunk: RowChunk;
  /** the old piece's offset in the source entry's data, when copied */
  from: number;
}

/**
 * Writes a merge job's sheet by re-deflating only the pieces it touches. Returns the new
 * description, or null (having written nothing) when the whole-sheet merge must run.
 */
export async function patchRowChunked(
  out: ZipWriter,
  zip: ZipArchive,
  entry: ZipEntry,
  known: EntryChunks,
  job: SheetJob,
  styles: StyleBook,
  result: PatchResult,
  level: number,
): Promise<EntryChunks | null> {
  const { chunks } = known;
  if (job.mode !== 'merge' || chunks.length < 3) return null;
  const last = chunks.length - 1;
  const routed = new Map<number, PatchRowX[]>();
  for (const row of job.rows) {
    const at = pieceOf(chunks, row.row);
    const list = routed.get(at);
    if (list) list.push(row);
    else routed.set(at, [row]);
  }
  const dirty = new Set<number>([0, ...routed.keys()]);
  if (job.edits?.tail) dirty.add(last);

  const source = await piecesOf(zip, entry, known);
  if (!source) return null;
  const { offsets } = source;
  const bytesOf = source.read;

  const firstBytes = await bytesOf(0);
  if (firstBytes === null) return null;
  const first = latin1(firstBytes);
  const p = rootPrefix(first);
  const rowOpen = Buffer.from(`<${p}row`, 'latin1');
  const open = first.indexOf(`<${p}sheetData`);
  if (open < 0) return null;
  const headEnd = tagEnd(first, open) + 1;
  if (headEnd <= 0 || first.charCodeAt(headEnd - 2) === 47) return null;
  const head = first.slice(0, headEnd);
  const closeData = `</${p}sheetData`;
  const syntheticTail = `${closeData}></${p}worksheet>`;

  const merged = new Map<number, Buffer[]>();
  for (const i of [...dirty].sort((a, b) => a - b)) {
    const bytes = i === 0 ? firstBytes : await bytesOf(i);
    if (bytes === null || needsWholeSheet(bytes, rowOpen)) return null;
    const edits: SheetJob['edits'] = {};
    if (i === 0) {
      const own = job.edits?.head;
      edits.head = (h, prefix) => {
        const wide = widenDimension(h, job.rows);
        return own ? own(wide, prefix) : wide;
      };
    }
    if (i === last && job.edits?.tail) edits.tail = job.edits.tail;
    const fragment: SheetJob = {
      name: job.name,
      info: job.info,
      mode: 'merge',
      rows: routed.get(i) ?? [],
      edits,
    };
    const merger = new SheetMerger(fragment, styles, result);
    // Pushed apart, so that no piece is copied into one long string with the head.
    if (i !== 0) merger.push(head);
    merger.push(i === 0 ? first : latin1(bytes));
    if (i !== last) merger.push(syntheticTail);
    merger.finish();
    let made = merger.take().join('');
    if (i !== last) {
      const close = made.lastIndexOf(closeData);
      if (close < 0) return null;
      made = made.slice(0, close);
    }
    if (i !== 0) {
      const at = made.indexOf(`<${p}sheetData`);
      if (at < 0) return null;
      made = made.slice(tagEnd(made, at) + 1);
    }
    const pieces = cutPieces(Buffer.from(made, 'latin1'), rowOpen);
    // Every piece after the first must start at a numbered row, so later patches find it.
    for (let k = 0; k < pieces.length; k++) {
      if (i === 0 && k === 0) continue;
      const piece = pieces[k]!;
      if (piece.compare(rowOpen, 0, rowOpen.length, 0, rowOpen.length) !== 0) return null;
      if (Number.isNaN(rowNumberAt(piece, 0))) return null;
    }
    merged.set(i, pieces);
  }

  const plan: Piece[] = [];
  for (let i = 0; i <= last; i++) {
    const pieces = merged.get(i);
    if (!pieces) {
      plan.push({ data: null, chunk: chunks[i]!, from: offsets[i]! });
      continue;
    }
    pieces.forEach((input, k) => {
      const finish = i === last && k === pieces.length - 1;
      // Deflated here rather than on the pool: a few pieces cost less than the hand-off,
      // and many at once would each take a fresh zlib state.
      plan.push(deflatePiece(input, level, finish, i === 0 && k === 0 ? 0 : rowNumberAt(input, 0)));
    });
  }

  return writePieces(out, zip, entry, source.start, plan);
}

/** Where a described entry's pieces are, and each one inflated and checked (null: not as described). */
export interface PieceSource {
  /** the entry's data in the file */
  start: number;
  /** each piece's offset from `start` */
  offsets: number[];
  read(i: number): Promise<Buffer | null>;
}

export async function piecesOf(
  zip: ZipArchive,
  entry: ZipEntry,
  known: EntryChunks,
): Promise<PieceSource | null> {
  const { chunks } = known;
  const start = await zip.dataOffset(entry);
  const offsets: number[] = [];
  let sum = 0;
  for (const c of chunks) {
    offsets.push(sum);
    sum += c.clen;
  }
  if (sum !== entry.compressedSize) return null;
  const read = async (i: number): Promise<Buffer | null> => {
    const c = chunks[i]!;
    const parts: Buffer[] = [];
    for await (const b of zip.rawChunks(start + offsets[i]!, start + offsets[i]! + c.clen))
      parts.push(b);
    let bytes: Buffer;
    try {
      bytes = inflateRawSync(parts.length === 1 ? parts[0]! : Buffer.concat(parts), {
        finishFlush: zlibConstants.Z_SYNC_FLUSH,
      });
    } catch {
      return null;
    }
    if (bytes.length !== c.ulen || crc32(bytes) >>> 0 !== c.crc >>> 0) return null;
    return bytes;
  };
  return { start, offsets, read };
}

/** A piece deflated anew (the last one finished), with its description. */
export function deflatePiece(
  input: Buffer,
  level: number,
  finish: boolean,
  firstRow: number,
): Piece {
  const data = deflateRawSync(input, {
    level,
    finishFlush: finish ? zlibConstants.Z_FINISH : zlibConstants.Z_SYNC_FLUSH,
  });
  return {
    data,
    from: -1,
    chunk: { clen: data.length, ulen: input.length, crc: crc32(input) >>> 0, firstRow },
  };
}

/**
 * Writes the entry as the planned pieces: new ones as given, old ones copied from the
 * source file as their compressed bytes (a run of them as one range).
 */
export async function writePieces(
  out: ZipWriter,
  zip: ZipArchive,
  entry: ZipEntry,
  start: number,
  plan: readonly Piece[],
): Promise<EntryChunks> {
  let crc = 0;
  let usize = 0;
  let csize = 0;
  for (const { chunk } of plan) {
    crc = usize === 0 ? chunk.crc : crc32Combine(crc, chunk.crc, chunk.ulen);
    usize += chunk.ulen;
    csize += chunk.clen;
  }
  out.checkSize(usize, entry.name);
  out.checkSize(csize, entry.name);
  const offset = out.offset;
  const flags = entry.flags & 0x800;
  await out.write(out.localHeader(entry, flags, crc, csize, usize));
  for (let k = 0; k < plan.length;) {
    const piece = plan[k]!;
    if (piece.from < 0) {
      await out.write(piece.data!);
      k++;
      continue;
    }
    // A run of untouched pieces is one range of the source file.
    let end = piece.from + piece.chunk.clen;
    let j = k + 1;
    while (j < plan.length && plan[j]!.from === end) {
      end += plan[j]!.chunk.clen;
      j++;
    }
    await out.copyRange(zip, start + piece.from, start + end);
    k = j;
  }
  out.addCentral(entry, { versionNeeded: 20, flags, method: 8, crc, csize, usize, offset });
  return { crc: crc >>> 0, csize, usize, chunks: plan.map((x) => x.chunk) };
}
