/**
 * One writer per workbook across processes (CLI, server, cron): a lock file created
 * exclusively beside the workbook. A lock left by a process that died — or whose PID now
 * belongs to another process, as after a container restart — is taken over, and so is a
 * lock file left empty by a crash between its creation and its first write.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { holderGone, holderLines, parseHolder, type Holder } from '../files/processIdentity.ts';
import { KeyedQueue } from '../sync/keyedQueue.ts';

export class LockTimeoutError extends Error {
  constructor(path: string, holder: string) {
    super(`工作簿正被另一个同步占用（${holder}），请稍后再试：${path}`);
    this.name = 'LockTimeoutError';
  }
}

export { processAlive } from '../files/processAlive.ts';

async function tryTake(lockPath: string): Promise<boolean> {
  try {
    const handle = await open(lockPath, 'wx');
    await handle.writeFile(holderLines());
    await handle.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  }
}

interface LockHolder {
  text: string;
  /** null when the file names no process (empty or unreadable) */
  holder: Holder | null;
  /** how long ago the lock file was written */
  ageMs: number;
}

async function holderOf(lockPath: string): Promise<LockHolder | null> {
  try {
    const [text, s] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    const lines = text.trim().split('\n');
    return {
      holder: parseHolder(text),
      text: lines.length > 1 ? `进程 ${lines[0]}，始于 ${lines[1]}` : text.trim() || '空的锁文件',
      ageMs: Date.now() - s.mtimeMs,
    };
  } catch {
    return null;
  }
}

/** The writer fills its lock within milliseconds; an empty one this old was left by a crash. */
const EMPTY_LOCK_MS = 5_000;

/** In-process queue per path, so one process never waits on its own lock file. */
const queue = new KeyedQueue();

export function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  timeoutMs = 120_000,
): Promise<T> {
  return queue.run(path, () => withLockFile(path, fn, timeoutMs));
}

const isDead = (found: LockHolder | null): boolean =>
  found !== null &&
  (found.holder === null ? found.ageMs > EMPTY_LOCK_MS : holderGone(found.holder));

/**
 * Removes a dead process's lock. Two waiters may both find it dead; only the one that
 * wins a short takeover lock removes it, after checking again, so neither can remove a
 * lock the other has just taken. A takeover lock older than a few seconds was left by a
 * process that died in this very step.
 */
async function removeStale(lockPath: string): Promise<void> {
  const takeover = lockPath + '.takeover';
  if (!(await tryTake(takeover))) {
    const age = await stat(takeover).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > 10_000) await rm(takeover, { force: true });
    return;
  }
  try {
    if (isDead(await holderOf(lockPath))) await rm(lockPath, { force: true });
  } finally {
    await rm(takeover, { force: true });
  }
}

async function withLockFile<T>(path: string, fn: () => Promise<T>, timeoutMs: number): Promise<T> {
  const lockPath = path + '.lock';
  const deadline = Date.now() + timeoutMs;
  let delay = 20;
  while (!(await tryTake(lockPath))) {
    const holder = await holderOf(lockPath);
    if (isDead(holder)) {
      await removeStale(lockPath);
      continue;
    }
    if (Date.now() > deadline) throw new LockTimeoutError(path, holder?.text ?? '未知进程');
    await sleep(delay);
    delay = Math.min(delay * 2, 500);
  }
  try {
    return await fn();
  } finally {
    await rm(lockPath, { force: true });
  }
}
