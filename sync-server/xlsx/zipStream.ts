/**
 * A new zip file written entry by entry as text arrives, through the one zip writer
 * (zipWrite.ts), with its disk writes awaited so memory stays flat however big the parts
 * get. The archive goes to a temp file beside the target and is moved into place only
 * once complete, so a crash never leaves half a workbook under the real name.
 */
import { open, unlink, type FileHandle } from 'node:fs/promises';
import { placeFile, tempPathFor } from '../files/atomicFile.ts';
import { newEntryMeta, ZipWriter, type EntryStream } from './zipWrite.ts';

export { pathExists } from '../files/atomicFile.ts';

export interface ZipFileOptions {
  /** Replace an existing file at the target path (default: fail if it exists). */
  overwrite?: boolean;
  /** The timestamp stored for every entry (default: now). */
  modified?: Date;
  /** zlib level, 1 (fast) … 9 (small); default 3 */
  level?: number;
}

// Big enough that deflate runs on large blocks, small enough to keep memory low.
const FLUSH_CHARS = 1 << 18;

export class ZipFileWriter {
  private entry: EntryStream | null = null;
  private text = '';
  private closed = false;
  private readonly modified: Date;

  private constructor(
    private readonly handle: FileHandle,
    private readonly zip: ZipWriter,
    private readonly tempPath: string,
    readonly path: string,
    private readonly options: ZipFileOptions,
  ) {
    this.modified = options.modified ?? new Date();
  }

  static async create(path: string, options: ZipFileOptions = {}): Promise<ZipFileWriter> {
    const tempPath = tempPathFor(path);
    const handle = await open(tempPath, 'wx');
    return new ZipFileWriter(handle, new ZipWriter(handle), tempPath, path, options);
  }

  /** Bytes of zip data produced so far. */
  get bytes(): number {
    return this.zip.offset;
  }

  /** Starts the next entry, ending the current one first. */
  async begin(name: string): Promise<void> {
    if (this.entry) await this.end();
    this.entry = await this.zip.openEntry(
      newEntryMeta(name, this.modified),
      this.options.level ?? 3,
    );
  }

  /**
   * Appends text to the current entry. Returns a promise only when the caller must
   * wait (deflate or the disk is behind), so hot loops can skip an await per row.
   */
  write(text: string): Promise<void> | undefined {
    this.text += text;
    if (this.text.length < FLUSH_CHARS) return undefined;
    return this.push();
  }

  /** Ends the current entry. */
  async end(): Promise<void> {
    const entry = this.entry;
    if (!entry) return;
    await this.push();
    this.entry = null;
    await entry.end();
  }

  /** Writes a whole small entry. */
  async entryOf(name: string, text: string): Promise<void> {
    await this.begin(name);
    this.text = text;
    await this.end();
  }

  /** Completes the archive and moves it to its real name. */
  async finish(): Promise<void> {
    await this.end();
    await this.zip.finish();
    await this.handle.sync();
    await this.close();
    await placeFile(this.tempPath, this.path, this.options);
  }

  /** Gives up: closes and removes the temp file. */
  async abort(): Promise<void> {
    await this.entry?.abandon();
    await this.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }

  private push(): Promise<void> | undefined {
    const entry = this.entry;
    if (!entry) throw new Error('no zip entry is open');
    if (this.text.length === 0) return undefined;
    const data = Buffer.from(this.text, 'utf8');
    this.text = '';
    return entry.pushBytes(data);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }
}
