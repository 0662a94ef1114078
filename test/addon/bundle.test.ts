/**
 * addon/dist/Code.js as Apps Script loads it: one classic script in a fresh global
 * scope, run against fakes of the services it calls.
 */
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Context } from 'node:vm';
import { Script } from 'node:vm';
import * as T from '../../sheets-templates/tabs.ts';
import { SETTINGS } from '../../sheets-templates/settings.ts';
import { whitelistPrefix } from '../../scripts/build-addon.ts';
import { fakeAppsScript, loadBundle, type AppsScript } from './fakes/services.ts';
import { FakeSpreadsheet } from './fakes/spreadsheet.ts';
import { built, SERVICE_URL, type Built } from './build.ts';
import { fakeService, type ServiceFake } from './service.ts';

const ENTRY_POINTS = [
  'customer360',
  'customerList',
  'formOptions',
  'initWorkbook',
  'onInstall',
  'onOpen',
  'openCustomers',
  'openFollowUp',
  'openHandleTicket',
  'openNewCustomer',
  'openNewTicket',
  'openReviewVisit',
  'openSettings',
  'openSignContract',
  'openVisitRecord',
  'saveSettings',
  'searchCustomers',
  'submitForm',
  'syncNow',
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

type Fn = (...args: unknown[]) => unknown;

interface Env extends AppsScript {
  ctx: Context;
  call<R = unknown>(name: string, ...args: unknown[]): R;
  service: ServiceFake;
}

function env(ss?: FakeSpreadsheet): Env {
  const spreadsheet = ss ?? new FakeSpreadsheet();
  const idToken = 'eyJhbGciOiJSUzI1NiJ9.test-token.sig';
  const service = fakeService(SERVICE_URL, idToken, [spreadsheet.id]);
  const gas = fakeAppsScript({
    dist: build.dir,
    whitelist: build.manifest.urlFetchWhitelist,
    ss: spreadsheet,
    idToken,
    fetch: (req) => service.handler(req),
  });
  const ctx = loadBundle(build.code, gas.globals);
  const call = <R>(name: string, ...args: unknown[]) => (ctx[name] as Fn)(...args) as R;
  return { ...gas, ctx, call, service };
}

const customerPayload = (extra: Record<string, string> = {}): Record<string, string> => ({
  kind: '企业',
  name: '杭州云帆科技有限公司',
  contact: '王芳',
  phone: '0571-88886666',
  industry: '信息技术',
  source: '转介绍',
  level: '普通客户',
  status: '潜在',
  intent: 'A',
  owner: '李明',
  createdDate: '2024-06-15',
  ...extra,
});

type Submit = { ok: boolean; id?: string; row?: number; message?: string; problems?: object };

describe('the build', () => {
  it('is one classic script without import or export', () => {
    expect(() => new Script(build.code)).not.toThrow();
    expect(build.code).not.toMatch(/\b(import|export)\b/);
    expect(build.files.sort()).toEqual(
      [
        'Code.js',
        'appsscript.json',
        'customers.html',
        'follow-up.html',
        'handle-ticket.html',
        'new-customer.html',
        'new-ticket.html',
        'review-visit.html',
        'sign-contract.html',
        'visit-record.html',
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
      '初始化表格',
      '新建客户',
      '签约转正',
      '记录跟进',
      '新建工单',
      '处理工单',
      '填写回访记录',
      '审核回访记录',
      '客户列表',
      '立即同步',
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

describe('初始化表格', () => {
  it('builds every tab of the templates on an empty spreadsheet', () => {
    const e = env();
    e.call('initWorkbook');
    const ss = e.ss;
    expect(ss.getSheets().map((s) => s.getName())).toEqual([
      '工作表1',
      ...T.TABS.map((t) => t.name),
    ]);
    for (const tab of T.TABS) {
      const sheet = ss.sheet(tab.name);
      expect(sheet.headers(), tab.name).toEqual(tab.columns.map((c) => c.header));
      if (tab.columns.length > 0) expect(sheet.getFrozenRows()).toBe(1);
      tab.columns.forEach((column, i) => {
        const cell = sheet.getRange(2, i + 1);
        const head = sheet.getRange(1, i + 1);
        const rule = cell.getDataValidation();
        const where = `${tab.name}.${column.header}`;
        if (column.owner === 'people' && column.valuesFrom?.kind === 'configColumn') {
          expect(rule?.getCriteriaType(), where).toBe('VALUE_IN_RANGE');
          expect(rule!.describe()).toMatchObject({ values: ['工单路由!B2:B1000', true] });
        } else if (column.owner === 'people' && column.values) {
          expect(rule?.getCriteriaType(), where).toBe('VALUE_IN_LIST');
          expect(rule!.getCriteriaValues()[0], where).toEqual([...column.values]);
          expect(rule!.getAllowInvalid(), where).toBe(column.outsideValues === 'warning');
        } else expect(rule, where).toBeNull();
        if (column.type === 'date') expect(cell.getNumberFormat(), where).toBe('yyyy-mm-dd');
        if (column.type === 'datetime')
          expect(cell.getNumberFormat(), where).toBe('yyyy-mm-dd hh:mm');
        if (column.type === 'money') expect(cell.getNumberFormat(), where).toBe('#,##0.00');
        if (column.owner === 'sync' && tab.kind !== 'syncTab') {
          expect(head.getNote(), where).toBe(T.SYNC_COLUMN_NOTE);
          expect(cell.getBackground(), where).not.toBe('#ffffff');
          const p = sheet.getProtections('RANGE').find((x) => x.getRange().getColumn() === i + 1);
          expect(p?.isWarningOnly(), where).toBe(true);
        }
      });
      if (tab.kind === 'syncTab') {
        const [p] = sheet.getProtections('SHEET');
        expect(p?.isWarningOnly(), tab.name).toBe(true);
      }
    }
    // 所属行业 lists the industries of 参数 and only warns about others.
    expect(ss.sheet('客户').getRange(2, 8).getDataValidation()!.getCriteriaValues()[0]).toContain(
      '制造业',
    );

    const rules = (name: string) =>
      ss
        .sheet(name)
        .getConditionalFormatRules()
        .map((r) => r.getBooleanCondition()!.getCriteriaValues()[0]);
    expect(rules('客户')).toEqual(['健康', '亚健康', '风险']);
    expect(rules('工单').sort()).toEqual(['按时', '超时', '响应超时', '处理中'].sort());
    expect(rules('回访计划').sort()).toEqual(['逾期', '今日', '待办'].sort());

    expect(ss.sheet('工单路由').records()).toEqual(
      T.TICKET_ROUTING.defaultRows!.map(([type, dept]) => ({ 工单类型: type, 处理部门: dept })),
    );
    expect(ss.sheet('参数').records()).toHaveLength(SETTINGS.length);
    expect(ss.sheet('参数').records()[0]).toMatchObject({ 参数: '时区', 值: 'Asia/Shanghai' });
    // "=" and ">=" stay operators, not broken formulas.
    expect(
      ss
        .sheet('分层规则')
        .records()
        .map((r) => r['运算符']),
    ).toEqual(['>=', '>=', '=', '=']);
    expect(ss.sheet('节假日').getLastRow()).toBe(1);
    expect(ss.toasts.at(-1)!.message).toMatch(/^初始化完成/);
  });

  it('changes nothing the second time', () => {
    const e = env();
    e.call('initWorkbook');
    const before = JSON.stringify(e.ss.dump());
    const mutations = e.ss.mutations.length;
    e.call('initWorkbook');
    expect(e.ss.mutations.slice(mutations)).toEqual([]);
    expect(JSON.stringify(e.ss.dump())).toBe(before);
    expect(e.ss.toasts.at(-1)!.message).toBe('表格已是最新的模板结构，没有需要修改的地方');
  });

  it("repairs a person's tab without moving or deleting their columns", () => {
    const ss = new FakeSpreadsheet();
    const sheet = ss.insertSheet('客户', 1);
    sheet.getRange(1, 1, 1, 4).setValues([['客户名称', '我的备注列', '客户编号', '客户类型']]);
    sheet.getRange(2, 1, 1, 4).setValues([['老客户', '自己记的', 'E20230001', '企业']]);
    sheet.getRange(1, 2).setNote('我的说明');
    sheet.getRange(1, 1).protect().setDescription('别动');
    const e = env(ss);
    e.call('initWorkbook');
    const headers = sheet.headers();
    expect(headers.slice(0, 4)).toEqual(['客户名称', '我的备注列', '客户编号', '客户类型']);
    expect(headers.slice(4)).toEqual(
      T.CUSTOMERS.columns
        .map((c) => c.header)
        .filter((h) => !['客户名称', '客户编号', '客户类型'].includes(h)),
    );
    expect(sheet.records()[0]).toMatchObject({
      客户名称: '老客户',
      我的备注列: '自己记的',
      客户编号: 'E20230001',
    });
    expect(sheet.getRange(1, 2).getNote()).toBe('我的说明');
    expect(sheet.getProtections('RANGE').map((p) => p.getDescription())).toContain('别动');
    // 客户类型 is found where the person put it.
    expect(sheet.getRange(2, 4).getDataValidation()!.getCriteriaValues()[0]).toEqual([
      '企业',
      '个人',
    ]);
    const mutations = ss.mutations.length;
    e.call('initWorkbook');
    expect(ss.mutations.slice(mutations)).toEqual([]);
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
    expect(third).toMatchObject({ ok: true, id: 'E20240002', row: 4 });

    const sheet = e.ss.sheet('客户');
    expect(sheet.records()[0]).toMatchObject({
      客户编号: 'E20240001',
      客户名称: '杭州云帆科技有限公司',
      联系电话: '0571-88886666',
      客户状态: '潜在',
      // 2024-06-15 as a date serial, shown by the column's date format
      建档日期: 45458,
    });
    // A mobile number stays text, not a number in scientific notation.
    expect(sheet.records()[1]!['联系电话']).toBe('13912345678');
    expect(sheet.getRange(2, 16).getValue()).toBeInstanceOf(Date);
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
      expect(e.call<Submit>('submitForm', 'new-customer', customerPayload({ name: 'B' }))).toEqual({
        ok: true,
        id: 'E20240001',
        row: 2,
      });
    };
    const a = e.call<Submit>('submitForm', 'new-customer', customerPayload({ name: 'A' }));
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
      b = e.call<Submit>('submitForm', 'new-customer', customerPayload({ name: 'B' }));
    };
    const a = e.call<Submit>('submitForm', 'new-customer', customerPayload({ name: 'A' }));
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
    expect(e.ss.sheet('回访记录').getRange(2, 13).getValue()).toBeInstanceOf(Date);
  });
});

describe('立即同步 and 设置', () => {
  it('sends the ID token and the spreadsheet ID, and shows the summary', () => {
    const e = env();
    e.call('syncNow');
    expect(e.urlFetch.requests).toEqual([
      {
        url: `${SERVICE_URL}/api/sync`,
        method: 'post',
        contentType: 'application/json',
        payload: JSON.stringify({ spreadsheetId: e.ss.id }),
        headers: { Authorization: `Bearer ${e.idToken}` },
        muteHttpExceptions: true,
      },
    ]);
    expect(e.ss.toasts.at(-1)).toEqual({
      title: '立即同步',
      message: '同步完成：读取 42 行，写入 7 个单元格，错误 0 个，警告 1 个，用时 1.2 秒',
    });
    expect(e.ui.alerts).toEqual([]);
  });

  it("shows the service's error message", () => {
    const e = env(new FakeSpreadsheet('1AnotherSpreadsheet_xyz'));
    e.service.handler = fakeService(SERVICE_URL, e.idToken, ['1OnlyThisOne_abcdefgh']).handler;
    e.call('syncNow');
    expect(e.ui.alerts).toEqual([
      { title: '同步失败', prompt: '本服务没有配置这个表格，请联系管理员' },
    ]);
  });

  it('keeps a service URL only when it is https, allowed and answers /healthz', () => {
    const e = env();
    e.ui.answers.push(
      { text: 'http://crm-sync.test.example.com', button: 'OK' },
      { text: 'https://elsewhere.example.com', button: 'OK' },
      { text: ` ${SERVICE_URL}/ `, button: 'OK' },
    );
    e.call('openSettings');
    e.call('openSettings');
    expect(e.urlFetch.requests).toEqual([]);
    expect(e.properties.store.size).toBe(0);
    e.call('openSettings');
    expect(e.urlFetch.requests.map((r) => [r.method, r.url])).toEqual([
      ['get', `${SERVICE_URL}/healthz`],
    ]);
    expect(e.properties.getProperty('CRM_SERVICE_URL')).toBe(SERVICE_URL);
    const answers = e.ui.alerts.filter((a) => a.title !== '设置');
    expect(answers.map((a) => a.title)).toEqual(['设置未保存', '设置未保存', '设置已保存']);
    expect(answers[0]!.prompt).toMatch(/https:\/\//);
    expect(answers[1]!.prompt).toMatch(/CRM_SERVICE_URL/);

    e.service.handler = () => ({ status: 502, body: '<html>Bad gateway</html>' });
    expect(e.call('saveSettings', SERVICE_URL + '/sync')).toEqual({
      ok: false,
      message: expect.stringMatching(/HTTP 502.*未保存/),
    });
  });
});
