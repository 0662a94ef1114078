/**
 * The customer picker with a slow search: the list shows only answers for what is typed.
 * Until the answer for the new text arrives it says 搜索中… with nothing to pick, so a
 * fast typist's Enter cannot take the newest customer the empty search listed.
 * Screenshots at 1280 and 390 px in test-output/forms/.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { byLabel, launchChromium, openPage } from './browser.ts';
import { sampleStore } from './fixture.ts';
import { startApp, TOKEN, type RunningApp } from './server.ts';

const OUT = join(import.meta.dirname, '..', '..', 'test-output', 'forms');

let browser: Browser;
let app: RunningApp;

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  browser = await launchChromium();
  app = await startApp(sampleStore());
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await app?.close();
});

it('shows 搜索中… instead of the last answer while a typed search runs, and Enter picks nothing from it', async () => {
  for (const width of [1280, 390]) {
    const t = await openPage(browser);
    try {
      const { page } = t;
      await page.setViewportSize({ width, height: 700 });
      // The empty search answers at once, the typed one a while later.
      await page.route('**/api/**', async (route) => {
        const q = new URL(route.request().url()).searchParams.get('q') ?? '';
        if (q !== '') await new Promise((r) => setTimeout(r, 1500));
        await route.continue();
      });
      await page.goto(`${app.url}/forms/follow-up#token=${TOKEN}`);
      const picker = byLabel(page, '客户编号');
      const listed = () => page.locator('.picker-list').getByRole('option');
      await picker.focus();
      await listed().first().waitFor();
      const newest = await listed().first().innerText();
      expect(newest).not.toContain('云帆');

      await picker.fill('云帆');
      expect(await listed().count()).toBe(0);
      await page.getByText('搜索中…').waitFor();
      await page.screenshot({ path: join(OUT, `picker-searching-${width}.png`) });
      await picker.press('Enter');
      expect(await picker.inputValue()).toBe('云帆');

      const wanted = page
        .locator('.picker-list')
        .getByRole('option', { name: /杭州云帆科技有限公司（E20240001）/ });
      await wanted.waitFor();
      expect(await listed().allInnerTexts()).toEqual(
        expect.arrayContaining([expect.stringContaining('云帆')]),
      );
      for (const text of await listed().allInnerTexts()) expect(text).toContain('云帆');
      await picker.press('Enter');
      expect(await picker.inputValue()).toBe('杭州云帆科技有限公司（E20240001）');
      expect(t.errors).toEqual([]);
    } finally {
      await t.close();
    }
  }
}, 90_000);
