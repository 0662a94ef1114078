/**
 * A served workbook big enough that its sheets are written in pieces of rows: after 50
 * forms (新建客户 and 记录跟进), each followed by a warm sync, the file holds the same
 * sheet data, byte for byte, as a cold full sync of the same file — and LibreOffice
 * still opens it and reads the new customers' computed tiers.
 */
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { init } from '../../sync-server/cli/commands/init.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { apply, NOW, sheetData } from '../helpers/warmOps.ts';
import { convertWithLibreOffice } from '../helpers/libreoffice.ts';

let dir: string;
let seed: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-warm-pieces-'));
  seed = join(dir, 'seed.xlsx');
  // About 2,000 customers: 客户 and the child tabs run to several pieces each.
  await init({ file: seed, sample: 2000, seed: 5, now: NOW, force: false }, () => undefined);
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('warm service on sheets in pieces', { timeout: 900_000 }, () => {
  it('after 50 forms and warm syncs, writes what a cold full sync of the same file writes', async () => {
    const warmFile = join(dir, 'warm.xlsx');
    const coldFile = join(dir, 'cold.xlsx');
    await copyFile(seed, warmFile);
    const store = new XlsxFileStore(warmFile, { backups: 0, warm: true });
    await runSync(store, { source: '手动', now: NOW });
    const pieces = (store as unknown as { chunks?: ReadonlyMap<string, unknown> }).chunks;
    expect(pieces?.size ?? 0).toBeGreaterThan(2);
    for (let i = 0; i < 50; i++) {
      await apply(
        store,
        i % 2 === 0
          ? { kind: 'customer', name: `片${i}`, phone: 5_000_000 + i }
          : { kind: 'followUp', customer: i * 37, method: i % 3, content: `第${i}次` },
      );
      await runSync(store, { source: '表单', now: NOW });
    }
    await copyFile(warmFile, coldFile);
    await runSync(store, { source: '表单', now: NOW + 3600 });
    await runSync(new XlsxFileStore(coldFile, { backups: 0 }), { source: '表单', now: NOW + 3600 });
    expect(sheetData(warmFile)).toEqual(sheetData(coldFile));

    // LibreOffice reads the file the warm writes made: the last new customer has its tier.
    const csvDir = join(dir, 'csv');
    const csv = await readFile(
      convertWithLibreOffice(warmFile, 'csv:Text - txt - csv (StarCalc):44,34,76', csvDir),
      'utf8',
    );
    const line = csv.split('\n').find((l) => l.includes('片48'));
    expect(line).toBeDefined();
    const tier = T.CUSTOMERS.columns.findIndex((c) => c.key === 'tier');
    expect(line!.split(',')[tier]).toMatch(/\S/);
  });
});
