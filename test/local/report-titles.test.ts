/**
 * The titles of 报表's and 销售分析's tables are bold in the synced workbook, and stay
 * so — and only they — when the tables grow and every title moves down: a cell the sync
 * writes on those tabs gets the look of what it now holds, not of what was there.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER } from '../helpers/customer.ts';
import { cli, writeWorkbook } from '../helpers/workbook.ts';
import { peekXlsx, sheet, type PeekWorkbook } from '../helpers/xlsxPeek.ts';

const NOW = '2024-06-14T10:00';
let dir: string;
let file: string;
let before: PeekWorkbook;
let after: PeekWorkbook;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-titles-'));
  file = join(dir, 'crm.xlsx');
  await writeWorkbook(file, {
    customers: [{ ...CUSTOMER, region: '华东' }],
    orders: [{ customerId: 'E20240001', orderDate: '2024-05-01', product: '云服务', amount: 10 }],
  });
  expect((await cli(['sync', file, '--now', NOW])).code).toBe(0);
  before = peekXlsx(file);
  // Three new regions and a product: every table of 销售分析 below 客户分布 moves down.
  const csv = join(dir, 'new.csv');
  await writeFile(
    csv,
    '客户名称,客户类型,联系人,联系电话,所属行业,客户来源,客户状态,区域,负责人,签约日期\n' +
      ['华北', '西南', '东北']
        .map(
          (r, i) => `新客户${i},企业,王${i},1391111222${i},制造业,转介绍,正式,${r},李明,2024-01-05`,
        )
        .join('\n'),
  );
  const imported = await cli(['import', file, '--from', csv, '--now', NOW]);
  expect(imported.code, imported.stderr).toBe(0);
  after = peekXlsx(file);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Cell {
  row: number;
  col: number;
  value: string | number | boolean;
  bold: boolean;
  pattern: string;
}

function cellsOf(book: PeekWorkbook, tab: string): Cell[] {
  const s = sheet(book, tab);
  const out: Cell[] = [];
  for (const [row, values] of s.rows)
    values.forEach((value, col) => {
      if (value === null || value === '') return;
      const style = s.styles.get(`${String.fromCharCode(65 + col)}${row}`) ?? 0;
      out.push({ row, col, value, bold: book.bold[style]!, pattern: book.formats[style]! });
    });
  return out.sort((a, b) => a.row - b.row || a.col - b.col);
}

/** A title: a row of one text cell under a blank row (or the first row). */
function titleRows(cells: readonly Cell[]): Set<number> {
  const byRow = new Map<number, Cell[]>();
  for (const c of cells) byRow.set(c.row, [...(byRow.get(c.row) ?? []), c]);
  return new Set(
    [...byRow]
      .filter(([row, cs]) => cs.length === 1 && (row === 1 || !byRow.has(row - 1)))
      .map(([row]) => row),
  );
}

describe('bold titles on the synced tabs', () => {
  it.each(['报表', '销售分析'])(
    '%s: the titles and nothing else, before and after the move',
    (tab) => {
      for (const book of [before, after]) {
        const cells = cellsOf(book, tab);
        const titles = titleRows(cells);
        expect(titles.size).toBeGreaterThanOrEqual(5);
        for (const c of cells)
          expect({ ...c, bold: c.bold }).toEqual({ ...c, bold: titles.has(c.row) });
      }
    },
  );

  it('the titles of 销售分析 did move, and numbers took the format of their new place', () => {
    const titleAt = (book: PeekWorkbook, title: string) =>
      cellsOf(book, '销售分析').find((c) => c.value === title)!.row;
    // three more rows in each of 客户分布, 区域销售 and 客户销售分析 (the new customers, 0.00)
    expect(titleAt(after, '目标达成')).toBe(titleAt(before, '目标达成') + 9);
    // 客户分布's rows: 客户数 whole numbers, 占比 percents, wherever they now stand
    const cells = cellsOf(after, '销售分析');
    const start = titleAt(after, '客户分布');
    const body = cells.filter((c) => c.row > start + 1 && c.row <= start + 6);
    expect(body.filter((c) => c.col === 1).map((c) => c.pattern)).toEqual(Array(5).fill('0'));
    expect(body.filter((c) => c.col === 2).map((c) => c.pattern)).toEqual(Array(5).fill('0.0%'));
    // 目标达成: a share as a percent, 平均满意度 as a figure, in the same column
    const targets = titleAt(after, '目标达成');
    const target = (label: string) =>
      cells.find((c) => c.row > targets && c.col === 0 && c.value === label)!.row;
    const goal = (row: number) => cells.find((c) => c.row === row && c.col === 1)!.pattern;
    expect(goal(target('按时率'))).toBe('0.0%');
    expect(goal(target('平均满意度'))).toBe('0.0');
  });
});
