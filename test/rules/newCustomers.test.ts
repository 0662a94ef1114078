/**
 * 新客户观察期 (docs/rules.md#new-customers-新客户观察期), workbook in, workbook out:
 * three customers without any history, signed 0, 89 and 90 days before the sync.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER } from '../helpers/customer.ts';
import { cli, readTabs, writeWorkbook, type TabView } from '../helpers/workbook.ts';

const NOW = '2026-11-20T10:00';
const SIGNED = {
  day0: '2026-11-20',
  day89: '2026-08-23',
  day90: '2026-08-22',
};

let dir: string;
let tabs: Map<string, TabView>;

const customer = (id: string, name: string, phone: string, signedDate: string) => ({
  ...CUSTOMER,
  customerId: id,
  name,
  phone,
  createdDate: signedDate,
  signedDate,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-new-customers-'));
  const file = join(dir, 'crm.xlsx');
  await writeWorkbook(file, {
    customers: [
      customer('E20260001', '上海瑞丰精密机械有限公司', '13800000001', SIGNED.day0),
      customer('E20260002', '苏州恒通物流有限公司', '13800000002', SIGNED.day89),
      customer('E20260003', '南京启明软件有限公司', '13800000003', SIGNED.day90),
    ],
  });
  const run = await cli(['sync', file, '--now', NOW, '--json']);
  expect(run.code).toBe(0);
  tabs = await readTabs(file);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const row = (id: string) => [...tabs.get('客户')!.rows.values()].find((r) => r['客户编号'] === id)!;

function healthReport(): Map<string, (string | number | null)[]> {
  const grid = tabs.get('报表')!.grid;
  const start = grid.findIndex((r) => r?.[0] === '健康度分布');
  const out = new Map<string, (string | number | null)[]>();
  for (const r of grid.slice(start + 2)) {
    if (!r || r[0] === null || r[0] === undefined) break;
    out.set(String(r[0]), [1, 2, 3].map((i) => r[i] ?? null) as (string | number | null)[]);
    if (r[0] === '合计') break;
  }
  return out;
}

describe('新客户观察期 at day 0, day 89 and day 90 after 签约日期', () => {
  it('keeps the score but shows 新客户 on day 0 and day 89, with no 健康度风险 and no 流失挽回', () => {
    for (const id of ['E20260001', 'E20260002']) {
      const c = row(id);
      // No orders, follow-ups or visits: A 0, R 0, S 100 (nothing due), C 100 → 40.
      expect(c['健康度']).toBe(40);
      expect(c['健康等级']).toBe('新客户');
      expect(String(c['流失预警'] ?? '')).not.toContain('健康度风险');
      expect(c['回访类型']).not.toBe('流失挽回');
    }
  });

  it('judges the customer like any other on day 90', () => {
    const c = row('E20260003');
    expect(c['健康度']).toBe(40);
    expect(c['健康等级']).toBe('风险');
    expect(String(c['流失预警'])).toContain('健康度风险');
  });

  it('counts new customers apart in 健康度分布 and leaves them out of the average', () => {
    const report = healthReport();
    expect(report.get('新客户')).toEqual([2, 2 / 3, null]);
    expect(report.get('风险')).toEqual([1, 1 / 3, 40]);
    expect(report.get('合计')?.slice(0, 1)).toEqual([3]);
    expect(report.get('合计')?.[2]).toBe(40);
  });
});
