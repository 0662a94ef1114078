/**
 * Random access to a zip archive on disk: the central directory is parsed once, then
 * single entries are read whole (small XML parts) or streamed (sheets). Nothing but the
 * central directory is held in memory, so a 140 MB workbook costs a few hundred kB
 * until a part is actually read.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { Readable, pipeline } from 'node:stream';
import { constants } from 'node:buffer';
import { crc32, createInflateRaw, inflateRawSync } from 'node:zlib';
import { fileKind, notXlsxMessage } from './fileKind.ts';

export interface ZipEntry {
  name: string;
  versionMadeBy: number;
  versionNeeded: number;
  flags: number;
  method: number;
  modTime: number;
  modDate: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  internalAttrs: number;
  externalAttrs: number;
  localHeaderOffset: number;
  nameBytes: Uint8Array;
  /** central-directory extra field without the zip64 record, which is rebuilt on write */
  extra: Uint8Array;
  comment: Uint8Array;
}

const SIG_EOCD = 0x06054b50;
const SIG_EOCD64 = 0x06064b50;
const SIG_EOCD64_LOCATOR = 0x07064b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_LOCAL = 0x04034b50;
const SIG_DESCRIPTOR = 0x08074b50;
const U32 = 0xffffffff;
const U16 = 0xffff;

export const FLAG_ENCRYPTED = 1;
export const FLAG_DATA_DESCRIPTOR = 8;
export const FLAG_UTF8 = 0x800;

/** Chunk size for sheet streams: big enough that per-chunk overhead vanishes. */
export const STREAM_CHUNK = 1 << 19;

/** An entry whose compressed data does not inflate: zlib's message, with the entry named. */
function corrupt(entry: ZipEntry, err: unknown): ZipFormatError {
  const detail = err instanceof Error ? err.message : String(err);
  return new ZipFormatError(`${entry.name}: damaged compressed data (${detail})`);
}

export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

function crcMismatch(entry: ZipEntry): ZipFormatError {
  return new ZipFormatError(
    `文件已损坏：${entry.name} 的校验和（CRC-32）不符，内容不可信。请从 .crm-backups 中恢复上一版本`,
  );
}

/**
 * Deflate reaches about 1000:1 on a run of one byte; real sheets stay far below. An entry
 * both big and that compressed is a bomb, refused before a byte is inflated; the
 * declared size also bounds any one entry.
 */
export const MAX_ENTRY_BYTES = 2 ** 31;
const BOMB_RATIO = 400;
const BOMB_MIN_BYTES = 256 * 2 ** 20;

export function inflationRefusal(entry: ZipEntry): string | null {
  if (entry.uncompressedSize > MAX_ENTRY_BYTES)
    return `文件中的 ${entry.name} 解压后有 ${Math.round(entry.uncompressedSize / 2 ** 20)} MB，超过 ${MAX_ENTRY_BYTES / 2 ** 20} MB 上限，不予读取：工作簿过大或已损坏`;
  if (
    entry.uncompressedSize > BOMB_MIN_BYTES &&
    entry.uncompressedSize > entry.compressedSize * BOMB_RATIO
  )
    return `文件中的 ${entry.name} 以 ${Math.round(entry.compressedSize / 1024)} KB 解压成 ${Math.round(entry.uncompressedSize / 2 ** 20)} MB（超过 ${BOMB_RATIO} 倍），疑似恶意构造的文件，不予读取`;
  return null;
}

function u64(buf: Buffer, at: number): number {
  const value = buf.readBigUInt64LE(at);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError('zip64 value too large');
  return Number(value);
}

/** The largest buffer this Node can make. */
const MAX_BUFFER = constants.MAX_LENGTH;

async function readAt(fh: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(length);
  let done = 0;
  while (done < length) {
    // fs reads take a 32-bit length: a forged size must not reach them whole.
    const want = Math.min(length - done, 1 << 30);
    const { bytesRead } = await fh.read(buf, done, want, position + done);
    if (bytesRead === 0) throw new ZipFormatError('unexpected end of file');
    done += bytesRead;
  }
  return buf;
}

function stripZip64Extra(extra: Buffer): Uint8Array {
  const kept: Buffer[] = [];
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    const end = Math.min(extra.length, at + 4 + size);
    if (id !== 0x0001) kept.push(extra.subarray(at, end));
    at = end;
  }
  return new Uint8Array(Buffer.concat(kept));
}

function zip64Field(extra: Buffer, wanted: number): (n: number) => number {
  // The zip64 record lists only the fields whose 32-bit slots overflowed, in a fixed
  // order; `wanted` is how many of them precede the one asked for.
  let at = 0;
  while (at + 4 <= extra.length) {
    const id = extra.readUInt16LE(at);
    const size = extra.readUInt16LE(at + 2);
    if (id === 0x0001) {
      const base = at + 4;
      return (index: number) => {
        const pos = base + index * 8;
        if (pos + 8 > base + size) throw new ZipFormatError('truncated zip64 extra field');
        return u64(extra, pos);
      };
    }
    at += 4 + size;
  }
  return () => {
    throw new ZipFormatError(`missing zip64 extra field (${wanted})`);
  };
}

