/**
 * Every form as a person sees it, on the workbook `npm start` creates, signed in through
 * the sign-in page: screenshots at 1280 and 390 px wide in test-output/forms/, fields that
 * apply only to some customers shown and hidden as the choices change, the way back on
 * every page, and the sign-in page (never JSON) for `/` without a session.
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORMS } from '../../shared/forms/definitions.ts';
import { serve, type Running } from '../../sync-server/cli/commands/serve.ts';
import { launchChromium } from './browser.ts';

const OUT = join(import.meta.dirname, '..', '..', 'test-output', 'forms');
const WIDTHS = [1280, 390] as const;

let dir: string;
let running: Running;
let browser: Browser;
let admin: { login: string; password: string };

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  dir = await mkdtemp(join(tmpdir(), 'crm-screens-'));
  running = await serve({
    workbook: join(dir, 'data', 'crm.xlsx'),
    port: 0,
    host: '127.0.0.1',
    sampleIfMissing: 200,
    user: '本机',
    log: () => undefined,
    syncDebounceMs: 3_600_000,
    // The sample is made as of this instant, so what the pickers offer (a visit waiting
    // for review is one of few) does not depend on the day the test runs.
    clock: () => Date.parse('2026-11-20T02:00:00Z'),
  });
  admin = running.firstPasswords.find((p) => p.login === 'admin')!;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

async function signedIn(width: number): Promise<Page> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(`${running.url}/login`);
  await page.getByLabel('登录名').fill(admin.login);
  await page.getByLabel('密码').fill(admin.password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '我的待办' }).waitFor();
  return page;
}

/** The whole page as a window that tall shows it (a sticky bar sits at its real bottom). */
async function shot(page: Page, name: string, width: number): Promise<void> {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width, height });
  await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
  await page.setViewportSize({ width, height: 900 });
}

/** Picks the first row a picker offers for `q`. */
async function pick(page: Page, label: RegExp, q: string): Promise<void> {
  const input = page.getByLabel(label);
  await input.click();
  await input.fill(q);
  await page.locator('.picker-list li[role="option"]').first().click();
}

const field = (page: Page, key: string) => page.locator(`[data-field="${key}"]`);

describe('the forms as a person sees them', { timeout: 240_000 }, () => {
  it('`/` without a session opens the sign-in page saying why, not JSON', async () => {
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    await page.goto(`${running.url}/`);
    await page.waitForURL(/\/login\?next=%2F&why=required$/);
    await expect.poll(() => page.locator('#why').textContent()).toBe('请先登录后继续。');
    await page.goto(`${running.url}/forms/new-order`);
    await page.waitForURL(/\/login\?next=%2Fforms%2Fnew-order&why=required$/);
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 700 });
      await shot(page, 'login', width);
    }
    const unknown = await page.goto(`${running.url}/forms/nothing-here`);
    expect(unknown?.status()).toBe(404);
    expect(unknown?.headers()['content-type']).toMatch(/text\/html/);
    await expect.poll(() => page.locator('h1').textContent()).toBe('没有这个页面');
    expect(await page.getByRole('link', { name: '全部表单' }).count()).toBe(1);
    await context.close();
    // Scripts keep their JSON.
    const api = await fetch(`${running.url}/api/worklist`, { headers: { accept: 'text/html' } });
    expect(api.status).toBe(401);
    expect((await api.json()).error.details).toEqual({ signIn: 'required' });
  });

  it('a session that ended sends the page to sign in again, saying so', async () => {
    const page = await signedIn(1280);
    const [cookie] = await page.context().cookies();
    running.team.sessions.end(decodeURIComponent(cookie!.value));
    await page.goto(`${running.url}/forms/follow-up`);
    await page.waitForURL(/why=expired$/);
    await expect
      .poll(() => page.locator('#why').textContent())
      .toBe('登录已过期，请重新登录后继续。');
    await page.context().close();
  });

  for (const width of WIDTHS) {
    it(`every form at ${width} px, with the way back to the list and to 我的待办`, async () => {
      const page = await signedIn(width);
      await shot(page, 'worklist', width);
      await page.getByRole('link', { name: '全部表单' }).click();
      await page.getByRole('heading', { name: '客户管理表单' }).waitFor();
      await shot(page, 'index', width);
      for (const form of FORMS) {
        await page.goto(`${running.url}/forms/${form.key}`);
        await page.locator('form').waitFor();
        const nav = page.getByRole('navigation', { name: '页面导航' });
        expect(await nav.getByRole('link', { name: /全部表单/ }).count()).toBe(1);
        expect(await nav.getByRole('link', { name: '我的待办' }).count()).toBe(1);
        // Nothing said before anything was sent.
        expect(await page.locator('.status').isVisible()).toBe(false);
        if (form.key === 'follow-up') {
          await pick(page, /^客户编号/, '有限公司');
          // The chosen customer shown whole, not cut at the box's edge.
          const card = page.locator('[data-field="customerId"] .picked');
          expect(await card.locator('.picked-label').textContent()).toMatch(/有限公司（E\d+）$/);
          const box = (await card.boundingBox())!;
          expect(box.width).toBeLessThanOrEqual(width);
        }
        if (form.target) {
          await pick(page, new RegExp(`^${form.fields[0]!.label}`), '');
          await page.locator('.summary').waitFor();
        }
        await shot(page, form.key, width);
      }
      await page.context().close();
    });
  }

  it('新建客户 shows only the fields that apply to the customer being typed', async () => {
    const page = await signedIn(1280);
    await page.goto(`${running.url}/forms/new-customer`);
    await page.locator('form').waitFor();
    await page.getByLabel(/^客户类型/).selectOption('个人');
    for (const key of ['creditCode', 'contact', 'contactTitle'])
      expect(await field(page, key).isVisible(), key).toBe(false);
    await page.getByLabel(/^客户状态/).selectOption('潜在');
    for (const key of ['signedDate', 'contractAmount', 'contractEnd'])
      expect(await field(page, key).isVisible(), key).toBe(false);
    expect(await field(page, 'intent').locator('.req').isVisible()).toBe(true);
    const regions = await page.getByLabel(/^区域/).locator('option').allTextContents();
    expect(regions).toEqual(['请选择', '华东', '华南', '华北', '华中', '西南', '西北', '东北']);
    await shot(page, 'new-customer-personal-lead', 1280);
    await page.getByLabel(/^客户类型/).selectOption('企业');
    expect(await field(page, 'contact').isVisible()).toBe(true);
    await page.context().close();
  });

  it('the two satisfaction fields speak one scale', async () => {
    const page = await signedIn(1280);
    await page.goto(`${running.url}/forms/visit-record`);
    await page.locator('form').waitFor();
    const visit = await page
      .getByLabel(/^产品满意度/)
      .locator('option')
      .allTextContents();
    await page.goto(`${running.url}/forms/handle-ticket`);
    await page.locator('form').waitFor();
    const ticket = await page
      .getByLabel(/^满意度/)
      .locator('option')
      .allTextContents();
    expect(visit).toEqual([
      '请选择',
      '5 分 · 好',
      '4 分 · 较好',
      '3 分 · 一般',
      '2 分 · 差',
      '1 分 · 很差',
    ]);
    expect(ticket).toEqual(visit);
    await page.goto(`${running.url}/forms/follow-up`);
    await page.locator('form').waitFor();
    expect(await page.getByLabel(/^下次跟进日期/).count()).toBe(1);
    await page.context().close();
  });
});
