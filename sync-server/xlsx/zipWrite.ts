/**
 * The one zip writer: the patcher copies, deflates and streams entries through it, and
 * a new workbook is streamed through it by {@link ZipFileWriter}.
 */
import type { FileHandle } from 'node:fs/promises';
import { promisify } from 'node:util';
import { constants as zlibConstants, crc32, deflateRaw, deflateRawSync } from 'node:zlib';
import type { LatinBuffer } from './byteText.ts';
import { FLAG_UTF8, STREAM_CHUNK, type ZipArchive, type ZipEntry } from './zipRead.ts';

/** The output would not fit the classic zip format. */
export class ZipLimitError extends Error {
  override name = 'ZipLimitError';
}

const U32 = 0xffffffff;
/** Uncompressed bytes per independently deflated segment (costs ~0.1% in size). */
const DEFLATE_SEGMENT = 2 << 20;
/** Room in a segment buffer: a segment ends once past DEFLATE_SEGMENT, so a piece fits whole. */
const SEGMENT_CAPACITY = DEFLATE_SEGMENT + (1 << 20);
/** Bytes per read and write of a copied range. */
const COPY_CHUNK = 4 << 20;
/** Segments in flight; the libuv pool has four threads. */
const DEFLATE_PARALLEL = 4;

const deflateAsync = promisify(deflateRaw) as (
  data: Buffer,
  options: { level: number; finishFlush: number },
) => Promise<Buffer>;
export interface EntryMeta {
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

/** The central-directory facts of a new entry. */
export function newEntryMeta(name: string, modified: Date = new Date()): EntryMeta {
  const now = dosTime(modified);
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

/**
 * A zip file written entry by entry straight to a file handle: entries copied as their
 * original compressed bytes, small ones deflated whole, big ones streamed (see
 * {@link EntryStream}). Sizes past the classic zip's 4 GiB are refused.
 */
export class ZipWriter {
  private flushed = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private readonly central: Buffer[] = [];
  private count = 0;
  private closed = false;
  private copyBuffer: Buffer | undefined;

  constructor(private readonly fh: FileHandle) {}

  /** Bytes of zip data produced so far. */
  get offset(): number {
    return this.flushed + this.pendingBytes;
  }

  /** @internal for {@link EntryStream} */
  async write(buf: Buffer): Promise<void> {
    this.pending.push(buf);
    this.pendingBytes += buf.length;
    if (this.pendingBytes >= STREAM_CHUNK) await this.flush();
  }

  /** @internal */
  async flush(): Promise<void> {
    if (this.pendingBytes === 0) return;
    const parts = this.pending;
    const length = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    if (parts.length === 1) await writeAll(this.fh, parts[0]!, this.flushed);
    else await writeAllv(this.fh, parts, this.flushed, length);
    this.flushed += length;
  }

  /** @internal */
  checkSize(n: number, what: string): void {
    if (n >= U32) throw new ZipLimitError(`${what} exceeds the 4 GiB zip limit`);
  }

  /**
   * Copies bytes [from, to) of the source zip as they are, through one buffer used again
   * and again: most of a patched workbook is copied, and none of it need become garbage.
   */
  async copyRange(zip: ZipArchive, from: number, to: number): Promise<void> {
    if (to - from < STREAM_CHUNK) {
      const bytes = Buffer.allocUnsafe(to - from);
      await zip.readInto(bytes, from, bytes.length);
      await this.write(bytes);
      return;
    }
    await this.flush();
    const buffer = (this.copyBuffer ??= Buffer.allocUnsafe(COPY_CHUNK));
    for (let at = from; at < to;) {
      const n = Math.min(COPY_CHUNK, to - at);
      await zip.readInto(buffer, at, n);
      await writeAll(this.fh, buffer.subarray(0, n), this.flushed);
      this.flushed += n;
      at += n;
    }
  }

  async copyRaw(zip: ZipArchive, entry: ZipEntry): Promise<void> {
    const offset = this.offset;
    this.checkSize(offset, 'output');
    const end = await zip.rawEnd(entry);
    await this.copyRange(zip, entry.localHeaderOffset, end);
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
   * Streams an entry of unknown size, given as batches of byte strings (see byteText.ts).
   */
  async writeStream(
    meta: EntryMeta,
    batches: AsyncIterable<readonly string[]>,
    level: number,
  ): Promise<void> {
    const entry = await this.openEntry(meta, level);
    try {
      for await (const pieces of batches) {
        for (const piece of pieces) {
          const wait = entry.pushText(piece);
          if (wait) await wait;
        }
      }
    } catch (err) {
      await entry.abandon();
      throw err;
    }
    await entry.end();
  }

  /** Starts an entry whose bytes are pushed as they are made. */
  async openEntry(meta: EntryMeta, level: number): Promise<EntryStream> {
    const offset = this.offset;
    const flags = meta.flags & FLAG_UTF8;
    await this.write(this.localHeader(meta, flags, 0, 0, 0));
    return new EntryStream(this, meta, flags, offset, level);
  }

  /** @internal */
  localHeader(meta: EntryMeta, flags: number, crc: number, csize: number, usize: number): Buffer {
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

  /** @internal */
  addCentral(
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

  /**
   * @internal Ends an entry streamed after a header of zeros: the sizes are known only
   * now, so the header is rewritten in place instead of trailing a data descriptor,
   * which some readers handle poorly.
   */
  async endEntry(
    meta: EntryMeta,
    f: { flags: number; offset: number; crc: number; csize: number; usize: number },
  ): Promise<void> {
    this.checkSize(f.usize, meta.name);
    this.checkSize(f.csize, meta.name);
    await this.flush();
    const fix = Buffer.alloc(12);
    fix.writeUInt32LE(f.crc >>> 0, 0);
    fix.writeUInt32LE(f.csize, 4);
    fix.writeUInt32LE(f.usize, 8);
    await this.patchAt(fix, f.offset + 14);
    this.addCentral(meta, { versionNeeded: 20, method: 8, ...f });
  }

  /** @internal rewrites bytes already flushed */
  async patchAt(data: Buffer, position: number): Promise<void> {
    await writeAll(this.fh, data, position);
  }

  async finish(): Promise<number> {
    const cdOffset = this.offset;
    let cdSize = 0;
    for (const rec of this.central) {
      cdSize += rec.length;
      await this.write(rec);
    }
    if (this.count > 0xffff) throw new ZipLimitError('too many zip entries');
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

/** Writes buffers one after another from `position`, without joining them first. */
async function writeAllv(
  fh: FileHandle,
  parts: Buffer[],
  position: number,
  length: number,
): Promise<void> {
  const { bytesWritten } = await fh.writev(parts, position);
  if (bytesWritten === length) return;
  // A short write: the rest one buffer at a time.
  let skip = bytesWritten;
  let at = position + bytesWritten;
  for (const part of parts) {
    if (skip >= part.length) {
      skip -= part.length;
      continue;
    }
    await writeAll(fh, part.subarray(skip), at);
    at += part.length - skip;
    skip = 0;
  }
}

export async function writeAll(fh: FileHandle, data: Buffer, position: number): Promise<void> {
  let done = 0;
  while (done < data.length) {
    const { bytesWritten } = await fh.write(data, done, data.length - done, position + done);
    done += bytesWritten;
  }
}

/**
 * One entry of unknown size. The bytes are deflated in independent segments on the libuv
 * pool, several at a time, and the segments are joined as pigz does: each but the last
 * ends on a sync flush, so together they are one valid deflate stream. A sheet of
 * hundreds of megabytes thus compresses on every core, not one. Pieces are copied
 * straight into segment buffers that are used again once deflated, so an entry costs no
 * allocation per piece.
 */
export class EntryStream {
  private crc = 0;
  private usize = 0;
  private csize = 0;
  private readonly inflight: { input: LatinBuffer; job: Promise<Buffer> }[] = [];
  private readonly free: LatinBuffer[] = [];
  private segment: LatinBuffer | null = null;
  private used = 0;

  constructor(
    private readonly zip: ZipWriter,
    private readonly meta: EntryMeta,
    private readonly flags: number,
    private readonly offset: number,
    private readonly level: number,
  ) {}

  /**
   * Appends a byte string. Returns a promise only when the caller must wait (deflate
   * or the disk is behind), so hot loops can skip an await per piece.
   */
  pushText(piece: string): Promise<void> | undefined {
    if (piece.length === 0) return undefined;
    if (piece.length > SEGMENT_CAPACITY) {
      return this.pushBig(Buffer.from(piece, 'latin1') as LatinBuffer);
    }
    if (this.segment !== null && this.used + piece.length > SEGMENT_CAPACITY) {
      return this.endSegment(false).then(() => this.pushText(piece));
    }
    const segment = (this.segment ??= this.newSegment());
    this.used += segment.latin1Write(piece, this.used, piece.length);
    return this.used >= DEFLATE_SEGMENT ? this.endSegment(false) : undefined;
  }

  /** Appends bytes; like {@link pushText}. */
  pushBytes(bytes: Uint8Array): Promise<void> | undefined {
    if (bytes.length === 0) return undefined;
    if (bytes.length > SEGMENT_CAPACITY) return this.pushBig(Buffer.from(bytes) as LatinBuffer);
    if (this.segment !== null && this.used + bytes.length > SEGMENT_CAPACITY) {
      return this.endSegment(false).then(() => this.pushBytes(bytes));
    }
    const segment = (this.segment ??= this.newSegment());
    segment.set(bytes, this.used);
    this.used += bytes.length;
    return this.used >= DEFLATE_SEGMENT ? this.endSegment(false) : undefined;
  }

  /** Deflates what is left and fills in the entry's sizes. */
  async end(): Promise<void> {
    try {
      await this.endSegment(true);
      while (this.inflight.length > 0) await this.writeNext();
    } finally {
      await this.abandon();
    }
    const { zip, meta, flags, offset, crc, csize, usize } = this;
    await zip.endEntry(meta, { flags, offset, crc, csize, usize });
  }

  /** Waits out deflates still running, after a failure. */
  async abandon(): Promise<void> {
    await Promise.allSettled(this.inflight.map((f) => f.job));
  }

  private newSegment(): LatinBuffer {
    return this.free.pop() ?? (Buffer.allocUnsafe(SEGMENT_CAPACITY) as LatinBuffer);
  }

  private async pushBig(big: LatinBuffer): Promise<void> {
    if (this.segment !== null) await this.endSegment(false);
    this.submit(big, big.length, false);
    if (this.inflight.length >= DEFLATE_PARALLEL) await this.writeNext();
  }

  private submit(data: LatinBuffer, length: number, last: boolean): void {
    const input = data.subarray(0, length);
    // Only bytes move the CRC. zlib answers 0 for a buffer without memory, whatever CRC
    // is passed in, and the empty last segment that finishes an entry is one
    // (Buffer.allocUnsafe(0)): an entry whose bytes ended a segment lost its CRC.
    if (length > 0) this.crc = crc32(input, this.crc);
    this.usize += length;
    const job = deflateAsync(input, {
      level: this.level,
      finishFlush: last ? zlibConstants.Z_FINISH : zlibConstants.Z_SYNC_FLUSH,
    });
    // Rejections are awaited in order; this only keeps an early one from being
    // reported as unhandled while an earlier segment is still awaited.
    job.catch(() => {});
    this.inflight.push({ input: data, job });
  }

  private async writeNext(): Promise<void> {
    const { input, job } = this.inflight.shift()!;
    const out = await job;
    if (input.length === SEGMENT_CAPACITY) this.free.push(input);
    this.csize += out.length;
    await this.zip.write(out);
  }

  private async endSegment(last: boolean): Promise<void> {
    let segment = this.segment;
    if (segment === null) {
      if (!last) return;
      segment = Buffer.allocUnsafe(0) as LatinBuffer;
    }
    this.submit(segment, this.used, last);
    this.segment = null;
    this.used = 0;
    if (this.inflight.length >= DEFLATE_PARALLEL) await this.writeNext();
  }
}
