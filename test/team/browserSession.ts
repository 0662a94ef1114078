/** A browser window on the team fixture's day, and signing in there as one of its people. */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { NOW_MS, PASSWORD } from './fixture.ts';

/** A window `width` px wide whose clock reads the fixture's 2024-06-14 10:00. */
export async function openContext(
  browser: Browser,
  width: number,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width, height: width > 600 ? 800 : 844 },
  });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(NOW_MS));
  page.setDefaultTimeout(20_000);
  return { context, page };
}

/** Signs in on the sign-in page and waits for 我的待办. */
export async function signInAs(page: Page, url: string, login: string): Promise<void> {
  await page.goto(`${url}/login`);
  await page.getByLabel('登录名').fill(login);
  await page.getByLabel('密码').fill(PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
  await page.waitForURL(`${url}/`);
}
