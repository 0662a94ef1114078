/**
 * The form pages in headless Chromium against the real app over HTTP: typing, the
 * shared checks in the page, the pickers, the server's answers; then the same page
 * with a google.script.run stand-in instead of the local service.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import * as T from '../../sheets-templates/tabs.ts';
import { formOptions } from '../../shared/forms/api.ts';
import { formByKey } from '../../shared/forms/definitions.ts';
import { searchCustomers } from '../../shared/forms/pickers.ts';
import { applySubmission, workbookNow } from '../../shared/forms/submit.ts';
import type { MemoryStore } from '../helpers/memoryStore.ts';
import {
  byLabel,
  fieldError,
  launchChromium,
  openPage,
  standInScriptRun,
  type OpenPage,
} from './browser.ts';
import { NOW_MS, sampleStore } from './fixture.ts';
import { startApp, TOKEN, type RunningApp } from './server.ts';

let browser: Browser;
let store: MemoryStore;
let app: RunningApp;
let tab: OpenPage;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await tab?.close();
  await app?.close();
  // A 422 is logged by the browser as a failed resource; anything else is a bug in the page.
  expect(tab?.errors.filter((e) => !e.startsWith('Failed to load resource')) ?? []).toEqual([]);
});

async function open(path: string): Promise<OpenPage> {
  store = sampleStore();
  app = await startApp(store);
  tab = await openPage(browser);
  await tab.page.goto(`${app.url}${path}`);
  await tab.page.locator('form').waitFor();
  return tab;
}

const posts = (t: OpenPage) => t.requests.filter((r) => r.method === 'POST');

describe('form pages in Chromium', { timeout: 60_000 }, () => {
  it('takes the token from the link, keeps it for the tab and clears it from the address bar', async () => {
    const { page } = await open(`/forms/new-customer#token=${TOKEN}`);
    expect(page.url()).toBe(`${app.url}/forms/new-customer`);
    expect(await page.evaluate(() => sessionStorage.getItem('crm-sync-token'))).toBe(TOKEN);
    await expect(page.locator('h1').textContent()).resolves.toBe('新建客户');
    // 负责人 and 建档日期 start filled in, 客户等级 with its default.
    expect(await byLabel(page, '负责人').inputValue()).toBe('李明');
    expect(await byLabel(page, '建档日期').inputValue()).toBe('2024-06-15');
    expect(await byLabel(page, '客户等级').inputValue()).toBe('普通客户');
  });

  it('shows a zh-CN message as the person types, refuses to submit, then saves a good customer', async () => {
    const t = await open(`/forms/new-customer#token=${TOKEN}`);
    const { page } = t;
    const email = byLabel(page, '邮箱');
    await email.fill('abc');
    await expect
      .poll(() => fieldError(page, 'email'))
      .toBe('“邮箱”应为邮箱地址，如 name@example.com');
    expect(await email.getAttribute('aria-invalid')).toBe('true');

    await page.getByRole('button', { name: '创建客户' }).click();
    await expect.poll(() => page.locator('.status').textContent()).toMatch(/^有 \d+ 项需要修改/);
    expect(await fieldError(page, 'name')).toBe('“客户名称”必填');
    expect(posts(t)).toEqual([]);

    await byLabel(page, '客户类型').selectOption('企业');
    await byLabel(page, '客户名称').fill('上海星河物流有限公司');
    await byLabel(page, '联系人').fill('陈静');
    await byLabel(page, '联系电话').fill('021-66668888');
    await email.fill('chen@xinghe.example.com');
    await byLabel(page, '所属行业').selectOption('物流');
    await byLabel(page, '客户来源').selectOption('展会推广');
    await byLabel(page, '客户状态').selectOption('潜在');
    await byLabel(page, '意向等级').selectOption('B');
    await byLabel(page, '备注').fill('=1+1');
    expect(await fieldError(page, 'email')).toBe('');
    await page.getByRole('button', { name: '创建客户' }).click();

    await expect.poll(() => page.locator('.new-id').textContent()).toBe('E20240008');
    expect(posts(t)).toHaveLength(1);
    expect(store.records(T.CUSTOMERS.name).at(-1)).toMatchObject({
      客户编号: 'E20240008',
      客户名称: '上海星河物流有限公司',
      负责人: '李明',
      备注: '=1+1',
    });
  });

  it('picks a customer by searching and saves a follow-up', async () => {
    const { page } = await open(`/forms/follow-up?token=${TOKEN}`);
    expect(page.url()).toBe(`${app.url}/forms/follow-up`);
    const picker = byLabel(page, '客户编号');
    await picker.fill('云帆');
    const option = page.getByRole('option', { name: /杭州云帆科技有限公司（E20240001）/ });
    await option.click();
    expect(await picker.inputValue()).toBe('杭州云帆科技有限公司（E20240001）');
    await byLabel(page, '跟进方式').selectOption('电话');
    await byLabel(page, '沟通内容').fill('确认续约意向');
    await page.getByRole('button', { name: '保存跟进' }).click();
    await expect.poll(() => page.locator('.new-id').textContent()).toBe('G20240001');
    expect(store.records(T.FOLLOW_UPS.name)[0]).toMatchObject({
      客户编号: 'E20240001',
      跟进人: '李明',
      沟通内容: '确认续约意向',
    });
  });

  it('asks for a choice when text was typed into the picker but nothing picked', async () => {
    const t = await open(`/forms/follow-up#token=${TOKEN}`);
    await byLabel(t.page, '客户编号').fill('E2024');
    await byLabel(t.page, '沟通内容').focus();
    await t.page.getByRole('button', { name: '保存跟进' }).click();
    await expect.poll(() => fieldError(t.page, 'customerId')).toBe('请从搜索结果中选择客户');
    expect(posts(t)).toEqual([]);
  });

  it('shows the server’s refusal next to the field it is about', async () => {
    const t = await open(`/forms/sign-contract#token=${TOKEN}`);
    const { page } = t;
    await byLabel(page, '客户编号').click();
    await page.getByRole('option', { name: /张伟（P20240003）/ }).click();
    await expect.poll(() => page.locator('.summary').textContent()).toContain('张伟');
    expect(await byLabel(page, '签约日期').inputValue()).toBe('2024-06-15');
    // Someone signs the customer in the sheet meanwhile.
    const grid = store.tabs.get(T.CUSTOMERS.name)!;
    grid[2]![grid[0]!.indexOf('客户状态')] = '正式';
    await page.getByRole('button', { name: '确认签约' }).click();
    await expect.poll(() => fieldError(page, 'customerId')).toMatch(/不再是潜在客户/);
    expect(posts(t)).toHaveLength(1);
    expect(store.cellWrites).toEqual([]);
  });

  it('reviews a pending visit picked from the list', async () => {
    const { page } = await open(`/forms/review-visit#token=${TOKEN}`);
    await byLabel(page, '回访编号').click();
    await page.getByRole('option', { name: /V20240001/ }).click();
    await byLabel(page, '审核意见').fill('同意');
    await page.getByRole('button', { name: '提交审核' }).click();
    await expect.poll(() => page.locator('.new-id').textContent()).toBe('V20240001');
    expect(store.records(T.VISITS.name)[0]).toMatchObject({
      审核人: '李明',
      审核意见: '同意',
      审核结果: '通过',
    });
  });

  it('sends a page opened without a token or session to sign in, saying why', async () => {
    store = sampleStore();
    app = await startApp(store);
    tab = await openPage(browser);
    await tab.page.goto(`${app.url}/forms/new-customer`);
    await tab.page.waitForURL(/\/login\?next=%2Fforms%2Fnew-customer&why=required$/);
    expect(store.cellWrites).toEqual([]);
  });

  it('lists the forms and carries the token to them', async () => {
    store = sampleStore();
    app = await startApp(store);
    tab = await openPage(browser);
    await tab.page.goto(`${app.url}/forms#token=${TOKEN}`);
    await tab.page.getByRole('link', { name: '新建工单' }).click();
    await tab.page.locator('form').waitFor();
    await byLabel(tab.page, '工单类型').selectOption('产品质量');
    expect(await byLabel(tab.page, '处理部门').inputValue()).toBe('质量部');
  });
});

describe('the same page inside Google Sheets', { timeout: 60_000 }, () => {
  it('talks to google.script.run instead of the local service', async () => {
    store = sampleStore();
    app = await startApp(store);
    tab = await openPage(browser);
    const { page } = tab;
    const calls: string[] = [];
    const user = 'gas-user@example.com';
    // What the add-on's server functions do, on the store, with the shared code.
    await standInScriptRun(page, async (name, args) => {
      calls.push(name);
      const { input } = await store.read();
      if (name === 'formOptions')
        return formOptions(formByKey(String(args[0]))!, input, { user }, String(args[1] ?? ''));
      if (name === 'searchCustomers') return searchCustomers(input, String(args[0]));
      if (name === 'submitForm')
        return store.exclusive(async () => {
          const { input: fresh } = await store.read();
          const now = workbookNow(fresh, NOW_MS);
          const result = applySubmission(String(args[0]), args[1], fresh, { now, user });
          if (!result.ok) return result;
          await store.writeCells(result.cells);
          return { ok: true, id: result.id, row: result.row };
        });
      throw new Error(`no server function ${name}`);
    });

    await page.goto(`${app.url}/forms/new-ticket`);
    await page.locator('form').waitFor();
    const picker = byLabel(page, '客户编号');
    await picker.fill('海川');
    await page.getByRole('option', { name: /宁波海川贸易有限公司/ }).click();
    await byLabel(page, '工单类型').selectOption('产品质量');
    expect(await byLabel(page, '处理部门').inputValue()).toBe('质量部');
    await byLabel(page, '问题描述').fill('包装破损');
    await page.getByRole('button', { name: '创建工单' }).click();
    await expect.poll(() => page.locator('.status').textContent()).toMatch(/需要修改/);
    expect(await fieldError(page, 'urgency')).toBe('“紧急程度”必填');
    await byLabel(page, '紧急程度').selectOption('高');
    await page.getByRole('button', { name: '创建工单' }).click();
    await expect.poll(() => page.locator('.new-id').textContent()).toBe('T20240003');

    expect(calls).toEqual(expect.arrayContaining(['formOptions', 'searchCustomers', 'submitForm']));
    expect(tab.requests.filter((r) => r.url.includes('/api/'))).toEqual([]);
    expect(store.records(T.TICKETS.name).at(-1)).toMatchObject({
      工单编号: 'T20240003',
      客户编号: 'E20240007',
      处理部门: '质量部',
      状态: '新建',
      紧急程度: '高',
    });
  });
});
