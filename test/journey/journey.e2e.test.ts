/**
 * A customer's life through the local pages in headless Chromium, as the 销售 张伟 of the
 * team fixture: sign in, open 客户列表, add a customer whose phone another customer
 * already has, see "可能与 E20240001 杭州云帆科技有限公司 重复" with a link to that
 * customer's page and save anyway, add an order for it from its customer page, edit it,
 * and find the order in its timeline. Once at 1280 px and once at 390 px wide, with
 * screenshots of every page in test-output/journey/ and no page wider than the window.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byLabel, launchChromium } from '../forms/browser.ts';
import { openContext as openBrowserContext, signInAs } from '../team/browserSession.ts';
import { startTeam, type TeamServer } from '../team/helpers.ts';

const OUT = join(import.meta.dirname, '..', '..', 'test-output', 'journey');

let team: TeamServer;
let browser: Browser;

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  team = await startTeam({ syncDebounceMs: 100 });
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await team?.running.close();
  if (team) await rm(team.dir, { recursive: true, force: true });
});

/** A window on the fixture's day that fails the test on any page error or unexpected console error. */
async function openContext(width: number): Promise<{ context: BrowserContext; page: Page }> {
  const opened = await openBrowserContext(browser, width);
  const page = opened.page;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('response', (r) => {
    if (r.status() === 404) errors.push(`404 ${r.url()}`);
  });
  page.on('console', (m) => {
    // The answers the pages handle (409 possible duplicate, 403 refused) are logged too.
    if (m.type() === 'error' && !/status of (409|403)/.test(m.text()))
      errors.push(`${m.text()} ${m.location().url} on ${page.url()}`);
  });
  page.on('close', () => expect(errors, errors.join('\n')).toEqual([]));
  return opened;
}

const signIn = (page: Page, login: string) => signInAs(page, team.running.url, login);

/** Screenshot of the whole page, after checking nothing is wider than the window. */
async function shot(page: Page, name: string, width: number): Promise<void> {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, `${name} at ${width} px scrolls sideways`).toBeLessThanOrEqual(0);
  await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
}

/** Opens a customer's page from the list once the sync after a save has brought it in. */
async function openFromList(page: Page, name: string): Promise<string> {
  await page.goto(`${team.running.url}/customers`);
  const search = page.getByRole('searchbox', { name: '搜索客户' });
  const row = page.locator('.customer-row', { hasText: name });
  await expect
    .poll(
      async () => {
        await search.fill('');
        await search.fill(name);
        await page.waitForTimeout(400);
        return row.count();
      },
      { timeout: 30_000, interval: 500 },
    )
    .toBe(1);
  const id = (await row.getAttribute('data-id'))!;
  await row.click();
  await page.locator('.customer-head h1', { hasText: name }).waitFor();
  return id;
}

const JOURNEYS = [
  { width: 1280, name: '上海瑞丰精密机械有限公司', address: '上海市嘉定区安亭镇墨玉路 88 号' },
  { width: 390, name: '苏州瑞丰精密机械有限公司', address: '苏州市工业园区星湖街 328 号' },
];

