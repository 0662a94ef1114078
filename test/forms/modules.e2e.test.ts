/**
 * The forms of the seeds' modules over real HTTP on a real .xlsx: 需求调查, 体验问卷,
 * 填写回访记录 with 回访结果 and the visit topics, 新建工单 with 请求类型 and 客户诉求,
 * 新建客户 with the 负责人 线索分配 proposes, and 服务策略 beside the chosen customer.
 * Every refused submission leaves the file byte for byte as it was.
 */
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { FIRST_FEEDBACK_TAG, VISIT_TOPICS } from '../../sheets-templates/values.ts';
import { daysFromCivil, dayToSerial } from '../../shared/calendar.ts';
import { useFormsOnWorkbook } from '../helpers/formsOnWorkbook.ts';
import { byLabel, launchChromium, openPage } from './browser.ts';
import { byKey, CUSTOMER_ROWS, TICKET_ROWS, VISIT_ROWS, newCustomerPayload } from './fixture.ts';
import { TOKEN } from './server.ts';

const forms = useFormsOnWorkbook('crm-module-forms-', {
  customers: [
    byKey(T.CUSTOMERS, { ...CUSTOMER_ROWS[0]!, 客户分层: '高价值客户' }),
    ...CUSTOMER_ROWS.slice(1).map((r) => byKey(T.CUSTOMERS, r)),
  ],
  tickets: TICKET_ROWS.map((r) => byKey(T.TICKETS, r)),
  visits: VISIT_ROWS.map((r) => byKey(T.VISITS, r)),
  config: {
    [T.LEAD_ASSIGNMENT.name]: [
      [1, '物流', '华东', '李娜'],
      [2, null, null, '王芳'],
    ],
  },
});
let browser: Browser;

const TODAY = dayToSerial(daysFromCivil(2024, 6, 15));

