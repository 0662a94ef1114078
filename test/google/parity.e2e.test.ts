/**
 * The same workbook synced through the Google store (real client over HTTP to the fake,
 * reached with the emulator variables) and through the xlsx store gives the same sync
 * cells and sync tabs — both driven by the real `crm-sync sync` command.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { FakeSheetsApi } from '../fakes/sheetsApi.ts';
import { EXAMPLE, EXAMPLE_NOW } from '../helpers/example.ts';
import { cli, readTabs, writeWorkbook } from '../helpers/workbook.ts';

type Grid = (string | number | boolean | null)[][];

/** Rows as grids with blank cells as null and no trailing blanks, for comparing. */
function normalise(rows: readonly { row: number; cells: readonly unknown[] }[]): Grid {
  const grid: Grid = [];
  for (const r of rows) {
    const cells = r.cells.map((c) =>
      c === '' || c === undefined ? null : (c as string | number | boolean | null),
    );
    while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
    if (cells.length > 0) grid[r.row - 1] = cells;
  }
  return Array.from(grid, (r) => r ?? []);
}

let dir: string;
let fake: FakeSheetsApi;
let xlsxRun: { code: number; stdout: string; stderr: string };
let googleRun: { code: number; stdout: string; stderr: string };
let file: string;
const ID = 'parity-sheet';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-parity-'));
  file = join(dir, 'example.xlsx');
  await writeWorkbook(file, EXAMPLE);
  const input = (await new XlsxFileStore(file).read()).input;
  fake = await FakeSheetsApi.start();
  fake.load(ID, input.tabs, { timeZone: 'Asia/Shanghai' });
  const env = { ...process.env, SHEETS_API_ROOT_URL: fake.url, SHEETS_API_TOKEN: fake.token };
  googleRun = await cli(['sync', '--spreadsheet', ID, '--now', EXAMPLE_NOW, '--json'], env);
  xlsxRun = await cli(['sync', file, '--now', EXAMPLE_NOW, '--json']);
}, 120_000);

afterAll(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Google store and xlsx store agree', () => {
  it('both runs succeed with the same counts', () => {
    expect(googleRun.code, googleRun.stderr).toBe(0);
    expect(xlsxRun.code, xlsxRun.stderr).toBe(0);
    const g = JSON.parse(googleRun.stdout);
    const x = JSON.parse(xlsxRun.stdout);
    expect({ ...g, durationMs: 0 }).toEqual({ ...x, durationMs: 0 });
  });

  it('every tab but the log holds the same values', async () => {
    const xlsx = await readTabs(file);
    const google = fake.tabs(ID);
    for (const [name, view] of xlsx) {
      if (name === '同步日志') continue;
      const rows = Array.from(view.grid, (cells, i) => ({ row: i + 1, cells: cells ?? [] }));
      expect(normalise(google.get(name) ?? []), name).toEqual(normalise(rows));
    }
    expect([...google.keys()].sort()).toEqual([...xlsx.keys()].sort());
  });
});
