import { access, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Zip, ZipDeflate, strToU8 } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PatchError,
  patchSheetXml,
  patchWorkbook,
  type CellPatch,
  type WorkbookPatch,
} from '../sync-server/xlsx/patcher.ts';
import { findSheet, readWorkbook, type CellValue } from '../sync-server/xlsx/reader.ts';
import { shiftFormula } from '../sync-server/xlsx/formula.ts';
import { ZipArchive } from '../sync-server/xlsx/zipRead.ts';
import {
  CUSTOMER_SHEET,
  NS_MAIN,
  STYLES,
  bookParts,
  customerBook,
  sheetsAsCsv,
  soffice,
  unzipText,
  zipParts,
} from './helpers/buildXlsx.ts';

let dir: string;
let seq = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-patcher-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function save(bytes: Uint8Array, name = `src${++seq}.xlsx`): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function patched(
  src: string,
  patch: WorkbookPatch,
): Promise<{ path: string; parts: Record<string, string> }> {
  const path = join(dir, `out${++seq}.xlsx`);
  await patchWorkbook(src, path, patch);
  return { path, parts: unzipText(new Uint8Array(await readFile(path))) };
}

/** Each entry's bytes as stored: local header, compressed data, descriptor. */
async function rawEntries(path: string): Promise<Map<string, Buffer>> {
  const zip = await ZipArchive.open(path);
  try {
    const out = new Map<string, Buffer>();
    for (const entry of zip.entries) {
      const chunks: Buffer[] = [];
      for await (const c of zip.rawChunks(entry.localHeaderOffset, await zip.rawEnd(entry))) {
        chunks.push(c);
      }
      out.set(entry.name, Buffer.concat(chunks));
    }
    return out;
  } finally {
    await zip.close();
  }
}

function rowsOf(xml: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const m of xml.matchAll(/<row r="(\d+)"[^>]*?(?:\/>|>[\s\S]*?<\/row>)/g)) {
    out.set(Number(m[1]), m[0]);
  }
  return out;
}

function cellXml(xml: string, ref: string): string | undefined {
  const m = new RegExp(`<c r="${ref}"[^>]*?(?:/>|>[\\s\\S]*?</c>)`).exec(xml);
  return m?.[0];
}

function xfs(styles: string): string[] {
  const cellXfs = /<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
  return [...cellXfs.matchAll(/<xf\b[^>]*?(?:\/>|>[\s\S]*?<\/xf>)/g)].map((m) => m[0]);
}

/** A one-sheet workbook without styles.xml. */
const noStylesBook = (): ReturnType<typeof bookParts> =>
  bookParts({
    sheets: [
      {
        name: 'S',
        part: 'xl/worksheets/sheet1.xml',
        xml: `<?xml version="1.0"?><worksheet xmlns="${NS_MAIN}"><sheetData/></worksheet>`,
      },
    ],
    styles: null,
  });

