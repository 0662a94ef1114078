/**
 * Whether a workbook file is still the one the service last read or wrote, so that a
 * kept copy of its rows may stand in for reading it again — decided from `stat` alone
 * whenever the timestamps make that certain, from the bytes only when they cannot.
 *
 * The identity is the whole `stat` in nanoseconds — device, inode, size, mtime, ctime —
 * plus the moment its content was known (`knownAtNs`: just before the stat of a file
 * about to be read, or just before the rename that put the service's own write in
 * place). Any field that differs means a change. All equal, the rule is git's for
 * "racily clean" entries: a write to the file after `knownAtNs` stamps its mtime and
 * ctime with the time of that write, so if the recorded mtime or ctime is older than
 * `knownAtNs` by more than the file system's timestamp tick, a later write cannot have
 * left the same stamp behind. Only a file stamped within a tick of that moment — a
 * write the stat cannot tell from the one recorded — has its bytes compared with the
 * CRC-32 taken of them. Why this cannot miss a save:
 *
 * - Excel, WPS and LibreOffice save by writing a new file and renaming it over the old
 *   one (or, on some shares, by rewriting it in place). A renamed-in file is a new inode,
 *   created while the old one still existed, so `ino` differs. Rewritten in place, the
 *   file gets the rewrite's mtime and ctime, which are later than `knownAtNs`.
 * - ctime cannot be set by any program: changing the mtime back (`touch -d`, `cp -p`)
 *   stamps ctime with now, so a file whose recorded ctime is old is certain. A file the
 *   service just renamed into place has a new ctime, but its mtime is that of the temp
 *   file's last write, which the store keeps a tick older than the rename (it waits
 *   out the tick when the write was that quick): an in-place rewrite after the rename
 *   stamps a newer mtime. Only a program that rewrote the file in place and set its
 *   mtime back to the recorded nanosecond, all within one tick of the rename, could
 *   go unseen; no office suite does that.
 * - The tick is read off the stamps themselves: stamps that are whole seconds (FAT's
 *   2 s, HFS+, ext3) or whole hundredths (exFAT) say the file system is that coarse,
 *   and the margin grows to match; ns stamps (ext4, XFS, btrfs, APFS, NTFS) are stamped
 *   from the kernel's coarse clock, a few ms behind, so the margin never falls under
 *   {@link MIN_MARGIN_NS}. On a network share, stamps come from the server's clock; one
 *   running ahead of this machine's only makes more files racy (checked by bytes).
 */
import { open, stat } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

export interface FileIdentity {
  dev: bigint;
  ino: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
  /** wall clock (ns since the epoch) when the file's content was known to be this */
  knownAtNs: bigint;
  /** CRC-32 of the file's bytes, when taken (a racy identity needs it) */
  crc?: number;
}

export type StatPart = Pick<FileIdentity, 'dev' | 'ino' | 'size' | 'mtimeNs' | 'ctimeNs'>;

/** Below this, a stamp may still be the kernel clock's current tick (its jiffy, ≤ 10 ms). */
export const MIN_MARGIN_NS = 25_000_000n;

/** The wall clock in ns, as file stamps count it. */
export const wallNs = (): bigint =>
  BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e3)) * 1000n;

export async function statOf(path: string): Promise<StatPart> {
  const s = await stat(path, { bigint: true });
  return { dev: s.dev, ino: s.ino, size: s.size, mtimeNs: s.mtimeNs, ctimeNs: s.ctimeNs };
}

export const sameStat = (a: StatPart, b: StatPart): boolean =>
  a.dev === b.dev &&
  a.ino === b.ino &&
  a.size === b.size &&
  a.mtimeNs === b.mtimeNs &&
  a.ctimeNs === b.ctimeNs;

