/**
 * The customers list and the customer page in headless Chromium, against `crm-sync
 * serve` on a real sample workbook: search, filters, one customer's page with its health
 * breakdown, tier rows and timeline; screenshots at 1280 and 390 px wide.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Running } from '../../sync-server/cli/commands/serve.ts';
import { launchChromium } from '../forms/browser.ts';

const SHOTS = join(process.cwd(), 'test-output', 'screenshots');
const TOKEN = 'customers-page-token-0123456789';
const T = { Authorization: `Bearer ${TOKEN}` };

let dir: string;
let running: Running;
let browser: Browser;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-customers-'));
  await mkdir(SHOTS, { recursive: true });
  running = await serve({
    workbook: join(dir, 'crm.xlsx'),
    port: 0,
    host: '127.0.0.1',
    sampleIfMissing: 80,
    token: TOKEN,
    user: '李明',
    log: () => undefined,
  });
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

interface ListRow {
  id: string;
  name: string;
  phone: string;
  owner: string;
  status: string;
}
const list = async (query: string): Promise<{ total: number; rows: ListRow[] }> =>
  (await fetch(`${running.url}/api/customer-list?${query}`, { headers: T })).json() as Promise<{
    total: number;
    rows: ListRow[];
  }>;

async function openAt(width: number, path: string): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width, height: 900 },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('close', () => expect(errors).toEqual([]));
  await page.goto(`${running.url}${path}#token=${TOKEN}`);
  return page;
}

describe('customers list and customer page', { timeout: 120_000 }, () => {
  it('answers the list API only with the token, and finds by ID, folded name, owner and phone digits', async () => {
    expect((await fetch(`${running.url}/api/customer-list`)).status).toBe(401);
    const all = await list('limit=500');
    expect(all.total).toBeGreaterThan(50);
    const c = all.rows.find((r) => r.phone.length >= 8 && r.name.endsWith('有限公司'))!;
    expect((await list(`q=${c.id.toLowerCase()}`)).rows[0]!.id).toBe(c.id);
    const digits = c.phone.slice(3, 8);
    expect((await list(`q=${digits}`)).rows.map((r) => r.id)).toContain(c.id);
    // Full-width brackets and another company-form suffix still find it.
    const folded = c.name.replace(/有限公司$/, '（有限责任公司）');
    expect((await list(`q=${encodeURIComponent(folded)}`)).rows.map((r) => r.id)).toContain(c.id);
    const byOwner = await list(`owner=${encodeURIComponent(c.owner)}&limit=500`);
    expect(byOwner.rows.every((r) => r.owner === c.owner)).toBe(true);
    expect(byOwner.rows.map((r) => r.id)).toContain(c.id);
    const bad = await fetch(`${running.url}/api/customer-list?limit=abc`, { headers: T });
    expect(bad.status).toBe(400);
    const missing = await fetch(`${running.url}/api/customer-360/E19990001`, { headers: T });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { message: string } }).error.message).toMatch(
      /没有客户 E19990001/,
    );
  });

  for (const width of [1280, 390]) {
    it(`lists, filters and opens a customer at ${width} px`, async () => {
      const page = await openAt(width, '/customers');
      await page.locator('.customer-row').first().waitFor();
      expect(page.url()).toBe(`${running.url}/customers`);
      await page.screenshot({ path: join(SHOTS, `customers-list-${width}.png`), fullPage: false });

      await page.locator('select[data-filter="status"]').selectOption('正式');
      await expect
        .poll(() => page.locator('.customer-row .line2').first().textContent())
        .toMatch(/^正式/);
      const first = page.locator('.customer-row').first();
      const id = (await first.getAttribute('data-id'))!;
      await first.click();
      await page.locator('.customer-head h1').waitFor();
      expect(await page.locator('.customer-head').textContent()).toContain(id);
      const health = page.locator('section:has(h2:text-is("健康度"))');
      await expect.poll(() => health.locator('table tr').count()).toBe(5);
      expect(await health.textContent()).toMatch(/A 活跃度.*近3月互动 \d+ 次/);
      expect(await page.locator('section:has(h2:text-is("客户分层"))').textContent()).toMatch(
        /满足/,
      );
      const orders = page.locator('.timeline li[data-kind="订单"]');
      expect(await orders.count()).toBeGreaterThan(0);
      await page.screenshot({ path: join(SHOTS, `customer-360-${width}.png`), fullPage: true });

      await page.getByRole('link', { name: '客户列表' }).click();
      await page.locator('.customer-row').first().waitFor();
      await page.context().close();
    });
  }
});
