/**
 * `crm-sync init` through the CLI's main: what it writes, that it is reproducible, and
 * how it refuses a wrong command line. LibreOffice's reading of it: init.e2e.test.ts.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_COLUMN_NOTE, TABS } from '../sheets-templates/index.ts';
import { columnLetters } from '../sync-server/xlsx/cellRef.ts';
import { cli } from './helpers/workbook.ts';
import { dataRows, dropdownsOf, headerOf, peekXlsx, sheet } from './helpers/xlsxPeek.ts';

const NOW = '2025-06-15T10:00';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-init-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** In-process through the CLI's main. */
async function crmSync(...args: string[]) {
  return cli(args);
}

async function init(name: string, ...args: string[]): Promise<string> {
  const file = join(dir, name);
  const run = await crmSync('init', file, ...args);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return file;
}

/** The list formula a template column's dropdown should carry, by header. */
const DROPDOWNS: Record<string, Record<string, string>> = {
  客户: {
    客户类型: '"企业,个人"',
    所属行业: '"制造业,信息技术,互联网电商,零售,批发,金融,医疗健康,教育,物流,建筑,餐饮服务,其他"',
    客户来源: '"展会推广,转介绍,线上广告,官网咨询,电话营销,其他"',
    客户等级: '"普通客户,VIP客户,战略客户"',
    客户状态: '"潜在,正式,流失"',
    意向等级: '"A,B,C"',
  },
  订单: { 付款状态: '"按时,逾期,未到期"' },
  跟进记录: { 跟进方式: '"电话,拜访,邮件,微信,其他"' },
  工单: {
    工单类型: '"产品质量,服务响应,物流配送,账单费用,其他"',
    请求类型: '"投诉,咨询,技术支持,售后"',
    紧急程度: '"高,中,低"',
    处理部门: "'工单路由'!$B$2:$B$200",
    状态: '"新建,处理中,已解决,已关闭"',
  },
  回访记录: {
    回访方式: '"面谈,电话,QQ,微信,邮件"',
    回访结果: '"完成,未联系上,客户拒访,需再次回访"',
    审核结果: '"通过,退回"',
    产品满意度: '"好,较好,一般,差,很差"',
    服务满意度: '"好,较好,一般,差,很差"',
  },
  分层规则: {
    指标: '"近12月金额,近12月合作次数,近6月合作次数,近6月投诉次数,近3月互动次数,健康度,满意度,客户类型,客户等级,客户状态,意向等级,所属行业,客户来源,区域"',
    运算符: '">=,>,<=,<,=,!=,包含,属于"',
  },
  工单路由: { 工单类型: '"产品质量,服务响应,物流配送,账单费用,其他"' },
  节假日: { 类型: '"休息日,调休工作日"' },
  线索分配: {
    所属行业: '"制造业,信息技术,互联网电商,零售,批发,金融,医疗健康,教育,物流,建筑,餐饮服务,其他"',
  },
  分层策略: { 分层名称: "'分层规则'!$B$2:$B$200" },
  服务目标: { 指标: '"按时率,平均满意度,重复投诉率,首次解决率,平均响应时长"' },
  用户: { 角色: '"销售,客服,经理,管理员"', 状态: '"在职,停用"' },
};