beforeAll(async () => {
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const post = forms.post;

const rowsOf = forms.rowsOf;

/** Posts a submission that must be refused and checks that the workbook did not change. */
async function refused(form: string, body: unknown): Promise<Record<string, string>> {
  const before = await readFile(forms.file);
  const res = await post(form, body);
  expect(res.status).toBe(422);
  const fields = ((await res.json()) as { error: { fields: Record<string, string> } }).error.fields;
  expect((await readFile(forms.file)).equals(before)).toBe(true);
  return fields;
}

describe('the seeds’ module forms on a local .xlsx workbook', { timeout: 90_000 }, () => {
  it('saves a 体验问卷 as W… with 新客户首次反馈, refusing a score off the scale', async () => {
    const fields = await refused('experience-survey', {
      customerId: 'E20240001',
      date: '2024-06-15',
      overall: '6',
      recommend: '十',
    });
    expect(Object.keys(fields).sort()).toEqual(['overall', 'recommend']);
    expect(fields.overall).toContain('5');

    const res = await post('experience-survey', {
      customerId: 'E20240001',
      date: '2024-06-15',
      overall: '4',
      product: '5',
      recommend: '9',
      tag: FIRST_FEEDBACK_TAG,
    });
    expect(await res.json()).toEqual({ id: 'W20240001', row: 2 });
    expect((await rowsOf(T.EXPERIENCE_SURVEYS.name))[0]).toMatchObject({
      问卷编号: 'W20240001',
      客户编号: 'E20240001',
      填写日期: TODAY,
      整体满意度: 4,
      产品满意度: 5,
      推荐意愿: 9,
      标签: FIRST_FEEDBACK_TAG,
    });
  });

  it('saves a 需求调查 as Q…, 调查人 the signed-in person; an unknown customer is refused', async () => {
    const fields = await refused('needs-survey', {
      customerId: 'E29990001',
      date: '2024-06-15',
      productNeeds: '冷链',
    });
    expect(fields.customerId).toContain('不存在');
    const res = await post('needs-survey', {
      customerId: 'E20240007',
      date: '2024-06-15',
      productNeeds: '冷链运输箱',
      priceExpectation: '单价 2000 元以内',
      competitors: '华通',
    });
    expect(await res.json()).toEqual({ id: 'Q20240001', row: 2 });
    expect((await rowsOf(T.NEEDS_SURVEYS.name))[0]).toMatchObject({
      调查编号: 'Q20240001',
      客户编号: 'E20240007',
      调查人: '李明',
      产品需求: '冷链运输箱',
      主要竞品: '华通',
    });
  });

  it('records 回访结果 on a visit and 请求类型/客户诉求 on a ticket', async () => {
    const visitFields = await refused('visit-record', {
      customerId: 'E20240001',
      time: '2024-06-15 09:00',
      method: '电话',
      outcome: '没人接',
    });
    expect(visitFields.outcome).toContain('完成');
    const visit = await post('visit-record', {
      customerId: 'E20240001',
      time: '2024-06-15 09:00',
      method: '电话',
      purpose: VISIT_TOPICS[0],
      outcome: '未联系上',
    });
    expect(await visit.json()).toEqual({ id: 'V20240003', row: 4 });
    expect((await rowsOf(T.VISITS.name)).at(-1)).toMatchObject({
      回访结果: '未联系上',
      回访目的: VISIT_TOPICS[0],
    });

    const ticketFields = await refused('new-ticket', {
      requestType: '表扬',
      customerId: 'E20240007',
      type: '其他',
      description: '咨询报价',
      urgency: '低',
    });
    expect(ticketFields.requestType).toContain('投诉');
    const ticket = await post('new-ticket', {
      requestType: '咨询',
      customerId: 'E20240007',
      type: '其他',
      description: '咨询报价',
      demand: '希望本周内给出报价',
      urgency: '低',
    });
    expect(await ticket.json()).toEqual({ id: 'T20240003', row: 4 });
    expect((await rowsOf(T.TICKETS.name)).at(-1)).toMatchObject({
      请求类型: '咨询',
      客户诉求: '希望本周内给出报价',
    });
  });

  it('fills a 体验问卷 in the page with score buttons and shows the customer’s 服务策略', async () => {
    const tab = await openPage(browser);
    try {
      const { page } = tab;
      await page.goto(`${forms.url}/forms/experience-survey#token=${TOKEN}`);
      await page.locator('form').waitFor();
      // The scores are buttons, not boxes to type in.
      await expect.poll(() => page.locator('[data-field="overall"] button').count()).toBe(5);
      expect(await page.locator('[data-field="recommend"] button').count()).toBe(11);
      expect(await page.locator('[data-field="overall"] input:not([type=hidden])').count()).toBe(0);
      const picker = byLabel(page, '客户编号');
      await picker.fill('E20240001');
      // The list shows the newest customers until the search answers: pick the match.
      await page.locator('.picker-list li', { hasText: 'E20240001' }).first().click();
      await expect
        .poll(() => page.locator('[data-field="customerId"] .customer-card').textContent())
        .toContain('专属客户经理');
      await page.locator('[data-field="overall"] button', { hasText: /^5$/ }).click();
      await page.locator('[data-field="recommend"] button', { hasText: /^10$/ }).click();
      expect(
        await page.locator('[data-field="overall"] button[aria-checked="true"]').textContent(),
      ).toBe('5');
      await page.getByRole('button', { name: '保存问卷' }).click();
      await expect.poll(() => page.locator('.new-id').textContent()).toBe('W20240002');
      // No script error (the browser's own favicon request may 404).
      expect(tab.errors.filter((e) => !e.startsWith('Failed to load resource'))).toEqual([]);
    } finally {
      await tab.close();
    }
    expect((await rowsOf(T.EXPERIENCE_SURVEYS.name)).at(-1)).toMatchObject({
      问卷编号: 'W20240002',
      整体满意度: 5,
      推荐意愿: 10,
      标签: FIRST_FEEDBACK_TAG,
    });
  });

  it('adds a visit topic to 回访目的 with a click', async () => {
    const tab = await openPage(browser);
    try {
      const { page } = tab;
      await page.goto(`${forms.url}/forms/visit-record#token=${TOKEN}`);
      await page.locator('form').waitFor();
      await expect.poll(() => page.locator('[data-field="purpose"] .prompt').count()).toBe(5);
      await page.locator('[data-field="purpose"] .prompt').nth(1).click();
      await page.locator('[data-field="purpose"] .prompt').nth(3).click();
      expect(await byLabel(page, '回访目的').inputValue()).toBe(
        `${VISIT_TOPICS[1]}；${VISIT_TOPICS[3]}`,
      );
      expect(await byLabel(page, '回访结果').inputValue()).toBe('完成');
    } finally {
      await tab.close();
    }
  });

  it('proposes the 负责人 of 线索分配 on 新建客户 for a manager, until they type one', async () => {
    const tab = await openPage(browser);
    try {
      const { page } = tab;
      await page.goto(`${forms.url}/forms/new-customer#token=${TOKEN}`);
      await page.locator('form').waitFor();
      await byLabel(page, '客户状态').selectOption('潜在');
      await byLabel(page, '所属行业').selectOption('物流');
      await byLabel(page, '区域').selectOption('华东');
      await expect.poll(() => byLabel(page, '负责人').inputValue()).toBe('李娜');
      await byLabel(page, '所属行业').selectOption('教育');
      await expect.poll(() => byLabel(page, '负责人').inputValue()).toBe('王芳');
      await byLabel(page, '负责人').fill('赵雷');
      await byLabel(page, '所属行业').selectOption('物流');
      expect(await byLabel(page, '负责人').inputValue()).toBe('赵雷');
    } finally {
      await tab.close();
    }
    // The proposal is only a prefill: what is posted is saved.
    const res = await post('new-customer', newCustomerPayload({ owner: '李娜', region: '华东' }));
    expect(res.status).toBe(200);
  });
});
