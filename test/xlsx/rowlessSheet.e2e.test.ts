/**
 * List tabs written without row numbers: rows put in, taken out and replaced by runs
 * written into the pieces they fall in read back exactly as the same change written
 * cell by cell into the whole sheet — by our reader and by LibreOffice — and leave
 * every other piece's compressed bytes as they were.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellValue } from '../../shared/cells.ts';
import { indexRuns } from '../../shared/sync/rowEdits.ts';
import {
  patchWorkbook,
  type CellPatch,
  type RowEditsPatch,
} from '../../sync-server/xlsx/patcher.ts';
import { readWorkbook } from '../../sync-server/xlsx/reader.ts';
import type { EntryChunks } from '../../sync-server/xlsx/rowChunks.ts';
import { writeXlsx, type Row } from '../../sync-server/xlsx/writer.ts';
import { ZipArchive } from '../../sync-server/xlsx/zipRead.ts';
import { convertWithLibreOffice } from '../helpers/libreoffice.ts';

let dir: string;
let n = 0;
const fresh = (): string => join(dir, `r${n++}.xlsx`);
const ROWS = 6000;
const TAB = '回访计划';
let seed: string;
let seedGrid: CellValue[][];

const rowAt = (i: number): CellValue[] => [
  `P${String(i).padStart(6, '0')}`,
  `客户${i}`,
  46000 + (i >> 4),
  i % 9 === 0 ? null : '例行回访',
  i % 5,
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-rowless-'));
  seed = fresh();
  const header = ['客户编号', '客户名称', '计划日期', '类型', '逾期天数'];
  seedGrid = [header, ...Array.from({ length: ROWS }, (_, i) => rowAt(i))];
  function* rows(): Generator<Row> {
    for (let i = 0; i < ROWS; i++) yield rowAt(i);
  }
  await writeXlsx(seed, [
    // First, so that LibreOffice's text export (the first sheet) shows it.
    { name: TAB, columns: header.map((h) => ({ header: h })), rows: rows() },
    { name: '客户', columns: [{ header: '编号' }], rows: [['C1'], ['C2']] },
  ]);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The grid a reader gives: row n at index n-1, blank rows empty, no trailing blanks. */
async function gridOf(path: string): Promise<string[]> {
  const book = await readWorkbook(path);
  const rows = book.sheets.find((s) => s.name === TAB)!.rows;
  const out: string[] = [];
  for (const r of rows) out[r.row - 1] = JSON.stringify(r.cells);
  return Array.from(out, (x) => x ?? '');
}

const expected = (grid: readonly (readonly CellValue[])[]): string[] => {
  const out = grid.map((cells) => {
    const c = [...cells];
    while (c.length > 0 && (c[c.length - 1] === null || c[c.length - 1] === '')) c.pop();
    return c.length === 0 ? '' : JSON.stringify(c);
  });
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  return out;
};

/** The change from `have` to `want` cell by cell, as the plan writes it. */
function cellsOf(
  have: readonly (readonly CellValue[])[],
  want: readonly (readonly CellValue[])[],
): CellPatch[] {
  const cells: CellPatch[] = [];
  for (let r = 0; r < Math.max(have.length, want.length); r++) {
    const a = have[r] ?? [];
    const b = want[r] ?? [];
    for (let c = 0; c < Math.max(a.length, b.length); c++)
      if ((a[c] ?? null) !== (b[c] ?? null))
        cells.push({
          row: r + 1,
          col: c,
          value: b[c] ?? null,
          numFmt: c === 2 && r > 0 ? 'date' : undefined,
        });
  }
  return cells;
}

function runsOf(
  have: readonly (readonly CellValue[])[],
  want: readonly (readonly CellValue[])[],
): RowEditsPatch {
  const same = (i: number, j: number): boolean =>
    JSON.stringify(have[i]) === JSON.stringify(want[j]);
  const edits = indexRuns(have.length, want.length, same).map((r) => ({
    at: r.from + 1,
    remove: r.remove,
    insert: want.slice(r.to, r.to + r.insert),
  }));
  return {
    edits,
    numFmts: [undefined, undefined, 'date'],
    height: have.length,
    newHeight: want.length,
  };
}