describe('crm-sync init', () => {
  it('writes every tab with styled, frozen headers, notes, formats and dropdowns', async () => {
    const book = peekXlsx(await init('blank.xlsx', '--now', NOW));
    expect(book.sheets.map((s) => s.name)).toEqual(TABS.map((t) => t.name));
    for (const t of TABS) {
      const s = sheet(book, t.name);
      expect(headerOf(s)).toEqual(t.columns.map((c) => c.header));
      expect(s.frozenRows).toBe(t.columns.length > 0 ? 1 : 0);
      expect(dropdownsOf(book, t.name)).toEqual(DROPDOWNS[t.name] ?? {});
      for (const [i, c] of t.columns.entries()) {
        const ref = `${columnLetters(i)}1`;
        if (c.owner === 'sync') expect(s.notes.get(ref), `${t.name}!${ref}`).toBe(SYNC_COLUMN_NOTE);
        else expect(s.notes.get(ref)).toBe(c.hint);
      }
    }
    // Config tabs arrive with their defaults; data and sync tabs empty.
    expect(dataRows(sheet(book, '参数')).length).toBeGreaterThan(30);
    expect(dataRows(sheet(book, '工单路由'))).toEqual([
      ['产品质量', '技术部'],
      ['服务响应', '运营部'],
      ['物流配送', '运营部'],
      ['账单费用', '财务部'],
      ['其他', '客服部'],
    ]);
    expect(dataRows(sheet(book, '客户'))).toEqual([]);
    expect(dataRows(sheet(book, '报表'))).toEqual([]);

    // Sync headers are shaded apart from people headers.
    const customers = sheet(book, '客户');
    const peopleStyle = customers.styles.get('A1');
    const syncStyle = customers.styles.get('X1');
    expect(peopleStyle).toBeDefined();
    expect(syncStyle).toBeDefined();
    expect(syncStyle).not.toBe(peopleStyle);
  });

  it('gives the same seed and now the same workbook, and another seed another', async () => {
    const a = peekXlsx(await init('a.xlsx', '--sample', '120', '--seed', '7', '--now', NOW));
    const b = peekXlsx(await init('b.xlsx', '--sample', '120', '--seed', '7', '--now', NOW));
    const c = peekXlsx(await init('c.xlsx', '--sample', '120', '--seed', '8', '--now', NOW));
    expect(Object.keys(a.files)).toEqual(Object.keys(b.files));
    for (const name of Object.keys(a.files)) {
      expect(Buffer.from(b.files[name]!).equals(Buffer.from(a.files[name]!)), name).toBe(true);
    }
    expect(sheet(c, '客户').xml).not.toBe(sheet(a, '客户').xml);
    expect(dataRows(sheet(a, '客户'))).toHaveLength(120);
  });

  it('writes dates as serials with date formats and never a formula', async () => {
    const book = peekXlsx(await init('formats.xlsx', '--sample', '60', '--now', NOW));
    const orders = sheet(book, '订单');
    const header = headerOf(orders);
    const rows = dataRows(orders);
    expect(rows.length).toBeGreaterThan(0);
    const dateCol = header.indexOf('下单日期');
    const moneyCol = header.indexOf('金额');
    for (const row of rows) {
      expect(typeof row[dateCol]).toBe('number');
      expect(typeof row[moneyCol]).toBe('number');
    }
    const fmt = (ref: string) => book.formats[orders.styles.get(ref)!];
    expect(fmt('C2')).toBe('yyyy-mm-dd');
    expect(fmt('F2')).toBe('#,##0.00');
    const followUps = sheet(book, '跟进记录');
    expect(book.formats[followUps.styles.get('C2')!]).toBe('yyyy-mm-dd hh:mm');
    for (const s of book.sheets) expect(s.xml).not.toMatch(/<f[ >]/);
  });

  it('refuses to overwrite without --force, and replaces with it', async () => {
    const file = await init('twice.xlsx', '--now', NOW);
    const before = statSync(file).size;
    const again = await crmSync('init', file, '--now', NOW);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists.*--force/);
    expect(statSync(file).size).toBe(before);
    const forced = await crmSync('init', file, '--sample', '20', '--now', NOW, '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/22 tabs/);
    expect(statSync(file).size).toBeGreaterThan(before);
    // No temp files are left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    [['init'], /缺少工作簿文件名/],
    [['init', 'x.xlsx', '--sample', 'many'], /--sample 应为 0 到 \d+ 的整数/],
    [['init', 'x.xlsx', '--sample', '-3'], /--sample 应为 0 到 \d+ 的整数/],
    [['init', 'x.xlsx', '--seed'], /--seed 需要一个值/],
    [['init', 'x.xlsx', '--now', '2025-02-30T10:00'], /--now 应为 YYYY-MM-DDTHH:mm/],
    [['init', 'x.xlsx', '--now', 'tomorrow'], /--now 应为 YYYY-MM-DDTHH:mm/],
    [['init', 'x.xlsx', '--colour', 'red'], /不认识的选项 --colour/],
    [['init', 'x.csv'], /应为 \.xlsx 文件/],
    [['init', 'a.xlsx', 'b.xlsx'], /只能指定一个工作簿文件/],
    [['frobnicate'], /unknown command/],
  ])('rejects %j', async (args, message) => {
    const run = await crmSync(...args.map((a) => (a.endsWith('.xlsx') ? join(dir, 'bad', a) : a)));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});
