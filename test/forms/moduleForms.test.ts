/**
 * The forms of the seeds' modules: the two surveys, 回访结果 and the visit topics,
 * 请求类型 first on 新建工单, 服务策略 beside a chosen customer and the 负责人 线索分配
 * proposes on 新建客户.
 */
import { describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { FIRST_FEEDBACK_TAG, VISIT_TOPICS } from '../../sheets-templates/values.ts';
import { formOptions } from '../../shared/forms/api.ts';
import { proposedOwner } from '../../shared/forms/customerCard.ts';
import { formByKey } from '../../shared/forms/definitions.ts';
import { findTargets, searchCustomers } from '../../shared/forms/pickers.ts';
import { applySubmission } from '../../shared/forms/submit.ts';
import { initialValues } from '../../shared/forms/values.ts';
import { defaultSettings } from '../../shared/settings.ts';
import { FORM_ACTIONS, decide } from '../../shared/permissions.ts';
import { MemoryStore } from '../helpers/memoryStore.ts';
import { CUSTOMER_ROWS, NOW, USER, customer, sampleStore } from './fixture.ts';

const env = { settings: defaultSettings(), now: NOW, user: USER, routing: {} };

function moduleStore(): MemoryStore {
  return MemoryStore.of([
    [
      T.CUSTOMERS,
      [
        { ...CUSTOMER_ROWS[0]!, 客户分层: '高价值客户' },
        customer({ 客户编号: 'E20240002', 客户名称: '杭州云帆科技', 联系电话: '13900001111' }),
      ],
    ],
    [
      T.TICKETS,
      [
        {
          工单编号: 'T20240001',
          客户编号: 'E20240001',
          工单类型: '其他',
          问题描述: '咨询',
          紧急程度: '低',
          创建时间: '2024-06-14 09:00',
          状态: '新建',
        },
      ],
    ],
    [T.NEEDS_SURVEYS, []],
    [T.EXPERIENCE_SURVEYS, []],
    [T.SETTINGS_TAB, []],
    [
      T.TIER_STRATEGIES,
      [
        { 分层名称: '高价值客户', 服务策略: '专属客户经理，每月回访', '回访周期(月)': 1 },
        { 分层名称: '高价值客户', 服务策略: '第二行不算' },
      ],
    ],
    [
      T.LEAD_ASSIGNMENT,
      [
        { 优先级: 2, 所属行业: null, 区域: '华东', 负责人: '王芳' },
        { 优先级: 1, 所属行业: '物流', 区域: '华东', 负责人: '李娜' },
        { 优先级: 'x', 所属行业: null, 区域: null, 负责人: '跳过' },
      ],
    ],
  ]);
}

describe('survey forms', () => {
  it('asks 1–5 and 0–10 scores with buttons, tags a new 体验问卷 新客户首次反馈', () => {
    const form = formByKey('experience-survey')!;
    const byKey = new Map(form.fields.map((f) => [f.key, f]));
    for (const key of ['overall', 'product', 'service', 'delivery'])
      expect(byKey.get(key)).toMatchObject({ input: 'scale', min: 1, max: 5 });
    expect(byKey.get('recommend')).toMatchObject({ input: 'scale', min: 0, max: 10 });
    expect(byKey.get('customerId')?.input).toBe('customer');
    expect(initialValues(form, env)).toMatchObject({
      tag: FIRST_FEEDBACK_TAG,
      date: '2024-06-15',
    });
    expect(FORM_ACTIONS['experience-survey']).toBe('recordVisit');
  });

  it('writes a W… row, and refuses a score outside the scale writing nothing', async () => {
    const input = (await moduleStore().read()).input;
    const ok = applySubmission(
      'experience-survey',
      {
        customerId: 'E20240001',
        date: '2024-06-15',
        overall: '5',
        recommend: '10',
        tag: FIRST_FEEDBACK_TAG,
      },
      input,
      { now: NOW, user: USER },
    );
    expect(ok).toMatchObject({ ok: true, id: 'W20240001', row: 2 });
    const bad = applySubmission(
      'experience-survey',
      { customerId: 'E20240001', date: '2024-06-15', overall: '6', recommend: '11' },
      input,
      { now: NOW, user: USER },
    );
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(Object.keys(bad.problems).sort()).toEqual(['overall', 'recommend']);
  });

  it('fills 调查人 with the person and numbers 需求调查 rows Q…', async () => {
    const form = formByKey('needs-survey')!;
    expect(initialValues(form, env)).toMatchObject({ by: USER, date: '2024-06-15' });
    const input = (await moduleStore().read()).input;
    const ok = applySubmission(
      'needs-survey',
      { customerId: 'E20240002', date: '2024-06-15', by: USER, productNeeds: '冷链车' },
      input,
      { now: NOW, user: USER },
    );
    expect(ok).toMatchObject({ ok: true, id: 'Q20240001' });
    // A 销售 may survey their own customers only, like 记录跟进.
    const rep = { name: '赵雷', role: '销售' as const, department: '', active: true };
    expect(decide(rep, FORM_ACTIONS['needs-survey'], { owner: '赵雷' }).ok).toBe(true);
    expect(decide(rep, FORM_ACTIONS['needs-survey'], { owner: '王芳' }).ok).toBe(false);
    const service = { ...rep, role: '客服' as const };
    expect(decide(service, FORM_ACTIONS['needs-survey'], { owner: '王芳' }).ok).toBe(false);
    expect(decide(service, FORM_ACTIONS['experience-survey'], { owner: '王芳' }).ok).toBe(true);
  });
});

describe('visit and ticket forms', () => {
  it('offers the five visit topics under 回访目的 and asks 回访结果 (default 完成)', () => {
    const form = formByKey('visit-record')!;
    const purpose = form.fields.find((f) => f.key === 'purpose')!;
    expect(purpose.prompts).toEqual(VISIT_TOPICS);
    expect(VISIT_TOPICS).toHaveLength(5);
    const outcome = form.fields.find((f) => f.key === 'outcome')!;
    expect(outcome).toMatchObject({
      input: 'select',
      options: ['完成', '未联系上', '客户拒访', '需再次回访'],
    });
    expect(initialValues(form, env).outcome).toBe('完成');
  });

  it('asks 请求类型 first on 新建工单, defaulting to 投诉, and takes 客户诉求', () => {
    const form = formByKey('new-ticket')!;
    expect(form.fields[0]).toMatchObject({
      key: 'requestType',
      label: '请求类型',
      input: 'select',
    });
    expect(form.fields.map((f) => f.label)).toContain('客户诉求');
    expect(initialValues(form, env).requestType).toBe('投诉');
  });
});

describe('服务策略 and 线索分配 in the forms', () => {
  it('gives pickers the customer tier and the page each tier’s 服务策略 (first row wins)', async () => {
    const input = (await moduleStore().read()).input;
    const options = formOptions(formByKey('handle-ticket')!, input, { user: USER });
    expect(options.strategies).toEqual({ 高价值客户: '专属客户经理，每月回访' });
    expect(options.targets[0]).toMatchObject({ id: 'T20240001', tier: '高价值客户' });
    expect(searchCustomers(input, 'E20240001')[0]).toMatchObject({ tier: '高价值客户' });
    expect(findTargets(input, 'customer', 'E20240002')[0]?.tier).toBe('');
  });

  it('proposes the 负责人 of the first matching 线索分配 row for a new lead', async () => {
    const input = (await moduleStore().read()).input;
    const rules = formOptions(formByKey('new-customer')!, input, { user: USER }).leadRules;
    // 优先级 1 (物流, 华东) before 2 (any industry, 华东); the row with 优先级 x is skipped.
    expect(rules.map((r) => r.owner)).toEqual(['李娜', '王芳']);
    expect(proposedOwner({ industry: '物流', region: '华东', status: '潜在' }, rules)).toBe('李娜');
    expect(proposedOwner({ industry: '零售', region: '华东' }, rules)).toBe('王芳');
    expect(proposedOwner({ industry: '零售', region: '华南' }, rules)).toBeNull();
    // A customer signed at entry is not a lead: nothing is proposed.
    expect(proposedOwner({ industry: '物流', region: '华东', status: '正式' }, rules)).toBeNull();
    expect(formOptions(formByKey('follow-up')!, input, { user: USER }).leadRules).toEqual([]);
  });

  it('has no rules and no strategies where the workbook has neither tab', async () => {
    const input = (await sampleStore().read()).input;
    const options = formOptions(formByKey('new-customer')!, input, { user: USER });
    expect(options.leadRules).toEqual([]);
    // 分层策略 missing: its default rows, as the sync reads it.
    expect(options.strategies['高价值客户']).toContain('专属客户经理');
  });
});
