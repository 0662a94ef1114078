import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER } from '../helpers/customer.ts';
import { cli, readTabs, writeWorkbook, type TabView } from '../helpers/workbook.ts';

// Workbook in, workbook out: now = 2024-06-14 10:00; the 12 months are 2023-06-15 … 2024-06-14.
const NOW = '2024-06-14T10:00';
let dir: string;
let grid: TabView['grid'];
let secondWritten: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-analysis-'));
  const file = join(dir, 'crm.xlsx');
  await writeWorkbook(file, {
    customers: [
      { ...CUSTOMER, region: '华东' },
      {
        ...CUSTOMER,
        customerId: 'E20240002',
        name: '宁波海达贸易',
        phone: '13700002222',
        region: '华南',
        industry: '零售',
      },
      {
        ...CUSTOMER,
        customerId: 'E20240003',
        name: '苏州恒通',
        phone: '13600003333',
        region: '华东',
        status: '流失',
      },
    ],
    orders: [
      {
        customerId: 'E20240001',
        orderDate: '2024-05-01',
        product: '云服务',
        quantity: 2,
        amount: '600.10',
      },
      { customerId: 'E20240001', orderDate: '2024-02-01', product: '硬件', amount: '0.2' },
      { customerId: 'E20240002', orderDate: '2024-06-01', amount: '0.1' },
      { customerId: 'E20240003', orderDate: '2024-06-01', product: '硬件', amount: 900 }, // 流失: out
    ],
    experienceSurveys: [
      { customerId: 'E20240001', date: '2024-06-01', overall: 4, product: 5, recommend: 9 },
      { customerId: 'E20240001', date: '2024-03-01', overall: 5, service: 4, recommend: 3 },
      { customerId: 'E20240002', date: '2024-05-20', overall: 3, delivery: 2, recommend: 10 },
      { customerId: 'E20240002', date: '2023-06-14', overall: 1, recommend: 0 }, // 12 months ago: out
    ],
    tickets: [
      {
        customerId: 'E20240001',
        type: '产品质量',
        description: '外壳开裂',
        urgency: '中',
        createdAt: '2024-06-03 09:00',
        respondedAt: '2024-06-03 10:30',
        resolvedAt: '2024-06-03 17:00',
        status: '已解决',
        satisfaction: 4,
      },
      {
        customerId: 'E20240002',
        type: '产品质量',
        description: '缺货',
        urgency: '中',
        createdAt: '2024-06-10 09:00',
        status: '新建',
      },
    ],
    config: {
      服务目标: [
        ['按时率', 0.95],
        ['平均满意度', 4.5],
        ['重复投诉率', 0.05],
        ['平均响应时长', 2],
        ['首次解决率', 90],
      ],
    },
  });
  const first = await cli(['sync', file, '--now', NOW, '--json']);
  expect(first.code).toBe(0);
  grid = (await readTabs(file)).get('销售分析')!.grid;
  const second = await cli(['sync', file, '--now', NOW, '--json']);
  secondWritten = (JSON.parse(second.stdout) as { cellsWritten: number }).cellsWritten;
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The rows of one titled table: from its header row to the blank row after it. */
function tableOf(title: string): unknown[][] {
  const start = grid.findIndex((r) => r?.[0] === title);
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: unknown[][] = [];
  for (let r = start + 1; r < grid.length && grid[r]?.length; r++) rows.push(grid[r]!);
  return rows;
}

