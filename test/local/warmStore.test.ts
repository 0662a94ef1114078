/**
 * The warm store keeps the rows it read and applies its own writes to them: after any
 * mix of form writes, stray cell writes and syncs they equal a cold read of the file,
 * cell for cell; a save behind its back is seen, down to one of the same size and time.
 */
import { copyFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { identityOf, stillSame } from '../../sync-server/local/fileIdentity.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { apply, NOW, ops, sampleSeed, plain } from '../helpers/warmOps.ts';
let dir: string;
let seed: string;

beforeAll(async () => {
  ({ dir, seed } = await sampleSeed('crm-warm-', 7));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('warm workbook store', { timeout: 240_000 }, () => {
  it('keeps rows equal to a cold read of the file after random form writes, cell writes and syncs', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(ops, async (steps) => {
        const file = join(dir, `model-${run++}.xlsx`);
        await copyFile(seed, file);
        const store = new XlsxFileStore(file, { backups: 0, warm: true });
        await runSync(store, { source: '手动', now: NOW });
        for (const step of steps) await apply(store, step);
        const warm = await store.exclusive(() => store.read());
        const cold = await new XlsxFileStore(file).read();
        expect(plain(warm.input)).toEqual(plain(cold.input));
        await rm(file, { force: true });
      }),
      { numRuns: 6 },
    );
  });

  it('reads the file again when it was saved behind its back', async () => {
    const file = join(dir, 'behind.xlsx');
    await copyFile(seed, file);
    const store = new XlsxFileStore(file, { backups: 0, warm: true });
    const first = await store.read();
    const other = new XlsxFileStore(file, { backups: 0 });
    await other.exclusive(async () => {
      await other.read();
      await other.writeCells([
        { tab: T.CUSTOMERS.name, row: 2, col: 2, value: '改过的名字', rowId: '', column: '' },
      ]);
    });
    const again = await store.read();
    expect(again.input.tabs.get(T.CUSTOMERS.name)![1]!.cells[2]).toBe('改过的名字');
    expect(first.input.tabs.get(T.CUSTOMERS.name)![1]!.cells[2]).not.toBe('改过的名字');
  });

  it('checks the bytes when every stat field matches', async () => {
    const file = join(dir, 'bytes.xlsx');
    await writeFile(file, 'abcdef');
    const identity = (await identityOf(file))!;
    expect(await stillSame(file, identity)).toBe(true);
    // The same stat with other bytes: a save of the same size within one timestamp tick.
    expect(await stillSame(file, { ...identity, crc: identity.crc ^ 1 })).toBe(false);
    await writeFile(file, 'abcdeg');
    expect(await stillSame(file, identity)).toBe(false);
    expect((await stat(file)).size).toBe(6);
  });
});
