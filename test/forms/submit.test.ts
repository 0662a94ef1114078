import { describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { daysFromCivil, dayToSerial, secondsToSerial, startOfDay } from '../../shared/calendar.ts';
import { applySubmission, type Submission } from '../../shared/forms/submit.ts';
import type { WorkbookInput } from '../../shared/validate/index.ts';
import { MemoryStore } from '../helpers/memoryStore.ts';
import { CUSTOMER_ROWS, NOW, USER, customer, newCustomerPayload, sampleStore } from './fixture.ts';

const TODAY_SERIAL = dayToSerial(daysFromCivil(2024, 6, 15));
const NOW_SERIAL = secondsToSerial(NOW);

async function submit(
  store: MemoryStore,
  form: string,
  payload: unknown,
  user = USER,
): Promise<Submission> {
  return store.exclusive(async () => {
    const { input } = await store.read();
    const result = applySubmission(form, payload, input, { now: NOW, user });
    if (result.ok) await store.writeCells(result.cells);
    return result;
  });
}

function okOf(result: Submission): Extract<Submission, { ok: true }> {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems)}`);
  return result;
}

function problemsOf(result: Submission): Record<string, string> {
  if (result.ok) throw new Error(`accepted as ${result.id}`);
  return result.problems;
}

describe('新建客户', () => {
  it('takes the next serial after the largest E2024 ID and appends below the last row', async () => {
    const store = sampleStore();
    const result = okOf(await submit(store, 'new-customer', newCustomerPayload()));
    // E20240007 is the largest well-formed E2024 ID; E20230099, P20240003 and E20240008x do not count.
    expect(result.id).toBe('E20240008');
    expect(result.row).toBe(CUSTOMER_ROWS.length + 2);
    const row = store.records(T.CUSTOMERS.name).at(-1)!;
    expect(row).toMatchObject({
      客户编号: 'E20240008',
      客户类型: '企业',
      客户名称: '上海星河物流有限公司',
      联系电话: '02166668888',
      建档日期: TODAY_SERIAL,
      客户状态: '潜在',
      意向等级: 'B',
    });
    expect(row['近12月金额']).toBeNull();
    const idCell = result.cells.find((c) => c.column === 'customerId')!;
    expect(idCell).toMatchObject({ row: result.row, rowId: 'E20240008', format: 'text' });
  });

  it('uses the 个人 prefix and the year of 建档日期', async () => {
    const store = sampleStore();
    const result = okOf(
      await submit(
        store,
        'new-customer',
        newCustomerPayload({
          kind: '个人',
          name: '刘洋',
          contact: '',
          createdDate: '2023-12-30',
        }),
      ),
    );
    expect(result.id).toBe('P20230001');
  });

  it('refuses an invalid customer with zh-CN messages per field and writes nothing', async () => {
    const store = sampleStore();
    const before = structuredClone([...store.tabs]);
    const problems = problemsOf(
      await submit(
        store,
        'new-customer',
        newCustomerPayload({
          name: '',
          phone: '12345',
          email: 'not-an-email',
          createdDate: '2024-13-01',
          contact: '',
        }),
      ),
    );
    expect(problems).toMatchObject({
      name: '“客户名称”必填',
      contact: '客户类型为“企业”时“联系人”必填',
      createdDate: expect.stringContaining('“建档日期”'),
      email: expect.stringContaining('应为邮箱地址'),
    });
    // Neither contact way is valid: the sync's 错误, reported on 联系电话.
    expect(problems.phone).toMatch(/联系电话/);
    expect(store.cellWrites).toEqual([]);
    expect([...store.tabs]).toEqual(before);
  });

  it('keeps text that looks like a formula as text', async () => {
    const store = sampleStore();
    const result = okOf(
      await submit(
        store,
        'new-customer',
        newCustomerPayload({ notes: '=1+1', name: '=HYPERLINK("x")' }),
      ),
    );
    const notes = result.cells.find((c) => c.column === 'notes')!;
    expect(notes).toMatchObject({ value: '=1+1', format: 'text' });
    expect(store.cell(T.CUSTOMERS.name, result.row, '备注')).toBe('=1+1');
    expect(store.cell(T.CUSTOMERS.name, result.row, '客户名称')).toBe('=HYPERLINK("x")');
  });

  it('writes dates and money as numbers a spreadsheet can compute with', async () => {
    const store = sampleStore();
    const result = okOf(
      await submit(
        store,
        'new-customer',
        newCustomerPayload({
          status: '正式',
          signedDate: '2024/6/1',
          contractAmount: '¥12,000',
          contractEnd: '2025年5月31日',
        }),
      ),
    );
    const byKey = new Map(result.cells.map((c) => [c.column, c]));
    expect(byKey.get('signedDate')).toMatchObject({
      value: dayToSerial(daysFromCivil(2024, 6, 1)),
      format: 'date',
    });
    expect(byKey.get('contractAmount')).toMatchObject({ value: 12000, format: 'money' });
    expect(byKey.get('contractEnd')?.value).toBe(dayToSerial(daysFromCivil(2025, 5, 31)));
  });

  it('finds columns by header when people reordered them and added their own', async () => {
    const headers = T.CUSTOMERS.columns.map((c) => c.header).reverse();
    headers.splice(3, 0, '我的备注列');
    const store = MemoryStore.of([[T.CUSTOMERS, [customer({ 我的备注列: '别动' })], headers]]);
    const result = okOf(await submit(store, 'new-customer', newCustomerPayload()));
    expect(result.id).toBe('E20240002');
    const grid = store.tabs.get(T.CUSTOMERS.name)!;
    const row = grid[result.row - 1]!;
    expect(row[headers.indexOf('客户名称')]).toBe('上海星河物流有限公司');
    expect(row[headers.indexOf('客户编号')]).toBe('E20240002');
    expect(row[headers.indexOf('我的备注列')] ?? null).toBeNull();
    expect(grid[0]).toEqual(headers);
  });

  it('adds a missing header at the right end of row 1 when it has something to write there', async () => {
    const headers = T.CUSTOMERS.columns
      .map((c) => c.header)
      .filter((h) => h !== '偏好' && h !== '区域');
    const store = MemoryStore.of([[T.CUSTOMERS, [customer()], headers]]);
    const result = okOf(
      await submit(store, 'new-customer', newCustomerPayload({ preferences: '偏好电话沟通' })),
    );
    const header = store.tabs.get(T.CUSTOMERS.name)![0]!;
    expect(header).toEqual([...headers, '偏好']);
    expect(store.cell(T.CUSTOMERS.name, result.row, '偏好')).toBe('偏好电话沟通');
  });

  it('never lands on a row people used in a column of their own', async () => {
    const headers = [...T.CUSTOMERS.columns.map((c) => c.header), '草稿'];
    const store = MemoryStore.of([[T.CUSTOMERS, [customer()], headers]]);
    store.tabs.get(T.CUSTOMERS.name)!.push(headers.map((h) => (h === '草稿' ? '待补充' : null)));
    const result = okOf(await submit(store, 'new-customer', newCustomerPayload()));
    expect(result.row).toBe(4);
  });

  it('refuses when the workbook has no 客户 tab', () => {
    const input: WorkbookInput = { tabs: new Map(), epoch: 'sheets' };
    const result = applySubmission('new-customer', newCustomerPayload(), input, {
      now: NOW,
      user: USER,
    });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/没有“客户”工作表/);
  });
});

describe('记录跟进', () => {
  const payload = (extra: Record<string, string> = {}) => ({
    customerId: 'E20240001',
    time: '2024-06-15 09:10',
    method: '电话',
    content: '确认续约意向',
    by: USER,
    ...extra,
  });

  it('appends a follow-up with a G ID', async () => {
    const store = sampleStore();
    const result = okOf(await submit(store, 'follow-up', payload()));
    expect(result.id).toBe('G20240001');
    expect(store.records(T.FOLLOW_UPS.name)[0]).toMatchObject({
      跟进编号: 'G20240001',
      客户编号: 'E20240001',
      跟进时间: secondsToSerial(startOfDay(daysFromCivil(2024, 6, 15)) + 9 * 3600 + 10 * 60),
      沟通内容: '确认续约意向',
    });
  });

  it('refuses a follow-up for a customer that does not exist', async () => {
    const store = sampleStore();
    const problems = problemsOf(
      await submit(store, 'follow-up', payload({ customerId: 'E20249999' })),
    );
    expect(problems.customerId).toBe('客户编号 E20249999 在“客户”表中不存在：应填写已有客户的编号');
    expect(store.cellWrites).toEqual([]);
  });

  it('refuses a follow-up dated after now, which a sync would leave out', async () => {
    const store = sampleStore();
    const problems = problemsOf(
      await submit(store, 'follow-up', payload({ time: '2024-06-20 09:00' })),
    );
    expect(problems.time).toMatch(/晚于今天/);
  });
});

describe('新建工单', () => {
  const payload = (extra: Record<string, string> = {}) => ({
    customerId: 'E20240007',
    type: '产品质量',
    description: '包装破损',
    urgency: '中',
    ...extra,
  });

  it('fills 处理部门 from 工单路由, sets 状态 新建 and 创建时间 now', async () => {
    const store = sampleStore();
    const result = okOf(await submit(store, 'new-ticket', payload()));
    expect(result.id).toBe('T20240003');
    expect(store.records(T.TICKETS.name).at(-1)).toMatchObject({
      工单编号: 'T20240003',
      处理部门: '质量部',
      状态: '新建',
      创建时间: NOW_SERIAL,
    });
  });

  it('falls back to the default route for a type the tab does not list, and keeps a department typed in', async () => {
    const store = sampleStore();
    okOf(await submit(store, 'new-ticket', payload({ type: '账单费用' })));
    okOf(await submit(store, 'new-ticket', payload({ department: '大客户部' })));
    const rows = store.records(T.TICKETS.name);
    expect(rows.at(-2)?.['处理部门']).toBe('财务部');
    expect(rows.at(-1)?.['处理部门']).toBe('大客户部');
    expect(rows.at(-1)?.['工单编号']).toBe('T20240004');
  });
});

describe('处理工单', () => {
  it('records a response and resolves the ticket with 满意度', async () => {
    const store = sampleStore();
    const result = okOf(
      await submit(store, 'handle-ticket', {
        ticketId: 'T20240001',
        respondedAt: '2024-06-10 10:00',
        handler: '王工',
        status: '已解决',
        resolution: '更换轴承',
        resolvedAt: '2024-06-14 16:00',
        satisfaction: '5',
      }),
    );
    expect(result).toMatchObject({ id: 'T20240001', row: 2 });
    expect(store.records(T.TICKETS.name)[0]).toMatchObject({
      工单编号: 'T20240001',
      问题描述: '设备异响',
      状态: '已解决',
      处理人: '王工',
      满意度: 5,
      解决时间: secondsToSerial(startOfDay(daysFromCivil(2024, 6, 14)) + 16 * 3600),
    });
    // Only the changed cells, all on the ticket's own row.
    expect(result.cells.every((c) => c.row === 2 && c.rowId === 'T20240001')).toBe(true);
    expect(result.cells.map((c) => c.column).sort()).toEqual(
      ['handler', 'resolution', 'resolvedAt', 'respondedAt', 'satisfaction', 'status'].sort(),
    );
  });

  it('refuses 已解决 without 解决时间, and 满意度 outside 1–5', async () => {
    const store = sampleStore();
    const problems = problemsOf(
      await submit(store, 'handle-ticket', {
        ticketId: 'T20240001',
        status: '已解决',
        satisfaction: '9',
      }),
    );
    expect(problems.resolvedAt).toMatch(/未填解决时间/);
    expect(problems.satisfaction).toBe('“满意度”应为1 到 5 之间的整数');
  });

  it('refuses a ticket that is already closed or no longer there', async () => {
    const store = sampleStore();
    expect(
      problemsOf(await submit(store, 'handle-ticket', { ticketId: 'T20240002' })).ticketId,
    ).toMatch(/已是“已解决”/);
    expect(
      problemsOf(await submit(store, 'handle-ticket', { ticketId: 'T20249999' })).ticketId,
    ).toMatch(/不存在/);
    expect(problemsOf(await submit(store, 'handle-ticket', {})).ticketId).toBe(
      '请先选择要处理的工单',
    );
  });
});

describe('签约转正', () => {
  it('turns a lead into a signed customer', async () => {
    const store = sampleStore();
    const result = okOf(
      await submit(store, 'sign-contract', {
        customerId: 'P20240003',
        signedDate: '2024-06-15',
        contractAmount: '1.2万',
        contractEnd: '2025-06-14',
      }),
    );
    expect(result).toMatchObject({ id: 'P20240003', row: 3 });
    expect(store.records(T.CUSTOMERS.name)[1]).toMatchObject({
      客户编号: 'P20240003',
      客户状态: '正式',
      签约日期: TODAY_SERIAL,
      合同金额: 12000,
      意向等级: 'A',
    });
  });

  it('finds the customer by ID after rows moved, and refuses one that is no longer a lead', async () => {
    const store = sampleStore();
    const grid = store.tabs.get(T.CUSTOMERS.name)!;
    grid.splice(1, 0, grid.splice(2, 1)[0]!);
    const result = okOf(
      await submit(store, 'sign-contract', { customerId: 'P20240003', signedDate: '2024-06-15' }),
    );
    expect(result.row).toBe(2);
    const again = problemsOf(
      await submit(store, 'sign-contract', { customerId: 'P20240003', signedDate: '2024-06-15' }),
    );
    expect(again.customerId).toMatch(/不再是潜在客户/);
  });

  it('refuses a contract end before the signing date', async () => {
    const store = sampleStore();
    const problems = problemsOf(
      await submit(store, 'sign-contract', {
        customerId: 'P20240003',
        signedDate: '2024-06-15',
        contractEnd: '2024-01-01',
      }),
    );
    expect(problems.contractEnd).toBe('合同到期日应晚于签约日期 2024-06-15');
  });
});

describe('回访记录', () => {
  it('appends a visit record', async () => {
    const store = sampleStore();
    const result = okOf(
      await submit(store, 'visit-record', {
        customerId: 'P20240003',
        time: '2024-06-15 10:00',
        method: '微信',
        by: USER,
        productSatisfaction: '一般',
      }),
    );
    expect(result.id).toBe('V20240003');
  });

  it('审核回访记录 writes 审核人 = the user and 审核日期 = today', async () => {
    const store = sampleStore();
    const result = okOf(
      await submit(
        store,
        'review-visit',
        { visitId: 'V20240001', reviewComment: '同意' },
        'zhou@example.com',
      ),
    );
    expect(result).toMatchObject({ id: 'V20240001', row: 2 });
    expect(store.records(T.VISITS.name)[0]).toMatchObject({
      回访编号: 'V20240001',
      审核人: 'zhou@example.com',
      审核日期: TODAY_SERIAL,
      审核意见: '同意',
      回访人: '赵雷',
    });
  });

  it('refuses a review when it cannot tell who reviews', async () => {
    const store = sampleStore();
    const result = await submit(store, 'review-visit', { visitId: 'V20240001' }, ' ');
    expect(result).toMatchObject({ ok: false, message: expect.stringMatching(/无法识别当前用户/) });
    expect(store.cellWrites).toEqual([]);
  });

  it('refuses a visit that was already reviewed', async () => {
    const store = sampleStore();
    const problems = problemsOf(await submit(store, 'review-visit', { visitId: 'V20240002' }));
    expect(problems.visitId).toMatch(/已由 周经理 于 2024-05-21 审核/);
  });
});

describe('payloads', () => {
  it('refuses a payload that is not an object, and an unknown form', () => {
    const input: WorkbookInput = {
      tabs: new Map([[T.CUSTOMERS.name, [{ row: 1, cells: ['客户编号'] }]]]),
      epoch: 'sheets',
    };
    const notObject = applySubmission('new-customer', ['x'], input, { now: NOW, user: USER });
    expect(notObject.ok).toBe(false);
    expect(applySubmission('nope', {}, input, { now: NOW, user: USER })).toMatchObject({
      ok: false,
      message: '没有表单“nope”',
    });
  });

  it('refuses values that are not text or numbers and overlong text', async () => {
    const store = sampleStore();
    const problems = problemsOf(
      await submit(store, 'new-customer', newCustomerPayload({ notes: 'x'.repeat(6000) })),
    );
    expect(problems.notes).toMatch(/内容过长/);
    const nested = problemsOf(
      await submit(store, 'new-customer', { ...newCustomerPayload(), name: { a: 1 } }),
    );
    expect(nested.name).toBe('应为文字或数字');
  });
});
