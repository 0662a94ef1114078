import { describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { formOptions } from '../../shared/forms/api.ts';
import { FORMS, formByKey, isRequired } from '../../shared/forms/definitions.ts';
import {
  customerExists,
  leads,
  openTickets,
  pendingVisits,
  searchCustomers,
  ticketRouting,
} from '../../shared/forms/pickers.ts';
import { isHidden, presentationOf } from '../../shared/forms/presentation.ts';
import { checkForm } from '../../shared/forms/schema.ts';
import { applySubmission } from '../../shared/forms/submit.ts';
import { dependentChanges, initialValues, type FormEnv } from '../../shared/forms/values.ts';
import { defaultSettings } from '../../shared/settings.ts';
import type { WorkbookInput } from '../../shared/validate/index.ts';
import { MemoryStore } from '../helpers/memoryStore.ts';
import { NOW, USER, customer, newCustomerPayload, sampleStore } from './fixture.ts';

const input = async (store = sampleStore()): Promise<WorkbookInput> => (await store.read()).input;

const env = (wb: WorkbookInput): FormEnv => ({
  settings: defaultSettings(),
  now: NOW,
  user: USER,
  routing: ticketRouting(wb),
});

describe('form definitions', () => {
  it('derives every field from a template column: header as label, values as options', () => {
    expect(FORMS.map((f) => f.title)).toEqual([
      '新建客户',
      '签约转正',
      '记录跟进',
      '新建工单',
      '处理工单',
      '填写回访记录',
      '审核回访记录',
      '新建订单',
      '编辑客户',
      '客户需求调查',
      '新客户体验问卷',
    ]);
    for (const form of FORMS) {
      for (const f of form.fields) {
        const column = T.column(form.tab, f.key);
        expect(f.label).toBe(presentationOf(form.tab, column).label ?? column.header);
        expect(column.owner).toBe('people');
        if (column.values) expect(f.options).toEqual(column.values);
      }
    }
  });

  it('words a few fields for the person filling them, keeping the workbook headers', () => {
    const planDate = formByKey('follow-up')!.fields.find((f) => f.key === 'planDate')!;
    expect(planDate.label).toBe('下次跟进日期');
    expect(planDate.column.header).toBe('计划日期');
    const region = formByKey('new-customer')!.fields.find((f) => f.key === 'region')!;
    expect(region).toMatchObject({
      input: 'select',
      freeText: false,
      optionsFrom: { kind: 'setting', setting: '区域列表' },
    });
  });

  it('hides what does not apply: 个人 has no 联系人 or 统一社会信用代码, 潜在 no contract', () => {
    const form = formByKey('new-customer')!;
    const hidden = (values: Record<string, string>) =>
      form.fields.filter((f) => isHidden(form.fields, f, values)).map((f) => f.key);
    expect(hidden({ kind: '个人', status: '正式' })).toEqual([
      'creditCode',
      'contact',
      'contactTitle',
      'intent',
    ]);
    expect(hidden({ kind: '企业', status: '潜在' })).toEqual([
      'signedDate',
      'contractAmount',
      'contractEnd',
    ]);
    expect(hidden({})).toEqual([]);
    const intent = form.fields.find((f) => f.key === 'intent')!;
    expect(isRequired(intent, { status: '潜在' })).toBe(true);
    expect(isRequired(intent, { status: '正式' })).toBe(false);
    // 签约转正 has no 客户状态 field: its contract fields always show.
    const sign = formByKey('sign-contract')!;
    expect(sign.fields.filter((f) => isHidden(sign.fields, f, { status: '潜在' }))).toEqual([]);
  });

  it('shows every people column of 客户 but the ID on 新建客户', () => {
    const form = formByKey('new-customer')!;
    const expected = T.CUSTOMERS.columns
      .filter((c) => c.owner === 'people' && c.type !== 'id')
      .map((c) => c.header);
    expect(form.fields.map((f) => f.label)).toEqual(expected);
    const byKey = new Map(form.fields.map((f) => [f.key, f]));
    expect(byKey.get('kind')).toMatchObject({ input: 'select', options: ['企业', '个人'] });
    expect(byKey.get('createdDate')).toMatchObject({ input: 'date', prefill: 'today' });
    expect(byKey.get('phone')).toMatchObject({
      input: 'tel',
      hint: expect.stringContaining('手机'),
    });
    expect(byKey.get('level')?.prefill).toEqual({ value: '普通客户' });
    expect(isRequired(byKey.get('contact')!, { kind: '企业' })).toBe(true);
    expect(isRequired(byKey.get('contact')!, { kind: '个人' })).toBe(false);
  });

  it('opens 处理工单 from the ticket: 新建 moves on to 处理中, blanks take now and the user', async () => {
    const wb = await input();
    const form = formByKey('handle-ticket')!;
    const [ticket] = openTickets(wb);
    const values = initialValues(form, env(wb), ticket!.record);
    expect(values).toMatchObject({
      ticketId: 'T20240001',
      status: '处理中',
      respondedAt: '2024-06-15 10:30',
      handler: USER,
      resolvedAt: '',
    });
    values.status = '已解决';
    expect(dependentChanges(form, values, 'status', env(wb), new Set())).toEqual({
      resolvedAt: '2024-06-15 10:30',
    });
  });

  it('follows 工单类型 with 处理部门 until the person types a department', async () => {
    const wb = await input();
    const form = formByKey('new-ticket')!;
    const values = initialValues(form, env(wb));
    values.type = '产品质量';
    expect(dependentChanges(form, values, 'type', env(wb), new Set())).toEqual({
      department: '质量部',
    });
    expect(dependentChanges(form, values, 'type', env(wb), new Set(['department']))).toEqual({});
  });
});

describe('schemas', () => {
  it('gives the page the same messages the server gives', async () => {
    const wb = await input();
    const form = formByKey('new-customer')!;
    const payload = newCustomerPayload({ email: 'x@', phone: '', name: '' });
    const page = checkForm(form, payload, env(wb));
    const server = applySubmission('new-customer', payload, wb, { now: NOW, user: USER });
    expect(page.ok).toBe(false);
    expect(server.ok).toBe(false);
    expect(!page.ok && page.problems).toEqual(!server.ok && server.problems);
  });

  it('accepts a valid payload and hands back its values as text', async () => {
    const wb = await input();
    const result = checkForm(
      formByKey('new-customer')!,
      { ...newCustomerPayload(), extra: 1 },
      env(wb),
    );
    expect(result.ok).toBe(true);
    expect(result.ok && result.values.name).toBe('上海星河物流有限公司');
    expect(result.ok && 'extra' in result.values).toBe(false);
  });

  it('reads 所属行业 choices from 参数', async () => {
    const store = sampleStore();
    store.tabs.set(T.SETTINGS_TAB.name, [
      ['参数', '值', '说明'],
      ['行业列表', '新能源、半导体', ''],
    ]);
    const wb = await input(store);
    const form = formByKey('new-customer')!;
    expect(formOptions(form, wb, { user: USER }).choices.industry).toEqual(['新能源', '半导体']);
    const refused = applySubmission('new-customer', newCustomerPayload(), wb, {
      now: NOW,
      user: USER,
    });
    expect(!refused.ok && refused.problems.industry).toMatch(/不在可选值中/);
    const accepted = applySubmission(
      'new-customer',
      newCustomerPayload({ industry: '半导体' }),
      wb,
      {
        now: NOW,
        user: USER,
      },
    );
    expect(accepted.ok).toBe(true);
  });
});

describe('pickers', () => {
  it('finds customers by name, ID or phone', async () => {
    const wb = await input();
    expect(searchCustomers(wb, '云帆').map((c) => c.id)).toEqual(['E20240001']);
    expect(searchCustomers(wb, 'p2024').map((c) => c.id)).toEqual(['P20240003']);
    expect(searchCustomers(wb, '1391234').map((c) => c.id)).toEqual(['P20240003']);
    expect(searchCustomers(wb, '88886666')[0]).toMatchObject({
      id: 'E20240007',
      phone: '057****6666',
    });
    expect(searchCustomers(wb, '张伟')[0]).toMatchObject({
      name: '张伟',
      kind: '个人',
      status: '潜在',
      phone: '139****5678',
    });
    expect(searchCustomers(wb, '不存在的公司')).toEqual([]);
  });

  it('ranks the exact ID first and returns at most 20', async () => {
    const rows = Array.from({ length: 30 }, (_, i) =>
      customer({ 客户编号: `E2024${String(i + 1).padStart(4, '0')}`, 客户名称: `公司${i + 1}` }),
    );
    const wb = await input(MemoryStore.of([[T.CUSTOMERS, rows]]));
    expect(searchCustomers(wb, '公司')).toHaveLength(20);
    expect(searchCustomers(wb, 'E20240003')[0]?.id).toBe('E20240003');
    expect(
      searchCustomers(wb, '')
        .map((c) => c.id)
        .slice(0, 2),
    ).toEqual(['E20240030', 'E20240029']);
    expect(customerExists(wb, 'E20240030')).toBe(true);
    expect(customerExists(wb, 'E20240031')).toBe(false);
  });

  it('lists leads, open tickets and visits waiting for review', async () => {
    const wb = await input();
    expect(leads(wb).map((t) => t.id)).toEqual(['P20240003']);
    expect(leads(wb)[0]!.label).toBe('张伟（P20240003）');
    expect(openTickets(wb).map((t) => t.id)).toEqual(['T20240001']);
    expect(openTickets(wb)[0]!.label).toBe('T20240001 · 杭州云帆科技有限公司');
    expect(pendingVisits(wb).map((t) => t.id)).toEqual(['V20240001']);
    expect(pendingVisits(wb, '海川')).toEqual([]);
    expect(pendingVisits(wb, '云帆').map((t) => t.id)).toEqual(['V20240001']);
    expect(openTickets(wb)[0]!.record.createdAt).toBe('2024-06-10 09:00');
  });

  it('reads 工单路由, keeping defaults for types it does not list or when it is missing', async () => {
    expect(ticketRouting(await input())).toMatchObject({
      产品质量: '质量部',
      服务响应: '运营部',
      账单费用: '财务部',
    });
    expect(ticketRouting({ tabs: new Map(), epoch: 'sheets' })).toEqual({
      产品质量: '技术部',
      服务响应: '运营部',
      物流配送: '运营部',
      账单费用: '财务部',
      其他: '客服部',
    });
  });

  it('offers update forms their rows through formOptions', async () => {
    const wb = await input();
    const options = formOptions(formByKey('review-visit')!, wb, {
      user: USER,
      timeZone: 'Asia/Tokyo',
    });
    expect(options.timeZone).toBe('Asia/Tokyo');
    expect(options.targets.map((t) => t.id)).toEqual(['V20240001']);
    expect(formOptions(formByKey('new-ticket')!, wb, { user: USER }).choices.department).toEqual([
      '质量部',
      '运营部',
      '财务部',
      '客服部',
    ]);
  });
});