/** One step of changes to a sorted list: rows put in, taken out, replaced. */
const step = fc.array(
  fc.record({
    kind: fc.constantFrom('insert', 'remove', 'replace'),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    count: fc.integer({ min: 1, max: 3 }),
    salt: fc.nat(1000),
  }),
  { minLength: 1, maxLength: 4 },
);

function changed(
  grid: CellValue[][],
  changes: readonly { kind: string; at: number; count: number; salt: number }[],
): CellValue[][] {
  const next = grid.map((r) => [...r]);
  for (const ch of changes) {
    const at = 1 + Math.floor(ch.at * (next.length - 1));
    const made = Array.from({ length: ch.count }, (_, k) =>
      k === 1
        ? []
        : [
            `N${ch.salt}-${k}`,
            `新客户${ch.salt}`,
            46500 + k,
            k === 2 ? null : '首次回访',
            ch.salt % 4,
          ],
    );
    if (ch.kind === 'insert') next.splice(at, 0, ...made);
    else if (ch.kind === 'remove') next.splice(at, Math.min(ch.count, next.length - at));
    else next.splice(at, Math.min(ch.count, next.length - at), ...made);
  }
  return next;
}

async function sheetXml(path: string): Promise<string> {
  const zip = await ZipArchive.open(path);
  try {
    return (await zip.readBytes(zip.find('xl/worksheets/sheet1.xml')!)).toString('latin1');
  } finally {
    await zip.close();
  }
}

async function pieces(path: string, part: string): Promise<Map<string, number>> {
  const zip = await ZipArchive.open(path);
  try {
    const entry = zip.find(part)!;
    return new Map([[part, entry.compressedSize]]);
  } finally {
    await zip.close();
  }
}

