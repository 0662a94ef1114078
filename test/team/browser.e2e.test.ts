/**
 * A rep's day in headless Chromium: sign in as 张伟, see 我的待办, open the 首次联系 item,
 * save the follow-up it asks for, and see the item leave the list once the sync the form
 * asked for has run; sign out, after which the old cookie is refused. Screenshots at
 * 1280 and 390 px wide go to test-output/team/.
 */
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byLabel, launchChromium } from '../forms/browser.ts';
import { openContext as openBrowserContext, signInAs as signIn } from './browserSession.ts';
import { Client, startTeam, type TeamServer } from './helpers.ts';

const OUT = join(import.meta.dirname, '..', '..', 'test-output', 'team');

let team: TeamServer;
let browser: Browser;

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  team = await startTeam({ syncDebounceMs: 100 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await team?.running.close();
  if (team) await rm(team.dir, { recursive: true, force: true });
});

const openContext = (width: number) => openBrowserContext(browser, width);
const signInAs = (page: Page, login: string) => signIn(page, team.running.url, login);

const items = (page: Page) => page.locator('ol.items li');

describe('a rep’s day in the browser', () => {
  it('shows the sign-in page and 我的待办 legibly at 1280 and 390 px', async () => {
    for (const width of [1280, 390]) {
      const { context, page } = await openContext(width);
      try {
        await page.goto(`${team.running.url}/login`);
        await page.screenshot({ path: join(OUT, `login-${width}.png`), fullPage: true });
        await signInAs(page, 'zhangwei');
        await expect.poll(() => items(page).count(), { timeout: 15_000 }).toBe(4);
        await page.screenshot({ path: join(OUT, `worklist-${width}.png`), fullPage: true });
        // Nothing wider than the window: no sideways scrolling on a phone.
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(0);
      } finally {
        await context.close();
      }
    }
  });

  it('opens an item, saves the follow-up, sees the item leave after the sync, signs out', async () => {
    const { context, page } = await openContext(1280);
    try {
      await signInAs(page, 'zhangwei');
      await expect(page.getByRole('heading', { name: '我的待办' })).toBeTruthy();
      await expect
        .poll(() => page.locator('.sub').first().textContent(), { timeout: 15_000 })
        .toContain('张伟（销售）');
      const lead = page.locator('li[data-kind="首次联系"][data-customer="P20240002"]');
      await expect.poll(() => lead.count(), { timeout: 15_000 }).toBe(1);
      expect(await lead.locator('.reason').textContent()).toBe(
        '新线索首次联系（建档日期 2024-06-05，意向等级 A）',
      );
      expect(await lead.locator('a[href^="tel:"]').textContent()).toBe('13812345602');
      // The first group is 逾期, and this item is in it.
      expect(await page.locator('section.group').first().locator('h2').textContent()).toMatch(
        /^逾期/,
      );

      await lead.getByRole('link', { name: '记录跟进' }).click();
      await page.waitForURL(/\/forms\/follow-up\?customer=P20240002/);
      await expect
        .poll(() => byLabel(page, '客户编号').inputValue(), { timeout: 15_000 })
        .toBe('赵小红（P20240002）');
      // 跟进人 is the signed-in rep, and a rep cannot change it.
      expect(await byLabel(page, '跟进人').inputValue()).toBe('张伟');
      expect(await byLabel(page, '跟进人').getAttribute('readonly')).not.toBeNull();
      await page.screenshot({ path: join(OUT, 'follow-up-1280.png'), fullPage: true });
      await byLabel(page, '跟进方式').selectOption('电话');
      await byLabel(page, '沟通内容').fill('电话介绍方案，客户约下周面谈');
      await page.getByRole('button', { name: '保存跟进' }).click();
      await expect
        .poll(() => page.locator('.new-id').textContent(), { timeout: 15_000 })
        .toMatch(/^G2024\d{4}$/);

      // The form asked for a sync; once it ran, the lead has a follow-up and its
      // 首次联系 is no longer due.
      await page.getByRole('link', { name: '返回我的待办' }).click();
      await expect
        .poll(
          async () => {
            await page.reload();
            await page.locator('ol.items').first().waitFor();
            return lead.count();
          },
          { timeout: 30_000, interval: 500 },
        )
        .toBe(0);
      expect(await items(page).count()).toBe(3);
      await page.screenshot({ path: join(OUT, 'worklist-after-1280.png'), fullPage: true });

      const cookie = (await context.cookies()).find((c) => c.name === 'crm_session')!;
      expect(cookie.httpOnly).toBe(true);
      expect(cookie.sameSite).toBe('Strict');
      await page.getByRole('button', { name: '退出登录' }).click();
      await page.waitForURL(/\/login$/);
      const old = new Client(team.running.url, `crm_session=${cookie.value}`);
      expect((await old.get('/api/worklist')).status).toBe(401);
      // The page itself sends a signed-out visitor to the sign-in page.
      await page.goto(`${team.running.url}/`);
      await page.waitForURL(/\/login\?next=/);
    } finally {
      await context.close();
    }
  });
});
