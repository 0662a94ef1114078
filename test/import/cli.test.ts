/**
 * `crm-sync import` through the CLI's main, on files made the way people make them: a GBK
 * CSV saved by Excel for Chinese Windows, a UTF-8 CSV with BOM, a mapping file, and the
 * command line's refusals. An xlsx saved by LibreOffice and a 10,000-row export:
 * cli.e2e.test.ts.
 */
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/workbook.ts';
import { peekXlsx, sheet } from '../helpers/xlsxPeek.ts';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { customersOf, freshWorkbook as fresh, importJson, sha } from './cliRun.ts';
import {
  csvText,
  EXISTING,
  gbk,
  generatedRows,
} from '../../sync-server/workbook/sample/importFile.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const freshWorkbook = (name: string): Promise<string> => fresh(dir, name);

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
      联系电话: '051266881234',
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
        matches: [{ sourceRow: 2, name: '深圳前海数智科技有限公司', reasons: ['客户名称相同'] }],
        reason: '与导入文件第 2 行“深圳前海数智科技有限公司”重复（客户名称相同）',
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
          '宁波老客户4（有限责任公司）',
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
