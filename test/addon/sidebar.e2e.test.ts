/**
 * A sidebar page from addon/dist in headless Chromium, with a google.script.run
 * stand-in that calls the bundle's real RPC functions in the vm, on the fake spreadsheet.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { byLabel, fieldError, launchChromium, standInScriptRun } from '../forms/browser.ts';
import { fakeAppsScript, loadBundle } from './fakes/services.ts';
import { built, type Built } from './build.ts';
import { env } from './env.ts';

const ORIGIN = 'https://sheets.test';

let build: Built;
let browser: Browser;

beforeAll(async () => {
  [build, browser] = await Promise.all([built(), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('a sidebar from addon/dist', { timeout: 60_000 }, () => {
  it('creates a ticket through google.script.run and the bundle', async () => {
    const gas = fakeAppsScript({ dist: build.dir, whitelist: build.manifest.urlFetchWhitelist });
    const ctx = loadBundle(build.code, gas.globals);
    const call = (name: string, ...args: unknown[]) =>
      (ctx[name] as (...a: unknown[]) => unknown)(...args);
    call('initWorkbook');
    expect(
      call('submitForm', 'new-customer', {
        kind: '企业',
        name: '宁波海川贸易有限公司',
        contact: '陈静',
        phone: '0574-88886666',
        industry: '零售',
        source: '展会推广',
        status: '正式',
        owner: '李明',
        createdDate: '2024-03-01',
        signedDate: '2024-04-01',
      }),
    ).toMatchObject({ ok: true, id: 'E20240001' });

    const html = await readFile(join(build.dir, 'new-ticket.html'), 'utf8');
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.route(`${ORIGIN}/**`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }),
    );

    const calls: string[] = [];
    await standInScriptRun(page, (name, args) => {
      calls.push(name);
      return call(name, ...args);
    });

    try {
      await page.goto(`${ORIGIN}/new-ticket`);
      await page.locator('form').waitFor();
      await byLabel(page, '客户编号').fill('海川');
      await page.getByRole('option', { name: /宁波海川贸易有限公司/ }).click();
      await byLabel(page, '工单类型').selectOption('产品质量');
      // Filled from 工单路由 as seeded by 初始化表格.
      expect(await byLabel(page, '处理部门').inputValue()).toBe('技术部');
      await byLabel(page, '问题描述').fill('包装破损');
      await page.getByRole('button', { name: '创建工单' }).click();
      await expect.poll(() => page.locator('.status').textContent()).toMatch(/需要修改/);
      expect(await fieldError(page, 'urgency')).toBe('“紧急程度”必填');
      expect(calls).not.toContain('submitForm');

      await byLabel(page, '紧急程度').selectOption('高');
      await page.getByRole('button', { name: '创建工单' }).click();
      await expect.poll(() => page.locator('.new-id').textContent()).toMatch(/^T\d{4}0001$/);
      const id = await page.locator('.new-id').textContent();

      expect(calls).toEqual(
        expect.arrayContaining(['formOptions', 'searchCustomers', 'submitForm']),
      );
      expect(requests.every((u) => u.startsWith(ORIGIN))).toBe(true);
      expect(errors).toEqual([]);
      expect(gas.ss.sheet('工单').records()).toEqual([
        expect.objectContaining({
          工单编号: id,
          客户编号: 'E20240001',
          工单类型: '产品质量',
          问题描述: '包装破损',
          紧急程度: '高',
          处理部门: '技术部',
          状态: '新建',
        }),
      ]);
    } finally {
      await context.close();
    }
  });

  it('follows a sync in the 立即同步 dialog until it is done', async () => {
    const e = env(build);
    e.service.steps = 2;
    e.call('syncNow');
    expect(e.ui.dialogs.map((d) => d.page.file)).toEqual(['sync-status']);
    const html = await readFile(join(build.dir, 'sync-status.html'), 'utf8');
    const context = await browser.newContext({ locale: 'zh-CN' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.route(`${ORIGIN}/**`, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }),
    );
    const calls: string[] = [];
    await standInScriptRun(page, (name, args) => {
      calls.push(name);
      return e.call(name, ...args);
    });
    try {
      await page.clock.install();
      await page.goto(`${ORIGIN}/sync-status`);
      const status = page.getByRole('status');
      await expect.poll(() => status.textContent()).toMatch(/排队/);
      // One look every few seconds, each its own short call.
      for (let i = 0; i < 5 && !/同步完成/.test((await status.textContent()) ?? ''); i++)
        await page.clock.runFor(3_000);
      await expect.poll(() => status.textContent()).toMatch(/^同步完成：读取 42 行/);
      expect(await page.getByRole('button').textContent()).toBe('关闭');
      expect(calls).toEqual(['syncStatus', 'syncStatus', 'syncStatus']);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('says up front when Apps Script does not give the email of the person', async () => {
    const e = env(build);
    e.call('initWorkbook');
    e.user.email = '';
    const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await standInScriptRun(page, (name, args) => e.call(name, ...args));
    try {
      for (const [form, text] of [
        ['review-visit', /无法记录审核人/],
        ['follow-up', /请手动填写“跟进人”/],
      ] as const) {
        const html = await readFile(join(build.dir, `${form}.html`), 'utf8');
        await page.route(`${ORIGIN}/${form}`, (route) =>
          route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }),
        );
        await page.goto(`${ORIGIN}/${form}`);
        await expect.poll(() => page.getByRole('note').textContent()).toMatch(text);
      }
    } finally {
      await context.close();
    }
  });
});
