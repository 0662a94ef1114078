/**
 * The import page used by a signed-in 经理 without a token link: the upload goes with the
 * session, the preview and the import work, and the page never claims a token is missing.
 * Screenshots at 1280 and 390 px in test-output/import/.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { csvText } from '../../sync-server/workbook/sample/importFile.ts';
import { launchChromium } from '../forms/browser.ts';
import { readTabs } from '../helpers/workbook.ts';
import { openContext, signInAs } from '../team/browserSession.ts';
import { startTeam, type TeamServer } from '../team/helpers.ts';

const OUT = join(import.meta.dirname, '..', '..', 'test-output', 'import');

let team: TeamServer;
let browser: Browser;

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  team = await startTeam();
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await team?.running.close();
  if (team) await rm(team.dir, { recursive: true, force: true });
});

const HEADER = [
  '客户类型',
  '公司',
  '联系人',
  '电话',
  '行业',
  '来源',
  '客户状态',
  '意向等级',
  '负责人',
];

it('a signed-in 经理 without a token link previews and imports from the page', async () => {
  for (const [i, width] of [1280, 390].entries()) {
    const name = `宁波会话导入${i}有限公司`;
    const csv = join(team.dir, `session-${width}.csv`);
    const row = ['企业', name, '何七', `1330000111${i}`, '教育', '官网咨询', '潜在', 'A', '张伟'];
    await writeFile(csv, csvText([HEADER, row]));
    const { context, page } = await openContext(browser, width);
    try {
      await signInAs(page, team.running.url, 'huangzq');
      await page.goto(`${team.running.url}/import`);
      await expect(page.locator('#status').innerText()).resolves.not.toContain('令牌');
      await page.setInputFiles('#file', csv);
      await page.click('#preview');
      await page.getByText('预览结果（尚未写入）').waitFor();
      await expect(page.locator('.counts').innerText()).resolves.toContain('新增 1');
      await page.click('#confirm');
      await page.getByText('导入完成').waitFor();
      await page.screenshot({ path: join(OUT, `import-signed-in-${width}.png`), fullPage: true });
    } finally {
      await context.close();
    }
    const names = [...(await readTabs(team.file)).get(CUSTOMERS.name)!.rows.values()].map(
      (r) => r['客户名称'],
    );
    expect(names).toContain(name);
  }
}, 120_000);

it('without a session or a token the page says to sign in, linking to the sign-in page', async () => {
  const { context, page } = await openContext(browser, 390);
  try {
    await page.goto(`${team.running.url}/import`);
    const csv = join(team.dir, 'anonymous.csv');
    await writeFile(
      csv,
      csvText([
        HEADER,
        ['企业', '匿名有限公司', '何七', '13300002222', '教育', '官网咨询', '潜在', 'A', '张伟'],
      ]),
    );
    await page.setInputFiles('#file', csv);
    await page.click('#preview');
    await page.getByRole('link', { name: '登录' }).waitFor();
    expect(await page.locator('#status').innerText()).toContain('请先登录');
    expect(await page.getByRole('link', { name: '登录' }).getAttribute('href')).toBe(
      '/login?next=%2Fimport',
    );
    await page.screenshot({ path: join(OUT, 'import-signed-out-390.png'), fullPage: true });
  } finally {
    await context.close();
  }
}, 60_000);
