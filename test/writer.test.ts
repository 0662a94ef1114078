/** The streaming xlsx writer on its own: cell encoding, safety and the all-or-nothing file. */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx, type Row, type SheetSpec } from '../sync-server/xlsx/writer.ts';
import { dataRows, peekXlsx, sheet } from './helpers/xlsxPeek.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-writer-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const columns = [{ header: 'A' }, { header: 'B', format: 'date' as const }, { header: 'C' }];

describe('writeXlsx', () => {
  it('writes text that looks like a formula as plain text, and odd characters intact', async () => {
    const tricky: Row[] = [
      ['=1+1', '+86 138', '-5'],
      ['@SUM(A1)', '=HYPERLINK("http://x")', ' padded '],
      ['a & b < c > "d"', 'line\nbreak\r\nCRLF', 'bell\u0007tab\t'],
      ['_x0041_ stays', '😀 emoji', 'lone \ud800 surrogate'],
      [true, false, 0],
      [-0, 1e21, 0.1 + 0.2],
    ];
    const file = join(dir, 'tricky.xlsx');
    await writeXlsx(file, [{ name: 'T', columns, rows: tricky }]);
    const book = peekXlsx(file);
    const s = sheet(book, 'T');
    expect(s.xml).not.toMatch(/<f[ >]/);
    // Formula-like text carries Excel's quote prefix, so an edit in Excel keeps it text.
    const styles = new TextDecoder().decode(book.files['xl/styles.xml']);
    const xfs = [
      ...(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf\b[^>]*>/g),
    ].map((m) => m[0]);
    const quoted = (ref: string): boolean =>
      xfs[s.styles.get(ref) ?? 0]!.includes('quotePrefix="1"');
    expect(['A2', 'B2', 'C2', 'A3', 'B3'].filter(quoted)).toEqual(['A2', 'B2', 'C2', 'A3', 'B3']);
    expect(['C3', 'A4', 'B4', 'C4', 'A5'].filter(quoted)).toEqual([]);
    expect(dataRows(s)).toEqual([
      ['=1+1', '+86 138', '-5'],
      ['@SUM(A1)', '=HYPERLINK("http://x")', ' padded '],
      ['a & b < c > "d"', 'line\nbreak\r\nCRLF', 'bell\u0007tab\t'],
      ['_x0041_ stays', '😀 emoji', 'lone \ufffd surrogate'],
      [true, false, 0],
      [0, 1e21, 0.1 + 0.2],
    ]);
  });

  it('skips blank cells and rows but keeps row numbers', async () => {
    const file = join(dir, 'blanks.xlsx');
    await writeXlsx(file, [
      {
        name: 'S',
        columns,
        rows: [
          ['x', null, ''],
          [null, null, null],
          [null, 45000, 'z'],
        ],
      },
    ]);
    const s = sheet(peekXlsx(file), 'S');
    expect([...s.rows.keys()]).toEqual([1, 2, 4]);
    expect(s.rows.get(4)).toEqual([null, 45000, 'z']);
  });

  it('leaves neither the file nor a temp file when a row source fails', async () => {
    function* failing(): Generator<Row> {
      yield ['ok', null, null];
      throw new Error('source broke');
    }
    const file = join(dir, 'failed.xlsx');
    await expect(writeXlsx(file, [{ name: 'F', columns, rows: failing() }])).rejects.toThrow(
      'source broke',
    );
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(dir).filter((f) => f.includes('failed'))).toEqual([]);
  });

  it('refuses to replace a file unless told to', async () => {
    const file = join(dir, 'once.xlsx');
    const sheets: SheetSpec[] = [{ name: 'S', columns }];
    await writeXlsx(file, sheets);
    await expect(writeXlsx(file, sheets)).rejects.toThrow(/already exists/);
    await writeXlsx(file, sheets, { overwrite: true });
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    [[{ name: 'a/b', columns }], /invalid sheet name/],
    [[{ name: 'x'.repeat(32), columns }], /invalid sheet name/],
    [
      [
        { name: 'Same', columns },
        { name: 'same', columns },
      ],
      /duplicate sheet name/,
    ],
    [[{ name: 'L', columns: [{ header: 'H', dropdown: { values: ['a,b'] } }] }], /comma/],
    [
      [{ name: 'L', columns: [{ header: 'H', dropdown: { values: ['x'.repeat(300)] } }] }],
      /too long/,
    ],
    [[{ name: 'N', columns, rows: [[Number.NaN]] }], /NaN/],
    [[{ name: 'N', columns, rows: [['x'.repeat(40_000)]] }], /does not fit/],
  ])('rejects bad input %#', async (sheets, message) => {
    await expect(writeXlsx(join(dir, 'bad.xlsx'), sheets as SheetSpec[])).rejects.toThrow(message);
    expect(existsSync(join(dir, 'bad.xlsx'))).toBe(false);
  });
});
