import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Zip, ZipDeflate, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  findSheet,
  readWorkbook,
  scanSharedStringsXml,
  scanSheetXml,
  type CellValue,
  type RawRow,
} from '../sync-server/xlsx/reader.ts';
import {
  CUSTOMER_SHEET,
  CUSTOMER_STRINGS,
  NS_MAIN,
  POSITIONAL_SHEET,
  bookParts,
  customerBook,
  soffice,
  sst,
  zipParts,
} from './helpers/buildXlsx.ts';
import { XlsxFormatError } from '../sync-server/xlsx/errors.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-reader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function save(name: string, bytes: Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

function byRow(rows: RawRow[]): Record<number, CellValue[]> {
  return Object.fromEntries(rows.map((r) => [r.row, r.values]));
}

const SHEET_HEAD = `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS_MAIN}"><sheetData>`;
const SHEET_TAIL = '</sheetData></worksheet>';

describe('readWorkbook on a hand-built workbook', () => {
  it('reads every kind of cell value at its place', async () => {
    const path = await save('book.xlsx', zipParts(customerBook()));
    const book = await readWorkbook(path);
    expect(book.sheets.map((s) => s.name)).toEqual(['客户', 'Positional', '参数']);
    expect(book.date1904).toBe(false);
    const customers = findSheet(book, '客户');
    expect(customers?.lastRow).toBe(12);
    expect(customers?.lastCol).toBe(6);
    const rows = byRow(customers?.rows ?? []);
    expect(rows[1]).toEqual(['客户编号', '客户名称', '金额', '建档日期', '备注', '合计', '健康度']);
    // shared string with an entity, number, date serial, inline string with entities,
    // char refs and preserved spaces, formula cached value, styled number
    expect(rows[2]).toEqual([
      'E20240001',
      'A & B 贸易',
      1200.5,
      45292,
      ' 行内 & <文本> 中中 ',
      2401,
      80,
    ]);
    expect(rows[3]).toEqual(['E20240002', '星河科技', -35, 45300.5, '  前后有空格  ', -70]);
    expect(rows[4]).toBeUndefined();
    // boolean, error as text, formula string result; a styled empty cell is not a value
    expect(rows[5]).toEqual(['P20240003', '张三', true, '#N/A', '合计']);
    // rich text runs concatenated without the phonetic run; t="d" kept as text
    expect(rows[7]).toEqual(['富文本 ', null, '2024-03-01T00:00:00']);
    expect(rows[11]).toEqual([null, null, 2, null, null, 1204.5]);
  });

  it('describes every tab and the parts behind it', async () => {
    const path = await save('structure.xlsx', zipParts(customerBook({ date1904: true })));
    const book = await readWorkbook(path);
    expect(book.date1904).toBe(true);
    const s = book.structure;
    expect(s.workbookPart).toBe('xl/workbook.xml');
    expect(s.sharedStringsPart).toBe('xl/sharedStrings.xml');
    expect(s.stylesPart).toBe('xl/styles.xml');
    expect(s.calcChainPart).toBe('xl/calcChain.xml');
    expect(s.sheets.map((x) => [x.name, x.sheetId, x.index, x.part, x.kind, x.state])).toEqual([
      ['客户', 1, 0, 'xl/worksheets/customers.xml', 'worksheet', 'visible'],
      ['Positional', 2, 1, 'xl/worksheets/pos.xml', 'worksheet', 'hidden'],
      ['参数', 3, 2, 'xl/worksheets/other.xml', 'worksheet', 'visible'],
    ]);
    expect(book.file.size).toBeGreaterThan(0);
  });

  it('places cells and rows that have no r attribute by position', async () => {
    const path = await save('pos.xlsx', zipParts(customerBook()));
    const book = await readWorkbook(path, { sheets: (n) => n === 'Positional' });
    expect(book.sheets.map((s) => s.name)).toEqual(['Positional']);
    expect(book.sheets[0]?.rows).toEqual([
      { row: 1, values: ['a', 1] },
      { row: 2, values: [2, null, 'c'] },
      { row: 5, values: [null, 5, 6] },
      { row: 6, values: [false] },
    ]);
  });

  it('reads a sheet whose part is missing as empty, and has no sheet that is not there', async () => {
    const parts = customerBook();
    delete parts['xl/worksheets/other.xml'];
    const path = await save('missing.xlsx', zipParts(parts));
    const book = await readWorkbook(path);
    expect(findSheet(book, '参数')?.rows).toEqual([]);
    expect(findSheet(book, '订单')).toBeUndefined();
    expect(findSheet(book, 'positional')?.name).toBe('Positional');
  });

  it('reads workbooks without sharedStrings or styles', async () => {
    const parts = bookParts({
      sheets: [
        {
          name: 'S',
          part: 'xl/worksheets/sheet1.xml',
          xml: `${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c><c r="B1"><v>1.5E3</v></c></row>${SHEET_TAIL}`,
        },
      ],
      styles: null,
    });
    const book = await readWorkbook(await save('bare.xlsx', zipParts(parts)));
    expect(book.sheets[0]?.rows).toEqual([{ row: 1, values: ['x', 1500] }]);
  });

  it('reads stored (uncompressed) entries and zips written with data descriptors', async () => {
    const stored = await save('stored.xlsx', zipParts(customerBook(), 0));
    expect(byRow(findSheet(await readWorkbook(stored), '客户')?.rows ?? [])[2]?.[1]).toBe(
      'A & B 贸易',
    );

    const chunks: Uint8Array[] = [];
    const zip = new Zip((err, data) => {
      if (err) throw err;
      chunks.push(data);
    });
    for (const [name, text] of Object.entries(customerBook())) {
      const file = new ZipDeflate(name, { level: 6 });
      zip.add(file);
      file.push(strToU8(text), true);
    }
    zip.end();
    const streamed = await save('descriptor.xlsx', Buffer.concat(chunks));
    const book = await readWorkbook(streamed);
    expect(byRow(findSheet(book, '客户')?.rows ?? [])[3]?.[4]).toBe('  前后有空格  ');
  });

  it('rejects a file that is not a zip, saying what it is', async () => {
    const path = await save('not.xlsx', strToU8('hello, this is not a workbook at all'));
    await expect(readWorkbook(path)).rejects.toThrow(
      /是文本文件（可能是 CSV），不是 \.xlsx 工作簿/,
    );
  });
});

