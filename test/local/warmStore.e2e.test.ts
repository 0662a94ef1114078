/**
 * The warm store keeps the rows it read and applies its own writes to them: after any
 * mix of form writes, stray cell writes and syncs they equal a cold read of the file,
 * cell for cell; a save behind its back is seen, down to one of the same size and time.
 */
import { copyFile, open, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import {
  identityOf,
  MIN_MARGIN_NS,
  settled,
  stillSame,
  type FileIdentity,
} from '../../sync-server/local/fileIdentity.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { apply, NOW, ops, sampleSeed, plain, sheetData } from '../helpers/warmOps.ts';
let dir: string;
let seed: string;

beforeAll(async () => {
  ({ dir, seed } = await sampleSeed('crm-warm-', 7));
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A copy of the sample that a warm store has read and then written one cell of. */
async function writtenByService(name: string): Promise<{ file: string; store: XlsxFileStore }> {
  const file = join(dir, name);
  await copyFile(seed, file);
  const store = new XlsxFileStore(file, { backups: 0, warm: true });
  await store.exclusive(async () => {
    await store.read();
    await store.writeCells([
      { tab: T.CUSTOMERS.name, row: 2, col: 2, value: '服务写的', rowId: '', column: '' },
    ]);
  });
  return { file, store };
}

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

  it('checks the bytes when every stat field matches and the stamps are too recent to tell', async () => {
    const file = join(dir, 'bytes.xlsx');
    await writeFile(file, 'abcdef');
    const identity = (await identityOf(file))!;
    // Just written: a write within the same tick would leave the same stamps, so the bytes count.
    expect(identity.crc).toBeDefined();
    expect(await stillSame(file, { ...identity })).toBe(true);
    // The same stat with other bytes: a save of the same size within one timestamp tick.
    expect(await stillSame(file, { ...identity, crc: identity.crc! ^ 1 })).toBe(false);
    await writeFile(file, 'abcdeg');
    expect(await stillSame(file, identity)).toBe(false);
    expect((await stat(file)).size).toBe(6);
  });

  it('settles by stat alone only stamps a tick older than the moment the content was known', () => {
    const at = 1_790_000_000_123_456_789n;
    const fine = (ago: bigint): FileIdentity => ({
      dev: 1n,
      ino: 2n,
      size: 3n,
      mtimeNs: at - ago + 7n,
      ctimeNs: at - ago + 7n,
      knownAtNs: at,
    });
    expect(settled(fine(MIN_MARGIN_NS + 2_000_000n), at)).toBe(true);
    expect(settled(fine(MIN_MARGIN_NS / 2n), at)).toBe(false);
    // Whole-second stamps (FAT, HFS+, ext3): a save 1.5 s later could still carry them.
    const second = (at / 1_000_000_000n) * 1_000_000_000n;
    const coarse = {
      ...fine(0n),
      mtimeNs: second - 1_000_000_000n,
      ctimeNs: second - 1_000_000_000n,
    };
    expect(settled(coarse, at)).toBe(false);
    expect(settled(coarse, at + 3_000_000_000n)).toBe(true);
    // An old mtime set back by a program: its ctime is new, yet the mtime alone settles a
    // rewrite after `at`, which would stamp a new mtime.
    expect(settled({ ...fine(0n), mtimeNs: at - 10_000_000_000n }, at)).toBe(true);
  });

  it('sees an in-place save of the same size right after its own write, even with the mtime set back', async () => {
    const { file, store } = await writtenByService('inplace.xlsx');
    const kept = (store as unknown as { kept: { identity: FileIdentity } }).kept.identity;
    // Settled by the temp file's stamp: the next checks read no byte.
    expect(kept.crc).toBeUndefined();
    const before = await stat(file);
    const bytes = await readFile(file);
    const handle = await open(file, 'r+');
    // The last byte of the zip's comment length: same size, other bytes.
    await handle.write(Buffer.from([bytes[bytes.length - 1]! ^ 1]), 0, 1, bytes.length - 1);
    await handle.close();
    await utimes(file, before.atime, before.mtime);
    expect(await stillSame(file, kept)).toBe(false);
  });

  it('sees a save that writes a new file and renames it over the workbook', async () => {
    const { file, store } = await writtenByService('renamed.xlsx');
    const saved = join(dir, 'renamed.saving.xlsx');
    await copyFile(file, saved);
    const other = new XlsxFileStore(saved, { backups: 0 });
    await other.exclusive(async () => {
      await other.read();
      await other.writeCells([
        { tab: T.CUSTOMERS.name, row: 2, col: 2, value: '别处存的', rowId: '', column: '' },
      ]);
    });
    const s = await stat(file);
    await utimes(saved, s.atime, s.mtime);
    await rename(saved, file);
    const again = await store.read();
    expect(again.input.tabs.get(T.CUSTOMERS.name)![1]!.cells[2]).toBe('别处存的');
  });

  it('cuts a big sheet into pieces ahead of a form once per read, changing nothing a reader sees', async () => {
    const file = join(dir, 'cut.xlsx');
    await copyFile(seed, file);
    const before = sheetData(file);
    const small = new XlsxFileStore(file, { backups: 0, warm: true });
    // Under the default size nothing is written.
    const { mtimeMs } = await stat(file);
    expect(await small.exclusive(() => small.cutForWrites(T.FOLLOW_UPS.name))).toBe(false);
    expect((await stat(file)).mtimeMs).toBe(mtimeMs);
    const store = new XlsxFileStore(file, { backups: 0, warm: true, cutAheadRows: 1 });
    expect(await store.exclusive(() => store.cutForWrites(T.FOLLOW_UPS.name))).toBe(true);
    const cut = await stat(file);
    expect(cut.mtimeMs).not.toBe(mtimeMs);
    expect(await store.exclusive(() => store.cutForWrites(T.FOLLOW_UPS.name))).toBe(false);
    expect((await stat(file)).mtimeMs).toBe(cut.mtimeMs);
    expect(sheetData(file)).toEqual(before);
    const kept = await store.exclusive(() => store.read());
    const cold = await new XlsxFileStore(file, { backups: 0 }).read();
    expect(plain(kept.input)).toEqual(plain(cold.input));
  });
});