/** The coarsest tick a stamp could have been rounded to, read off its trailing zeros. */
function tickOf(ns: bigint): bigint {
  if (ns === 0n) return 2_000_000_000n;
  let tick = 1n;
  while (tick < 1_000_000_000n && ns % (tick * 10n) === 0n) tick *= 10n;
  // Whole seconds may be FAT's even seconds.
  return tick === 1_000_000_000n ? 2_000_000_000n : tick;
}

/** How much older than `knownAtNs` a stamp must be for a later write to stamp it differently. */
export function marginOf(s: StatPart): bigint {
  const a = tickOf(s.mtimeNs);
  const b = tickOf(s.ctimeNs);
  const tick = a > b ? a : b;
  return tick + MIN_MARGIN_NS;
}

/**
 * True when, the stat being equal, no write after `knownAtNs` can have left it so: the
 * recorded ctime, or mtime, is older than that moment by more than a tick.
 */
export function settled(s: StatPart, knownAtNs: bigint): boolean {
  const before = knownAtNs - marginOf(s);
  return s.ctimeNs < before || s.mtimeNs < before;
}

const CHUNK = 1 << 22;

/** CRC-32 of a file, read in pieces into one buffer. */
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
 * The identity of the file at `path`, its content known as of `knownAtNs` (default: now,
 * just before the stat). `crc`, when given, is the checksum of bytes the caller knows the
 * file holds (a temp file it wrote and renamed into place); otherwise the bytes are read
 * only when the stat cannot settle a later comparison. A file that changes while its
 * identity is taken gives null: nothing certain can be said of it.
 */
export async function identityOf(
  path: string,
  known: { knownAtNs?: bigint; crc?: number } = {},
): Promise<FileIdentity | null> {
  const knownAtNs = known.knownAtNs ?? wallNs();
  const before = await statOf(path);
  if (known.crc === undefined && settled(before, knownAtNs)) return { ...before, knownAtNs };
  const crc = known.crc ?? (await fileCrc(path));
  const after = await statOf(path);
  return sameStat(before, after) ? { ...after, knownAtNs, crc } : null;
}

/**
 * True when the file at `path` is, byte for byte, the one `identity` was taken of. A
 * racy identity whose bytes check out is settled from then on (its `knownAtNs` moves to
 * the check), so the bytes are read at most once per write.
 */
export async function stillSame(path: string, identity: FileIdentity): Promise<boolean> {
  let now: StatPart;
  const checkedAtNs = wallNs();
  try {
    now = await statOf(path);
  } catch {
    return false;
  }
  if (!sameStat(now, identity)) return false;
  if (settled(identity, identity.knownAtNs)) return true;
  if (identity.crc === undefined) return false;
  if ((await fileCrc(path)) !== identity.crc) return false;
  let after: StatPart;
  try {
    after = await statOf(path);
  } catch {
    return false;
  }
  if (!sameStat(after, identity)) return false;
  identity.knownAtNs = checkedAtNs;
  return true;
}

/** True when a write after `atNs` would stamp the file with a newer mtime than it has. */
export const mtimeSettled = (s: StatPart, atNs: bigint): boolean => s.mtimeNs < atNs - marginOf(s);

/**
 * The identity of a file just renamed into place from a temp file whose stat was `temp`,
 * its content known as of `knownAtNs` (taken before the rename). Null when the file is
 * not that temp file any more, or when its mtime is too recent to tell a later write from
 * it and no `crc` of its bytes is given: the store then reads the file again.
 */
export async function placedIdentity(
  path: string,
  temp: StatPart,
  knownAtNs: bigint,
  crc?: number,
): Promise<FileIdentity | null> {
  let now: StatPart;
  try {
    now = await statOf(path);
  } catch {
    return null;
  }
  if (
    now.dev !== temp.dev ||
    now.ino !== temp.ino ||
    now.size !== temp.size ||
    now.mtimeNs !== temp.mtimeNs
  )
    return null;
  if (crc !== undefined) return { ...now, knownAtNs, crc };
  return mtimeSettled(now, knownAtNs) ? { ...now, knownAtNs } : null;
}
