/**
 * `crm-sync import` and `crm-sync dedupe` through the real CLI, on files made the way
 * people make them: a GBK CSV saved by Excel for Chinese Windows, a UTF-8 CSV with BOM,
 * an xlsx saved by LibreOffice with a merged title row and trailing blank rows, and a
 * 10,000-row export with known duplicates and invalid rows.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { convertWithLibreOffice } from '../helpers/libreoffice.ts';
import { cli, readTabs, writeWorkbook } from '../helpers/workbook.ts';
import { peekXlsx, sheet } from '../helpers/xlsxPeek.ts';
import {
  counts,
  csvText,
  EXISTING,
  existingCustomers,
  expectedOf,
  gbk,
  generatedRows,
  sourceRowOf,
} from '../../sync-server/workbook/sample/importFile.ts';

interface Report {
  added: number;
  updated: number;
  skipped: number;
  rejected: number;
  problems: { sourceRow: number; column: string; value: string; message: string; level: string }[];
  duplicates: {
    sourceRow: number;
    matches: { customerId?: string; row?: number; sourceRow?: number; reasons: string[] }[];
    reason: string;
    action: string;
  }[];
  rows: { sourceRow: number; action: string; id?: string; row?: number; reason?: string }[];
  source: { format: string; encoding?: string; sheet?: string; rows: number };
  headerRow: number;
  blankRows: number;
  mapping: { source: string; header: string; by: string }[];
  sync?: { result: string };
  dryRun: boolean;
}

const NOW = '2025-12-31T10:00';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function freshWorkbook(name: string): Promise<string> {
  const file = join(dir, name);
  await writeWorkbook(file, { customers: existingCustomers() });
  return file;
}

async function importJson(args: string[]): Promise<Report> {
  const run = await cli(['import', ...args, '--now', NOW, '--json']);
  expect(run.code, run.stderr).toBe(0);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Report;
}

const sha = async (file: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

const customersOf = async (file: string) => (await readTabs(file)).get(CUSTOMERS.name)!;

describe('GBK CSV from Excel for Chinese Windows', () => {
  const rows = [
    [
      '客户类型',
      '公司名称',
      '联系人',
      '手机',
      'E-mail',
      '行业',
      '来源',
      '客户状态',
      '意向等级',
      '负责人',
      '建档日期',
      '地址',
      '备注',
    ],
    [
      '企业',
      '苏州鼎新精密机械有限公司',
      '周敏',
      '0512-6688 1234',
      'zhou@dingxin.cn',
      '制造业',
      '展会推广',
      '潜在',
      'a',
      '王经理',
      '2025/3/5',
      '苏州工业园区星湖街 88 号, 3 幢',
      '=1+1',
    ],
    [
      '企业',
      '上海“汇通”物流有限公司',
      '钱伟',
      '+86 138 1234 5678',
      '',
      '物流',
      '官网咨询',
      '潜在',
      'B',
      '王经理',
      '2025年3月6日',
      '上海市\r\n浦东新区',
      '+86 开头的备注',
    ],
    [
      '个人',
      '孙丽',
      '',
      '13912345678',
      'SUNLI@QQ.COM',
      '零售',
      '转介绍',
      '潜在',
      'C',
      '王经理',
      '2025-03-07',
      '',
      '-5',
    ],
    [
      '企业',
      '无锡某某公司',
      '',
      '',
      '',
      '制造业',
      '展会推广',
      '潜在',
      'A',
      '王经理',
      '2025-03-08',
      '',
      '@SUM(A1)',
    ],
  ];

  it('decodes GBK, keeps quoted commas and line breaks, and stores formulas as text', async () => {
    const book = await freshWorkbook('gbk.xlsx');
    const src = join(dir, 'excel-gbk.csv');
    const bytes = gbk(csvText(rows));
    expect(bytes.subarray(0, 3).toString('hex')).not.toBe('efbbbf');
    await writeFile(src, bytes);

    const report = await importJson([book, '--tab', '客户', '--from', src]);
    expect(report.source).toMatchObject({ format: 'csv', encoding: 'gbk', rows: 5 });
    expect(report).toMatchObject({ added: 3, updated: 0, skipped: 0, rejected: 1 });
    expect(report.sync?.result).toBeDefined();
    // Row 5 lacks the contact of a company and any way to reach it.
    const row5 = report.problems.filter((p) => p.sourceRow === 5 && p.level === '错误');
    expect(row5.map((p) => p.column).sort()).toEqual(['手机', '联系人'].sort());
    expect(report.rows.find((r) => r.sourceRow === 5)).toMatchObject({ action: 'rejected' });

    const tab = await customersOf(book);
    const added = report.rows.filter((r) => r.action === 'added');
    expect(added.map((r) => r.row)).toEqual([EXISTING + 2, EXISTING + 3, EXISTING + 4]);
    expect(added.map((r) => r.id)).toEqual(['E20250001', 'E20250002', 'P20250001']);
    const [a, b, c] = added.map((r) => tab.rows.get(r.row!)!);
    expect(a).toMatchObject({
      客户编号: 'E20250001',
      客户名称: '苏州鼎新精密机械有限公司',
      联系电话: '0512-6688 1234',
      意向等级: 'A',
      地址: '苏州工业园区星湖街 88 号, 3 幢',
      备注: '=1+1',
    });
    expect(b).toMatchObject({
      客户名称: '上海“汇通”物流有限公司',
      地址: '上海市\r\n浦东新区',
      备注: '+86 开头的备注',
    });
    expect(c).toMatchObject({ 客户名称: '孙丽', 邮箱: 'SUNLI@QQ.COM', 备注: '-5' });

    // Formula injection: the patched sheet holds strings and no formula.
    const peek = sheet(peekXlsx(book), CUSTOMERS.name);
    expect(peek.xml).not.toMatch(/<f[ >]/);
    const col = tab.header.indexOf('备注');
    expect(peek.rows.get(EXISTING + 2)![col]).toBe('=1+1');
    expect(peek.rows.get(EXISTING + 4)![col]).toBe('-5');
  });
});

describe('UTF-8 CSV with BOM', () => {
  it('reads the first header despite the BOM and maps English headers', async () => {
    const book = await freshWorkbook('bom.xlsx');
    const src = join(dir, 'bom.csv');
    const text = csvText([
      [
        'Customer Type',
        'customer name',
        'Contact Person',
        'PHONE',
        'Email',
        'Industry',
        'Source',
        'Status',
        'Lead Intent',
        'Owner',
        'CREATED',
      ],
      [
        '企业',
        '深圳前海数智科技有限公司',
        '吴昊',
        '13600001111',
        'wu@qh.cn',
        '互联网电商',
        '线上广告',
        '潜在',
        'A',
        '王经理',
        '2025-04-01',
      ],
      [
        '企业',
        '深圳前海数智科技股份有限公司',
        '吴昊',
        '',
        'x@qh.cn',
        '互联网电商',
        '线上广告',
        '潜在',
        'A',
        '王经理',
        '2025-04-02',
      ],
    ]);
    await writeFile(src, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]));
    const report = await importJson([book, '--from', src, '--dry-run']);
    expect(report.source.encoding).toBe('utf-8-bom');
    expect(report.mapping.map((m) => m.header)).toContain('客户类型');
    expect(report.mapping.every((m) => m.by === 'en')).toBe(true);
    expect(report).toMatchObject({ added: 1, skipped: 1, rejected: 0 });
    expect(report.duplicates).toEqual([
      {
        sourceRow: 3,
        matches: [{ sourceRow: 2, reasons: ['客户名称相同'] }],
        reason: '与导入文件第 2 行重复（客户名称相同）',
        action: 'skipped',
      },
    ]);
  });

  it('takes a mapping file, and refuses one that names no column', async () => {
    const book = await freshWorkbook('mapping.xlsx');
    const src = join(dir, 'odd.csv');
    await writeFile(
      src,
      csvText([
        ['类别', '名字', '对口人', '号码', '所在行业', '获客渠道', '阶段', '意向', '归属', '日期'],
        [
          '企业',
          '合肥晶科半导体有限公司',
          '郑一',
          '055165551234',
          '制造业',
          '电话营销',
          '潜在',
          'B',
          '王经理',
          '2025-05-01',
        ],
      ]),
    );
    const map = join(dir, 'map.json');
    await writeFile(
      map,
      JSON.stringify({
        类别: '客户类型',
        名字: 'name',
        对口人: '联系人',
        号码: 'Phone',
        所在行业: '所属行业',
        获客渠道: '客户来源',
        阶段: '客户状态',
        意向: 'intent',
        归属: '负责人',
        日期: '建档日期',
      }),
    );
    const report = await importJson([book, '--from', src, '--mapping', map, '--dry-run']);
    expect(report).toMatchObject({ added: 1, rejected: 0 });
    expect(report.mapping.every((m) => m.by === 'mapping')).toBe(true);

    await writeFile(map, JSON.stringify({ 名字: '公司名字' }));
    const bad = await cli(['import', book, '--from', src, '--mapping', map, '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('没有这一列');
    expect(JSON.parse(bad.stdout)).toMatchObject({ added: 0, error: expect.any(String) });
  });
});

/** LibreOffice flat ODS with a merged title row, a merged header cell, date cells and trailing blanks. */
function fods(): string {
  const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const text = (s: string, extra = ''): string =>
    `<table:table-cell${extra} office:value-type="string"><text:p>${esc(s)}</text:p></table:table-cell>`;
  const date = (iso: string): string =>
    `<table:table-cell table:style-name="date" office:value-type="date" office:date-value="${iso}"><text:p>${iso}</text:p></table:table-cell>`;
  const header = [
    '客户类型',
    '客户名称',
    '联系人',
    '联系电话',
    '所属行业',
    '客户来源',
    '客户状态',
    '意向等级',
    '负责人',
    '建档日期',
  ];
  const data: [string, string, string, string, string, string, string, string, string, string][] = [
    [
      '企业',
      '成都蜀信软件有限公司',
      '冯静',
      '028-85556666',
      '信息技术',
      '官网咨询',
      '潜在',
      'A',
      '王经理',
      '2025-06-01',
    ],
    [
      '企业',
      '重庆渝达汽配有限公司',
      '陈刚',
      '13700099003',
      '制造业',
      '展会推广',
      '潜在',
      'B',
      '王经理',
      '2025-06-02',
    ],
    ['个人', '刘洋', '', '15900001234', '零售', '转介绍', '潜在', 'C', '王经理', '2025-06-03'],
  ];
  const rows = [
    `<table:table-row>${text('2025 年客户名单（系统导出）', ' table:number-columns-spanned="11"')}<table:covered-table-cell table:number-columns-repeated="10"/></table:table-row>`,
    `<table:table-row>${header.map((h) => text(h)).join('')}${text('备注', ' table:number-columns-spanned="2"')}<table:covered-table-cell/></table:table-row>`,
    ...data.map(
      (r) =>
        `<table:table-row>${r
          .slice(0, 9)
          .map((c) => (c === '' ? '<table:table-cell/>' : text(c)))
          .join('')}${date(r[9])}${text('来自展会名单')}</table:table-row>`,
    ),
    `<table:table-row>${text(' ')}${text('  ')}</table:table-row>`,
    `<table:table-row table:number-rows-repeated="6"><table:table-cell table:style-name="loud" table:number-columns-repeated="12"/></table:table-row>`,
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
<number:date-style style:name="iso"><number:year number:style="long"/><number:text>-</number:text><number:month number:style="long"/><number:text>-</number:text><number:day number:style="long"/></number:date-style>
<style:style style:name="date" style:family="table-cell" style:data-style-name="iso"/>
<style:style style:name="loud" style:family="table-cell"><style:table-cell-properties fo:background-color="#ffeb3b"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
<table:table table:name="说明"><table:table-row>${text('本文件由系统导出')}</table:table-row></table:table>
<table:table table:name="客户名单">${rows.join('\n')}</table:table>
</office:spreadsheet></office:body></office:document>`;
}

describe('xlsx saved by LibreOffice', () => {
  it('finds the header under a merged title, reads date cells, ignores trailing blank rows', async () => {
    const book = await freshWorkbook('lo.xlsx');
    const fodsFile = join(dir, 'export.fods');
    await writeFile(fodsFile, fods());
    const xlsx = convertWithLibreOffice(fodsFile, 'xlsx', dir);
    const report = await importJson([book, '--from', xlsx, '--sheet', '客户名单']);
    expect(report.source).toMatchObject({ format: 'xlsx', sheet: '客户名单' });
    expect(report.headerRow).toBe(2);
    expect(report).toMatchObject({ added: 3, updated: 0, skipped: 0, rejected: 0 });
    expect(report.rows.map((r) => r.sourceRow)).toEqual([3, 4, 5]);
    expect(report.blankRows).toBeGreaterThanOrEqual(1);
    expect(report.mapping.find((m) => m.source === '备注')?.header).toBe('备注');
    const tab = await customersOf(book);
    const first = tab.rows.get(report.rows[0]!.row!)!;
    expect(first).toMatchObject({ 客户名称: '成都蜀信软件有限公司', 备注: '来自展会名单' });
    // A date cell arrives as a real date in the workbook: serial of 2025-06-01.
    expect(first['建档日期']).toBe(45809);

    // The first sheet is only a note: without --sheet nothing maps and nothing is lost.
    const other = await importJson([book, '--from', xlsx, '--dry-run']);
    expect(other.source.sheet).toBe('说明');
    expect(other.added + other.rejected).toBe(0);
  }, 120_000);
});

describe('10,000 rows with 5% duplicates and 3% invalid rows', () => {
  const N = 10_000;
  const expected = counts(N);
  let book: string;
  let src: string;

  beforeAll(async () => {
    expect(expected).toEqual({ unique: 9200, invalid: 300, existing: 250, source: 250 });
    book = await freshWorkbook('big.xlsx');
    src = join(dir, 'big.csv');
    await writeFile(src, csvText(generatedRows(N)));
  });

  it('a dry run reports everything and changes nothing', async () => {
    const before = await sha(book);
    const report = await importJson([book, '--from', src, '--dry-run', '--on-duplicate', 'update']);
    expect(await sha(book)).toBe(before);
    const backups = existsSync(join(dir, '.crm-backups'))
      ? await readdir(join(dir, '.crm-backups'))
      : [];
    expect(backups.filter((f) => f.startsWith('big.xlsx.'))).toEqual([]);
    expect(report.dryRun).toBe(true);
    // Each old customer is hit 5 times: the first hit fills its blank 地址 and 备注.
    expect(report).toMatchObject({ added: 9200, updated: EXISTING, skipped: 450, rejected: 300 });
    const updated = report.rows.filter((r) => r.action === 'updated');
    expect(updated.every((r) => /补填了空白的地址、备注$/.test(r.reason!))).toBe(true);
    expect(new Set(updated.map((r) => r.id)).size).toBe(EXISTING);
  }, 120_000);

  it('imports, skipping duplicates: counts exact, every row accounted for with its reason', async () => {
    const report = await importJson([book, '--tab', '客户', '--from', src]);
    expect(report).toMatchObject({ added: 9200, updated: 0, skipped: 500, rejected: 300 });

    const outcome = new Map(report.rows.map((r) => [r.sourceRow, r]));
    expect(report.rows).toHaveLength(N);
    const dups = new Map(report.duplicates.map((d) => [d.sourceRow, d]));
    expect(dups.size).toBe(500);
    const errorsByRow = new Map<number, string[]>();
    for (const p of report.problems)
      if (p.level === '错误')
        errorsByRow.set(p.sourceRow, [...(errorsByRow.get(p.sourceRow) ?? []), p.message]);
    expect(errorsByRow.size).toBe(300);

    const old = existingCustomers();
    for (let i = 0; i < N; i++) {
      const row = sourceRowOf(i);
      const e = expectedOf(i);
      const got = outcome.get(row)!;
      if (e.kind === 'unique') {
        expect(got.action, `row ${row}`).toBe('added');
        expect(dups.has(row)).toBe(false);
      } else if (e.kind === 'invalid') {
        expect(got.action).toBe('rejected');
        expect(errorsByRow.get(row)!.join('|')).toContain(e.message);
        expect(got.reason).toContain(e.message);
      } else if (e.kind === 'existing') {
        expect(got.action).toBe('skipped');
        expect(dups.get(row)).toMatchObject({
          action: 'skipped',
          matches: [
            { customerId: old[e.existing]!.customerId, row: e.existing + 2, reasons: [e.reason] },
          ],
        });
      } else {
        expect(got.action).toBe('skipped');
        expect(dups.get(row)).toMatchObject({
          matches: [{ sourceRow: e.sourceRow, reasons: [e.reason] }],
        });
      }
    }

    const tab = await customersOf(book);
    expect(tab.rows.size).toBe(EXISTING + 9200);
    const ids = [...tab.rows.values()].map((r) => r['客户编号']);
    expect(new Set(ids).size).toBe(ids.length);
    // The sync that followed found no duplicate among what was imported.
    const dedupe = await cli(['dedupe', book, '--json', '--now', NOW]);
    expect(dedupe.code).toBe(0);
    expect(JSON.parse(dedupe.stdout)).toMatchObject({ customers: EXISTING + 9200, duplicates: [] });
  }, 180_000);

  it('--on-duplicate add imports them anyway with a warning, and dedupe then finds them', async () => {
    const copy = join(dir, 'big-add.xlsx');
    await writeWorkbook(copy, { customers: existingCustomers() });
    const report = await importJson([copy, '--from', src, '--on-duplicate', 'add']);
    expect(report).toMatchObject({ added: 9700, updated: 0, skipped: 0, rejected: 300 });
    expect(report.duplicates.every((d) => d.action === 'added')).toBe(true);
    expect(report.problems.filter((p) => p.message.includes('已按要求仍然导入'))).toHaveLength(500);

    const dedupe = await cli(['dedupe', copy, '--json', '--now', NOW]);
    const found = JSON.parse(dedupe.stdout) as {
      duplicates: { row: number; matchesRow: number; reason: string }[];
    };
    expect(found.duplicates).toHaveLength(500);
    const byRow = new Map(report.rows.map((r) => [r.row, r]));
    const rowOfSource = new Map(report.rows.map((r) => [r.sourceRow, r.row]));
    for (const d of found.duplicates) {
      const e = expectedOf(byRow.get(d.row)!.sourceRow - 2);
      if (e.kind === 'existing') expect(d.matchesRow).toBe(e.existing + 2);
      else if (e.kind === 'source') expect(d.matchesRow).toBe(rowOfSource.get(e.sourceRow));
      else expect.unreachable(`row ${d.row} is no duplicate`);
    }
  }, 180_000);
});

describe('command line', () => {
  it('refuses a wrong --on-duplicate and a missing source, with one JSON object', async () => {
    const book = await freshWorkbook('cl.xlsx');
    const wrong = await cli([
      'import',
      book,
      '--from',
      'x.csv',
      '--on-duplicate',
      'merge',
      '--json',
    ]);
    expect(wrong.code).toBe(2);
    expect(wrong.stdout.trim().split('\n')).toHaveLength(1);
    const missing = await cli(['import', book, '--from', join(dir, 'nope.csv'), '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error).toContain('无法读取导入文件');
  });
  it('a dry run leaves the workbook byte for byte', async () => {
    const book = await freshWorkbook('dry.xlsx');
    const copy = join(dir, 'dry-copy.xlsx');
    await copyFile(book, copy);
    const src = join(dir, 'dry.csv');
    await writeFile(src, csvText(generatedRows(30)));
    await importJson([book, '--from', src, '--dry-run']);
    expect(await sha(book)).toBe(await sha(copy));
  });

  it('--on-duplicate update fills blank cells of the customer and keeps the others', async () => {
    const book = await freshWorkbook('update.xlsx');
    const src = join(dir, 'update.csv');
    await writeFile(
      src,
      csvText([
        [
          '客户类型',
          '客户名称',
          '联系人',
          '手机',
          '行业',
          '来源',
          '客户状态',
          '负责人',
          '建档日期',
          '地址',
          '偏好',
        ],
        [
          '企业',
          '宁波新名字有限公司',
          '别人',
          '137 0000 0004',
          '零售',
          '展会推广',
          '流失',
          '钱经理',
          '2025-01-01',
          '宁波市海曙区 1 号',
          '偏好微信',
        ],
      ]),
    );
    const report = await importJson([book, '--from', src, '--on-duplicate', 'update']);
    expect(report).toMatchObject({ added: 0, updated: 1, skipped: 0, rejected: 0 });
    expect(report.rows[0]).toMatchObject({ id: 'E20240005', row: 6 });
    const after = (await customersOf(book)).rows.get(6)!;
    expect(after).toMatchObject({
      客户编号: 'E20240005',
      客户名称: '宁波老客户4有限公司',
      联系人: '老联系人4',
      客户状态: '潜在',
      负责人: '赵经理',
      地址: '宁波市海曙区 1 号',
      偏好: '偏好微信',
    });
  });
});
