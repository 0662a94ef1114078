/**
 * Sheets written in pieces of whole rows: a patch that re-deflates only the pieces it
 * touches gives the same sheet XML, byte for byte, as the whole-sheet merge, leaves the
 * other pieces' compressed bytes as they were, and makes a zip whose CRCs and sizes
 * every reader accepts.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc32Combine } from '../../sync-server/xlsx/crc32Combine.ts';
import { patchWorkbook, type CellPatch } from '../../sync-server/xlsx/patcher.ts';
import { readWorkbook } from '../../sync-server/xlsx/reader.ts';
import { ROW_CHUNK } from '../../sync-server/xlsx/rowChunks.ts';
import { writeXlsx, type Row } from '../../sync-server/xlsx/writer.ts';
import { ZipArchive } from '../../sync-server/xlsx/zipRead.ts';

let dir: string;
let n = 0;
const fresh = (): string => join(dir, `c${n++}.xlsx`);
const ROWS = 12_000;
let seed: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-chunks-'));
  seed = fresh();
  function* rows(): Generator<Row> {
    for (let i = 0; i < ROWS; i++)
      yield [`C${String(i).padStart(6, '0')}`, `客户${i}`, i * 3.5, i % 7 === 0, '备注文字'];
  }
  await writeXlsx(seed, [
    {
      name: '客户',
      columns: ['编号', '名称', '金额', '标记', '备注'].map((header) => ({ header })),
      rows: rows(),
    },
    { name: '小表', columns: [{ header: '甲' }], rows: [['一'], ['二']] },
  ]);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Every entry's uncompressed bytes (the reader checks each CRC and size on the way). */
async function entries(path: string): Promise<Map<string, string>> {
  const zip = await ZipArchive.open(path);
  try {
    const out = new Map<string, string>();
    for (const e of zip.entries) out.set(e.name, (await zip.readBytes(e)).toString('latin1'));
    return out;
  } finally {
    await zip.close();
  }
}

const patchCell: fc.Arbitrary<CellPatch> = fc.record({
  row: fc.oneof(
    fc.integer({ min: 1, max: ROWS + 1 }),
    fc.integer({ min: ROWS + 2, max: ROWS + 40 }),
  ),
  col: fc.integer({ min: 0, max: 7 }),
  value: fc.oneof(
    fc.string({ maxLength: 12 }).filter((s) => !/[\uD800-\uDFFF]/.test(s)),
    fc.integer({ min: -5000, max: 5000 }),
    fc.constant(null),
    fc.boolean(),
  ),
});

describe('sheets in pieces of rows', { timeout: 240_000 }, () => {
  it('joins CRC-32s as one pass over the joined bytes would', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), fc.nat(3000), (bytes, at) => {
        const cut = Math.min(at, bytes.length);
        const a = bytes.subarray(0, cut);
        const b = bytes.subarray(cut);
        expect(crc32Combine(crc32(a), crc32(b), b.length)).toBe(crc32(bytes));
      }),
    );
  });

  it('patches only the touched pieces and gives the whole-sheet merge, byte for byte', async () => {
    // First write: the whole merge, cut into pieces, described.
    const base = fresh();
    const first = await patchWorkbook(seed, base, {
      cells: { 客户: [{ row: 2, col: 1, value: '改' }] },
    });
    const part = first.partsRewritten[0]!;
    const described = first.chunks?.get(part);
    expect(described?.chunks.length).toBeGreaterThan((ROWS * 60) / ROW_CHUNK / 2);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(patchCell, { minLength: 1, maxLength: 20 }), {
          minLength: 1,
          maxLength: 3,
        }),
        async (steps) => {
          let fast = base;
          let whole = base;
          let chunks = first.chunks;
          for (const cells of steps) {
            const nextFast = fresh();
            const nextWhole = fresh();
            const made = await patchWorkbook(
              fast,
              nextFast,
              { cells: { 客户: cells } },
              { chunks: chunks! },
            );
            await patchWorkbook(whole, nextWhole, { cells: { 客户: cells } });
            const was = chunks!.get(part)!.chunks;
            const now = made.chunks!.get(part)!.chunks;
            // Pieces far from every changed row are the same pieces, copied as they were.
            expect(now.filter((c) => was.includes(c)).length).toBeGreaterThan(
              was.length - cells.length - 3,
            );
            expect(made.chunks!.get(part)!.chunks.length).toBeGreaterThan(3);
            const [a, b] = [await entries(nextFast), await entries(nextWhole)];
            expect(a.get(part)).toBe(b.get(part));
            expect([...a.keys()]).toEqual([...b.keys()]);
            fast = nextFast;
            whole = nextWhole;
            chunks = made.chunks;
          }
          const [x, y] = [await readWorkbook(fast), await readWorkbook(whole)];
          expect(x.sheets.map((s) => s.rows)).toEqual(y.sheets.map((s) => s.rows));
        },
      ),
      { numRuns: 8 },
    );
  });

  it('takes the whole-sheet merge when the description is not of this file', async () => {
    const a = fresh();
    const first = await patchWorkbook(seed, a, {
      cells: { 客户: [{ row: 3, col: 0, value: 'x' }] },
    });
    const b = fresh();
    // The description of `a`, given with `seed`: it does not fit, so the sheet is merged whole.
    const made = await patchWorkbook(
      seed,
      b,
      { cells: { 客户: [{ row: 4, col: 0, value: 'y' }] } },
      {
        chunks: first.chunks!,
      },
    );
    const rows = (await readWorkbook(b)).sheets[0]!.rows;
    expect(rows.find((r) => r.row === 4)?.cells[0]).toBe('y');
    expect(rows.find((r) => r.row === 3)?.cells[0]).toBe('C000001');
    expect(made.chunks?.size).toBeGreaterThan(0);
  });

  it('cuts pieces at rows longer than a piece, and patches them as the whole-sheet merge does', async () => {
    const long = fresh();
    const wide = '长'.repeat(12_000);
    function* rows(): Generator<Row> {
      for (let i = 0; i < 600; i++) yield [`L${i}`, i % 40 === 0 ? wide + i : `短${i}`, i];
    }
    await writeXlsx(long, [
      { name: '长行', columns: ['编号', '文字', '数'].map((header) => ({ header })), rows: rows() },
    ]);
    const base = fresh();
    const first = await patchWorkbook(long, base, {
      cells: { 长行: [{ row: 2, col: 2, value: 1 }] },
    });
    const part = first.partsRewritten[0]!;
    const pieces = first.chunks!.get(part)!.chunks;
    expect(pieces.length).toBeGreaterThan(3);
    // Every piece after the first starts at a row, however long the rows around it.
    expect(pieces.slice(1).every((c) => c.firstRow > 1)).toBe(true);
    const cells: CellPatch[] = [
      { row: 42, col: 1, value: '改短了' },
      { row: 300, col: 2, value: 7 },
      { row: 602, col: 0, value: '新行' },
    ];
    const [fast, whole] = [fresh(), fresh()];
    await patchWorkbook(base, fast, { cells: { 长行: cells } }, { chunks: first.chunks! });
    await patchWorkbook(base, whole, { cells: { 长行: cells } });
    const [a, b] = [await entries(fast), await entries(whole)];
    expect(a.get(part)).toBe(b.get(part));
  });
});
