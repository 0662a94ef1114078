/**
 * A zip file written entry by entry as text arrives, deflated by fflate, with the
 * write stream's backpressure honoured so memory stays flat however big the parts get.
 * The archive goes to a temp file beside the target and is renamed into place only
 * once complete, so a crash never leaves half a workbook under the real name.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { close, createWriteStream, fsync, open as openFd, type WriteStream } from 'node:fs';
import { open, rename, link, unlink, access, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Zip, ZipDeflate, type DeflateOptions } from 'fflate';

export interface ZipFileOptions {
  /** Replace an existing file at the target path (default: fail if it exists). */
  overwrite?: boolean;
  /** The timestamp stored for every entry (default: now). */
  modified?: Date;
  /** DEFLATE level; 3 compresses nearly as well as 6 at twice the speed with fflate. */
  level?: DeflateOptions['level'];
}

// Big enough that deflate runs on large blocks, small enough to keep memory low.
const FLUSH_CHARS = 1 << 18;
const EMPTY = new Uint8Array(0);

export class ZipFileWriter {
  private readonly zip: Zip;
  private entry: ZipDeflate | null = null;
  private text = '';
  private failure: unknown = null;
  private mustDrain = false;
  private written = 0;
  private closed = false;
  private readonly modified: Date;

  private constructor(
    /** a raw descriptor: a FileHandle cannot be closed while a stream still holds it */
    private readonly fd: number,
    private readonly out: WriteStream,
    private readonly tempPath: string,
    readonly path: string,
    private readonly options: ZipFileOptions,
  ) {
    this.modified = options.modified ?? new Date();
    this.zip = new Zip((err, chunk) => {
      if (err) {
        this.failure ??= err;
        return;
      }
      this.written += chunk.length;
      if (!this.out.write(chunk)) this.mustDrain = true;
    });
    out.on('error', (err) => {
      this.failure ??= err;
    });
  }

  static async create(path: string, options: ZipFileOptions = {}): Promise<ZipFileWriter> {
    const tempPath = join(
      dirname(path),
      `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
    );
    const fd = await promisify(openFd)(tempPath, 'wx');
    const out = createWriteStream(tempPath, { fd, autoClose: false, highWaterMark: 1 << 20 });
    return new ZipFileWriter(fd, out, tempPath, path, options);
  }

  /** Bytes of zip data produced so far. */
  get bytes(): number {
    return this.written;
  }

  /** Starts the next entry, ending the current one first. */
  async begin(name: string): Promise<void> {
    if (this.entry) await this.end();
    const entry = new ZipDeflate(name, { level: this.options.level ?? 3 });
    entry.mtime = this.modified;
    this.zip.add(entry);
    this.entry = entry;
  }

  /**
   * Appends text to the current entry. Returns a promise only when the caller must
   * wait (the disk is behind), so hot loops can skip an await per row.
   */
  write(text: string): Promise<void> | undefined {
    this.text += text;
    if (this.text.length < FLUSH_CHARS) return undefined;
    return this.push(false);
  }

  /** Ends the current entry. */
  async end(): Promise<void> {
    if (!this.entry) return;
    await this.push(true);
    this.entry = null;
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
    this.zip.end();
    this.check();
    await new Promise<void>((resolve, reject) =>
      this.out.end((err?: Error | null) => (err ? reject(err) : resolve())),
    );
    this.check();
    await promisify(fsync)(this.fd);
    await this.close();
    await this.moveIntoPlace();
  }

  /** Gives up: closes and removes the temp file. */
  async abort(): Promise<void> {
    this.out.destroy();
    await this.close().catch(() => undefined);
    await unlink(this.tempPath).catch(() => undefined);
  }

  private push(final: boolean): Promise<void> | undefined {
    const entry = this.entry;
    if (!entry) throw new Error('no zip entry is open');
    const data = this.text.length > 0 ? Buffer.from(this.text, 'utf8') : EMPTY;
    this.text = '';
    entry.push(data, final);
    this.check();
    if (!this.mustDrain) return undefined;
    this.mustDrain = false;
    return once(this.out, 'drain').then(() => this.check());
  }

  private check(): void {
    if (this.failure) throw this.failure;
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await promisify(close)(this.fd);
  }

  private async moveIntoPlace(): Promise<void> {
    try {
      if (this.options.overwrite) {
        await rename(this.tempPath, this.path);
      } else {
        await placeWithoutClobbering(this.tempPath, this.path);
      }
    } catch (err) {
      await unlink(this.tempPath).catch(() => undefined);
      throw err;
    }
    await syncDirectory(dirname(this.path));
  }
}

/** A hard link fails when the target exists, so two writers cannot both win. */
async function placeWithoutClobbering(from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw fileExists(to);
    // Some file systems have no hard links; fall back to check-then-rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err;
    if (await pathExists(to)) throw fileExists(to);
    await rename(from, to);
    return;
  }
  await unlink(from);
}

function fileExists(path: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${path} already exists`);
  err.code = 'EEXIST';
  return err;
}

export async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Makes the rename itself durable; not every platform lets a directory be opened. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
