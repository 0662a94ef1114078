/**
 * The streaming xlsx writer with a big sheet: 60,000 rows from an async source reach the
 * file in order. A scale run, so it lives with the end-to-end tests, not the fast loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writeXlsx, type Row } from '../sync-server/xlsx/writer.ts';
import { headerOf, peekXlsx, sheet } from './helpers/xlsxPeek.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-writer-stream-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const columns = [{ header: 'A' }, { header: 'B', format: 'date' as const }, { header: 'C' }];

it('writeXlsx takes rows from an async source and streams big sheets through', async () => {
  async function* many(): AsyncGenerator<Row> {
    for (let i = 0; i < 60_000; i++) yield [`row ${i}`, 45_000 + (i % 400), i];
  }
  const file = join(dir, 'many.xlsx');
  const result = await writeXlsx(file, [{ name: 'Big', columns, rows: many() }]);
  expect(result.rows).toBe(60_000);
  const s = sheet(peekXlsx(file), 'Big');
  expect(headerOf(s)).toEqual(['A', 'B', 'C']);
  expect(s.rows.get(60_001)).toEqual(['row 59999', 45_000 + (59_999 % 400), 59_999]);
  // Dropdown-free sheet: no dataValidations element at all.
  expect(s.validations).toEqual([]);
});
