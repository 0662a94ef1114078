/**
 * Writing a file so that a crash never leaves half of it under the real name: the bytes
 * go to a temp file beside the target, are flushed to disk, and the temp file is then
 * renamed into place and the directory flushed, so the rename itself survives a power
 * cut. Temp files of a process that died mid-write are recognised by name and removed.
 */
import { randomBytes } from 'node:crypto';
import { access, link, open, readdir, rename, rm, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { processAlive } from './processAlive.ts';

export interface PlaceOptions {
  /** Replace an existing file at the target path (default: fail if it exists). */
  overwrite?: boolean;
}

export interface ReplaceOptions extends PlaceOptions {
  /** Runs once the temp file is complete and flushed, just before it takes the real name. */
  beforePlace?: () => Promise<void>;
}

/** A fresh temp name beside `path`: `.name.<pid>.<hex>.tmp`. */
export function tempPathFor(path: string): string {
  return join(
    dirname(path),
    `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
}

/**
 * The process that made `name` as a temp file of `path`, or null when it is not one.
 * Matches every name {@link tempPathFor} makes (and the decimal-stamped names of
 * earlier versions, whose digits are hex digits too).
 */
export function tempOwner(path: string, name: string): number | null {
  const prefix = `.${basename(path)}.`;
  if (!name.startsWith(prefix)) return null;
  const m = /^(\d+)\.[0-9a-f]+\.tmp$/.exec(name.slice(prefix.length));
  return m ? Number(m[1]) : null;
}

/** Removes temp files of `path` left by processes that no longer exist. */
export async function removeDeadTemps(path: string): Promise<void> {
  const dir = dirname(path);
  for (const name of await readdir(dir)) {
    const pid = tempOwner(path, name);
    if (pid !== null && pid !== process.pid && !processAlive(pid)) {
      await rm(join(dir, name), { force: true });
    }
  }
}

/** Flushes a written file to disk. */
export async function syncFile(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Moves a complete, flushed temp file to its real name and flushes the directory. On
 * failure the temp file is removed.
 */
export async function placeFile(
  temp: string,
  path: string,
  opts: PlaceOptions = {},
): Promise<void> {
  try {
    if (opts.overwrite) await rename(temp, path);
    else await placeWithoutClobbering(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
  await syncDirectory(dirname(path));
}

/**
 * Writes `path` through a temp file: `write` fills the temp file, which is then flushed,
 * checked by `beforePlace`, and moved into place. The temp file never outlives the call.
 */
export async function replaceFile<T>(
  path: string,
  write: (temp: string) => Promise<T>,
  opts: ReplaceOptions = {},
): Promise<T> {
  await removeDeadTemps(path);
  const temp = tempPathFor(path);
  try {
    const result = await write(temp);
    await syncFile(temp);
    await opts.beforePlace?.();
    await placeFile(temp, path, opts);
    return result;
  } finally {
    await rm(temp, { force: true });
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

/** Makes a rename durable; not every platform lets a directory be opened. */
export async function syncDirectory(dir: string): Promise<void> {
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