describe('list tabs without row numbers', { timeout: 600_000 }, () => {
  it('read back after random row runs as the same change written cell by cell', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 5 }), async (steps) => {
        let runsFile = fresh();
        let cellsFile = fresh();
        await patchWorkbook(seed, runsFile, { cells: { 客户: [{ row: 1, col: 1, value: 'x' }] } });
        await patchWorkbook(seed, cellsFile, { cells: { 客户: [{ row: 1, col: 1, value: 'x' }] } });
        let grid = seedGrid;
        let chunks: Map<string, EntryChunks> | undefined;
        for (const changes of steps) {
          const want = changed(grid, changes);
          const cells = cellsOf(grid, want);
          const runs = runsOf(grid, want);
          const nextRuns = fresh();
          const result = await patchWorkbook(
            runsFile,
            nextRuns,
            { rowEdits: { [TAB]: runs } },
            chunks ? { chunks } : {},
          );
          // Runs are written as runs (a step that changes nothing writes nothing): into the
          // pieces once the tab is rowless, else through the whole sheet — the same bytes.
          expect(result.rowEdited ?? []).toEqual(cells.length === 0 ? [] : [TAB]);
          const whole = fresh();
          await patchWorkbook(runsFile, whole, { rowEdits: { [TAB]: runs } });
          expect(await sheetXml(whole)).toBe(await sheetXml(nextRuns));
          await rm(whole);
          chunks = result.chunks;
          const nextCells = fresh();
          await patchWorkbook(cellsFile, nextCells, { cells: { [TAB]: cells } });
          await rm(runsFile);
          await rm(cellsFile);
          runsFile = nextRuns;
          cellsFile = nextCells;
          grid = want;
          const read = await gridOf(runsFile);
          expect(read).toEqual(expected(want));
          expect(read).toEqual(await gridOf(cellsFile));
        }
        await rm(runsFile);
        await rm(cellsFile);
      }),
      { numRuns: 12 },
    );
  });

  it('puts in thousands of rows at once, blank cells among them, the same through the whole sheet as into pieces', async () => {
    const big = (i: number): CellValue[] => rowAt(ROWS + i).map((v, c) => (i % 7 === c ? null : v));
    // A first write makes the tab rowless and describes its pieces.
    const first = fresh();
    const before = [seedGrid[0]!, big(-1), ...seedGrid.slice(2)];
    const made = await patchWorkbook(seed, first, {
      rowEdits: { [TAB]: runsOf(seedGrid, before) },
    });
    expect(made.chunks?.size).toBeGreaterThan(0);
    const grid = [
      ...before.slice(0, 100),
      ...Array.from({ length: 5_000 }, (_, i) => big(i)),
      ...before.slice(100),
    ];
    const runs = runsOf(before, grid);
    const intoPieces = fresh();
    await patchWorkbook(first, intoPieces, { rowEdits: { [TAB]: runs } }, { chunks: made.chunks });
    const whole = fresh();
    await patchWorkbook(first, whole, { rowEdits: { [TAB]: runs } });
    expect(await sheetXml(whole)).toBe(await sheetXml(intoPieces));
    expect(await gridOf(whole)).toEqual(expected(grid));
  });

  it('rewrites only the piece a row is put in, and LibreOffice reads the rowless tab', async () => {
    const first = fresh();
    const made = await patchWorkbook(seed, first, {
      rowEdits: {
        [TAB]: runsOf(seedGrid, [
          seedGrid[0]!,
          [...seedGrid[1]!.slice(0, 4), 7],
          ...seedGrid.slice(2),
        ]),
      },
    });
    const grid = [seedGrid[0]!, [...seedGrid[1]!.slice(0, 4), 7], ...seedGrid.slice(2)];
    const part = [...made.chunks!.keys()].find((k) => made.chunks!.get(k)!.rowless)!;
    const before = made.chunks!.get(part)!;
    expect(before.rowless).toEqual({ height: ROWS + 1 });
    expect(before.chunks.length).toBeGreaterThan(4);
    const xml = (await readFile(first)).length;
    expect(xml).toBeGreaterThan(0);

    const want = [
      ...grid.slice(0, 3001),
      ['P999999', '新客户', 46100, '首次回访', 0],
      ...grid.slice(3001),
    ];
    const second = fresh();
    const result = await patchWorkbook(
      first,
      second,
      { rowEdits: { [TAB]: runsOf(grid, want) } },
      { chunks: made.chunks! },
    );
    expect(result.rowEdited).toEqual([TAB]);
    const after = result.chunks!.get(part)!;
    expect(after.rowless).toEqual({ height: ROWS + 2 });
    const same = (a: { crc: number; clen: number }, b: { crc: number; clen: number }): boolean =>
      a.crc === b.crc && a.clen === b.clen;
    const kept = after.chunks.filter((c) => before.chunks.some((b) => same(b, c))).length;
    // The first piece (its dimension) and the piece the row went in: every other is copied.
    expect(kept).toBeGreaterThanOrEqual(before.chunks.length - 2);
    expect(await gridOf(second)).toEqual(expected(want));
    expect((await pieces(second, part)).get(part)).toBe(after.csize);

    const csv = await readFile(
      convertWithLibreOffice(second, 'csv:Text - txt - csv (StarCalc):44,34,76', dir),
      'utf8',
    );
    const lines = csv.trim().split('\n');
    expect(lines.length).toBe(ROWS + 2);
    expect(lines[0]).toBe('客户编号,客户名称,计划日期,类型,逾期天数');
    // Every row in its place, every cell in its column (the date column is shown as a date).
    const shown = (v: CellValue | undefined): string =>
      v === null || v === undefined ? '' : String(v);
    const cols = [0, 1, 3, 4];
    expect(lines.map((l) => cols.map((c) => l.split(',')[c] ?? '').join(','))).toEqual(
      want.map((r) => cols.map((c) => shown(r[c])).join(',')),
    );
  });
});
