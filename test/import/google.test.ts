/**
 * An import into a Google spreadsheet (the fake Sheets API over HTTP): cells that start
 * like a formula are written RAW, so the sheet holds them as text.
 */
import { beforeEach, expect, it } from 'vitest';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { csvTable } from '../../sync-server/import/source.ts';
import { runImport } from '../../sync-server/import/run.ts';
import type { FakeSheetsApi } from '../fakes/sheetsApi.ts';
import { useFakeSheetsApi } from '../fakes/useFakeSheetsApi.ts';
import { columnsOf, loadWorkbook, NOW, storeFor } from '../google/harness.ts';
import { buildWorkbook } from '../google/workbook.ts';
import { csvText } from '../../sync-server/workbook/sample/importFile.ts';

const fakeOf = useFakeSheetsApi();
let fake: FakeSheetsApi;
beforeEach(() => {
  fake = fakeOf();
});

const RISKY = ['=IMPORTXML("http://x","//a")', '+1+1', '-2+3', '@SUM(A1:A2)'];

it('writes formula-looking cells as text (RAW), never as formulas', async () => {
  const book = buildWorkbook({ customers: 5, now: NOW, customersOnly: true });
  loadWorkbook(fake, 'import', book);
  const before = fake.grid('import', CUSTOMERS.name).length;
  const csv = csvText([
    [
      '客户类型',
      '客户名称',
      '联系人',
      '手机',
      '行业',
      '来源',
      '客户状态',
      '意向等级',
      '负责人',
      '建档日期',
      '备注',
      '偏好',
    ],
    ...RISKY.map((risky, i) => [
      '企业',
      `${risky} 公司${i}`,
      '赵六',
      `1860000000${i}`,
      '零售',
      '转介绍',
      '潜在',
      'A',
      '王经理',
      '2025-06-01',
      risky,
      risky,
    ]),
  ]);
  const report = await runImport(
    storeFor(fake, 'import'),
    { table: csvTable(csv), format: 'csv', encoding: 'utf-8' },
    { onDuplicate: 'skip', dryRun: false, now: () => NOW },
  );
  expect(report.plan).toMatchObject({ added: 4, rejected: 0 });

  const sheet = fake.sheet('import', CUSTOMERS.name);
  expect(sheet.formulas.size).toBe(0);
  const cols = columnsOf(fake, 'import', CUSTOMERS);
  const grid = fake.grid('import', CUSTOMERS.name);
  expect(grid.length).toBe(before + 4);
  RISKY.forEach((risky, i) => {
    const row = grid[before + i]!;
    expect(row[cols.get('notes')!]).toBe(risky);
    expect(row[cols.get('preferences')!]).toBe(risky);
    expect(row[cols.get('name')!]).toBe(`${risky} 公司${i}`);
  });
});
