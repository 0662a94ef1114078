/** The base of the reader's scanners: a part read as bytes and as their latin1 string. */
import { wholeCodePoints } from './byteText.ts';
import { XlsxFormatError } from './errors.ts';
import type { ZipArchive, ZipEntry } from './zipRead.ts';

/** Feeds a zip entry to a scanner, chunk by chunk. */
export async function scanEntry(zip: ZipArchive, entry: ZipEntry, scanner: Scanner): Promise<void> {
  for await (const chunk of zip.stream(entry)) scanner.push(chunk);
  scanner.finish();
}

export interface Scanner {
  push(bytes: Buffer): void;
  finish(): void;
}

/**
 * Buffer's decoders without toString's argument handling, which costs as much as the
 * decoding itself for a cell's few bytes. Every Buffer has them.
 */
export interface NodeBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

const NO_BYTES = Buffer.alloc(0) as NodeBuffer;

/**
 * A row of Excel's widest, every cell at its 32,767-character limit, is far beyond any
 * real workbook; 64 MiB holds hundreds of such cells.
 */
export const MAX_PENDING_BYTES = 64 * 2 ** 20;

function pendingMessage(bytes: number): string {
  return `工作簿中有一行（或一个单元格、一段标记）超过 ${Math.floor(bytes / 2 ** 20)} MB 仍未结束，超出可读取的上限（Excel 单元格最多 32767 个字符）：文件可能已损坏或是恶意构造的`;
}

/**
 * The scanners read a part as bytes and as a latin1 string of those same bytes, so an
 * index is a byte offset in both. Markup is ASCII, so scanning the latin1 string finds
 * the same tags a decoded one would, at a fraction of the cost: decoding is a plain copy
 * and V8 keeps the string one byte per character. Only cell text is decoded as UTF-8,
 * straight from the bytes.
 */
export abstract class ByteScanner implements Scanner {
  protected bytes: NodeBuffer = NO_BYTES;
  protected pos = 0;
  private latin1: string | null = null;

  push(chunk: Buffer): void {
    const rest = this.bytes.length - this.pos;
    // What waits for its end tag is one row, cell or string; past this it is no workbook
    // anyone typed, and carrying it on would make every later chunk copy it again.
    if (rest > MAX_PENDING_BYTES) throw new XlsxFormatError(pendingMessage(rest));
    this.bytes = (
      rest > 0 ? Buffer.concat([this.bytes.subarray(this.pos), chunk], rest + chunk.length) : chunk
    ) as NodeBuffer;
    this.latin1 = null;
    this.pos = 0;
    this.scan();
  }

  finish(): void {
    this.bytes = NO_BYTES;
    this.latin1 = null;
    this.pos = 0;
  }

  protected abstract scan(): void;

  /** The bytes as a latin1 string, made on first use: hot paths read the bytes themselves. */
  protected get buf(): string {
    return (this.latin1 ??= this.bytes.latin1Slice(0, this.bytes.length));
  }

  /** bytes [from, to) as text */
  protected utf8(from: number, to: number): string {
    return this.bytes.utf8Slice(from, to);
  }
}

/** Feeds text pieces to a scanner as UTF-8, never splitting a surrogate pair between pieces. */
export function pushText(scanner: Scanner, pieces: string | readonly string[]): void {
  for (const text of wholeCodePoints(pieces)) scanner.push(Buffer.from(text, 'utf8'));
  scanner.finish();
}
