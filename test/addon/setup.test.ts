/**
 * 初始化表格 on the fake spreadsheet: what it builds, that a rerun changes nothing, that
 * people's columns, notes and protections survive, and what it costs in calls.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { SETTINGS } from '../../sheets-templates/settings.ts';
import { columnLetters } from '../../sync-server/xlsx/cellRef.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { ENUMS, FakeSpreadsheet, reaching, type FakeValidation } from './fakes/spreadsheet.ts';
import { built, type Built } from './build.ts';
import { env as makeEnv } from './env.ts';

/** The range of a config tab's column that a dropdown reads, e.g. 工单路由!B2:B1000. */
function configRange(tabName: string, key: string): string {
  const tab = T.TABS.find((t) => t.name === tabName)!;
  const letter = columnLetters(tab.columns.findIndex((c) => c.key === key));
  return `${tabName}!${letter}2:${letter}1000`;
}

let build: Built;

beforeAll(async () => {
  build = await built();
}, 60_000);

const env = (ss?: FakeSpreadsheet) => makeEnv(build, ss);

const column = (tab: TabDef, key: string): number => tab.columns.findIndex((c) => c.key === key);

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
          expect((rule as FakeValidation).describe()).toMatchObject({
            values: [configRange(column.valuesFrom.tab, column.valuesFrom.column), true],
          });
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
          const p = sheet.getProtections(ENUMS.ProtectionType.RANGE).find((x) => {
            const r = x.getRange();
            return r.getColumn() <= i + 1 && r.getColumn() + r.getNumColumns() > i + 1;
          });
          expect(p?.isWarningOnly(), where).toBe(true);
        }
      });
      if (tab.kind === 'syncTab') {
        const [p] = sheet.getProtections(ENUMS.ProtectionType.SHEET);
        expect(p?.isWarningOnly(), tab.name).toBe(true);
      }
    }
    // 所属行业 lists the industries of 参数 and only warns about others.
    expect(
      ss
        .sheet('客户')
        .getRange(2, column(T.CUSTOMERS, 'industry') + 1)
        .getDataValidation()!
        .getCriteriaValues()[0],
    ).toContain('制造业');

    const rules = (name: string) =>
      ss
        .sheet(name)
        .getConditionalFormatRules()
        .map((r) => r.getBooleanCondition()!.getCriteriaValues()[0]);
    expect(rules('客户')).toEqual(['健康', '亚健康', '风险', '新客户']);
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
    expect(
      sheet.getProtections(ENUMS.ProtectionType.RANGE).map((p) => p.getDescription()),
    ).toContain('别动');
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

describe('初始化表格 and protections people made', () => {
  it("leaves a manager's full protection of a sync tab exactly as it was", () => {
    const ss = new FakeSpreadsheet();
    const log = ss.insertSheet('同步日志', 1);
    const mine = log.protect().setDescription('仅管理员可改').setWarningOnly(false);
    const before = JSON.stringify(mine.describe());
    const e = env(ss);
    e.call('initWorkbook');
    expect(log.getProtections(ENUMS.ProtectionType.SHEET)).toHaveLength(1);
    expect(JSON.stringify(mine.describe())).toBe(before);
    expect(e.ss.toasts.at(-1)!.message).toMatch(/同步日志 已有他人设置的保护，保持原样未改动/);
    // Tabs nobody protected get the add-on's own warning-only protection.
    const [own] = ss.sheet('数据问题').getProtections(ENUMS.ProtectionType.SHEET);
    expect(own!.isWarningOnly()).toBe(true);
    const mutations = ss.mutations.length;
    e.call('initWorkbook');
    expect(ss.mutations.slice(mutations)).toEqual([]);
  });

  it("leaves a manager's protection of sync columns alone and re-scopes only its own", () => {
    const e = env();
    e.call('initWorkbook');
    const sheet = e.ss.sheet('客户');
    const theirs = sheet.getRange(1, 23, 1000, 3).protect().setDescription('管理员：金额列');
    const before = JSON.stringify(theirs.describe());
    const own = sheet
      .getProtections(ENUMS.ProtectionType.RANGE)
      .filter((p) => p.getDescription().startsWith(T.SYNC_COLUMN_NOTE));
    expect(own).toHaveLength(1);
    own[0]!.setRange(sheet.getRange(1, 1, 1, 1));
    e.call('initWorkbook');
    expect(JSON.stringify(theirs.describe())).toBe(before);
    // The add-on's own protection covers 客户's sync columns, the last ones of the tab.
    const sync = T.CUSTOMERS.columns.flatMap((c, i) => (c.owner === 'sync' ? [i] : []));
    expect(own[0]!.getRange().getA1Notation()).toBe(
      `${columnLetters(sync[0]!)}1:${columnLetters(sync.at(-1)!)}1000`,
    );
  });
});

describe('初始化表格 in calls', () => {
  // A budget per tab: every tab costs a few reads of its own (SpreadsheetApp has no read
  // across tabs), so the total grows with the template, never with the rows. At the 13
  // tabs these budgets were first set for they were 150 calls fresh and 60 on a rerun.
  const tabs = T.TABS.length;
  // Then the protections of the config tabs and 用户 (test/addon/access.test.ts): at most
  // 4 calls per protected tab on a rerun, 7 when they change, and a few to read 用户.
  const guarded = T.CONFIG_TABS.length;
  const FRESH_LIMIT = Math.round((150 / 13) * tabs) + 7 * guarded + 6;
  const RERUN_LIMIT = Math.round((60 / 13) * tabs) + 4 * guarded + 6;

  it(`costs under ${FRESH_LIMIT} calls on a new spreadsheet and ${RERUN_LIMIT} on a rerun`, () => {
    const e = env();
    const count = () => {
      const start = e.ss.calls.length;
      e.call('initWorkbook');
      const calls = e.ss.calls.slice(start);
      return { all: calls.length, reaching: reaching(calls).length };
    };
    const fresh = count();
    const rerun = count();
    console.log(`初始化表格 calls: fresh ${JSON.stringify(fresh)}, rerun ${JSON.stringify(rerun)}`);
    expect(fresh.reaching).toBeLessThan(FRESH_LIMIT);
    expect(rerun.reaching).toBeLessThan(RERUN_LIMIT);
    // The one-cell calls of earlier versions are gone for good.
    const oneCell = /^Range\.(get|set)(Value|Note|Background|FontWeight|NumberFormat)$/;
    expect(e.ss.calls.filter((c) => oneCell.test(c))).toEqual([]);
  });
});
