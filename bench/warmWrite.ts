/**
 * The write side of the warm service, in process: copies a workbook, opens a warm store on
 * the copy, reads it, then times what a form's save and a sync's write cost — CPU (this
 * process, the zlib threads included) and wall, phase by phase as the store reports them.
 *
 *   tsx bench/warmWrite.ts <file.xlsx> [forms=5]
 *
 * Steps: the cold read; the first write after it (which cuts the big sheets into pieces);
 * `forms` form saves (a warm read, then writeCells of one new 客户 row); a sync's write of
 * a few hundred changed 客户 cells; a sync's write that also moves every 回访计划 row after
 * a new customer's callback one row down, as the tab's order (计划日期, then 客户编号) does
 * (the first such write makes the tab rowless; the later ones move rows in pieces).
 * Prints one JSON line. With WARM_PROFILE=<file.cpuprofile>, the warm steps (everything after
 * the first write) are recorded by the CPU profiler into that file.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { profileIfAsked } from './cpuProfile.ts';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as T from '../sheets-templates/tabs.ts';
import { formatOf } from '../shared/formats.ts';
import { sameCell, type CellWrite, type SyncPlan } from '../shared/sync/plan.ts';
import { listTabEdits, type ListTabEdits } from '../shared/sync/rowEdits.ts';
import type { CellValue } from '../shared/cells.ts';
import type { SheetRow } from '../shared/validate/index.ts';
import { XlsxFileStore } from '../sync-server/local/xlsxStore.ts';

const [source, formsText] = process.argv.slice(2);
if (!source) throw new Error('usage: warmWrite.ts <file.xlsx> [forms]');
const forms = Number(formsText ?? 5);

interface Step {
  step: string;
  wallMs: number;
  cpuMs: number;
  /** of cpuMs, in the kernel (file reads, writes, flushes) */
  sysMs: number;
  cells?: number;
  phases?: Record<string, number>;
}
const steps: Step[] = [];
const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

async function timed<T>(step: string, fn: () => Promise<T>, cells?: number): Promise<T> {
  const cpu = cpuNow();
  const sys = process.cpuUsage().system;
  const t = performance.now();
  const value = await fn();
  steps.push({
    step,
    wallMs: Math.round(performance.now() - t),
    cpuMs: Math.round(cpuNow() - cpu),
    sysMs: Math.round((process.cpuUsage().system - sys) / 1000),
    ...(cells === undefined ? {} : { cells }),
    ...(phases() ? { phases: phases() } : {}),
  });
  return value;
}

const dir = await mkdtemp(join(tmpdir(), 'crm-warm-write-'));
const file = join(dir, 'book.xlsx');
await copyFile(source, file);
const store = new XlsxFileStore(file, { warm: true });
const phases = (): Record<string, number> | undefined => store.lastWritePhases;

const tabRows = async (name: string): Promise<readonly SheetRow[]> =>
  (await store.read([name])).input.tabs.get(name) ?? [];

/** One new 客户 row below the last: the cells a 新建客户 form writes. */
async function newCustomerCells(n: number): Promise<CellWrite[]> {
  const rows = await tabRows(T.CUSTOMERS.name);
  const last = rows[rows.length - 1]!;
  const id = `P2099${String(n).padStart(5, '0')}`;
  return last.cells.map((value, col) => ({
    tab: T.CUSTOMERS.name,
    row: last.row + 1,
    col,
    value: col === 0 ? id : (value as CellValue),
    rowId: id,
    column: '',
  }));
}

const plan = (cells: CellWrite[]): SyncPlan => ({
  cells,
  ids: [],
  newTabs: [],
  rowsRead: 0,
  errors: 0,
  warnings: 0,
});

/**
 * A few hundred sync cells of 客户 (健康分): spread over every customer (one row in
 * every few hundred, the worst case: each in its own piece), or in rows side by side.
 */
async function syncCells(count: number, salt: number, spread = true): Promise<CellWrite[]> {
  const rows = await tabRows(T.CUSTOMERS.name);
  const col = T.CUSTOMERS.columns.findIndex((c) => c.key === 'healthScore');
  const step = spread ? Math.max(1, Math.floor(rows.length / count)) : 1;
  const cells: CellWrite[] = [];
  for (let i = 1; i < rows.length && cells.length < count; i += step)
    cells.push({
      tab: T.CUSTOMERS.name,
      row: rows[i]!.row,
      col,
      value: (i + salt) % 100,
      format: 'integer',
      rowId: String(rows[i]!.cells[0]),
      column: 'healthScore',
    });
  return cells;
}

