/**
 * Whether a workbook file is still the one the service last read or wrote, so that a
 * kept copy of its rows may stand in for reading it again.
 *
 * Size and modification time alone can miss a save: timestamps tick coarsely (a few ms on
 * Linux, 2 s on FAT), an editor may keep the old mtime, and a save of the same length in
 * the same tick leaves both equal. So the identity is the whole `stat` in nanoseconds —
 * device, inode, size, mtime and ctime — and, checked whenever all of those match, a
 * CRC-32 of every byte. Excel, WPS and LibreOffice save through a new file renamed into
 * place (a new inode) or rewrite in place (a new ctime, which no program can set back);
 * the checksum covers the rest: a rewrite inside one timestamp tick with the same length.
 */
import { open, stat } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** CRC-32 of the file's bytes */
  crc: number;
}

type StatPart = Omit<FileIdentity, 'crc'>;

async function statOf(path: string): Promise<StatPart> {
  const s = await stat(path, { bigint: true });
  return { dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs };
}

const sameStat = (a: StatPart, b: StatPart): boolean =>
  a.dev === b.dev &&
  a.ino === b.ino &&
  a.size === b.size &&
  a.mtimeNs === b.mtimeNs &&
  a.ctimeNs === b.ctimeNs;

const CHUNK = 1 << 22;

/** CRC-32 of a file, read in pieces into one buffer (zlib's CRC runs at memory speed). */
export async function fileCrc(path: string): Promise<number> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    let crc = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
      if (bytesRead === 0) return crc;
      crc = crc32(buffer.subarray(0, bytesRead), crc);
    }
  } finally {
    await handle.close();
  }
}

/**
 * The identity of the file at `path` now. `crc`, when given, is the checksum of bytes the
 * caller knows the file holds (a temp file it just wrote and renamed into place). A file
 * that changes while it is being taken gives null: nothing certain can be said of it.
 */
export async function identityOf(path: string, crc?: number): Promise<FileIdentity | null> {
  const before = await statOf(path);
  const sum = crc ?? (await fileCrc(path));
  const after = await statOf(path);
  return sameStat(before, after) ? { ...after, crc: sum } : null;
}

/** True when the file at `path` is, byte for byte, the one `identity` was taken of. */
export async function stillSame(path: string, identity: FileIdentity): Promise<boolean> {
  let now: StatPart;
  try {
    now = await statOf(path);
  } catch {
    return false;
  }
  if (!sameStat(now, identity)) return false;
  return (await fileCrc(path)) === identity.crc;
}
