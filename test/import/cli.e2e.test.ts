/**
 * `crm-sync import` and `crm-sync dedupe` on bigger and foreign files: an xlsx saved by
 * LibreOffice with a merged title row and trailing blank rows, and a 10,000-row export
 * with known duplicates and invalid rows; `dedupe` once through the real command.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { convertWithLibreOffice } from '../helpers/libreoffice.ts';
import { cli, cliProcess, writeWorkbook } from '../helpers/workbook.ts';
import {
  customersOf,
  freshWorkbook as fresh,
  importJson,
  NOW,
  sha,
  type Report,
} from './cliRun.ts';
import {
  counts,
  csvText,
  EXISTING,
  existingCustomers,
  expectedOf,
  generatedRows,
  sourceRowOf,
} from '../../sync-server/workbook/sample/importFile.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const freshWorkbook = (name: string): Promise<string> => fresh(dir, name);

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

    // The first sheet is only a note: without --sheet nothing maps, and the import says it
    // found no header there instead of "succeeding" with 0 rows. Once through the real
    // command: one JSON object on stdout, exit 1.
    const real = await cliProcess([
      'import',
      book,
      '--from',
      xlsx,
      '--dry-run',
      '--now',
      NOW,
      '--json',
    ]);
    expect(real.code, real.stderr).toBe(1);
    const other = JSON.parse(real.stdout) as Report & { error: string };
    expect(other.error).toContain('工作表“说明”');
    expect(other.error).toContain('找不到表头');
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
    const dedupe = await cliProcess(['dedupe', book, '--json', '--now', NOW]);
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
