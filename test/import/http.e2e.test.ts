/** The import page and POST /api/import on the real app, with a local workbook. */
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearerToken, createApp } from '../../sync-server/http/app.ts';
import { importRouter } from '../../sync-server/import/http.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { launchChromium, openPage } from '../forms/browser.ts';
import { writeWorkbook } from '../helpers/workbook.ts';
import {
  csvText,
  existingCustomers,
  gbk,
  generatedRows,
} from '../../sync-server/workbook/sample/importFile.ts';

const TOKEN = 'import-token-0123456789abcdef';
let dir: string;
let file: string;
let server: Server;
let url: string;
let syncs = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-import-http-'));
  file = join(dir, 'crm.xlsx');
  await writeWorkbook(file, { customers: existingCustomers() });
  const store = new XlsxFileStore(file);
  const app = createApp({
    sync: () => Promise.reject(new Error('no sync here')),
    status: () => ({}),
    authenticate: bearerToken(TOKEN),
    routes: [
      importRouter({
        store,
        requestSync: () => {
          syncs++;
        },
        clock: () => Date.UTC(2025, 11, 31, 2),
        maxBytes: 64 * 1024,
      }),
    ],
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  await rm(dir, { recursive: true, force: true });
});

const post = (query: string, body: Uint8Array, token: string | null = TOKEN) =>
  fetch(`${url}/api/import?${query}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/octet-stream',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: new Uint8Array(body),
  });

it('serves a self-contained page under a strict CSP', async () => {
  const res = await fetch(`${url}/import`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
  const html = await res.text();
  expect(html).toContain('批量导入客户');
  expect(html).not.toMatch(/<script src|<link /);
});

it('needs the token', async () => {
  const res = await post('dryRun=1', Buffer.from('a,b\n'), null);
  expect(res.status).toBe(401);
});

it('previews a GBK file without writing, then imports it', async () => {
  const csv = gbk(csvText(generatedRows(40)));
  const before = await readFile(file);
  const dry = await post('dryRun=1&onDuplicate=skip', csv);
  expect(dry.status).toBe(200);
  const preview = (await dry.json()) as Record<string, unknown>;
  expect(preview).toMatchObject({ dryRun: true, source: { encoding: 'gbk' } });
  expect((await readFile(file)).equals(before)).toBe(true);
  expect(syncs).toBe(0);

  const real = await post('dryRun=0&onDuplicate=skip', csv);
  const done = (await real.json()) as Record<string, number>;
  expect(done).toMatchObject({
    added: preview.added,
    skipped: preview.skipped,
    rejected: preview.rejected,
  });
  expect(done.added).toBeGreaterThan(30);
  expect((await readFile(file)).equals(before)).toBe(false);
  expect(syncs).toBe(1);
});

it('refuses a wrong option, an empty body and a file over the limit', async () => {
  expect((await post('onDuplicate=merge', Buffer.from('x'))).status).toBe(400);
  expect((await post('dryRun=1', Buffer.alloc(0))).status).toBe(400);
  const big = await post('dryRun=1', Buffer.alloc(65 * 1024, 0x61));
  expect(big.status).toBe(413);
  expect(((await big.json()) as { error: { message: string } }).error.message).toContain('上限');
});

it('the page previews, then imports on confirmation, with no CSP violation', async () => {
  const browser = await launchChromium();
  try {
    const { page, errors, close } = await openPage(browser);
    await page.goto(`${url}/import#token=${TOKEN}`);
    expect(page.url()).not.toContain(TOKEN);
    const csv = join(dir, 'page.csv');
    await writeFile(
      csv,
      csvText([
        [
          '客户类型',
          '公司',
          '联系人',
          '电话',
          '行业',
          '来源',
          '客户状态',
          '意向等级',
          '负责人',
          '建档日期',
        ],
        [
          '企业',
          '南京页面测试有限公司',
          '何七',
          '025-84441234',
          '教育',
          '官网咨询',
          '潜在',
          'A',
          '王经理',
          '2025-07-01',
        ],
        [
          '企业',
          '南京页面测试（有限责任公司）',
          '何七',
          '13300001111',
          '教育',
          '官网咨询',
          '潜在',
          'A',
          '王经理',
          '2025-07-01',
        ],
        [
          '企业',
          '宁波老客户0有限公司',
          '老联系人0',
          '13700000000',
          '制造业',
          '转介绍',
          '潜在',
          'B',
          '赵经理',
          '2025-07-01',
        ],
      ]),
    );
    await page.setInputFiles('#file', csv);
    await page.click('#preview');
    await page.getByText('预览结果（尚未写入）').waitFor();
    await page.getByText('联系电话', { exact: true }).waitFor();
    await expect(page.locator('.counts').innerText()).resolves.toContain('新增 1');
    await page.getByText('与导入文件第 2 行“南京页面测试有限公司”重复（客户名称相同）').waitFor();
    // An existing customer is named and linked to its page.
    const existing = page.getByRole('link', { name: 'E20240001 宁波老客户0有限公司' });
    expect(await existing.getAttribute('href')).toBe('/customers/E20240001');
    expect(await existing.locator('..').innerText()).toBe(
      '与客户 E20240001 宁波老客户0有限公司 重复（联系电话相同、客户名称相同）',
    );
    await page.click('#confirm');
    await page.getByText('导入完成').waitFor();
    expect(errors).toEqual([]);
    await close();
  } finally {
    await browser.close();
  }
}, 60_000);

it('offers the template as CSV and xlsx', async () => {
  const csv = await fetch(`${url}/import/template.csv`);
  expect(csv.status).toBe(200);
  const raw = Buffer.from(await csv.arrayBuffer());
  // The BOM makes Excel for Chinese Windows read it as UTF-8.
  expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const text = raw.toString('utf8');
  expect(text.split('\r\n')[0]).toMatch(
    /^\uFEFF?客户类型,客户名称,统一社会信用代码,联系人,联系人职位,联系电话/,
  );
  const xlsx = await fetch(`${url}/import/template.xlsx`);
  expect(xlsx.headers.get('content-type')).toMatch(/spreadsheetml/);
  const bytes = Buffer.from(await xlsx.arrayBuffer());
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
});

it('an all-rejected file cannot be confirmed: the button stays off and the API refuses, writing nothing', async () => {
  const rejected = csvText([
    ['客户类型', '客户名称', '联系电话'],
    ['公司', '', 'abc'],
    ['单位', '', ''],
  ]);
  const before = await readFile(file);
  const refused = await post('dryRun=0', Buffer.from(rejected));
  expect(refused.status).toBe(422);
  const body = (await refused.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('nothing_to_import');
  expect(body.error.message).toMatch(
    /^没有可导入的行，未写入任何内容：没有导入任何行：新增 0 行，更新 0 行，跳过 0 行，拒绝 2 行/,
  );
  expect((await readFile(file)).equals(before)).toBe(true);

  const browser = await launchChromium();
  try {
    const { page, errors, close } = await openPage(browser);
    await page.goto(`${url}/import#token=${TOKEN}`);
    const csv = join(dir, 'rejected.csv');
    await writeFile(csv, rejected);
    await page.setInputFiles('#file', csv);
    await page.click('#preview');
    await page.getByText('预览结果（尚未写入）').waitFor();
    await expect(page.locator('#status').innerText()).resolves.toMatch(
      /^没有可新增或更新的行（拒绝 2 行/,
    );
    expect(await page.locator('#confirm').isDisabled()).toBe(true);
    expect(errors).toEqual([]);
    await close();
  } finally {
    await browser.close();
  }
}, 60_000);
