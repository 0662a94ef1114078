/**
 * When a saved form's sync runs: soon after the first form (a burst shares one sync, and
 * further forms do not push it back), and, while a sync is running, right after it, as
 * one sync for every form saved meanwhile. After each sync, the work that readies the next
 * form runs, one run at a time.
 */
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { WorkbookService } from '../../sync-server/sync/service.ts';
import { NOW, sampleSeed } from '../helpers/warmOps.ts';

let dir: string;
let file: string;

beforeAll(async () => {
  ({ dir, seed: file } = await sampleSeed('crm-form-syncs-', 5));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const wait = (ms: number) => new Promise((ok) => setTimeout(ok, ms));

/** A service on the sample workbook whose syncs are logged with when they started. */
async function service(debounceMs: number) {
  const started: number[] = [];
  const done: string[] = [];
  const store = new XlsxFileStore(file, { backups: 0, warm: true });
  const s = new WorkbookService(store, {
    debounceMs,
    clock: () => Date.now(),
    beforeSync: async () => {
      started.push(Date.now());
    },
    log: (line) => done.push(line),
  });
  // The first sync reads the file; the ones measured here are warm.
  await s.sync('手动', NOW);
  started.length = 0;
  done.length = 0;
  return { s, started, done };
}

async function until(check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await wait(10);
  }
}

describe('syncs asked for by forms', { timeout: 120_000 }, () => {
  it('runs one sync for a burst of forms, starting one wait after the first', async () => {
    const { s, started, done } = await service(300);
    const first = Date.now();
    s.requestSync();
    await wait(150);
    s.requestSync();
    await wait(100);
    s.requestSync();
    await until(() => done.length >= 1);
    await wait(500);
    expect(started).toHaveLength(1);
    // Not pushed back by the later forms: it started one wait after the first one, long
    // before one wait after the last (550 ms).
    expect(started[0]! - first).toBeGreaterThanOrEqual(290);
    expect(started[0]! - first).toBeLessThan(500);
    expect(done[0]).toMatch(/同步完成（表单）/);
    await s.close();
  });

  it('runs one sync right after a running one for the forms saved meanwhile', async () => {
    const { s, started, done } = await service(5_000);
    const running = s.sync('手动');
    await until(() => started.length === 1);
    s.requestSync();
    s.requestSync();
    await running;
    // No 5 s wait: the forms' sync follows the running one at once.
    await until(() => done.length === 2, 4_000);
    await wait(300);
    expect(started).toHaveLength(2);
    expect(done[1]).toMatch(/同步完成（表单）/);
    await s.close();
  });

  it('prepares for the next form after each sync that succeeded, and close waits for it', async () => {
    const own = join(dir, 'prepared.xlsx');
    await copyFile(file, own);
    const store = new XlsxFileStore(own, { backups: 0, warm: true });
    const log: string[] = [];
    let prepared = 0;
    let finished = false;
    // The first run holds until the test lets it go, however long the syncs take.
    let release = (): void => undefined;
    const gate = new Promise<void>((ok) => (release = ok));
    const s = new WorkbookService(store, {
      clock: () => Date.now(),
      log: (line) => log.push(line),
      afterSync: async () => {
        prepared++;
        if (prepared === 2) throw new Error('索引未建好');
        await gate;
        finished = true;
      },
    });
    await s.sync('手动', NOW);
    await s.sync('手动', NOW);
    // The second waits for the first, which is still at work.
    expect(prepared).toBe(1);
    release();
    await s.close();
    expect(prepared).toBe(2);
    expect(finished).toBe(true);
    expect(log.at(-1)).toBe('同步后的准备未完成：索引未建好');
    // A sync that fails prepares nothing.
    await rm(own);
    await expect(s.sync('手动', NOW)).rejects.toThrow();
    await s.close();
    expect(prepared).toBe(2);
  });
});
