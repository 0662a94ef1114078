/**
 * A warm sync — rows kept, only the changed rows parsed and the customers they belong to
 * computed — writes the same workbook as a cold full sync of the same file: every sheet's
 * XML byte for byte, and the 同步日志 row but for its 耗时.
 */
import { copyFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { apply, NOW, ops, sampleSeed, sheetData } from '../helpers/warmOps.ts';

let dir: string;
let seed: string;

beforeAll(async () => {
  ({ dir, seed } = await sampleSeed('crm-warm-sync-', 11));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('warm sync', { timeout: 300_000 }, () => {
  it('finds the 耗时 column of 同步日志', () => {
    expect(T.SYNC_LOG.columns.some((c) => c.header === '耗时(毫秒)')).toBe(true);
  });

  it('writes what a cold full sync writes, after random form writes, cell writes and warm syncs', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(ops, fc.nat({ max: 1 }), async (steps, day) => {
        const warmFile = join(dir, `warm-${run}.xlsx`);
        const coldFile = join(dir, `cold-${run++}.xlsx`);
        await copyFile(seed, warmFile);
        const store = new XlsxFileStore(warmFile, { backups: 0, warm: true });
        await runSync(store, { source: '手动', now: NOW });
        for (const step of steps) await apply(store, step);
        await copyFile(warmFile, coldFile);
        const now = NOW + day * 86_400 + 3600;
        await runSync(store, { source: '表单', now });
        await runSync(new XlsxFileStore(coldFile, { backups: 0 }), { source: '表单', now });
        expect(sheetData(warmFile)).toEqual(sheetData(coldFile));
        await rm(warmFile, { force: true });
        await rm(coldFile, { force: true });
      }),
      { numRuns: 8 },
    );
  });

  it('computes only the customers whose rows a form wrote', async () => {
    const file = join(dir, 'few.xlsx');
    await copyFile(seed, file);
    const store = new XlsxFileStore(file, { backups: 0, warm: true });
    await runSync(store, { source: '手动', now: NOW });
    const engine = (store as unknown as { engine: { lastComputed: number } }).engine;
    expect(engine.lastComputed).toBe(25);
    await runSync(store, { source: '手动', now: NOW });
    expect(engine.lastComputed).toBe(0);
    await apply(store, { kind: 'followUp', customer: 3, method: 0, content: '回访' });
    await runSync(store, { source: '表单', now: NOW });
    expect(engine.lastComputed).toBe(1);
    await runSync(store, { source: '手动', now: NOW + 86_400 });
    expect(engine.lastComputed).toBe(25);
  });
});
