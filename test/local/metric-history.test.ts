import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMERS, ORDERS, TICKETS } from '../../sheets-templates/tabs.ts';
import { sampleCells } from '../../sync-server/workbook/template.ts';
import { patchWorkbook } from '../../sync-server/xlsx/patcher.ts';
import { CUSTOMER } from '../helpers/customer.ts';
import { cli, readTabs, writeWorkbook, type TabView } from '../helpers/workbook.ts';

// Workbook in, workbook out across two months. 2024-05-20: 正式 customers A (an order of
// 120,000 on 2024-05-01: 高价值客户, ≥ 100,000) and B (no orders: 默认分层). Then C is added
// (正式, 150,000 on 2024-06-01) with one ticket on 2024-06-03, and the sync of 2024-06-14 runs.
const MAY = '2024-05-20T10:00';
const JUNE = '2024-06-14T10:00';
const C = {
  ...CUSTOMER,
  customerId: 'E20240003',
  name: '苏州恒通',
  phone: '13600003333',
};
let dir: string;
let may: Map<string, TabView>;
let june: Map<string, TabView>;
let juneAgainWritten: number;
let juneAgain: Map<string, TabView>;

async function append(
  file: string,
  rows: Record<string, readonly (readonly unknown[])[]>,
): Promise<void> {
  const temp = `${file}.tmp`;
  const appendRows = Object.fromEntries(
    Object.entries(rows).map(([tab, r]) => [tab, { rows: r as never }]),
  );
  await patchWorkbook(file, temp, { appendRows });
  await rename(temp, file);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-history-'));
  const file = join(dir, 'crm.xlsx');
  await writeWorkbook(file, {
    customers: [
      { ...CUSTOMER },
      { ...CUSTOMER, customerId: 'E20240002', name: '宁波海达贸易', phone: '13700002222' },
    ],
    orders: [{ customerId: 'E20240001', orderDate: '2024-05-01', amount: 120000 }],
  });
  expect((await cli(['sync', file, '--now', MAY])).code).toBe(0);
  may = await readTabs(file);

  await append(file, {
    [CUSTOMERS.name]: [sampleCells(CUSTOMERS, C)],
    [ORDERS.name]: [
      sampleCells(ORDERS, {
        orderId: 'O20240009',
        customerId: C.customerId,
        orderDate: '2024-06-01',
        amount: 150000,
      }),
    ],
    [TICKETS.name]: [
      sampleCells(TICKETS, {
        ticketId: 'T20240001',
        customerId: C.customerId,
        type: '产品质量',
        description: '设备异响',
        urgency: '高',
        createdAt: '2024-06-03 09:00',
        respondedAt: '2024-06-03 09:30',
        resolvedAt: '2024-06-03 12:00',
        status: '已解决',
      }),
    ],
  });
  expect((await cli(['sync', file, '--now', JUNE])).code).toBe(0);
  june = await readTabs(file);
  const again = await cli(['sync', file, '--now', JUNE, '--json']);
  juneAgainWritten = (JSON.parse(again.stdout) as { cellsWritten: number }).cellsWritten;
  juneAgain = await readTabs(file);
}, 90_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A figure of a 报表 table: the row labelled `label`, the column headed `header`. */
function reportFigure(tabs: Map<string, TabView>, title: string, label: string, header: string) {
  const grid = tabs.get('报表')!.grid;
  const start = grid.findIndex((r) => r?.[0] === title);
  const head = grid[start + 1]!;
  for (let r = start + 2; r < grid.length && grid[r]?.length; r++)
    if (grid[r]![0] === label) return grid[r]![head.indexOf(header)];
  return undefined;
}

const history = (tabs: Map<string, TabView>) => tabs.get('指标历史')!.grid.filter(Boolean);
const summary = (tabs: Map<string, TabView>) => {
  const grid = tabs.get('报表')!.grid;
  expect(grid[0]).toEqual(['摘要']);
  const out: unknown[] = [];
  for (let r = 1; grid[r]?.length; r++) out.push(grid[r]![0]);
  return out;
};

describe('指标历史: the current month written anew, earlier months kept', () => {
  it('May: one row; 2 正式, 高价值客户 1 of 2 = 50%, no tickets', () => {
    const rows = history(may);
    expect(rows[0]).toEqual([
      '月份',
      '正式客户数',
      '首层占比',
      '平均健康度',
      '风险客户数',
      '投诉数',
      '按时率',
    ]);
    const health = reportFigure(may, '健康度分布', '合计', '平均健康度');
    const risk = reportFigure(may, '健康度分布', '风险', '客户数');
    expect(rows.slice(1)).toEqual([['2024-05', 2, 0.5, health, risk, 0]]);
  });

  it('June: May kept as it was, June appended; 3 正式, A and C 高价值 = 2/3, 1 ticket on time', () => {
    const rows = history(june);
    const health = reportFigure(june, '健康度分布', '合计', '平均健康度');
    const risk = reportFigure(june, '健康度分布', '风险', '客户数');
    expect(rows.slice(1)).toEqual([
      history(may)[1],
      // resolved 3 hours after creation, within any 紧急程度's SLA: 按时率 1/1
      ['2024-06', 3, 2 / 3, health, risk, 1, 1],
    ]);
  });

  it('a second sync in the same month rewrites the row in place: no new row, nothing written but the log', () => {
    expect(history(juneAgain)).toEqual(history(june));
    expect(juneAgainWritten).toBe(9);
  });
});

describe('摘要: 报表 opens with the month against the one before', () => {
  it('May has no April row to compare with', () => {
    const lines = summary(may);
    expect(lines[0]).toBe('正式客户数 2（上月无记录）');
    expect(lines[1]).toBe('高价值客户占比 50.0%（上月无记录）');
    expect(lines).toHaveLength(5);
    // 投诉数 0 and no resolved ticket: no 按时率 part
    expect(lines[4]).toBe('本月投诉数 0（上月无记录）');
  });

  it('June against May: counts and percentage points as shown', () => {
    const lines = summary(june);
    // 3 − 2 = +1
    expect(lines[0]).toBe('正式客户数 3（上月 2，+1）');
    // 2/3 = 66.7%, 1/2 = 50.0%: 66.7 − 50.0 = +16.7 points
    expect(lines[1]).toBe('高价值客户占比 66.7%（上月 50.0%，+16.7 个百分点）');
    const h = (x: unknown) => (x as number).toFixed(1);
    const nowH = reportFigure(june, '健康度分布', '合计', '平均健康度');
    const mayH = history(may)[1]![3];
    expect(lines[2]).toMatch(new RegExp(`^平均健康度 ${h(nowH)}（上月 ${h(mayH)}，`));
    expect(lines[3]).toMatch(/^风险客户数 \d+（上月 \d+，(持平|[+-]\d+)）$/);
    // 1 − 0 = +1; May had no resolved ticket, so no 按时率 to compare
    expect(lines[4]).toBe('本月投诉数 1（上月 0，+1），按时率 100.0%（上月无数据）');
  });

  it('the tables follow the 摘要 after a blank row', () => {
    const grid = june.get('报表')!.grid;
    const first = grid.findIndex((r) => r?.[0] === '客户分层分布');
    expect(first).toBe(7); // 摘要 title, 5 sentences, blank row
    expect(grid[first - 1] ?? []).toEqual([]);
  });
});
