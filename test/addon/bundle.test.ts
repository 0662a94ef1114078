/**
 * addon/dist/Code.js as Apps Script loads it: one classic script in a fresh global
 * scope, run against fakes of the services it calls.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Script } from 'node:vm';
import { whitelistPrefix } from '../../scripts/build-addon.ts';
import { loadBundle } from './fakes/services.ts';
import { FakeSpreadsheet } from './fakes/spreadsheet.ts';
import { built, SERVICE_URL, type Built } from './build.ts';
import { customerPayload, env as makeEnv, type Env, type Submit } from './env.ts';

const ENTRY_POINTS = [
  'customer360',
  'customerList',
  'exportReport',
  'formOptions',
  'initWorkbook',
  'myReportLinks',
  'myTierPreview',
  'myWorklist',
  'onInstall',
  'onOpen',
  'openCustomers',
  'openEditCustomer',
  'openExperienceSurvey',
  'openFollowUp',
  'openFormFromWorklist',
  'openHandleTicket',
  'openNeedsSurvey',
  'openNewCustomer',
  'openNewOrder',
  'openNewTicket',
  'openReviewVisit',
  'openSettings',
  'openSignContract',
  'openTierPreview',
  'openVisitRecord',
  'openWorklist',
  'saveSettings',
  'searchCustomers',
  'submitForm',
  'syncNow',
  'syncStatus',
  'updatePermissions',
];

const SCOPES = [
  'https://www.googleapis.com/auth/spreadsheets.currentonly',
  'https://www.googleapis.com/auth/script.container.ui',
  'https://www.googleapis.com/auth/script.external_request',
  'openid',
  'https://www.googleapis.com/auth/userinfo.email',
];

let build: Built;

beforeAll(async () => {
  build = await built();
}, 60_000);

const env = (ss?: FakeSpreadsheet) => makeEnv(build, ss);

describe('the build', () => {
  it('is one classic script without import or export', () => {
    expect(() => new Script(build.code)).not.toThrow();
    // Module syntax, not words inside strings (the Sheets export endpoint's URL is one).
    const code = build.code.replace(/(["'`])(?:\\.|(?!\1)[^\\\n])*\1/g, '""');
    expect(code).not.toMatch(/\b(import|export)\b/);
    expect(build.files.sort()).toEqual(
      [
        'Code.js',
        'appsscript.json',
        'customers.html',
        'edit-customer.html',
        'experience-survey.html',
        'follow-up.html',
        'handle-ticket.html',
        'needs-survey.html',
        'new-customer.html',
        'new-order.html',
        'new-ticket.html',
        'review-visit.html',
        'sign-contract.html',
        'sync-status.html',
        'visit-record.html',
        'worklist.html',
      ].sort(),
    );
  });

  it('declares every entry point as a top-level function', () => {
    expect(build.entryPoints).toEqual(ENTRY_POINTS);
    const { ctx } = env();
    for (const name of ENTRY_POINTS) {
      expect(build.code).toMatch(new RegExp(`^function ${name}\\(`, 'm'));
      expect(typeof ctx[name], name).toBe('function');
    }
    // Only function declarations have their value before the script's first line runs.
    const probe = `var __seen = {};\n${ENTRY_POINTS.map((n) => `__seen.${n} = typeof ${n};`).join('\n')}\n`;
    const early = loadBundle(probe + build.code, {});
    expect(Object.values(early.__seen as object)).toEqual(ENTRY_POINTS.map(() => 'function'));
  });

  it('writes a V8 manifest with exactly the scopes and the service in the whitelist', () => {
    expect(build.manifest.runtimeVersion).toBe('V8');
    expect(build.manifest.oauthScopes).toEqual(SCOPES);
    expect(build.manifest.urlFetchWhitelist).toEqual([SERVICE_URL + '/']);
  });

  it('takes only an https service URL for the whitelist', () => {
    expect(whitelistPrefix('https://crm.example.com')).toBe('https://crm.example.com/');
    expect(whitelistPrefix('https://crm.example.com/sync//')).toBe('https://crm.example.com/sync/');
    expect(() => whitelistPrefix('http://crm.example.com')).toThrow(/https/);
    expect(() => whitelistPrefix('crm.example.com')).toThrow(/not a URL/);
  });
});

describe('onOpen', () => {
  it('adds the 客户管理 menu with every item, each calling an entry point', () => {
    const e = env();
    e.call('onOpen', { authMode: 'LIMITED' });
    expect(e.ui.menus).toHaveLength(1);
    const [menu] = e.ui.menus;
    expect(menu!.caption).toBe('客户管理');
    const items = menu!.items.filter((i) => i !== '---') as { caption: string; fn: string }[];
    expect(items.map((i) => i.caption)).toEqual([
      '我的待办',
      '初始化表格',
      '更新权限',
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
      '客户列表',
      '立即同步',
      '导出报表',
      '预览分层变化',
      '设置',
    ]);
    for (const i of items) expect(ENTRY_POINTS).toContain(i.fn);
    e.call('onInstall', {});
    expect(e.ui.menus).toHaveLength(2);
  });

  it('opens each form as a sidebar from its own page', () => {
    const e = env();
    e.call('openNewTicket');
    e.call('openReviewVisit');
    expect(e.ui.sidebars.map((s) => [s.file, s.getTitle()])).toEqual([
      ['new-ticket', '新建工单'],
      ['review-visit', '审核回访记录'],
    ]);
    expect(e.ui.sidebars[0]!.getContent()).toContain('data-form="new-ticket"');
  });

  it('opens the customers list as a sidebar', () => {
    const e = env();
    e.call('openCustomers');
    expect(e.ui.sidebars.map((s) => [s.file, s.getTitle()])).toEqual([['customers', '客户']]);
    expect(e.ui.sidebars[0]!.getContent()).toContain('data-form="customers"');
  });
});

describe('form submissions', () => {
  let e: Env;
  beforeEach(() => {
    e = env();
    e.call('initWorkbook');
  });

  it('appends a checked row with a new ID, as real cells', () => {
    const first = e.call<Submit>('submitForm', 'new-customer', customerPayload());
    expect(first).toEqual({ ok: true, id: 'E20240001', row: 2 });
    const second = e.call<Submit>(
      'submitForm',
      'new-customer',
      customerPayload({ kind: '个人', name: '张伟', contact: '', phone: '13912345678' }),
    );
    expect(second).toEqual({ ok: true, id: 'P20240001', row: 3 });
    const third = e.call<Submit>(
      'submitForm',
      'new-customer',
      customerPayload({ name: '宁波海川' }),
    );
    // Same phone as the first: a possible duplicate, saved only once confirmed.
    expect(third).toMatchObject({ ok: false });
    expect((third as { message: string }).message).toContain(
      '可能与 E20240001 杭州云帆科技有限公司 重复（联系电话相同）',
    );
    const confirmed = e.call<Submit>('submitForm', 'new-customer', {
      ...customerPayload({ name: '宁波海川' }),
      confirmDuplicate: true,
    });
    expect(confirmed).toMatchObject({ ok: true, id: 'E20240002', row: 4 });

    const sheet = e.ss.sheet('客户');
    expect(sheet.records()[0]).toMatchObject({
      客户编号: 'E20240001',
      客户名称: '杭州云帆科技有限公司',
      联系电话: '057188886666',
      客户状态: '潜在',
      // 2024-06-15 as a date serial, shown by the column's date format
      建档日期: 45458,
    });
    // A mobile number stays text, not a number in scientific notation.
    expect(sheet.records()[1]!['联系电话']).toBe('13912345678');
    expect(sheet.getRange(2, 17).getValue()).toBeInstanceOf(Date);
    expect(e.lock.holder).toBeNull();
    expect(e.ss.flushes).toBe(3);

    const hits = e.call<{ id: string }[]>('searchCustomers', '海川');
    expect(hits.map((h) => h.id)).toEqual(['E20240002']);
    const options = e.call<{ user: string; timeZone: string; targets: { id: string }[] }>(
      'formOptions',
      'sign-contract',
      '',
    );
    expect(options.user).toBe(e.user.email);
    expect(options.timeZone).toBe('Asia/Shanghai');
    expect(options.targets.map((t) => t.id).sort()).toEqual(
      ['E20240001', 'E20240002', 'P20240001'].sort(),
    );
  });

  it('refuses an invalid submission with field messages and appends nothing', () => {
    const mutations = e.ss.mutations.length;
    const result = e.call<Submit>(
      'submitForm',
      'new-customer',
      customerPayload({ name: '', email: 'abc', phone: '' }),
    );
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/需要修改/);
    expect(result.problems).toMatchObject({ name: '“客户名称”必填' });
    expect(Object.keys(result.problems!)).toContain('email');
    expect(e.ss.mutations.slice(mutations)).toEqual([]);
    expect(e.ss.sheet('客户').getLastRow()).toBe(1);
    expect(e.lock.holder).toBeNull();
  });

  it('gives two submissions under contention distinct IDs', () => {
    // B submits while A is still waiting for the lock: A must read after B's row.
    e.lock.whileWaiting = () => {
      expect(
        e.call<Submit>(
          'submitForm',
          'new-customer',
          customerPayload({ name: 'B', phone: '0571-88880001' }),
        ),
      ).toEqual({
        ok: true,
        id: 'E20240001',
        row: 2,
      });
    };
    const a = e.call<Submit>(
      'submitForm',
      'new-customer',
      customerPayload({ name: 'A', phone: '0571-88880002' }),
    );
    expect(a).toEqual({ ok: true, id: 'E20240002', row: 3 });
    expect(
      e.ss
        .sheet('客户')
        .records()
        .map((r) => [r['客户编号'], r['客户名称']]),
    ).toEqual([
      ['E20240001', 'B'],
      ['E20240002', 'A'],
    ]);
  });

  it('tells the second person to retry while the first holds the lock', () => {
    let b: Submit | undefined;
    e.lock.whileHeld = () => {
      b = e.call<Submit>(
        'submitForm',
        'new-customer',
        customerPayload({ name: 'B', phone: '0571-88880001' }),
      );
    };
    const a = e.call<Submit>(
      'submitForm',
      'new-customer',
      customerPayload({ name: 'A', phone: '0571-88880002' }),
    );
    expect(a).toEqual({ ok: true, id: 'E20240001', row: 2 });
    expect(b).toEqual({ ok: false, message: expect.stringMatching(/稍后/), problems: {} });
    expect(e.lock.events).toEqual(['acquired', 'timeout after 10000', 'released']);
    expect(e.ss.sheet('客户').records()).toHaveLength(1);
  });

  it('records the signed-in reviewer and the day of the review', () => {
    e.call('submitForm', 'new-customer', customerPayload());
    const visit = e.call<Submit>('submitForm', 'visit-record', {
      customerId: 'E20240001',
      time: '2024-06-15 10:30',
      method: '电话',
      by: '李明',
    });
    expect(visit).toMatchObject({ ok: true, id: 'V20240001' });
    const review = e.call<Submit>('submitForm', 'review-visit', {
      visitId: 'V20240001',
      reviewComment: '同意',
    });
    expect(review).toEqual({ ok: true, id: 'V20240001', row: 2 });
    const [row] = e.ss.sheet('回访记录').records();
    expect(row).toMatchObject({ 审核人: e.user.email, 审核意见: '同意' });
    expect(typeof row!['审核日期']).toBe('number');
    const reviewDateCol = e.ss.sheet('回访记录').headers().indexOf('审核日期') + 1;
    expect(e.ss.sheet('回访记录').getRange(2, reviewDateCol).getValue()).toBeInstanceOf(Date);
  });
});
