/**
 * One writer per workbook across processes (CLI, server, cron): a lock file created
 * exclusively beside the workbook. A lock left by a process that died is taken over.
 */
import { open, readFile, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { processAlive } from '../files/processAlive.ts';
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
    await handle.writeFile(`${process.pid}\n${new Date().toISOString()}\n`);
    await handle.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    return false;
  }
}

async function holderOf(lockPath: string): Promise<{ pid: number; text: string } | null> {
  try {
    const text = await readFile(lockPath, 'utf8');
    return { pid: Number(text.split('\n')[0]), text: text.trim().replace('\n', ' @ ') };
  } catch {
    return null;
  }
}

/** In-process queue per path, so one process never waits on its own lock file. */
const queue = new KeyedQueue();

export function withFileLock<T>(
  path: string,
  fn: () => Promise<T>,
  timeoutMs = 120_000,
): Promise<T> {
  return queue.run(path, () => withLockFile(path, fn, timeoutMs));
}

const isDead = (holder: { pid: number } | null): boolean =>
  holder !== null && Number.isInteger(holder.pid) && holder.pid > 0 && !processAlive(holder.pid);

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
