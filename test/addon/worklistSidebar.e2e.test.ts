/**
 * The 我的待办 sidebar from addon/dist in headless Chromium over the team fixture, with
 * 130 more overdue leads of 张伟: the first 100 of 逾期, “还有 N 项” loading the rest,
 * and an item's button opening its form prefilled. Screenshots at 1280 and 390 px go to
 * test-output/addon/.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import * as T from '../../sheets-templates/tabs.ts';
import { launchChromium, standInScriptRun } from '../forms/browser.ts';
import { TEAM } from '../team/fixture.ts';
import { built, type Built } from './build.ts';
import { teamAddon, teamSpreadsheet } from './team.ts';

const ORIGIN = 'https://sheets.test';
const OUT = join(import.meta.dirname, '..', '..', 'test-output', 'addon');

let build: Built;
let browser: Browser;

beforeAll(async () => {
  [build, browser] = await Promise.all([built(), launchChromium()]);
  await mkdir(OUT, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** The fixture plus `n` A-grade leads of 张伟 created on 2024-05-01, none contacted. */
function withLeads(n: number) {
  const ss = teamSpreadsheet();
  const cols = T.CUSTOMERS.columns;
  const row = (c: Record<string, unknown>) => cols.map((col) => (c[col.key] ?? '') as string);
  const leads = Array.from({ length: n }, (_, i) => ({
    customerId: `P2024${String(5000 + i).padStart(4, '0')}`,
    kind: '个人',
    name: `线索客户${i + 1}`,
    phone: `139${String(10_000_000 + i).padStart(8, '0')}`,
    industry: '零售',
    source: '线上广告',
    status: '潜在',
    intent: 'A',
    owner: '张伟',
    createdDate: '2024-05-01',
  }));
  ss.sheet(T.CUSTOMERS.name).fill([
    ...(TEAM.customers ?? []).map((c) => row(c as Record<string, unknown>)),
    ...leads.map(row),
  ]);
  return ss;
}

describe('the 我的待办 sidebar', { timeout: 90_000 }, () => {
  it('shows the first 100 overdue, loads more on “还有 N 项”, and opens an item prefilled', async () => {
    const addon = teamAddon(build, 'zhangwei@example.com', withLeads(130));
    const html = await readFile(join(build.dir, 'worklist.html'), 'utf8');
    for (const width of [1280, 390]) {
      const context = await browser.newContext({
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        viewport: { width, height: 900 },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(20_000);
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.route(`${ORIGIN}/**`, (route) =>
        route.fulfill({ contentType: 'text/html; charset=utf-8', body: html }),
      );
      await standInScriptRun(page, (name, args) => addon.call(name, ...args));
      try {
        await page.goto(`${ORIGIN}/worklist`);
        const overdue = page.locator('section[data-group=overdue]');
        await overdue.locator('li').first().waitFor();
        expect(await overdue.locator('li').count()).toBe(100);
        const more = overdue.locator('button.more');
        expect(await more.textContent()).toBe('还有 33 项，再显示 33 项');
        await page.screenshot({ path: join(OUT, `worklist-${width}.png`) });
        await more.click();
        await expect.poll(() => overdue.locator('li').count()).toBe(133);
        expect(await overdue.locator('button.more').count()).toBe(0);
        await overdue.locator('li').last().scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(OUT, `worklist-more-${width}.png`) });
        const sidebars = addon.gas.ui.sidebars.length;
        await overdue.locator('li[data-customer="E20240001"] button').first().click();
        await expect.poll(() => addon.gas.ui.sidebars.length).toBe(sidebars + 1);
        const opened = addon.gas.ui.sidebars.at(-1)!;
        expect(opened.getTitle()).toBe('填写回访记录');
        expect(opened.getContent()).toMatch(/<body[^>]*data-customer="E20240001"/);
        expect(errors).toEqual([]);
      } finally {
        await context.close();
      }
    }
  });
});
