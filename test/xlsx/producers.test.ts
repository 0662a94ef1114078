import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, PRODUCER_FIXTURES } from '../../scripts/xlsxFixtures.ts';
import { patchWorkbook } from '../../sync-server/xlsx/patcher.ts';
import { findSheet, readWorkbook } from '../../sync-server/xlsx/reader.ts';
import { rawEntries } from './zipBytes.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-producers-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('workbooks as other producers write them', () => {
  for (const [name, fixture] of Object.entries(PRODUCER_FIXTURES)) {
    it(`${name}: ${fixture.about} — read correctly and patched without loss`, async () => {
      const src = join(dir, `${name}.xlsx`);
      const dest = join(dir, `${name}.patched.xlsx`);
      await writeFile(src, fixtureBytes(fixture));

      const book = await readWorkbook(src);
      expect(book.date1904).toBe(fixture.date1904 ?? false);
      const sheet = findSheet(book, fixture.sheet)!;
      const valueAt = (s: typeof sheet, row: number, col: number): unknown =>
        s.rows.find((r) => r.row === row)?.values[col] ?? null;
      for (const e of fixture.expect) expect(valueAt(sheet, e.row, e.col)).toEqual(e.value);

      const result = await patchWorkbook(src, dest, {
        cells: { [fixture.sheet]: [{ row: 2, col: 3, value: '已同步' }] },
        appendRows: { [fixture.sheet]: { rows: [['新客户', 42.25]], numFmts: [null, 'number'] } },
      });
      const after = await readWorkbook(dest);
      const patched = findSheet(after, fixture.sheet)!;
      expect(valueAt(patched, 2, 3)).toBe('已同步');
      expect(patched.rows.at(-1)?.values.slice(0, 2)).toEqual(['新客户', 42.25]);
      for (const e of fixture.expect) expect(valueAt(patched, e.row, e.col)).toEqual(e.value);
      expect(after.date1904).toBe(book.date1904);

      const before = await rawEntries(src);
      const now = await rawEntries(dest);
      expect([...now.keys()].sort()).toEqual([...before.keys()].sort());
      for (const [part, bytes] of before) {
        if (result.partsRewritten.includes(part)) continue;
        expect(now.get(part)?.equals(bytes), part).toBe(true);
      }
      // only the patched sheet and, for the number format, the styles change
      expect(
        result.partsRewritten.every((p) => /worksheets\/sheet1\.xml$|styles\.xml$/.test(p)),
      ).toBe(true);
    });
  }
});