describe('XML details', () => {
  it('decodes entities, character references, _xHHHH_ escapes and CDATA', () => {
    const rows = scanSheetXml(
      `${SHEET_HEAD}<row r="1"><c r="A1" t="inlineStr"><is><t>a&amp;b&lt;&gt;&quot;&apos;&#65;&#x1F600;</t></is></c><c r="B1" t="inlineStr"><is><t>line1_x000D_&#10;line2 _x005F_x0041_</t></is></c><c r="C1" t="str"><v><![CDATA[<raw & text>]]></v></c><c r="D1" t='inlineStr'><is><t xml:space = 'preserve'>  q  </t></is></c></row>${SHEET_TAIL}`,
    );
    expect(rows[0]?.values).toEqual([
      'a&b<>"\'A😀',
      'line1\r\nline2 _x0041_',
      '<raw & text>',
      '  q  ',
    ]);
  });

  it('reads shared strings: plain, rich, phonetic, empty and preserved', () => {
    const strings = scanSharedStringsXml(
      `<?xml version="1.0"?><sst xmlns="${NS_MAIN}"><si><t>plain</t></si><si><r><rPr><b/><color rgb="FF000000"/></rPr><t>ri</t></r><r><t xml:space="preserve">ch </t></r><rPh sb="0" eb="1"><t>ル</t></rPh><phoneticPr fontId="1"/></si><si/><si><t/></si><si><t xml:space="preserve"> sp </t></si></sst>`,
    );
    expect(strings).toEqual(['plain', 'rich ', '', '', ' sp ']);
  });

  it('reads documents whose SpreadsheetML elements carry a prefix', async () => {
    const x = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const parts = bookParts({
      sheets: [
        {
          name: 'P',
          part: 'xl/worksheets/sheet1.xml',
          xml: `<?xml version="1.0"?><x:worksheet ${x}><x:sheetData><x:row r="2"><x:c r="B2" t="s"><x:v>1</x:v></x:c><x:c r="C2"><x:f>1+1</x:f><x:v>2</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
        },
      ],
      sharedStrings: `<?xml version="1.0"?><x:sst ${x}><x:si><x:t>zero</x:t></x:si><x:si><x:t>one</x:t></x:si></x:sst>`,
    });
    const book = await readWorkbook(await save('prefixed.xlsx', zipParts(parts)));
    expect(book.sheets[0]?.rows).toEqual([{ row: 2, values: [null, 'one', 2] }]);
  });

  it('skips blank values and keeps cells in column order', () => {
    const rows = scanSheetXml(
      `${SHEET_HEAD}<row r="3" spans="1:4"><c r="A3" s="1"/><c r="B3" t="str"><f>""</f><v></v></c><c r="C3" t="s"><v>0</v></c><c r="D3"><v/></c></row><row r="4"/><row r="9"><c r="AA9"><v>7</v></c></row>${SHEET_TAIL}`,
      [''],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]?.row).toBe(9);
    expect(rows[0]?.values.length).toBe(27);
    expect(rows[0]?.values[26]).toBe(7);
  });

  it('refuses a cell or row past the sheet limits as damage, without growing a row to fit it', () => {
    // A damaged deflate stream can turn "A5" into "AinlineStrt…": a column near 26^11.
    const cell = (ref: string) =>
      `${SHEET_HEAD}<row r="5"><c r="${ref}" t="inlineStr"><is><t>x</t></is></c></row>${SHEET_TAIL}`;
    expect(() => scanSheetXml(cell('AinlineStrt9'), [])).toThrow(XlsxFormatError);
    expect(() => scanSheetXml(cell('XFE5'), [])).toThrow(/第 16385 列.*最多 16384 列/);
    expect(scanSheetXml(cell('XFD5'), [])[0]?.values[16383]).toBe('x');
    expect(() =>
      scanSheetXml(`${SHEET_HEAD}<row r="1048577"><c><v>1</v></c></row>${SHEET_TAIL}`, []),
    ).toThrow(/第 1048577 行/);
  });

  it('gives the same result wherever the stream splits the text', () => {
    const strings = CUSTOMER_STRINGS.map((t) => t.replace('&amp;', '&'));
    const sheets = [CUSTOMER_SHEET, POSITIONAL_SHEET];
    for (const xml of sheets) {
      const whole = scanSheetXml(xml, strings);
      for (let i = 1; i < xml.length; i++) {
        expect(scanSheetXml([xml.slice(0, i), xml.slice(i)], strings)).toEqual(whole);
      }
      // three pieces, every pair of cuts a few characters apart
      for (let i = 1; i + 7 < xml.length; i += 3) {
        expect(
          scanSheetXml([xml.slice(0, i), xml.slice(i, i + 7), xml.slice(i + 7)], strings),
        ).toEqual(whole);
      }
    }
    const sstXml = sst(CUSTOMER_STRINGS);
    const all = scanSharedStringsXml(sstXml);
    expect(all).toEqual(strings);
    for (let i = 1; i < sstXml.length; i++) {
      expect(scanSharedStringsXml([sstXml.slice(0, i), sstXml.slice(i)])).toEqual(all);
    }
  });

  it('reads a sharedStrings part larger than one stream chunk', async () => {
    const strings = Array.from({ length: 60_000 }, (_, i) => `S${i}-${'x'.repeat(i % 13)}`);
    const xml = `${SHEET_HEAD}${strings.map((_, i) => `<row r="${i + 1}"><c r="A${i + 1}" t="s"><v>${i}</v></c></row>`).join('')}${SHEET_TAIL}`;
    const parts = bookParts({
      sheets: [{ name: 'S', part: 'xl/worksheets/s.xml', xml }],
      sharedStrings: strings,
    });
    expect(parts['xl/sharedStrings.xml']?.length).toBeGreaterThan(2 * (1 << 19));
    const book = await readWorkbook(await save('bigsst.xlsx', zipParts(parts)));
    expect(book.sheets[0]?.rows.map((r) => r.values[0])).toEqual(strings);
  });

  it('reads a sheet larger than one stream chunk exactly', async () => {
    const strings = Array.from({ length: 500 }, (_, i) => `客户${i}号 & "quoted" 长一些的文本`);
    const rows: string[] = [];
    const expected: RawRow[] = [];
    for (let r = 1; r <= 12_000; r++) {
      const long = `第${r}行的备注：${'很长的内容'.repeat(r % 7)}`;
      rows.push(
        `<row r="${r}"><c r="A${r}" t="s"><v>${r % 500}</v></c><c r="B${r}"><v>${r * 1.25}</v></c><c r="D${r}" t="inlineStr"><is><t>${long}</t></is></c><c r="E${r}" t="b"><v>${r % 2}</v></c></row>`,
      );
      expected.push({
        row: r,
        values: [strings[r % 500] ?? '', r * 1.25, null, long, r % 2 === 1],
      });
    }
    const xml = `${SHEET_HEAD}${rows.join('')}${SHEET_TAIL}`;
    expect(xml.length).toBeGreaterThan(2 * (1 << 19));
    const parts = bookParts({
      sheets: [{ name: 'Big', part: 'xl/worksheets/big.xml', xml }],
      sharedStrings: strings.map((s) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;')),
    });
    const book = await readWorkbook(await save('big.xlsx', zipParts(parts)));
    expect(book.sheets[0]?.rows).toEqual(expected);
  });
});

describe('a workbook saved by LibreOffice Calc', () => {
  it('reads the same values LibreOffice wrote', async () => {
    const src = await save('hand.xlsx', zipParts(customerBook()));
    const out = join(dir, 'lo');
    await soffice(src, 'xlsx', out);
    const book = await readWorkbook(join(out, 'hand.xlsx'));
    expect(book.sheets.map((s) => s.name)).toEqual(['客户', 'Positional', '参数']);
    // LibreOffice renames parts (sheet1.xml …) and stores every text as a shared string.
    expect(book.structure.sheets[0]?.part).toBe('xl/worksheets/sheet1.xml');
    const rows = byRow(findSheet(book, '客户')?.rows ?? []);
    expect(rows[1]).toEqual(CUSTOMER_STRINGS.slice(0, 7));
    expect(rows[2]).toEqual([
      'E20240001',
      'A & B 贸易',
      1200.5,
      45292,
      ' 行内 & <文本> 中中 ',
      2401,
      80,
    ]);
    expect(rows[3]).toEqual(['E20240002', '星河科技', -35, 45300.5, '  前后有空格  ', -70]);
    expect(rows[5]).toEqual(['P20240003', '张三', true, '#N/A', '合计']);
    expect(rows[7]?.[0]).toBe('富文本 ');
    expect(rows[12]).toEqual([null, null, 3, null, null, 1206.5]);
    expect(byRow(findSheet(book, 'Positional')?.rows ?? [])[5]).toEqual([null, 5, 6]);
    expect(CUSTOMER_SHEET.length).toBeGreaterThan(0);
  }, 120_000);
});
