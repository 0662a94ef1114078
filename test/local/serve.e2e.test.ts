/**
 * The local service as `npm start` runs it: a workbook created with sample data, the
 * printed forms link opened in Chromium, a customer saved through the form, and the
 * sync that the form triggers filling in the new row's computed columns.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Running } from '../../sync-server/cli/commands/serve.ts';
import { withFileLock } from '../../sync-server/local/fileLock.ts';
import { byLabel, launchChromium } from '../forms/browser.ts';
import { readTabs } from '../helpers/workbook.ts';

let dir: string;
let running: Running;
let browser: Browser;
const logs: string[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-serve-'));
  running = await serve({
    workbook: join(dir, 'data', 'crm.xlsx'),
    port: 0,
    host: '127.0.0.1',
    sampleIfMissing: 30,
    user: '李明',
    log: (line) => logs.push(line),
  });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('crm-sync start', () => {
  it('creates the workbook with sample data, syncs it once and keeps the token beside it', async () => {
    const file = join(dir, 'data', 'crm.xlsx');
    expect(existsSync(file)).toBe(true);
    expect((await readFile(join(dir, 'data', '.crm-token'), 'utf8')).trim()).toBe(running.token);
    expect(running.formsUrl).toBe(`${running.url}/forms#token=${running.token}`);
    const tabs = await readTabs(file);
    expect(tabs.get('客户')!.rows.size).toBe(30);
    expect(tabs.get('同步日志')!.rows.size).toBe(1);
    expect(logs.some((l) => l.startsWith('同步完成'))).toBe(true);
    const health = await fetch(`${running.url}/healthz`);
    expect(await health.json()).toEqual({ ok: true });
    const status = await fetch(`${running.url}/api/status`, {
      headers: { Authorization: `Bearer ${running.token}` },
    });
    expect((await status.json()).lastSync.result).toBe('success');
  });

  it('runs concurrent sync requests as one run plus one shared follow-up run', async () => {
    const file = join(dir, 'data', 'crm.xlsx');
    const logRows = async () => (await readTabs(file)).get('同步日志')!.rows.size;
    const before = await logRows();
    const sync = () =>
      fetch(`${running.url}/api/sync`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${running.token}` },
      }).then((r) => r.json() as Promise<{ durationMs: number; cellsWritten: number }>);
    // The workbook held meanwhile, so all three arrive while the first run waits for it,
    // however quick a warm sync is.
    const answers = await withFileLock(file, async () => {
      const all = Promise.all([sync(), sync(), sync()]);
      await new Promise((done) => setTimeout(done, 500));
      return { all };
    });
    const [, second, third] = await answers.all;
    // The first ran alone; the two that came while it ran got the same (second) run.
    expect(second).toEqual(third);
    expect((await logRows()) - before).toBe(2);
  });

  it('saves a customer from the form, then the sync fills its computed columns', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    try {
      await page.goto(running.formsUrl.replace('/forms#', '/forms/new-customer#'));
      await page.locator('form').waitFor();
      await byLabel(page, '客户类型').selectOption('企业');
      await byLabel(page, '客户名称').fill('苏州启明光电有限公司');
      await byLabel(page, '联系人').fill('钱进');
      await byLabel(page, '联系电话').fill('1360000');
      await page.getByRole('button', { name: '创建客户' }).click();
      await expect
        .poll(() => page.locator('[data-field="phone"] .error').textContent())
        .toContain('手机号');
      await byLabel(page, '联系电话').fill('13600002222');
      await byLabel(page, '所属行业').selectOption('制造业');
      await byLabel(page, '客户来源').selectOption('展会推广');
      await byLabel(page, '客户状态').selectOption('潜在');
      await byLabel(page, '意向等级').selectOption('A');
      await page.getByRole('button', { name: '创建客户' }).click();
      await expect.poll(() => page.locator('.new-id').textContent()).toMatch(/^E\d{8}$/);
      const id = (await page.locator('.new-id').textContent())!;
      const file = join(dir, 'data', 'crm.xlsx');
      const row = async () =>
        [...(await readTabs(file)).get('客户')!.rows.values()].find((r) => r['客户编号'] === id);
      // The token acts as the sample workbook's 管理员, who becomes the new customer's 负责人.
      expect(await row()).toMatchObject({ 客户名称: '苏州启明光电有限公司', 负责人: '系统管理员' });
      // The form asked for a sync; once it ran the new row has its computed columns.
      await expect
        .poll(async () => (await row())?.['客户分层'], { timeout: 30_000, interval: 250 })
        .toBe('潜力客户');
      expect(await row()).toMatchObject({ 近12月金额: 0, 近12月合作次数: 0, 回访类型: '首次联系' });
      const log = [...(await readTabs(file)).get('同步日志')!.rows.values()];
      expect(log.at(-1)).toMatchObject({ 来源: '表单' });
    } finally {
      await context.close();
    }
  });
});
