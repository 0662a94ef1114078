/**
 * A workbook as LibreOffice Calc saves it — with a person's own tab, own column, a
 * formula, a style and a dropdown — goes through a sync without losing any of them.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMERS, ORDERS, SYNC_TABS, TABS } from '../../sheets-templates/tabs.ts';
import { byHeader, CUSTOMER } from '../helpers/customer.ts';
import { peekXlsx, type PeekWorkbook } from '../helpers/xlsxPeek.ts';
import { convertWithLibreOffice } from '../helpers/libreoffice.ts';
import { cli, readTabs, type TabView } from '../helpers/workbook.ts';

type Cell = string | number | { date: string } | { formula: string; value: number } | null;

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

function cellXml(cell: Cell, extra = ''): string {
  if (cell === null) return `<table:table-cell${extra}/>`;
  if (typeof cell === 'number')
    return `<table:table-cell${extra} office:value-type="float" office:value="${cell}"><text:p>${cell}</text:p></table:table-cell>`;
  if (typeof cell === 'string')
    return `<table:table-cell${extra} office:value-type="string"><text:p>${esc(cell)}</text:p></table:table-cell>`;
  if ('date' in cell)
    return `<table:table-cell${extra} table:style-name="date" office:value-type="date" office:date-value="${cell.date}"><text:p>${cell.date}</text:p></table:table-cell>`;
  return `<table:table-cell${extra} table:formula="${esc(cell.formula)}" office:value-type="float" office:value="${cell.value}"><text:p>${cell.value}</text:p></table:table-cell>`;
}

function tableXml(name: string, rows: Cell[][], extras: Record<string, string> = {}): string {
  const body = rows
    .map(
      (row, r) =>
        `<table:table-row>${row.map((c, i) => cellXml(c, extras[`${r},${i}`] ?? '')).join('')}</table:table-row>`,
    )
    .join('');
  return `<table:table table:name="${esc(name)}">${body}</table:table>`;
}

/** A flat ODF spreadsheet, the format LibreOffice reads and writes as plain XML. */
function fods(tables: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<number:date-style style:name="iso"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
<style:style style:name="date" style:family="table-cell" style:data-style-name="iso"/>
<style:style style:name="loud" style:family="table-cell"><style:table-cell-properties fo:background-color="#ffeb3b"/><style:text-properties fo:font-weight="bold" fo:color="#c00000"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
<table:content-validations>
<table:content-validation table:name="kind" table:condition="of:cell-content-is-in-list(&quot;企业&quot;;&quot;个人&quot;)" table:allow-empty-cell="true" table:display-list="unsorted" table:base-cell-address="'客户'.B2"/>
</table:content-validations>
${tables.join('\n')}
</office:spreadsheet></office:body></office:document>`;
}

const MY_COLUMN = '我的备注长度';
let dir: string;
let calcFile: string;
let before: Map<string, TabView>;
let after: Map<string, TabView>;
let beforeXml: PeekWorkbook;
let afterXml: PeekWorkbook;
let sync: { code: number; stdout: string };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-calc-'));
  const headers = CUSTOMERS.columns.filter((c) => c.owner === 'people').map((c) => c.header);
  const customer = (values: Record<string, Cell>): Cell[] => [
    ...headers.map((h) => values[h] ?? null),
    null,
  ];
  const customers: Cell[][] = [
    [...headers, MY_COLUMN],
    customer({
      ...byHeader(CUSTOMER),
      建档日期: { date: CUSTOMER.createdDate },
      签约日期: { date: CUSTOMER.signedDate },
      备注: '老客户',
    }),
    customer({
      客户编号: 'P20240001',
      客户类型: '个人',
      客户名称: '张三',
      联系电话: '13900001111',
      所属行业: '零售',
      客户来源: '官网咨询',
      客户状态: '潜在',
      意向等级: 'B',
      负责人: '李明',
      建档日期: { date: '2024-06-01' },
    }),
    customer({
      客户类型: '企业',
      客户名称: '宁波海达贸易有限公司',
      联系人: '陈刚',
      邮箱: 'chen@haida.cn',
      所属行业: '批发',
      客户来源: '展会推广',
      客户状态: '潜在',
      意向等级: 'A',
      负责人: '周敏',
      建档日期: { date: '2024-06-05' },
    }),
  ];
  const noteCol = headers.indexOf('备注');
  // The person's own column: a formula over a people cell of the same row.
  const letter = (i: number): string => String.fromCharCode(65 + i);
  customers[1]![headers.length] = { formula: `of:=LEN([.${letter(noteCol)}2])`, value: 3 };
  const orderHeaders = ORDERS.columns.map((c) => c.header);
  const orders: Cell[][] = [
    orderHeaders,
    ['O20240001', 'E20240001', { date: '2024-05-01' }, '工业网关', 2, 60000, '按时'],
    ['O20240002', 'E20240001', { date: '2024-06-01' }, '年度服务', 1, 40000, '按时'],
  ];
  const mine: Cell[][] = [
    ['月份', '目标(元)', '完成率'],
    ['2024-06', 200000, { formula: "of:=SUM(['订单'.F2:F3])/[.B2]", value: 0.5 }],
  ];
  const source = join(dir, 'team.fods');
  await writeFile(
    source,
    fods([
      tableXml('客户', customers, {
        '1,1': ' table:content-validation-name="kind"',
        '2,1': ' table:content-validation-name="kind"',
        '1,2': ' table:style-name="loud"',
      }),
      tableXml('订单', orders),
      tableXml('我的统计', mine),
    ]),
  );
  calcFile = convertWithLibreOffice(source, 'xlsx', dir);
  before = await readTabs(calcFile);
  beforeXml = peekXlsx(calcFile);
  sync = await cli(['sync', calcFile, '--now', '2024-06-14T10:00', '--json']);
  after = await readTabs(calcFile);
  afterXml = peekXlsx(calcFile);
}, 300_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sheetXml = (book: PeekWorkbook, name: string) => book.sheets.find((s) => s.name === name)!;

describe('a workbook saved by LibreOffice Calc', () => {
  it('syncs', () => {
    expect(sync.code, sync.stdout).toBe(0);
    const customer = after.get('客户')!.rows.get(2)!;
    expect(customer['近12月金额']).toBe(100000);
    expect(customer['客户分层']).toBe('高价值客户');
    // The new customer got an ID, written into the person's blank cell.
    expect(after.get('客户')!.rows.get(4)!['客户编号']).toBe('E20240002');
  });

  it('keeps every cell that is not the sync’s, in every tab, including the person’s own', () => {
    const syncTabs = new Set(SYNC_TABS.map((t) => t.name));
    for (const [name, view] of before) {
      if (syncTabs.has(name)) continue;
      const def = TABS.find((t) => t.name === name);
      const syncHeaders = new Set(
        def?.columns.filter((c) => c.owner === 'sync').map((c) => c.header) ?? [],
      );
      const mine = after.get(name)!;
      expect(mine.header.slice(0, view.header.length), name).toEqual(view.header);
      for (const [row, cells] of view.rows) {
        for (const [header, value] of Object.entries(cells)) {
          if (syncHeaders.has(header)) continue;
          if (name === '客户' && header === '客户编号' && value === null) continue;
          expect(mine.rows.get(row)?.[header] ?? null, `${name}!${header}${row}`).toEqual(value);
        }
      }
    }
    expect(after.has('我的统计')).toBe(true);
  });

  it('keeps the formulas, the style and the dropdown exactly', () => {
    for (const name of ['客户', '我的统计']) {
      const formulas = (xml: string) =>
        [...xml.matchAll(/<c r="([A-Z]+\d+)"[^>]*>\s*<f[^>]*>([^<]*)<\/f>/g)].map((m) => [
          m[1],
          m[2],
        ]);
      const was = formulas(sheetXml(beforeXml, name).xml);
      expect(was.length, name).toBeGreaterThan(0);
      expect(formulas(sheetXml(afterXml, name).xml), name).toEqual(was);
    }
    const styled = 'C2';
    const style = sheetXml(beforeXml, '客户').styles.get(styled);
    expect(style).toBeGreaterThan(0);
    expect(sheetXml(afterXml, '客户').styles.get(styled)).toBe(style);
    expect(afterXml.formats[style!]).toBe(beforeXml.formats[style!]);
    expect(afterXml.files['xl/styles.xml']!.length).toBeGreaterThanOrEqual(
      beforeXml.files['xl/styles.xml']!.length,
    );
    const kindValidation = sheetXml(beforeXml, '客户').validations;
    expect(kindValidation.some((v) => v.formula1.includes('企业'))).toBe(true);
    expect(sheetXml(afterXml, '客户').validations).toEqual(kindValidation);
  });

  it('still opens in LibreOffice after the sync, computed values included', async () => {
    // LibreOffice reads the synced file and saves it again; what it saved is read back.
    const out = join(dir, 'resaved');
    await mkdir(out);
    const again = await readTabs(convertWithLibreOffice(calcFile, 'xlsx', out));
    expect(again.get('客户')!.rows.get(2)).toMatchObject({
      近12月金额: 100000,
      客户分层: '高价值客户',
    });
    expect(again.get('我的统计')!.rows.get(2)!['目标(元)']).toBe(200000);
  }, 300_000);
});
