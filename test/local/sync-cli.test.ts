import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dayToSerial, daysFromCivil } from '../../shared/calendar.ts';
import { cli, readTabs, writeWorkbook, type TabView } from '../helpers/workbook.ts';
import { EXAMPLE, EXAMPLE_NOW as NOW } from '../helpers/example.ts';

const serial = (y: number, m: number, d: number): number => dayToSerial(daysFromCivil(y, m, d));

let dir: string;
let file: string;
let first: { code: number; stdout: string; stderr: string };
let second: { code: number; stdout: string; stderr: string };
let tabs: Map<string, TabView>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-cli-'));
  file = join(dir, 'crm.xlsx');
  await writeWorkbook(file, EXAMPLE);
  first = await cli(['sync', file, '--now', NOW, '--json']);
  tabs = await readTabs(file);
  second = await cli(['sync', file, '--now', NOW, '--json']);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('crm-sync sync on a workbook (worked example, now = 2024-06-14 10:00)', () => {
  it('prints exactly one JSON summary on stdout and exits 0 although there are data problems', () => {
    expect(first.code).toBe(0);
    const summary = JSON.parse(first.stdout) as Record<string, unknown>;
    expect(Object.keys(summary).sort()).toEqual([
      'cellsWritten',
      'durationMs',
      'errors',
      'result',
      'rowsRead',
      'warnings',
    ]);
    expect(summary).toMatchObject({ result: 'partial', rowsRead: 11, errors: 2 });
    expect(first.stdout.trim().split('\n')).toHaveLength(1);
  });

  it('computes the signed customer by hand', () => {
    // amount: 60000 + 40000 + 5000 + 0.10 = 105000.10 (all within 12 months), 4 orders.
    // A = interactions3m 4 (2 orders + 1 follow-up + 1 approved visit) / 6 → 200/3
    // R = orders6m 2 (05-01, 06-01; 02-01 is 4.5 months back too → 3) / 3 → 100
    // S = on time 3/3 → 100 (未到期 does not count); C = 1 complaint × 25 → 100 − 25 = 75
    // score = (30·200/3 + 30·100 + 20·100 + 20·75) / 100 = (2000 + 3000 + 2000 + 1500) / 100 = 85 → 健康
    const c = tabs.get('客户')!.rows.get(2)!;
    expect(c['近12月金额']).toBe(105000.1);
    expect(c['近12月合作次数']).toBe(4);
    expect(c['健康度']).toBe(85);
    expect(c['健康等级']).toBe('健康');
    expect(c['客户分层']).toBe('高价值客户');
    expect(c['流失预警']).toBeNull();
    // Ticket resolved 2024-06-02 (Sunday) with no visit since → 投诉回访 06-03 (Monday),
    // earlier than the follow-up plan (06-22, a Saturday → 06-24).
    expect(c['下次回访日期']).toBe(serial(2024, 6, 3));
    expect(c['回访类型']).toBe('投诉回访');
  });

  it('schedules the lead and tiers it from the default rules', () => {
    const p = tabs.get('客户')!.rows.get(3)!;
    expect(p).toMatchObject({
      近12月金额: 0,
      近12月合作次数: 0,
      健康度: null,
      客户分层: '潜力客户',
    });
    // First contact of an A lead: created 06-10 + 3 days = 06-13, one day overdue.
    expect(p['下次回访日期']).toBe(serial(2024, 6, 13));
    const plan = tabs.get('回访计划')!.grid;
    expect(plan[0]).toEqual([
      '客户编号',
      '客户名称',
      '联系电话',
      '负责人',
      '计划日期',
      '回访类型',
      '原因',
      '逾期天数',
      '状态',
    ]);
    expect(plan.slice(1).map((r) => [r[0], r[2], r[4], r[5], r[7], r[8]])).toEqual([
      ['E20240001', '138****5678', serial(2024, 6, 3), '投诉回访', 11, '逾期'],
      ['P20240001', '139****1111', serial(2024, 6, 13), '首次联系', 1, '逾期'],
    ]);
  });

  it('leaves the sync cells of a row with an error as they were and reports the error', () => {
    const bad = tabs.get('客户')!.rows.get(4)!;
    expect(bad['客户分层']).toBe('旧分层');
    expect(bad['近12月金额']).toBeNull();
    const problems = [...tabs.get('数据问题')!.rows.values()];
    expect(problems).toContainEqual(
      expect.objectContaining({
        工作表: '客户',
        行号: 4,
        列: '客户来源',
        值: '朋友圈',
        级别: '错误',
      }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({
        工作表: '订单',
        行号: 5,
        列: '客户编号',
        值: 'E20249999',
        级别: '错误',
      }),
    );
  });

  it('assigns an ID to the order that had none, after the largest of its year', () => {
    expect(tabs.get('订单')!.rows.get(6)!['订单编号']).toBe('O20240004');
  });

  it('computes ticket durations and SLA: 69 minutes is 1.2 hours', () => {
    expect(tabs.get('工单')!.rows.get(2)).toMatchObject({
      '响应时长(小时)': 1.2,
      '处理时长(小时)': 24,
      SLA状态: '按时',
    });
  });

  it('writes the reports as numbers and logs the sync', () => {
    const report = tabs.get('报表')!.grid;
    // 摘要 first: its title, five sentences, a blank row; then the tables
    expect(report[0]).toEqual(['摘要']);
    expect(report[1]).toEqual(['正式客户数 1（上月无记录）']);
    expect(report[7]).toEqual(['客户分层分布']);
    const log = [...tabs.get('同步日志')!.rows.values()];
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ 来源: '命令行', 读取行数: 11, 错误数: 2, 结果: '部分成功' });
  });

  it('writes no cell but its log row on a second sync of unchanged data', () => {
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ cellsWritten: 9, errors: 2 });
  });
});

describe('crm-sync sync refusals', () => {
  it('exits non-zero when the workbook cannot be read', async () => {
    const missing = await cli(['sync', join(dir, 'nope.xlsx'), '--json']);
    expect(missing.code).not.toBe(0);
    const usage = await cli(['sync']);
    expect(usage.code).toBe(2);
    const badNow = await cli(['sync', file, '--now', 'tomorrow']);
    expect(badNow.code).toBe(2);
  }, 60_000);
});

describe('a typo in 分层规则', () => {
  it('is reported row by row and leaves every customer’s 客户分层 as it was', async () => {
    const typo = join(dir, 'typo.xlsx');
    const customers = EXAMPLE.customers!.map((c, i) => ({ ...c, tier: i === 0 ? '老分层' : null }));
    await writeWorkbook(typo, {
      ...EXAMPLE,
      customers,
      config: {
        分层规则: [
          [1, '高价值客户', '近12月金额', '>=', 100000],
          [2, '活跃客户', '近12月合做次数', '>=', 5],
          [3, '潜力客户', '客户状态', '=>', '潜在'],
        ],
      },
    });
    const run = await cli(['sync', typo, '--now', NOW, '--json']);
    expect(run.code).toBe(0);
    const after = await readTabs(typo);
    expect(after.get('客户')!.rows.get(2)!['客户分层']).toBe('老分层');
    expect(after.get('客户')!.rows.get(3)!['客户分层']).toBeNull();
    // Everything else is still computed.
    expect(after.get('客户')!.rows.get(2)!['健康度']).toBe(85);
    const problems = [...after.get('数据问题')!.rows.values()].filter(
      (p) => p['工作表'] === '分层规则',
    );
    expect(problems.map((p) => [p['行号'], p['级别']])).toEqual([
      [3, '错误'],
      [4, '错误'],
    ]);
  }, 60_000);
});