async function values(path: string, sheet: string): Promise<Record<number, CellValue[]>> {
  const book = await readWorkbook(path, { sheets: (n) => n === sheet });
  return Object.fromEntries((findSheet(book, sheet)?.rows ?? []).map((r) => [r.row, r.values]));
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else if (ch !== '\r') field += ch;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

const SYNC_PATCH: CellPatch[] = [
  { row: 2, col: 6, value: 95, numFmt: 'integer' }, // G2: has s="3" (fill, General)
  { row: 3, col: 6, value: 40, numFmt: 'integer' }, // G3: no cell; column G has style 3
  { row: 2, col: 5, value: '=1+1' }, // F2: had a formula
  { row: 4, col: 2, value: 45400, numFmt: 'date' }, // C4: row 4 does not exist
  { row: 3, col: 7, value: 46000, numFmt: 'date' }, // H3: past the row's last cell
  { row: 5, col: 5, value: null }, // F5: styled empty cell stays styled
  { row: 20, col: 0, value: 'after <all> & "rows"' }, // past the last row
  { row: 3, col: 3, value: 45310, numFmt: 'date' }, // D3: already a date style
];

describe('patchWorkbook: cell updates', () => {
  it('writes the patched cells and leaves everything else byte-for-byte', async () => {
    const src = await save(zipParts(customerBook()));
    const { path, parts } = await patched(src, { cells: { 客户: SYNC_PATCH } });

    const v = await values(path, '客户');
    expect(v[2]).toEqual([
      'E20240001',
      'A & B 贸易',
      1200.5,
      45292,
      ' 行内 & <文本> 中中 ',
      '=1+1',
      95,
    ]);
    expect(v[3]).toEqual(['E20240002', '星河科技', -35, 45310, '  前后有空格  ', -70, 40, 46000]);
    expect(v[4]).toEqual([null, null, 45400]);
    expect(v[20]).toEqual(['after <all> & "rows"']);

    // Rows without updates are the original text, in the original order.
    const before = rowsOf(CUSTOMER_SHEET);
    const after = rowsOf(parts['xl/worksheets/customers.xml'] ?? '');
    for (const r of [1, 7, 10, 11, 12]) expect(after.get(r)).toBe(before.get(r));
    expect([...after.keys()]).toEqual([1, 2, 3, 4, 5, 7, 10, 11, 12, 20]);
    // Untouched cells of updated rows too.
    for (const ref of ['A2', 'B2', 'C2', 'D2', 'E2', 'A3', 'F3', 'E5', 'A5', 'D5']) {
      expect(cellXml(parts['xl/worksheets/customers.xml'] ?? '', ref)).toBe(
        cellXml(CUSTOMER_SHEET, ref),
      );
    }
    // Everything after sheetData (merge, conditional formatting, validation, comment
    // drawing, extLst) and before it except the dimension.
    const sheet = parts['xl/worksheets/customers.xml'] ?? '';
    expect(sheet.slice(sheet.indexOf('</sheetData>'))).toBe(
      CUSTOMER_SHEET.slice(CUSTOMER_SHEET.indexOf('</sheetData>')),
    );
    expect(sheet.slice(0, sheet.indexOf('<sheetData>'))).toBe(
      CUSTOMER_SHEET.slice(0, CUSTOMER_SHEET.indexOf('<sheetData>')).replace(
        '<dimension ref="A1:G12"/>',
        '<dimension ref="A1:H20"/>',
      ),
    );

    // Only the patched sheet, calcChain (F2 lost its formula) and styles were rewritten.
    const a = await rawEntries(src);
    const b = await rawEntries(path);
    const rewritten = ['xl/worksheets/customers.xml', 'xl/styles.xml', 'xl/calcChain.xml'];
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [name, bytes] of a) {
      if (rewritten.includes(name)) expect(b.get(name)?.equals(bytes)).toBe(false);
      else expect(b.get(name)?.equals(bytes), name).toBe(true);
    }
  });

  it('gives the same sheet wherever the stream splits the text', () => {
    const whole = patchSheetXml(CUSTOMER_SHEET, SYNC_PATCH, STYLES);
    expect(whole.xml).toMatch(/<c r="F2" s="\d+" t="inlineStr"><is><t>=1\+1<\/t><\/is><\/c>/);
    for (let i = 1; i < CUSTOMER_SHEET.length; i++) {
      const split = patchSheetXml(
        [CUSTOMER_SHEET.slice(0, i), CUSTOMER_SHEET.slice(i)],
        SYNC_PATCH,
        STYLES,
      );
      expect(split.xml).toBe(whole.xml);
      expect(split.stylesXml).toBe(whole.stylesXml);
    }
    const detach: CellPatch[] = [{ row: 10, col: 5, value: 1 }];
    const shared = patchSheetXml(CUSTOMER_SHEET, detach).xml;
    for (let i = 1; i + 5 < CUSTOMER_SHEET.length; i += 3) {
      const pieces = [
        CUSTOMER_SHEET.slice(0, i),
        CUSTOMER_SHEET.slice(i, i + 5),
        CUSTOMER_SHEET.slice(i + 5),
      ];
      expect(patchSheetXml(pieces, detach).xml).toBe(shared);
    }
  }, 60_000);

  it('merges into a sheet spanning many stream chunks', async () => {
    const rows: string[] = [];
    for (let r = 1; r <= 15_000; r++) {
      rows.push(
        `<row r="${r}"><c r="A${r}" t="inlineStr"><is><t>行${r} ${'文本'.repeat(r % 9)}</t></is></c><c r="C${r}"><v>${r}</v></c></row>`,
      );
    }
    const xml = `<?xml version="1.0"?><worksheet xmlns="${NS_MAIN}"><dimension ref="A1:C15000"/><sheetData>${rows.join('')}</sheetData></worksheet>`;
    expect(xml.length).toBeGreaterThan(3 * (1 << 19));
    const src = await save(
      zipParts(bookParts({ sheets: [{ name: 'Big', part: 'xl/worksheets/big.xml', xml }] })),
    );
    const cells: CellPatch[] = [];
    for (let r = 2; r <= 15_200; r += 7) cells.push({ row: r, col: 1, value: r * 2 });
    const { path } = await patched(src, { cells: { Big: cells } });
    const v = await values(path, 'Big');
    for (let r = 1; r <= 15_200; r++) {
      const inPatch = r >= 2 && (r - 2) % 7 === 0;
      const expected: CellValue[] =
        r <= 15_000
          ? [`行${r} ${'文本'.repeat(r % 9)}`, inPatch ? r * 2 : null, r]
          : inPatch
            ? [null, r * 2]
            : [];
      expect(v[r] ?? [], `row ${r}`).toEqual(expected);
    }
  });

  it('stores text that looks like a formula as text with a quote-prefix style', async () => {
    const src = await save(zipParts(customerBook()));
    const texts = ['=1+1', '+86 138', '-5', '@sum', '=A1&"x"'];
    const { path, parts } = await patched(src, {
      cells: {
        参数: [
          ...texts.map((value, i) => ({ row: 10 + i, col: 1, value })),
          { row: 15, col: 1, value: '1+1=2' },
        ],
      },
    });
    const sheet = parts['xl/worksheets/other.xml'] ?? '';
    const list = xfs(parts['xl/styles.xml'] ?? '');
    const old = xfs(STYLES);
    // One added xf: the plain style with Excel's quote prefix, so an edit in Excel or WPS
    // keeps the text; the existing xfs are untouched.
    expect(list.slice(0, old.length)).toEqual(old);
    expect(list.slice(old.length)).toEqual([
      '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>',
    ]);
    const quoted = ` s="${old.length}"`;
    expect(cellXml(sheet, 'B10')).toBe(
      `<c r="B10"${quoted} t="inlineStr"><is><t>=1+1</t></is></c>`,
    );
    expect(sheet).not.toMatch(/<f>=|<f>\+|<f>@/);
    expect(cellXml(sheet, 'B14')).toBe(
      `<c r="B14"${quoted} t="inlineStr"><is><t>=A1&amp;"x"</t></is></c>`,
    );
    for (const ref of ['B11', 'B12', 'B13']) expect(cellXml(sheet, ref)).toContain(quoted);
    // Text that only contains an = keeps the plain style.
    expect(cellXml(sheet, 'B15')).toBe('<c r="B15" t="inlineStr"><is><t>1+1=2</t></is></c>');
    const v = await values(path, '参数');
    expect(texts.map((_, i) => v[10 + i]?.[1])).toEqual(texts);
  });

  it('a formula-like text over a styled cell keeps its fill and adds only the quote prefix', async () => {
    const src = await save(zipParts(customerBook()));
    // G2 has s="3": a yellow fill.
    const { parts } = await patched(src, { cells: { 客户: [{ row: 2, col: 6, value: '-7 天' }] } });
    const sheet = parts['xl/worksheets/customers.xml'] ?? '';
    const list = xfs(parts['xl/styles.xml'] ?? '');
    const s = Number(/ s="(\d+)"/.exec(cellXml(sheet, 'G2') ?? '')?.[1]);
    expect(list[s]).toBe(
      '<xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1" quotePrefix="1"/>',
    );
    expect(cellXml(sheet, 'G2')).toContain('t="inlineStr"');
    for (const ref of ['A2', 'B2', 'C2', 'D2', 'E2', 'F2'])
      expect(cellXml(sheet, ref)).toBe(cellXml(CUSTOMER_SHEET, ref));
  });

  it('round-trips awkward text: control characters, CR, literal _x escapes, emoji, spaces', async () => {
    const src = await save(zipParts(customerBook()));
    const awkward = [
      'a\u0001b',
      'line1\r\nline2',
      'keep _x0041_ literal',
      '😀 ',
      ' lead',
      'tab\tin',
    ];
    const { path, parts } = await patched(src, {
      cells: { 参数: awkward.map((value, i) => ({ row: 2 + i, col: 3, value })) },
    });
    expect(parts['xl/worksheets/other.xml']).toContain('a_x0001_b');
    expect(parts['xl/worksheets/other.xml']).toContain('keep _x005F_x0041_ literal');
    const v = await values(path, '参数');
    expect(awkward.map((_, i) => v[2 + i]?.[3])).toEqual(awkward);
  });

  it('drops the formula of an overwritten cell and its calcChain entry only', async () => {
    const src = await save(zipParts(customerBook()));
    const { parts } = await patched(src, { cells: { 客户: [{ row: 2, col: 5, value: 1 }] } });
    expect(cellXml(parts['xl/worksheets/customers.xml'] ?? '', 'F2')).toBe(
      '<c r="F2"><v>1</v></c>',
    );
    expect(cellXml(parts['xl/worksheets/customers.xml'] ?? '', 'F3')).toBe(
      '<c r="F3"><f>C3*2</f><v>-70</v></c>',
    );
    const chain = parts['xl/calcChain.xml'] ?? '';
    expect(chain).not.toContain('r="F2"');
    // F3 inherited i="1" from F2; with F2 gone it states it itself.
    expect(chain).toContain('<c i="1" r="F3"/><c r="E5"/>');
    expect(chain).toContain('<c r="B3" i="3"/>');
  });

  it('gives the rest of a shared formula group its own formulas when its anchor is overwritten', async () => {
    const src = await save(zipParts(customerBook()));
    const { parts } = await patched(src, { cells: { 客户: [{ row: 10, col: 5, value: 'x' }] } });
    const sheet = parts['xl/worksheets/customers.xml'] ?? '';
    expect(cellXml(sheet, 'F10')).toBe('<c r="F10" t="inlineStr"><is><t>x</t></is></c>');
    expect(cellXml(sheet, 'F11')).toBe('<c r="F11"><f>C11*2+$C$2</f><v>1204.5</v></c>');
    expect(cellXml(sheet, 'F12')).toBe('<c r="F12"><f>C12*2+$C$2</f><v>1206.5</v></c>');
    expect(sheet).not.toContain('si="0"');
  });

  it('keeps or extends cell styles: existing s, column style, added number formats', async () => {
    const src = await save(zipParts(customerBook()));
    const { parts } = await patched(src, { cells: { 客户: SYNC_PATCH } });
    const sheet = parts['xl/worksheets/customers.xml'] ?? '';
    const list = xfs(parts['xl/styles.xml'] ?? '');
    const styleOf = (ref: string): number =>
      Number(/ s="(\d+)"/.exec(cellXml(sheet, ref) ?? '')?.[1] ?? 0);

    // D3 already showed dates: its style stays.
    expect(styleOf('D3')).toBe(2);
    // G2 had a yellow fill and General: the fill stays, the integer format is added.
    expect(list[styleOf('G2')]).toMatch(/numFmtId="1" fontId="0" fillId="3"/);
    // G3 had no cell; column G's default style (3, the fill) is the base.
    expect(styleOf('G3')).toBe(styleOf('G2'));
    // C4/H3: plain cells with the date format, one shared xf and one added numFmt.
    expect(styleOf('C4')).toBe(styleOf('H3'));
    expect(list[styleOf('C4')]).toMatch(/numFmtId="165"/);
    expect(parts['xl/styles.xml']).toContain('<numFmts count="2">');
    expect(parts['xl/styles.xml']).toContain('formatCode="yyyy-mm-dd"');
    expect(parts['xl/styles.xml']).toContain(`<cellXfs count="${list.length}">`);
    // Existing xfs are untouched, so every old s keeps its meaning.
    const old = xfs(STYLES);
    expect(list.slice(0, old.length)).toEqual(old);
    // A cleared styled cell keeps its style, without a value.
    expect(cellXml(sheet, 'F5')).toBe('<c r="F5" s="3"/>');
  });

  it('clears values, adding r to positional cells and rows of a changed sheet', async () => {
    const src = await save(zipParts(customerBook()));
    const { path, parts } = await patched(src, {
      cells: {
        Positional: [
          { row: 2, col: 1, value: 'b' },
          { row: 1, col: 0, value: null },
          { row: 3, col: 0, value: 'new' },
        ],
      },
    });
    const sheet = parts['xl/worksheets/pos.xml'] ?? '';
    expect(sheet).toContain('<row r="1"><c r="B1"><v>1</v></c></row>');
    expect(sheet).toContain(
      '<row r="2"><c r="A2"><v>2</v></c><c r="B2" t="inlineStr"><is><t>b</t></is></c><c r="C2" t="inlineStr"><is><t>c</t></is></c></row>',
    );
    expect(await values(path, 'Positional')).toEqual({
      1: [null, 1],
      2: [2, 'b', 'c'],
      3: ['new'],
      5: [null, 5, 6],
      6: [false],
    });
  });

  it('merges into sheets whose elements carry a namespace prefix', async () => {
    const x = `xmlns:x="${NS_MAIN}"`;
    const parts = bookParts({
      sheets: [
        {
          name: 'P',
          part: 'xl/worksheets/sheet1.xml',
          xml: `<?xml version="1.0"?><x:worksheet ${x}><x:dimension ref="B2"/><x:sheetData><x:row r="2"><x:c r="B2"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
        },
      ],
    });
    const src = await save(zipParts(parts));
    const out = await patched(src, {
      cells: {
        P: [
          { row: 2, col: 0, value: 'a' },
          { row: 3, col: 2, value: true },
        ],
      },
    });
    expect(out.parts['xl/worksheets/sheet1.xml']).toContain(
      '<x:row r="2"><x:c r="A2" t="inlineStr"><x:is><x:t>a</x:t></x:is></x:c><x:c r="B2"><x:v>1</x:v></x:c></x:row><x:row r="3"><x:c r="C3" t="b"><x:v>1</x:v></x:c></x:row>',
    );
    expect(out.parts['xl/worksheets/sheet1.xml']).toContain('<x:dimension ref="A2:C3"/>');
    expect(await values(out.path, 'P')).toEqual({ 2: ['a', 1], 3: [null, null, true] });
  });

  it('appends rows below the last row holding a value', async () => {
    const src = await save(zipParts(customerBook()));
    const { path } = await patched(src, {
      appendRows: {
        参数: {
          rows: [
            ['新参数', 5],
            ['日期', 45500],
          ],
          numFmts: [null, 'date'],
        },
      },
    });
    const v = await values(path, '参数');
    expect(v[4]).toEqual(['新参数', 5]);
    expect(v[5]).toEqual(['日期', 45500]);
  });

  it('copies entries of a zip written with data descriptors as they are', async () => {
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
    const src = await save(Buffer.concat(chunks));
    const { path, parts } = await patched(src, {
      cells: { 参数: [{ row: 2, col: 1, value: 'UTC' }] },
    });
    expect((await values(path, '参数'))[2]).toEqual(['时区', 'UTC']);
    expect(parts['xl/comments1.xml']).toContain('老客户，注意回访');
    const a = await rawEntries(src);
    const b = await rawEntries(path);
    expect(
      b
        .get('xl/worksheets/customers.xml')
        ?.equals(a.get('xl/worksheets/customers.xml') ?? Buffer.alloc(0)),
    ).toBe(true);
  });

  it('refuses bad patches before writing anything', async () => {
    const src = await save(zipParts(customerBook()));
    const dest = join(dir, 'never.xlsx');
    const bad: WorkbookPatch[] = [
      { cells: { 没有这个表: [{ row: 1, col: 0, value: 1 }] } },
      { cells: { 客户: [{ row: 0, col: 0, value: 1 }] } },
      { cells: { 客户: [{ row: 1, col: 16_384, value: 1 }] } },
      { cells: { 客户: [{ row: 1, col: 0, value: Number.NaN }] } },
      { replaceSheets: { 'bad/name': { rows: [] } } },
      { replaceSheets: { 客户: { rows: [] } }, cells: { 客户: [] } },
    ];
    for (const patch of bad) {
      await expect(patchWorkbook(src, dest, patch)).rejects.toBeInstanceOf(PatchError);
    }
    await expect(access(dest)).rejects.toThrow();
  });
});

describe('patchWorkbook: sync tabs', () => {
  it('adds a missing sheet with header styling, widths, a frozen header and number formats', async () => {
    const src = await save(zipParts(customerBook()));
    const { path, parts } = await patched(src, {
      replaceSheets: {
        回访计划: {
          rows: [
            ['客户编号', '计划日期', '逾期天数'],
            ['E20240001', 45500, 3],
            ['E20240002', 45501, null],
          ],
          numFmts: [null, 'date', 'integer'],
          colWidths: [12, 12, 9],
        },
      },
    });
    expect(parts['xl/workbook.xml']).toContain(
      '<sheet name="参数" sheetId="3" r:id="rId11"/><sheet name="回访计划" sheetId="4" r:id="rId',
    );
    const relId = /name="回访计划" sheetId="4" r:id="(rId\d+)"/.exec(
      parts['xl/workbook.xml'] ?? '',
    )?.[1];
    expect(parts['xl/_rels/workbook.xml.rels']).toContain(
      `<Relationship Id="${relId}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>`,
    );
    expect(parts['[Content_Types].xml']).toContain(
      '<Override PartName="/xl/worksheets/sheet1.xml"',
    );
    const sheet = parts['xl/worksheets/sheet1.xml'] ?? '';
    expect(sheet).toContain('state="frozen"');
    expect(sheet).toContain('<col min="2" max="2" width="12" customWidth="1"/>');
    expect(sheet).toContain('<dimension ref="A1:C3"/>');
    const list = xfs(parts['xl/styles.xml'] ?? '');
    const header = Number(/<c r="A1" s="(\d+)"/.exec(sheet)?.[1]);
    expect(list[header]).toMatch(/applyFont="1" applyFill="1"/);
    const date = Number(/<c r="B2" s="(\d+)"/.exec(sheet)?.[1]);
    expect(list[date]).toMatch(/numFmtId="165"/);
    const book = await readWorkbook(path);
    expect(findSheet(book, '回访计划')?.rows).toEqual([
      { row: 1, values: ['客户编号', '计划日期', '逾期天数'] },
      { row: 2, values: ['E20240001', 45500, 3] },
      { row: 3, values: ['E20240002', 45501] },
    ]);
    expect(book.structure.sheets.find((s) => s.name === '回访计划')?.sheetId).toBe(4);
  });

  it('rewrites the data of an existing sheet and keeps its view, columns and rules', async () => {
    const src = await save(zipParts(customerBook()));
    const { path, parts } = await patched(src, {
      replaceSheets: {
        客户: {
          rows: [
            ['客户编号', '健康度'],
            ['E1', 1],
          ],
        },
      },
    });
    const sheet = parts['xl/worksheets/customers.xml'] ?? '';
    // Header cells keep the style people gave them.
    expect(sheet).toContain(
      '<sheetData><row r="1"><c r="A1" s="1" t="inlineStr"><is><t>客户编号</t></is></c><c r="B1" s="1" t="inlineStr"><is><t>健康度</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>E1</t></is></c><c r="B2"><v>1</v></c></row></sheetData>',
    );
    for (const kept of [
      'state="frozen"',
      '<cols>',
      '<mergeCells',
      '<dataValidations',
      '<legacyDrawing r:id="rId1"/>',
    ]) {
      expect(sheet).toContain(kept);
    }
    expect(sheet).toContain('<dimension ref="A1:B2"/>');
    // Every formula on the sheet is gone, so are its calcChain entries.
    expect(parts['xl/calcChain.xml']).toBe(
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<calcChain xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><c r="B3" i="3"/></calcChain>',
    );
    expect(await values(path, '客户')).toEqual({ 1: ['客户编号', '健康度'], 2: ['E1', 1] });
  });

  it('writes a sheet marked quotePrefix: false as plain text, styles.xml byte for byte', async () => {
    const src = await save(zipParts(customerBook()));
    const { path, parts } = await patched(src, {
      replaceSheets: {
        分层规则: { rows: [['比较'], ['='], ['>=']], headerRows: 0, quotePrefix: false },
      },
    });
    const sheet = parts['xl/worksheets/sheet1.xml'] ?? '';
    expect(cellXml(sheet, 'A2')).toBe('<c r="A2" t="inlineStr"><is><t>=</t></is></c>');
    expect(parts['xl/styles.xml']).toBe(STYLES);
    expect((await values(path, '分层规则'))[2]).toEqual(['=']);
  });

  it('removes calcChain with its relationship and content type when no entry is left', async () => {
    const src = await save(zipParts(customerBook()));
    const { path, parts } = await patched(src, {
      replaceSheets: { 客户: { rows: [['a']] }, 参数: { rows: [['b']] } },
    });
    expect(parts['xl/calcChain.xml']).toBeUndefined();
    expect(parts['xl/_rels/workbook.xml.rels']).not.toContain('calcChain');
    expect(parts['[Content_Types].xml']).not.toContain('calcChain');
    const book = await readWorkbook(path);
    expect(book.structure.calcChainPart).toBeNull();
  });

  it('creates styles.xml when the workbook has none and a format is needed', async () => {
    const src = await save(zipParts(noStylesBook()), 'nostyles.xlsx');
    const { path, parts: out } = await patched(src, {
      cells: { S: [{ row: 1, col: 0, value: 45500, numFmt: 'date' }] },
    });
    expect(out['xl/styles.xml']).toContain('formatCode="yyyy-mm-dd"');
    expect(out['xl/_rels/workbook.xml.rels']).toContain('Target="styles.xml"');
    expect(out['[Content_Types].xml']).toContain('/xl/styles.xml');
    expect(out['xl/worksheets/sheet1.xml']).toContain(
      '<sheetData><row r="1"><c r="A1" s="1"><v>45500</v></c></row></sheetData>',
    );
    const csvDir = join(dir, 'csv-nostyles');
    await mkdir(csvDir);
    const csv = await sheetsAsCsv(path, csvDir);
    expect(csv['S']?.trim()).toBe('2024-07-27');
  }, 120_000);

  it('creates styles.xml when the workbook has none and a formula-like text needs its quote prefix', async () => {
    const src = await save(zipParts(noStylesBook()), 'nostyles-quote.xlsx');
    const { path, parts: out } = await patched(src, {
      cells: { S: [{ row: 1, col: 0, value: '=1+1' }] },
    });
    expect(xfs(out['xl/styles.xml'] ?? '')[1]).toContain('quotePrefix="1"');
    expect(out['xl/_rels/workbook.xml.rels']).toContain('Target="styles.xml"');
    expect(out['xl/worksheets/sheet1.xml']).toContain(
      '<c r="A1" s="1" t="inlineStr"><is><t>=1+1</t></is></c>',
    );
    expect((await values(path, 'S'))[1]).toEqual(['=1+1']);
  });
});

describe('shiftFormula', () => {
  it('moves relative references and leaves absolute ones, strings, names and functions', () => {
    expect(shiftFormula('C10*2+$C$2', 1, 0)).toBe('C11*2+$C$2');
    expect(shiftFormula('SUM(A1:B2)+A$1+$A1', 2, 1)).toBe('SUM(B3:C4)+B$1+$A3');
    expect(shiftFormula('\'My Sheet\'!A1+Sheet2!B$2+"A1"', 1, 1)).toBe(
      '\'My Sheet\'!B2+Sheet2!C$2+"A1"',
    );
    expect(shiftFormula('LOG10(A1)+ATAN2(1,2)+_xlfn.XLOOKUP(A1,B:B,C:C)', 1, 0)).toBe(
      'LOG10(A2)+ATAN2(1,2)+_xlfn.XLOOKUP(A2,B:B,C:C)',
    );
    expect(shiftFormula('SUM(2:3)+1.5E+3+Table1[[#This Row],[A1]]', 1, 0)).toBe(
      'SUM(3:4)+1.5E+3+Table1[[#This Row],[A1]]',
    );
    expect(shiftFormula('A1', -1, 0)).toBe('#REF!');
    expect(shiftFormula('IF(A2="",#N/A,A2)', 0, 2)).toBe('IF(C2="",#N/A,C2)');
  });
});

describe('a workbook saved by LibreOffice Calc', () => {
  it('is patched without loss and opens again in LibreOffice', async () => {
    const hand = await save(zipParts(customerBook()), 'people.xlsx');
    const loDir = join(dir, 'lo');
    await soffice(hand, 'xlsx', loDir);
    const src = join(loDir, 'people.xlsx');
    const srcParts = unzipText(new Uint8Array(await readFile(src)));
    const sheetPart = 'xl/worksheets/sheet1.xml';
    const srcSheet = srcParts[sheetPart] ?? '';
    // LibreOffice writes shared strings, its own styles and t="s"/t="n" everywhere.
    expect(cellXml(srcSheet, 'A2')).toMatch(/t="s"/);

    const book = await readWorkbook(src);
    const rows = Object.fromEntries(
      (findSheet(book, '客户')?.rows ?? []).map((r) => [r.row, r.values]),
    );
    const header = rows[1] ?? [];
    const col = (name: string): number => header.indexOf(name);
    expect(col('健康度')).toBe(6);

    const patch: CellPatch[] = [
      { row: 2, col: col('健康度'), value: 88, numFmt: 'integer' },
      { row: 3, col: col('健康度'), value: 41, numFmt: 'integer' },
      { row: 2, col: col('合计'), value: '=1+1' },
      { row: 5, col: 7, value: 45500, numFmt: 'date' },
      { row: 13, col: 0, value: '新客户' },
    ];
    const out = join(dir, 'lo-patched.xlsx');
    await patchWorkbook(src, out, { cells: { 客户: patch } });
    const outParts = unzipText(new Uint8Array(await readFile(out)));
    const outSheet = outParts[sheetPart] ?? '';

    // The reader sees the patch at the right cells and nothing else changed.
    const after = Object.fromEntries(
      (findSheet(await readWorkbook(out), '客户')?.rows ?? []).map((r) => [r.row, r.values]),
    );
    const expected = structuredClone(rows);
    const put = (r: number, c: number, v: CellValue): void => {
      const list = (expected[r] ??= []);
      while (list.length <= c) list.push(null);
      list[c] = v;
    };
    for (const p of patch) put(p.row, p.col, p.value);
    expect(after).toEqual(expected);

    // Formula F3, style indexes of untouched cells, validation, comment, cols.
    for (const ref of ['A1', 'B2', 'C2', 'D2', 'E2', 'F3', 'A5', 'D5', 'E5']) {
      expect(cellXml(outSheet, ref), ref).toBe(cellXml(srcSheet, ref));
    }
    const section = (xml: string, tag: string): string =>
      new RegExp(`<${tag}[\\s>][\\s\\S]*?</${tag}>`).exec(xml)?.[0] ?? '';
    for (const tag of [
      'cols',
      'dataValidations',
      'mergeCells',
      'conditionalFormatting',
      'sheetViews',
    ]) {
      expect(section(outSheet, tag), tag).toBe(section(srcSheet, tag));
    }
    expect(outSheet).toContain('<legacyDrawing r:id=');
    const a = await rawEntries(src);
    const b = await rawEntries(out);
    for (const [name, bytes] of a) {
      if (name === sheetPart || name === 'xl/styles.xml') continue;
      expect(b.get(name)?.equals(bytes), name).toBe(true);
    }

    // LibreOffice opens both files; the CSVs differ exactly at the patched cells.
    const beforeCsv = await sheetsAsCsv(src, join(dir, 'csv-before'));
    const afterCsv = await sheetsAsCsv(out, join(dir, 'csv-after'));
    expect(Object.keys(afterCsv).sort()).toEqual(Object.keys(beforeCsv).sort());
    for (const name of ['Positional', '参数']) expect(afterCsv[name]).toBe(beforeCsv[name]);
    const grid = parseCsv(beforeCsv['客户'] ?? '');
    const shown: Record<string, string> = {
      '88': '88',
      '41': '41',
      '=1+1': '=1+1',
      '45500': '2024-07-27',
      新客户: '新客户',
    };
    const width = Math.max(...grid.map((r) => r.length), 8);
    for (const p of patch) {
      while (grid.length < p.row) grid.push([]);
      const line = grid[p.row - 1] ?? [];
      grid[p.row - 1] = line;
      line[p.col] = shown[String(p.value)] ?? String(p.value);
    }
    const norm = (g: string[][]): string[][] =>
      g.map((r) => Array.from({ length: width }, (_, i) => r[i] ?? ''));
    const trimEmpty = (g: string[][]): string[][] => {
      const out = [...g];
      while (out.length && out[out.length - 1]?.every((c) => c === '')) out.pop();
      return out;
    };
    expect(trimEmpty(norm(parseCsv(afterCsv['客户'] ?? '')))).toEqual(trimEmpty(norm(grid)));
  }, 180_000);
});