/**
 * 回访计划 with one row inserted at `at` (a fraction of its length): the cells that differ,
 * and the same change as row runs, as planSync gives both.
 */
async function shiftedPlan(at: number): Promise<{ cells: CellWrite[]; runs: ListTabEdits }> {
  const rows = await tabRows(T.CALLBACK_PLAN.name);
  const grid: (readonly CellValue[])[] = [];
  for (const r of rows) grid[r.row - 1] = r.cells as CellValue[];
  const cut = 1 + Math.floor((grid.length - 1) * at);
  const inserted = [...(grid[cut] ?? [])];
  inserted[0] = 'P209900001';
  const want = [...grid.slice(0, cut), inserted, ...grid.slice(cut)];
  const cells: CellWrite[] = [];
  for (let r = 0; r < want.length; r++) {
    const have = grid[r] ?? [];
    const next = want[r] ?? [];
    for (let c = 0; c < Math.max(have.length, next.length); c++) {
      const value = next[c] ?? null;
      if (sameCell(have[c] as CellValue, value)) continue;
      cells.push({
        tab: T.CALLBACK_PLAN.name,
        row: r + 1,
        col: c,
        value,
        format: c === 4 ? 'date' : c === 7 ? 'integer' : 'text',
        rowId: '',
        column: '',
      });
    }
  }
  const formats = T.CALLBACK_PLAN.columns.map(formatOf);
  return { cells, runs: listTabEdits(T.CALLBACK_PLAN.name, rows, want, formats, sameCell) };
}

const load = loadavg().map((l) => Number(l.toFixed(1)));
try {
  await timed('cold read', () => store.exclusive(() => store.read()));
  const first = await newCustomerCells(0);
  await timed('first write (cuts pieces)', () => store.writeCells(first), first.length);
  const stopProfile = await profileIfAsked();
  for (let i = 1; i <= forms; i++) {
    await timed(`form ${i}: warm read`, () => store.read());
    const cells = await newCustomerCells(i);
    await timed(`form ${i}: writeCells`, () => store.writeCells(cells), cells.length);
  }
  // WARM_FORMS_ONLY=1: the form saves alone, for a profile of them.
  for (let i = 0; i < (process.env.WARM_FORMS_ONLY ? 0 : 4); i++) {
    const spread = i < 2;
    const what = `sync ${i} (${spread ? 'rows spread out' : 'rows side by side'})`;
    const snapshot = await timed(`${what}: warm read`, () => store.read());
    const cells = await syncCells(300, i, spread);
    await timed(`${what}: write`, () => store.write(snapshot, plan(cells)), cells.length);
  }
  for (let i = 0; i < (process.env.WARM_FORMS_ONLY ? 0 : 3); i++) {
    const snapshot = await timed(`sync+回访计划 ${i}: warm read`, () => store.read());
    const shifted = await shiftedPlan(0.3 + i * 0.2);
    const cells = [...(await syncCells(300, 7 + i)), ...shifted.cells];
    await timed(
      `sync+回访计划 ${i}: write`,
      () => store.write(snapshot, { ...plan(cells), rowEdits: [shifted.runs] }),
      cells.length,
    );
  }
  // The 回访计划 shift alone, beside a new customer's few 客户 cells (rows side by side),
  // as a form's sync writes it.
  for (let i = 0; i < (process.env.WARM_FORMS_ONLY ? 0 : 2); i++) {
    const snapshot = await timed(`回访计划 shift ${i}: warm read`, () => store.read());
    const shifted = await shiftedPlan(0.4 + i * 0.2);
    const cells = [...(await syncCells(20, 11 + i, false)), ...shifted.cells];
    await timed(
      `回访计划 shift ${i}: write`,
      () => store.write(snapshot, { ...plan(cells), rowEdits: [shifted.runs] }),
      cells.length,
    );
  }
  await stopProfile();
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.stdout.write(
  JSON.stringify({
    loadBefore: load,
    loadAfter: loadavg().map((l) => Number(l.toFixed(1))),
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    steps,
  }) + '\n',
);
