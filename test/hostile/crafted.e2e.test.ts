/**
 * Crafted workbooks through the real command: a 1.2 GB cell, a 1.1 GB entry, 200,000
 * empty cells and an import source of 41 sheets. Each ends within a time and memory
 * bound — a hang fails by the timeout — with the workbook untouched when refused.
 */
import { appendFile, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { emptyCells, hugeCell, manySheets, templateWorkbook, zipBomb } from './make.ts';
import { measured, type Measured } from './process.ts';

const NOW = ['--now', '2026-11-20T10:00'];
/** under load on a shared 2-core machine; the cases took minutes before the bounds */
const BOUND_MS = 45_000;
const PEAK_MIB = 400;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-crafted-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** What each case took, for the record (test-output/hostile-measures.txt). */
async function note(name: string, run: Measured): Promise<void> {
  await mkdir('test-output', { recursive: true });
  await appendFile(
    'test-output/hostile-measures.txt',
    `${name}\texit ${run.code}\t${run.ms} ms\t${run.peakMiB.toFixed(0)} MiB\n`,
  );
}

async function refusedQuickly(file: string): Promise<string> {
  const before = await readFile(file);
  const mode = (await stat(file)).mode;
  const run = await measured(['sync', file, ...NOW], BOUND_MS);
  await note(file, run);
  expect(run.code).toBe(1);
  expect(run.peakMiB).toBeLessThan(PEAK_MIB);
  expect((await readFile(file)).equals(before)).toBe(true);
  expect((await stat(file)).mode).toBe(mode);
  return run.stderr;
}

describe('crafted workbooks (item 8)', () => {
  it('a 1.2 GB text cell in a 1.3 MB file is refused at once', async () => {
    const file = join(dir, 'huge.xlsx');
    await hugeCell(file);
    expect(await refusedQuickly(file)).toContain('疑似恶意构造的文件，不予读取');
  }, 60_000);

  it('an entry inflating to 1.1 GB is refused before it is inflated', async () => {
    const file = join(dir, 'bomb.xlsx');
    await zipBomb(file);
    expect(await refusedQuickly(file)).toContain('疑似恶意构造的文件');
  }, 60_000);

  it('200,000 empty cells sync in linear time', async () => {
    const file = join(dir, 'empty.xlsx');
    await emptyCells(file);
    const run = await measured(['sync', file, ...NOW, '--json'], BOUND_MS);
    await note(file, run);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ result: 'partial' });
    expect(run.peakMiB).toBeLessThan(PEAK_MIB);
  }, 60_000);

  it('importing the first of 41 sheets parses only that sheet', async () => {
    const source = join(dir, 'many.xlsx');
    const target = join(dir, 'target.xlsx');
    await manySheets(source);
    await templateWorkbook(target);
    const run = await measured(['import', target, '--from', source, '--dry-run', ...NOW], BOUND_MS);
    await note(source, run);
    // Its rows lack required columns: every one rejected, so the dry run says so and exits 1.
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('没有一行可以导入');
    expect(run.stdout + run.stderr).toContain('工作表“表1”，4 行');
    expect(run.peakMiB).toBeLessThan(PEAK_MIB);
  }, 90_000);
});