describe('销售分析 in the synced workbook', () => {
  it('客户分布 and 区域销售: 正式 and 潜在 customers by 区域, money exact', () => {
    // E1 华东 (600.10 + 0.20 = 600.30), E2 华南 (0.10); E3 is 流失.
    expect(tableOf('客户分布')).toEqual([
      ['区域', '客户数', '占比'],
      ['华东', 1, 0.5],
      ['华南', 1, 0.5],
      ['合计', 2, 1],
    ]);
    // 销售额占比 600.30 / 600.40 and 0.10 / 600.40; 户均 = 销售额 ÷ 1.
    expect(tableOf('区域销售')).toEqual([
      ['区域', '客户数', '客户占比', '近12月销售额(元)', '销售额占比', '户均销售额(元)'],
      ['华东', 1, 0.5, 600.3, 60030 / 60040, 600.3],
      ['华南', 1, 0.5, 0.1, 10 / 60040, 0.1],
      ['合计', 2, 1, 600.4, 1, 300.2],
    ]);
  });

  it('产品销售: a blank 数量 is 1 and a blank 产品 is 其他', () => {
    // 云服务 1 order of 2; 硬件 1 order of 1 (E3's 900 is out); 其他 E2's 0.10.
    expect(tableOf('产品销售')).toEqual([
      ['产品', '订单数', '销售数量', '销售额(元)', '销售额占比'],
      ['云服务', 1, 2, 600.1, 60010 / 60040],
      ['其他', 1, 1, 0.1, 10 / 60040],
      ['硬件', 1, 1, 0.2, 20 / 60040],
      ['合计', 3, 4, 600.4, 1],
    ]);
  });

  it('客户销售分析: customers by 近12月金额 across products by 销售额', () => {
    expect(tableOf('客户销售分析')).toEqual([
      ['客户编号', '客户名称', '云服务', '硬件', '其他', '合计'],
      ['E20240001', '杭州云帆科技有限公司', 600.1, 0.2, 0, 600.3],
      ['E20240002', '宁波海达贸易', 0, 0, 0.1, 0.1],
      ['合计', null, 600.1, 0.2, 0.1, 600.4],
    ]);
  });

  it('客户价值: the 正式 customers’ 客户价值 by tier, in the tiers’ order, to the fen', () => {
    // 客户价值 = 近12月金额 × 30% × 3: E1 600.30 × 0.9 = 540.27, E2 0.10 × 0.9 = 0.09;
    // both 普通客户 (under 100000 and 5 orders). 540.36 ÷ 2 = 270.18.
    expect(tableOf('客户价值')).toEqual([
      ['客户分层', '客户数', '客户价值合计(元)', '平均客户价值(元)'],
      ['高价值客户', 0, 0], // a blank mean: the cell is empty
      ['活跃客户', 0, 0], // a blank mean: the cell is empty
      ['潜力客户', 0, 0], // a blank mean: the cell is empty
      ['普通客户', 2, 540.36, 270.18],
      ['合计', 2, 540.36, 270.18],
    ]);
  });

  it('问卷汇总: the 12 months’ 体验问卷 by 所属行业, means and NPS', () => {
    // 信息技术 (E1): 2 问卷, 整体 (4+5)/2 = 4.5, 产品 5, 服务 4; 推荐 9 and 3 → (1−1)/2 = 0
    // 零售 (E2): 1 问卷 (the 2023-06-14 one is 12 months ago), 整体 3, 交付 2; 推荐 10 → 100
    // 合计: 整体 12/3 = 4; 推荐 9, 3, 10 → (2−1)/3 × 100 = 33.3
    expect(tableOf('问卷汇总')).toEqual([
      ['所属行业', '问卷数', '整体满意度', '产品满意度', '服务满意度', '交付满意度', 'NPS'],
      ['信息技术', 2, 4.5, 5, 4, null, 0],
      ['零售', 1, 3, null, null, 2, 100],
      ['合计', 3, 4, 5, 4, 2, 33.3],
    ]);
  });

  it('目标达成: each 服务目标 row against 服务指标 of the last 30 days', () => {
    // 30 days (05-16 … 06-14): 2 tickets; 1 resolved, in 8 h (按时), 满意度 4, answered in
    // 1.5 h, no later ticket of E1 → 按时率 1, 首次解决率 1; no repeat → 重复投诉率 0.
    // 90 typed as a percent reads 0.9.
    expect(tableOf('目标达成')).toEqual([
      ['指标', '目标值', '实际', '达成'],
      ['按时率', 0.95, 1, '是'],
      ['平均满意度', 4.5, 4, '否'],
      ['重复投诉率', 0.05, 0, '是'],
      ['平均响应时长(小时)', 2, 1.5, '是'],
      ['首次解决率', 0.9, 1, '是'],
    ]);
  });

  it('rewrites nothing on a second sync of unchanged data but the log row', () => {
    // the 同步日志 row only: 9 cells
    expect(secondWritten).toBe(9);
  });
});