describe('a customer’s life in the browser', () => {
  for (const j of JOURNEYS) {
    it(`signs in, adds a possible duplicate, orders, edits and finds the order at ${j.width} px`, async () => {
      const { context, page } = await openContext(j.width);
      try {
        // Sign in; 我的待办 links to the customers list.
        await signIn(page, 'zhangwei');
        await page.getByRole('link', { name: '客户列表' }).click();
        await page.waitForURL(`${team.running.url}/customers`);
        // Only 张伟's own customers (the other width's journey may have added one).
        await expect.poll(() => page.locator('.customer-row').count()).toBeGreaterThanOrEqual(2);
        for (const owner of await page.locator('.customer-row .line2.muted').allInnerTexts())
          expect(owner).toContain('张伟');
        await shot(page, 'customers', j.width);

        // 新建客户 with the phone of E20240001: a possible duplicate, named and linked.
        await page.getByRole('link', { name: '新建客户' }).click();
        await page.waitForURL(/\/forms\/new-customer$/);
        await byLabel(page, '客户类型').selectOption('企业');
        await byLabel(page, '客户名称').fill(j.name);
        await byLabel(page, '联系人').fill('周立');
        await byLabel(page, '联系电话').fill('138 1234 5601');
        await byLabel(page, '所属行业').selectOption('制造业');
        await byLabel(page, '客户来源').selectOption('展会推广');
        await byLabel(page, '客户状态').selectOption('潜在');
        await byLabel(page, '意向等级').selectOption('A');
        await page.getByRole('button', { name: '创建客户' }).click();
        const warning = page.locator('.duplicate-warning');
        await warning.waitFor();
        expect(await warning.locator('li').first().innerText()).toBe(
          '可能与 E20240001 杭州云帆科技有限公司 重复（联系电话相同）',
        );
        const link = warning.getByRole('link', { name: 'E20240001 杭州云帆科技有限公司' });
        expect(await link.getAttribute('href')).toBe('/customers/E20240001');
        await shot(page, 'new-customer-duplicate', j.width);
        // The linked page opens beside the form, which keeps what was typed.
        const [other] = await Promise.all([context.waitForEvent('page'), link.click()]);
        await other.locator('.customer-head h1', { hasText: '杭州云帆科技有限公司' }).waitFor();
        await other.close();
        expect(await byLabel(page, '客户名称').inputValue()).toBe(j.name);
        await warning.getByRole('button', { name: '仍然保存' }).click();
        await expect.poll(() => page.locator('.new-id').textContent()).toMatch(/^E2024\d{4}$/);
        const id = (await page.locator('.new-id').textContent())!;

        // Its customer page, once the sync has run: 新建订单 from there.
        expect(await openFromList(page, j.name)).toBe(id);
        await page.locator('.actions a[data-form="new-order"]').click();
        await page.waitForURL(new RegExp(`/forms/new-order\\?customer=${id}$`));
        await expect.poll(() => byLabel(page, '客户编号').inputValue()).toBe(`${j.name}（${id}）`);
        expect(await byLabel(page, '下单日期').inputValue()).toBe('2024-06-14');
        await byLabel(page, '产品').fill('数控车床 CK6150');
        await byLabel(page, '数量').fill('2');
        await byLabel(page, '金额').fill('186000');
        await byLabel(page, '付款状态').selectOption('按时');
        await shot(page, 'new-order', j.width);
        await page.getByRole('button', { name: '创建订单' }).click();
        await expect.poll(() => page.locator('.new-id').textContent()).toMatch(/^O2024\d{4}$/);
        const order = (await page.locator('.new-id').textContent())!;

        // 编辑客户 from its page: prefilled, one change saved.
        await page.goto(`${team.running.url}/customers/${id}`);
        await page.locator('.actions a[data-form="edit-customer"]').click();
        await page.waitForURL(new RegExp(`/forms/edit-customer\\?ref=${id}$`));
        await expect.poll(() => byLabel(page, '客户名称').inputValue()).toBe(j.name);
        await byLabel(page, '地址').fill(j.address);
        await shot(page, 'edit-customer', j.width);
        await page.getByRole('button', { name: '保存修改' }).click();
        await expect.poll(() => page.locator('.new-id').textContent()).toBe(id);

        // The customer page after the sync: the new address, the order in the timeline.
        const timelineOrder = page.locator(`.timeline li[data-kind="订单"][data-id="${order}"]`);
        await expect
          .poll(
            async () => {
              await page.goto(`${team.running.url}/customers/${id}`);
              await page.locator('.customer-head h1').waitFor();
              return timelineOrder.count();
            },
            { timeout: 30_000, interval: 500 },
          )
          .toBe(1);
        expect(await timelineOrder.innerText()).toContain('数控车床 CK6150 × 2');
        expect(await timelineOrder.innerText()).toContain('金额 ¥186,000.00');
        await expect
          .poll(async () => {
            await page.reload();
            await page.locator('.customer-head h1').waitFor();
            return page.locator('section:has(h2:text-is("客户资料"))').innerText();
          })
          .toContain(j.address);
        const profile = await page.locator('section:has(h2:text-is("客户资料"))').innerText();
        expect(profile).toContain('13812345601');
        await shot(page, 'customer-360', j.width);
      } finally {
        await context.close();
      }
    });
  }

  it('shows the page of another rep’s customer as refused, and the 客服 a read-only page with masked phones', async () => {
    const { context, page } = await openContext(390);
    try {
      await signIn(page, 'zhangwei');
      await page.goto(`${team.running.url}/customers/E20240003`);
      await expect
        .poll(() => page.locator('p.notice').textContent())
        .toMatch(/张伟（销售）不能查看该客户/);
      await shot(page, 'refused', 390);
    } finally {
      await context.close();
    }
    for (const width of [1280, 390]) {
      const service = await openContext(width);
      try {
        const p = service.page;
        await signIn(p, 'dengchao');
        await p.goto(`${team.running.url}/customers/E20240001`);
        await p.locator('.customer-head h1').waitFor();
        expect(await p.locator('.readonly').innerText()).toMatch(/^只读/);
        expect(
          await p.locator('.actions a').evaluateAll((as) => as.map((a) => a.textContent)),
        ).toEqual(['新建工单', '填写回访记录']);
        const profile = await p.locator('section:has(h2:text-is("客户资料"))').innerText();
        expect(profile).toContain('138****5601');
        expect(await p.locator('main').innerText()).not.toContain('13812345601');
        await shot(p, 'customer-360-service', width);
      } finally {
        await service.context.close();
      }
    }
  });
});
