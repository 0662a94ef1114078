import { spawn } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { mkdtemp, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import type { Snapshot } from '../../sync-server/sync/store.ts';
import { patchWorkbook } from '../../sync-server/xlsx/patcher.ts';
import { readWorkbook } from '../../sync-server/xlsx/reader.ts';
import { BIN, cli, cliProcess, readTabs } from '../helpers/workbook.ts';

const NOW = '2026-11-20T10:00';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-safety-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function sampleWorkbook(name: string, customers: number): Promise<string> {
  const file = join(dir, name);
  const made = await cli([
    'init',
    file,
    '--sample',
    String(customers),
    '--seed',
    '3',
    '--now',
    NOW,
  ]);
  expect(made.code).toBe(0);
  return file;
}

/** A person saves the workbook: one people cell changed, written as a new file. */
async function personEdits(file: string, row: number, col: number, value: string): Promise<void> {
  const temp = file + '.person.xlsx';
  await patchWorkbook(file, temp, { cells: { 客户: [{ row, col, value }] } });
  await rename(temp, file);
}

describe('the local store never loses an edit or a workbook', () => {
  it('keeps an edit made between the sync reading and writing the file, and syncs again', async () => {
    const file = await sampleWorkbook('edit.xlsx', 30);
    const notesCol = (await readTabs(file)).get('客户')!.header.indexOf('备注');
    let reads = 0;
    class EditedMeanwhile extends XlsxFileStore {
      override async read(tabs?: readonly string[]): Promise<Snapshot> {
        const snapshot = await super.read(tabs);
        if (++reads === 1) await personEdits(file, 2, notesCol, '客户刚来电，改天再联系');
        return snapshot;
      }
    }
    const summary = await runSync(new EditedMeanwhile(file), { source: '命令行' });
    expect(reads).toBe(2);
    expect(summary.cellsWritten).toBeGreaterThan(0);
    const customer = (await readTabs(file)).get('客户')!.rows.get(2)!;
    expect(customer['备注']).toBe('客户刚来电，改天再联系');
    expect(customer['客户分层']).not.toBeNull();
  }, 60_000);

  it('runs two syncs started at once one after the other, both succeeding', async () => {
    const file = await sampleWorkbook('twice.xlsx', 200);
    const [a, b] = await Promise.all([
      cliProcess(['sync', file, '--json']),
      cliProcess(['sync', file, '--json']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const cells = [JSON.parse(a.stdout).cellsWritten, JSON.parse(b.stdout).cellsWritten].sort(
      (x, y) => x - y,
    );
    // The second to take the lock sees the first one's result: only its log row changes.
    expect(cells[0]).toBe(9);
    expect(cells[1]).toBeGreaterThan(9);
    const log = [...(await readTabs(file)).get('同步日志')!.rows.values()];
    expect(log).toHaveLength(2);
    expect(existsSync(file + '.lock')).toBe(false);
  }, 120_000);

  it('takes over a lock left by a dead process once, even with two syncs waiting', async () => {
    const file = await sampleWorkbook('stale.xlsx', 50);
    const dead = spawn('node', ['-e', '']);
    await new Promise((r) => dead.once('exit', r));
    await writeFile(file + '.lock', `${dead.pid}\n2026-01-01T00:00:00.000Z\n`);
    const [a, b] = await Promise.all([
      cliProcess(['sync', file, '--json']),
      cliProcess(['sync', file, '--json']),
    ]);
    expect([a.code, b.code]).toEqual([0, 0]);
    expect((await readTabs(file)).get('同步日志')!.rows.size).toBe(2);
    expect(existsSync(file + '.lock')).toBe(false);
    expect(existsSync(file + '.lock.takeover')).toBe(false);
  }, 120_000);

  it('leaves a readable workbook when the process is killed while writing it', async () => {
    const file = await sampleWorkbook('killed.xlsx', 2000);
    const before = await readWorkbook(file);
    const tabsBefore = before.sheets.map((s) => s.name);
    const temps = async (): Promise<string[]> =>
      (await readdir(dir)).filter((f) => f.startsWith('.killed.xlsx.') && f.endsWith('.tmp'));
    /** Starts a sync and kills it `extra` ms after its temp file appears; false if it finished first. */
    const killWhileWriting = async (extra: number): Promise<boolean> => {
      // A killed sync's temp file stays until the next sync tidies up: only a new one counts.
      const leftOver = new Set(await temps());
      const child = spawn('node', [BIN, 'sync', file], { stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r));
      const writing = new Promise<boolean>((resolve) => {
        const watcher = watch(dir, (_event, name) => {
          if (
            name &&
            name.startsWith('.killed.xlsx.') &&
            name.endsWith('.tmp') &&
            !leftOver.has(name)
          ) {
            watcher.close();
            resolve(true);
          }
        });
        void exited.then(() => {
          watcher.close();
          resolve(false);
        });
      });
      const hit = await writing;
      if (hit) {
        await new Promise((r) => setTimeout(r, extra));
        child.kill('SIGKILL');
      }
      await exited;
      return hit;
    };
    for (const extra of [0, 20, 60]) {
      let hit = false;
      for (let attempt = 0; attempt < 5 && !hit; attempt++) hit = await killWhileWriting(extra);
      expect(hit, 'every sync finished before it could be killed while writing').toBe(true);
      const book = await readWorkbook(file);
      expect(book.sheets.map((s) => s.name)).toEqual(tabsBefore);
      expect(book.sheets.find((s) => s.name === '客户')!.rows.length).toBe(2001);
    }
    // The lock and the temp file of a killed sync do not stop the next one, which tidies up.
    const after = await cli(['sync', file, '--json']);
    expect(after.code).toBe(0);
    expect(JSON.parse(after.stdout).result).toBe('success');
    expect(await temps()).toEqual([]);
    expect(existsSync(file + '.lock')).toBe(false);
  }, 600_000);
});