export class ZipArchive {
  readonly entries: ZipEntry[];
  private readonly byName = new Map<string, ZipEntry>();
  private readonly byLowerName = new Map<string, ZipEntry>();

  private constructor(
    readonly fh: FileHandle,
    readonly size: number,
    readonly mtimeMs: number,
    entries: ZipEntry[],
  ) {
    this.entries = entries;
    for (const entry of entries) {
      if (!this.byName.has(entry.name)) this.byName.set(entry.name, entry);
      const lower = entry.name.toLowerCase();
      if (!this.byLowerName.has(lower)) this.byLowerName.set(lower, entry);
    }
  }

  static async open(path: string): Promise<ZipArchive> {
    const fh = await open(path, 'r');
    try {
      const stat = await fh.stat();
      let entries: ZipEntry[];
      try {
        entries = await readCentralDirectory(fh, stat.size);
      } catch (err) {
        // Say what the file is (encrypted, .xls, text …) rather than what it is not.
        const head = await readAt(fh, 0, Math.min(stat.size, 1 << 20));
        const message = notXlsxMessage(fileKind(head));
        throw message ? new ZipFormatError(message) : err;
      }
      return new ZipArchive(fh, stat.size, stat.mtimeMs, entries);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    await this.fh.close();
  }

  /** OPC part names are case-insensitive; zip names are not, so try exact first. */
  find(name: string): ZipEntry | undefined {
    const clean = name.startsWith('/') ? name.slice(1) : name;
    return this.byName.get(clean) ?? this.byLowerName.get(clean.toLowerCase());
  }

  async dataOffset(entry: ZipEntry): Promise<number> {
    if (entry.localHeaderOffset + 30 > this.size) {
      throw new ZipFormatError(`${entry.name}: local header past the end of the file`);
    }
    const head = await readAt(this.fh, entry.localHeaderOffset, 30);
    if (head.readUInt32LE(0) !== SIG_LOCAL) {
      throw new ZipFormatError(`bad local header for ${entry.name}`);
    }
    return entry.localHeaderOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  }

  /** Where the entry's bytes end in the file, data descriptor included. */
  async rawEnd(entry: ZipEntry): Promise<number> {
    const dataEnd = (await this.dataOffset(entry)) + entry.compressedSize;
    if (dataEnd > this.size)
      throw new ZipFormatError(`${entry.name}: data runs past the end of the file`);
    if ((entry.flags & FLAG_DATA_DESCRIPTOR) === 0) return dataEnd;
    const tail = await readAt(this.fh, dataEnd, Math.min(24, this.size - dataEnd));
    const signed = tail.length >= 4 && tail.readUInt32LE(0) === SIG_DESCRIPTOR;
    const zip64 = entry.compressedSize >= U32 || entry.uncompressedSize >= U32;
    return dataEnd + (signed ? 4 : 0) + (zip64 ? 20 : 12);
  }

  private checkReadable(entry: ZipEntry): void {
    if (entry.flags & FLAG_ENCRYPTED) throw new ZipFormatError(`${entry.name} is encrypted`);
    if (entry.method !== 0 && entry.method !== 8) {
      throw new ZipFormatError(`${entry.name}: unsupported compression method ${entry.method}`);
    }
    const refusal = inflationRefusal(entry);
    if (refusal) throw new ZipFormatError(refusal);
  }

  async readBytes(entry: ZipEntry): Promise<Buffer> {
    this.checkReadable(entry);
    const start = await this.dataOffset(entry);
    if (start + entry.compressedSize > this.size) {
      throw new ZipFormatError(`${entry.name}: data runs past the end of the file`);
    }
    if (entry.uncompressedSize >= MAX_BUFFER) {
      throw new ZipFormatError(`${entry.name}: too large to read whole`);
    }
    const raw = await readAt(this.fh, start, entry.compressedSize);
    let data = raw;
    if (entry.method !== 0) {
      try {
        // Bounded by the declared size, so a forged entry cannot inflate without end.
        data = inflateRawSync(raw, { maxOutputLength: Math.max(1, entry.uncompressedSize + 1) });
      } catch (err) {
        throw corrupt(entry, err);
      }
    }
    if (data.length !== entry.uncompressedSize) {
      throw new ZipFormatError(`${entry.name}: size mismatch`);
    }
    if (crc32(data) >>> 0 !== entry.crc32 >>> 0) throw crcMismatch(entry);
    return data;
  }

  async readText(entry: ZipEntry): Promise<string> {
    return decodeUtf8(await this.readBytes(entry));
  }

  /** Uncompressed bytes in chunks; inflation runs on the libuv pool, off this thread. */
  async *stream(entry: ZipEntry): AsyncGenerator<Buffer> {
    this.checkReadable(entry);
    if (entry.compressedSize === 0) return;
    const start = await this.dataOffset(entry);
    if (start + entry.compressedSize > this.size) {
      throw new ZipFormatError(`${entry.name}: data runs past the end of the file`);
    }
    const raw = this.rawChunks(start, start + entry.compressedSize);
    let total = 0;
    let crc = 0;
    if (entry.method === 0) {
      for await (const chunk of raw) {
        total += chunk.length;
        crc = crc32(chunk, crc);
        yield chunk;
      }
    } else {
      const inflate = createInflateRaw({ chunkSize: STREAM_CHUNK });
      // Readable.from reads ahead, so the next compressed chunk is on its way while
      // the current one is inflated and scanned.
      pipeline(Readable.from(raw), inflate, () => {});
      try {
        for await (const chunk of inflate) {
          total += (chunk as Buffer).length;
          if (total > entry.uncompressedSize) break;
          crc = crc32(chunk as Buffer, crc);
          yield chunk as Buffer;
        }
      } catch (err) {
        throw corrupt(entry, err);
      } finally {
        inflate.destroy();
      }
    }
    if (total !== entry.uncompressedSize) throw new ZipFormatError(`${entry.name}: size mismatch`);
    if (crc >>> 0 !== entry.crc32 >>> 0) throw crcMismatch(entry);
  }

  /** Reads bytes [position, position + length) of the file into `into`. */
  async readInto(into: Buffer, position: number, length: number): Promise<void> {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(into, done, length - done, position + done);
      if (bytesRead === 0) throw new ZipFormatError('unexpected end of file');
      done += bytesRead;
    }
  }

