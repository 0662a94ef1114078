/**
 * `crm-sync init` as the real command, and LibreOffice Calc reading what it writes back
 * with tabs, headers, rows, notes and dropdowns intact.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABS } from '../sheets-templates/index.ts';
import { cliProcess } from './helpers/workbook.ts';
import { dataRows, dropdownsOf, headerOf, peekXlsx, sheet } from './helpers/xlsxPeek.ts';

const NOW = '2025-06-15T10:00';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-init-e2e-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

async function init(name: string, ...args: string[]): Promise<string> {
  const file = join(dir, name);
  const run = await cliProcess(['init', file, ...args]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  expect(run.stdout).toMatch(/22 tabs/);
  return file;
}

describe('LibreOffice Calc reads the workbook back', () => {
  it('keeps tabs, headers, row counts, values, notes and dropdowns', async () => {
    const file = await init('calc.xlsx', '--sample', '200', '--seed', '3', '--now', NOW);
    const out = join(dir, 'calc-out');
    const profile = join(dir, 'lo-profile');
    const converted = spawnSync(
      'soffice',
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'xlsx',
        '--outdir',
        out,
        file,
      ],
      { encoding: 'utf8', timeout: 240_000 },
    );
    expect(converted.status, converted.stderr).toBe(0);
    const ours = peekXlsx(file);
    const calc = peekXlsx(join(out, 'calc.xlsx'));

    expect(calc.sheets.map((s) => s.name)).toEqual(ours.sheets.map((s) => s.name));
    for (const t of TABS) {
      const mine = sheet(ours, t.name);
      const theirs = sheet(calc, t.name);
      expect(headerOf(theirs), t.name).toEqual(headerOf(mine));
      const myRows = dataRows(mine);
      const theirRows = dataRows(theirs);
      expect(theirRows.length, t.name).toBe(myRows.length);
      theirRows.forEach((row, r) => {
        const expected = myRows[r]!;
        for (let c = 0; c < Math.max(row.length, expected.length); c++) {
          const [got, want] = [row[c] ?? null, expected[c] ?? null];
          if (typeof want === 'number' && typeof got === 'number') {
            expect(Math.abs(got - want), `${t.name} row ${r + 2}`).toBeLessThan(1e-6);
          } else {
            expect(got, `${t.name} row ${r + 2} col ${c}`).toEqual(want);
          }
        }
      });
      expect(dropdownsOf(calc, t.name), t.name).toEqual(dropdownsOf(ours, t.name));
      expect(theirs.notes, t.name).toEqual(mine.notes);
    }
    expect(dataRows(sheet(calc, '客户'))).toHaveLength(200);
    // Number formats survive too (Calc escapes the literal characters).
    const format = (tabName: string, ref: string) =>
      calc.formats[sheet(calc, tabName).styles.get(ref)!]?.replaceAll('\\', '');
    expect(format('订单', 'C2')).toBe('yyyy-mm-dd');
    expect(format('订单', 'F2')).toBe('#,##0.00');
    expect(format('跟进记录', 'C2')).toBe('yyyy-mm-dd hh:mm');
  }, 300_000);
});
