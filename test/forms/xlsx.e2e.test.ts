/**
 * The forms on a real local workbook: the same app and page, with XlsxFileStore writing
 * the .xlsx file, read back with the product's reader.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { daysFromCivil, dayToSerial } from '../../shared/calendar.ts';
import { useFormsOnWorkbook } from '../helpers/formsOnWorkbook.ts';
import { byLabel, launchChromium, openPage } from './browser.ts';
import { byKey, CUSTOMER_ROWS, TICKET_ROWS, VISIT_ROWS, newCustomerPayload } from './fixture.ts';
import { TOKEN } from './server.ts';

const forms = useFormsOnWorkbook('crm-forms-', {
  customers: CUSTOMER_ROWS.map((r) => byKey(T.CUSTOMERS, r)),
  tickets: TICKET_ROWS.map((r) => byKey(T.TICKETS, r)),
  visits: VISIT_ROWS.map((r) => byKey(T.VISITS, r)),
});
let browser: Browser;

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const post = forms.post;

const rowsOf = forms.rowsOf;

describe('forms on a local .xlsx workbook', { timeout: 60_000 }, () => {
  it('leaves the file untouched when a submission is refused', async () => {
    const before = await readFile(forms.file);
    const res = await post('new-customer', newCustomerPayload({ name: '' }));
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.name).toBe('“客户名称”必填');
    expect((await readFile(forms.file)).equals(before)).toBe(true);
  });

  it('saves a customer typed into the page into the workbook', async () => {
    const tab = await openPage(browser);
    try {
      const { page } = tab;
      await page.goto(`${forms.url}/forms/new-customer#token=${TOKEN}`);
      await page.locator('form').waitFor();
      await byLabel(page, '客户类型').selectOption('个人');
      await byLabel(page, '客户名称').fill('刘洋');
      await byLabel(page, '联系电话').fill('13600001111');
      await byLabel(page, '所属行业').selectOption('教育');
      await byLabel(page, '客户来源').selectOption('官网咨询');
      await byLabel(page, '客户状态').selectOption('潜在');
      await byLabel(page, '意向等级').selectOption('A');
      await byLabel(page, '备注').fill('=1+1');
      await page.getByRole('button', { name: '创建客户' }).click();
      await expect.poll(() => page.locator('.new-id').textContent()).toBe('P20240004');
    } finally {
      await tab.close();
    }
    const saved = (await rowsOf(T.CUSTOMERS.name)).find((r) => r['客户编号'] === 'P20240004');
    expect(saved).toMatchObject({
      客户名称: '刘洋',
      客户类型: '个人',
      建档日期: dayToSerial(daysFromCivil(2024, 6, 15)),
      负责人: '李明',
      备注: '=1+1',
    });
  });

  it('routes a new ticket by the workbook’s 工单路由 and reviews a visit in place', async () => {
    const ticket = await post('new-ticket', {
      customerId: 'E20240007',
      type: '产品质量',
      description: '包装破损',
      urgency: '高',
    });
    expect(await ticket.json()).toEqual({ id: 'T20240003', row: 4 });
    const review = await post('review-visit', { visitId: 'V20240001', reviewComment: '同意' });
    expect(await review.json()).toEqual({ id: 'V20240001', row: 2 });

    const tickets = await rowsOf(T.TICKETS.name);
    // The new workbook's 工单路由 holds the template's defaults.
    expect(tickets.at(-1)).toMatchObject({
      工单编号: 'T20240003',
      处理部门: '技术部',
      状态: '新建',
    });
    const visits = await rowsOf(T.VISITS.name);
    expect(visits[0]).toMatchObject({
      回访编号: 'V20240001',
      审核人: '李明',
      审核日期: dayToSerial(daysFromCivil(2024, 6, 15)),
      审核意见: '同意',
    });
  });
});