  /**
   * Bytes [from, to) of the file in chunks. Plain positional reads: a stream over the
   * FileHandle would close the shared handle when destroyed.
   */
  async *rawChunks(from: number, to: number): AsyncGenerator<Buffer> {
    for (let at = from; at < to;) {
      const length = Math.min(STREAM_CHUNK, to - at);
      yield await readAt(this.fh, at, length);
      at += length;
    }
  }
}

const utf8 = new TextDecoder('utf-8', { ignoreBOM: false });

/** XML parts are UTF-8 in practice; a UTF-16 part announces itself with a BOM. */
export function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(bytes);
  }
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(bytes);
  }
  return utf8.decode(bytes);
}

async function readCentralDirectory(fh: FileHandle, size: number): Promise<ZipEntry[]> {
  if (size < 22) throw new ZipFormatError('not a zip file');
  const tailLength = Math.min(size, 22 + 0xffff + 20);
  const tailStart = size - tailLength;
  const tail = await readAt(fh, tailStart, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === SIG_EOCD && i + 22 + tail.readUInt16LE(i + 20) <= tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError('not a zip file (no end of central directory)');
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === U16 || cdSize === U32 || cdOffset === U32) {
    const loc = eocd - 20;
    if (loc < 0 || tail.readUInt32LE(loc) !== SIG_EOCD64_LOCATOR) {
      throw new ZipFormatError('zip64 locator missing');
    }
    const recordOffset = u64(tail, loc + 8);
    const record = await readAt(fh, recordOffset, 56);
    if (record.readUInt32LE(0) !== SIG_EOCD64) throw new ZipFormatError('bad zip64 record');
    count = u64(record, 32);
    cdSize = u64(record, 40);
    cdOffset = u64(record, 48);
  }
  if (cdOffset + cdSize > size) throw new ZipFormatError('central directory out of range');
  const cd = await readAt(fh, cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > cd.length || cd.readUInt32LE(at) !== SIG_CENTRAL) {
      throw new ZipFormatError('corrupt central directory');
    }
    const flags = cd.readUInt16LE(at + 8);
    const nameLength = cd.readUInt16LE(at + 28);
    const extraLength = cd.readUInt16LE(at + 30);
    const commentLength = cd.readUInt16LE(at + 32);
    const nameBytes = cd.subarray(at + 46, at + 46 + nameLength);
    const extra = cd.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength);
    const comment = cd.subarray(
      at + 46 + nameLength + extraLength,
      at + 46 + nameLength + extraLength + commentLength,
    );
    let uncompressedSize = cd.readUInt32LE(at + 24);
    let compressedSize = cd.readUInt32LE(at + 20);
    let localHeaderOffset = cd.readUInt32LE(at + 42);
    if (uncompressedSize === U32 || compressedSize === U32 || localHeaderOffset === U32) {
      const field = zip64Field(extra, n);
      let index = 0;
      if (uncompressedSize === U32) uncompressedSize = field(index++);
      if (compressedSize === U32) compressedSize = field(index++);
      if (localHeaderOffset === U32) localHeaderOffset = field(index++);
    }
    entries.push({
      name: nameBytes.toString((flags & FLAG_UTF8) !== 0 ? 'utf8' : 'latin1'),
      versionMadeBy: cd.readUInt16LE(at + 4),
      versionNeeded: cd.readUInt16LE(at + 6),
      flags,
      method: cd.readUInt16LE(at + 10),
      modTime: cd.readUInt16LE(at + 12),
      modDate: cd.readUInt16LE(at + 14),
      crc32: cd.readUInt32LE(at + 16),
      compressedSize,
      uncompressedSize,
      internalAttrs: cd.readUInt16LE(at + 36),
      externalAttrs: cd.readUInt32LE(at + 38),
      localHeaderOffset,
      nameBytes: new Uint8Array(nameBytes),
      extra: stripZip64Extra(extra),
      comment: new Uint8Array(comment),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}
