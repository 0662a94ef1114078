import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER } from '../helpers/customer.ts';
import { cli, writeWorkbook } from '../helpers/workbook.ts';

const NOW = '2024-06-14T10:00';
let dir: string;
let file: string;
const digest = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-preview-'));
  file = join(dir, 'crm.xlsx');
  await writeWorkbook(file, {
    customers: [
      // 100000 yuan in the last 12 months → 高价值客户 (was 旧分层)
      { ...CUSTOMER, tier: '旧分层' },
      // no orders → 普通客户, as it already is: no move
      {
        ...CUSTOMER,
        customerId: 'E20240002',
        name: '宁波海达',
        phone: '13700002222',
        tier: '普通客户',
      },
      // a lead with a blank 客户分层 → 潜力客户
      {
        ...CUSTOMER,
        customerId: 'P20240001',
        kind: '个人',
        name: '张三',
        phone: '13900001111',
        status: '潜在',
        intent: 'A',
        signedDate: null,
      },
      // no orders, 旧分层 → 普通客户
      {
        ...CUSTOMER,
        customerId: 'E20240003',
        name: '苏州恒通',
        phone: '13600003333',
        tier: '旧分层',
      },
    ],
    orders: [{ customerId: 'E20240001', orderDate: '2024-05-01', amount: 100000 }],
  });
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('crm-sync preview', () => {
  it('lists who would move from which tier to which, with counts, and writes nothing', async () => {
    const before = await digest(file);
    const run = await cli(['preview', file, '--now', NOW, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      customers: 4,
      moves: [
        { id: 'E20240001', name: '杭州云帆科技有限公司', from: '旧分层', to: '高价值客户' },
        { id: 'E20240003', name: '苏州恒通', from: '旧分层', to: '普通客户' },
        { id: 'P20240001', name: '张三', from: '（空）', to: '潜力客户' },
      ],
      counts: [
        { from: '旧分层', to: '普通客户', count: 1 },
        { from: '旧分层', to: '高价值客户', count: 1 },
        { from: '（空）', to: '潜力客户', count: 1 },
      ],
    });
    expect(await digest(file)).toBe(before);
  });

  it('says it in words without --json', async () => {
    const before = await digest(file);
    const run = await cli(['preview', file, '--now', NOW]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('4 个客户中有 3 个的客户分层会变化');
    expect(run.stdout).toContain('旧分层 → 高价值客户：1 个');
    expect(await digest(file)).toBe(before);
  });

  it('refuses with a Chinese reason when the workbook is missing', async () => {
    const run = await cli(['preview', join(dir, 'nope.xlsx'), '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ moves: [], counts: [] });
  });
});
