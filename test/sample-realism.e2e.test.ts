/**
 * The workbook a newcomer meets: what `npm start` creates (200 sample customers, now),
 * after its first sync. A team that mostly keeps its schedule: few overdue callbacks and
 * none very old, few tickets past their SLA, and every state a demo should show.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../sheets-templates/tabs.ts';
import * as V from '../sheets-templates/values.ts';
import { serve } from '../sync-server/cli/commands/serve.ts';
import { readTabs, type TabView } from './helpers/workbook.ts';

let dir: string;
let tabs: Map<string, TabView>;
const rows = (tab: string) => [...tabs.get(tab)!.rows.values()];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-sample-'));
  const file = join(dir, 'data', 'crm.xlsx');
  // What `npm start` does on a fresh clone: the sample workbook, then its first sync.
  const running = await serve({
    workbook: file,
    port: 0,
    host: '127.0.0.1',
    sampleIfMissing: 200,
    user: '本机',
    log: () => undefined,
    syncDebounceMs: 3_600_000,
  });
  await running.close();
  tabs = await readTabs(file);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const share = (part: number, whole: number) => (whole === 0 ? 0 : part / whole);

describe('the sample workbook of npm start', () => {
  it('has few overdue callbacks, none older than 60 days', () => {
    const plan = rows(T.CALLBACK_PLAN.name);
    expect(plan.length).toBeGreaterThan(100);
    const overdue = plan.filter((r) => r['状态'] === '逾期');
    const ratio = share(overdue.length, plan.length);
    console.log(
      `回访计划: ${overdue.length} of ${plan.length} overdue (${(ratio * 100).toFixed(1)}%)`,
    );
    expect(ratio).toBeLessThanOrEqual(0.15);
    expect(overdue.length).toBeGreaterThan(0); // a demo shows what overdue looks like
    for (const r of overdue) expect(r['逾期天数'] as number).toBeLessThanOrEqual(60);
  });

  it('has few tickets past their SLA, and no open ticket over a month past it', () => {
    const tickets = rows(T.TICKETS.name);
    const late = tickets.filter((r) => r['SLA状态'] === '超时');
    const ratio = share(late.length, tickets.length);
    console.log(`工单: ${late.length} of ${tickets.length} 超时 (${(ratio * 100).toFixed(1)}%)`);
    expect(ratio).toBeLessThanOrEqual(0.15);
    expect(late.length).toBeGreaterThan(0);
    // An open ticket is at most a month past its 解决时限 (two days at most): 32 days old.
    const today = Date.now() / 86_400_000 + 25_569; // as a spreadsheet serial
    const open = tickets.filter((r) => r['状态'] === '新建' || r['状态'] === '处理中');
    expect(open.length).toBeGreaterThan(0);
    for (const r of open) expect(today - (r['创建时间'] as number)).toBeLessThanOrEqual(32);
  });

  it('shows every tier, every 健康等级 (新客户 too), a 流失挽回 and a sent-back visit', () => {
    const customers = rows(T.CUSTOMERS.name);
    const tiers = new Set(customers.map((r) => r['客户分层']));
    for (const rule of T.TIER_RULES.defaultRows!) expect(tiers).toContain(rule[1]);
    expect(tiers).toContain('普通客户');
    const levels = new Set(customers.map((r) => r['健康等级']));
    for (const level of V.HEALTH_LEVELS) expect(levels).toContain(level);
    const kinds = new Set(rows(T.CALLBACK_PLAN.name).map((r) => r['回访类型']));
    expect(kinds).toContain('流失挽回');
    const statuses = new Set(customers.map((r) => r['客户状态']));
    for (const status of V.CUSTOMER_STATUSES) expect(statuses).toContain(status);
    const sentBack = rows(T.VISITS.name).filter((r) => r['审核结果'] === '退回');
    expect(sentBack.length).toBeGreaterThan(0);
    for (const r of sentBack) expect(r['审核意见']).toBeTruthy();
  });

  it('has no data problem worse than a 警告', () => {
    expect(rows(T.DATA_PROBLEMS.name).filter((r) => r['级别'] === '错误')).toEqual([]);
  });
});
