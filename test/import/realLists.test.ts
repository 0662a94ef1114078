/**
 * Real customer lists: a company-register export (公司/法人/电话/邮箱/地址) with a mapping
 * file that gives the columns it lacks, the forms' defaults (建档日期 today, 客户等级
 * 普通客户), a file without a header row, 400/800 service numbers, and agents whose phone
 * several clearly different companies share.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayToSerial, daysFromCivil } from '../../shared/calendar.ts';
import { csvText } from '../../sync-server/workbook/sample/importFile.ts';
import { cli } from '../helpers/workbook.ts';
import { customersOf, freshWorkbook as fresh, importJson } from './cliRun.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-real-lists-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const REGISTER = [
  ['公司', '法人', '电话', '邮箱', '地址'],
  ['宁波海曙瑞达贸易有限公司', '陈立', '400-820-8820', 'info@ruida.cn', '宁波市海曙区 8 号'],
  ['宁波江北恒信五金有限公司', '吴兵', '0574-87651234', '', '宁波市江北区 2 号'],
];

async function csv(name: string, rows: string[][]): Promise<string> {
  const file = join(dir, name);
  await writeFile(file, csvText(rows));
  return file;
}

describe('a company-register export', () => {
  it('imports with the mapping file’s values, 法人 as 联系人, today as 建档日期 and 普通客户', async () => {
    const book = await fresh(dir, 'register.xlsx');
    const map = join(dir, 'register-map.json');
    await writeFile(
      map,
      JSON.stringify({
        columns: { 地址: '地址' },
        values: {
          客户类型: '企业',
          客户来源: '展会推广',
          客户状态: '潜在',
          负责人: '王经理',
          所属行业: '零售',
        },
      }),
    );
    const report = await importJson([
      book,
      '--from',
      await csv('register.csv', REGISTER),
      '--mapping',
      map,
    ]);
    expect(report).toMatchObject({ added: 2, rejected: 0, skipped: 0 });
    expect(report.mapping.find((m) => m.source === '法人')?.header).toBe('联系人');
    const rows = [...(await customersOf(book)).rows.values()].slice(-2);
    expect(rows[0]).toMatchObject({
      客户名称: '宁波海曙瑞达贸易有限公司',
      联系人: '陈立',
      // saved normalised, like the forms save phones
      联系电话: '4008208820',
      客户类型: '企业',
      客户来源: '展会推广',
      客户状态: '潜在',
      负责人: '王经理',
      所属行业: '零售',
      客户等级: '普通客户',
      // --now 2025-12-31: the file gives no 建档日期, so the import takes today
      建档日期: dayToSerial(daysFromCivil(2025, 12, 31)),
    });
  });

  it('without the mapping file every row is rejected, naming the columns it lacks', async () => {
    const book = await fresh(dir, 'register-bare.xlsx');
    const report = await importJson(
      [book, '--from', await csv('bare.csv', REGISTER), '--dry-run'],
      { nothingImported: true },
    );
    expect(report).toMatchObject({ added: 0, rejected: 2 });
    expect(report.problems.map((p) => p.message).join('|')).toMatch(/客户来源/);
  });

  it('refuses a mapping file whose values name no column', async () => {
    const book = await fresh(dir, 'register-badmap.xlsx');
    const map = join(dir, 'bad-map.json');
    await writeFile(map, JSON.stringify({ columns: {}, values: { 来路: '展会推广' } }));
    const run = await cli([
      'import',
      book,
      '--from',
      await csv('b.csv', REGISTER),
      '--mapping',
      map,
    ]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/默认值“来路”：“客户”表没有这一列/);
  });
});

describe('a file without a header row', () => {
  it('is detected and said so, and nothing is written', async () => {
    const book = await fresh(dir, 'headerless.xlsx');
    const report = await importJson([book, '--from', await csv('nohead.csv', REGISTER.slice(1))], {
      nothingImported: true,
    });
    expect(report).toMatchObject({ added: 0, updated: 0, rejected: 0 });
    expect((report as { error?: string }).error).toMatch(
      /^找不到表头：.*（第 1 行是 “宁波海曙瑞达贸易有限公司”、“陈立”、“400-820-8820”/,
    );
  });
});

describe('a phone shared by clearly different companies', () => {
  it('adds the second company with a 共用联系方式 warning instead of skipping it', async () => {
    const book = await fresh(dir, 'shared.xlsx');
    const header = '客户类型 客户名称 联系人 联系电话 所属行业 客户来源 客户状态 负责人'.split(' ');
    const row = (name: string, phone: string) => [
      '企业',
      name,
      '代账刘会计',
      phone,
      '零售',
      '转介绍',
      '潜在',
      '王经理',
    ];
    const report = await importJson([
      book,
      '--from',
      await csv('shared.csv', [
        header,
        row('宁波甲乙丙商贸有限公司', '13900001111'),
        row('宁波丁戊己餐饮管理有限公司', '13900001111'),
        // Same company written differently: still a duplicate, skipped.
        row('宁波甲乙丙商贸（有限责任公司）', '13900001111'),
      ]),
    ]);
    expect(report).toMatchObject({ added: 2, skipped: 1 });
    const warning = report.problems.find((p) => p.sourceRow === 3 && p.message.includes('共用'))!;
    expect(warning.level).toBe('警告');
    expect(warning.message).toMatch(
      /^共用联系方式：与导入文件第 2 行“宁波甲乙丙商贸有限公司”（联系电话相同）/,
    );
    expect(report.duplicates.map((d) => d.sourceRow)).toEqual([4]);
  });
});
