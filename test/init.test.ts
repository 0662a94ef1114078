/**
 * `crm-sync init` through the real command: what it writes, that it is reproducible, and
 * that LibreOffice Calc reads it back with tabs, headers, rows, notes and dropdowns intact.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYNC_COLUMN_NOTE, TABS } from '../sheets-templates/index.ts';
import { columnLetters } from '../sync-server/xlsx/cellRef.ts';
import { dataRows, headerOf, peekXlsx, sheet, type PeekWorkbook } from './helpers/xlsxPeek.ts';

const ROOT = join(import.meta.dirname, '..');
const NOW = '2025-06-15T10:00';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'crm-init-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function crmSync(...args: string[]) {
  const result = spawnSync(process.execPath, [join(ROOT, 'bin/crm-sync.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function init(name: string, ...args: string[]): string {
  const file = join(dir, name);
  const run = crmSync('init', file, ...args);
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
    紧急程度: '"高,中,低"',
    处理部门: "'工单路由'!$B$2:$B$200",
    状态: '"新建,处理中,已解决,已关闭"',
  },
  回访记录: {
    回访方式: '"面谈,电话,QQ,微信,邮件"',
    产品满意度: '"好,较好,一般,差,很差"',
    服务满意度: '"好,较好,一般,差,很差"',
  },
  分层规则: {
    指标: '"近12月金额,近12月合作次数,近6月合作次数,近6月投诉次数,近3月互动次数,健康度,满意度,客户类型,客户等级,客户状态,意向等级,所属行业,客户来源,区域"',
    运算符: '">=,>,<=,<,=,!=,包含,属于"',
  },
  工单路由: { 工单类型: '"产品质量,服务响应,物流配送,账单费用,其他"' },
  节假日: { 类型: '"休息日,调休工作日"' },
};

/** Dropdowns by header; sheet names in range references lose optional quotes. */
function dropdownsOf(book: PeekWorkbook, tabName: string): Record<string, string> {
  const s = sheet(book, tabName);
  const header = headerOf(s);
  const out: Record<string, string> = {};
  for (const v of s.validations) {
    expect(v.type).toBe('list');
    const col = /^([A-Z]+)2:/.exec(v.sqref)?.[1];
    expect(col, v.sqref).toBeDefined();
    const index = [...col!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const f = v.formula1;
    out[header[index]!] = f.startsWith('"') ? f : f.replace(/^'?([^'!]+)'?!/, "'$1'!");
  }
  return out;
}

describe('crm-sync init', () => {
  it('writes every tab with styled, frozen headers, notes, formats and dropdowns', () => {
    const book = peekXlsx(init('blank.xlsx', '--now', NOW));
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
    const syncStyle = customers.styles.get('W1');
    expect(peopleStyle).toBeDefined();
    expect(syncStyle).toBeDefined();
    expect(syncStyle).not.toBe(peopleStyle);
  });

  it('gives the same seed and now the same workbook, and another seed another', () => {
    const a = peekXlsx(init('a.xlsx', '--sample', '120', '--seed', '7', '--now', NOW));
    const b = peekXlsx(init('b.xlsx', '--sample', '120', '--seed', '7', '--now', NOW));
    const c = peekXlsx(init('c.xlsx', '--sample', '120', '--seed', '8', '--now', NOW));
    expect(Object.keys(a.files)).toEqual(Object.keys(b.files));
    for (const name of Object.keys(a.files)) {
      expect(Buffer.from(b.files[name]!).equals(Buffer.from(a.files[name]!)), name).toBe(true);
    }
    expect(sheet(c, '客户').xml).not.toBe(sheet(a, '客户').xml);
    expect(dataRows(sheet(a, '客户'))).toHaveLength(120);
  });

  it('writes dates as serials with date formats and never a formula', () => {
    const book = peekXlsx(init('formats.xlsx', '--sample', '60', '--now', NOW));
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

  it('refuses to overwrite without --force, and replaces with it', () => {
    const file = init('twice.xlsx', '--now', NOW);
    const before = statSync(file).size;
    const again = crmSync('init', file, '--now', NOW);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(/already exists.*--force/);
    expect(statSync(file).size).toBe(before);
    const forced = crmSync('init', file, '--sample', '20', '--now', NOW, '--force');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toMatch(/13 tabs/);
    expect(statSync(file).size).toBeGreaterThan(before);
    // No temp files are left behind.
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it.each([
    [['init'], /which file/],
    [['init', 'x.xlsx', '--sample', 'many'], /--sample must be a whole number/],
    [['init', 'x.xlsx', '--sample', '-3'], /--sample must be a whole number/],
    [['init', 'x.xlsx', '--seed'], /--seed needs a value/],
    [['init', 'x.xlsx', '--now', '2025-02-30T10:00'], /--now must look like/],
    [['init', 'x.xlsx', '--now', 'tomorrow'], /--now must look like/],
    [['init', 'x.xlsx', '--colour', 'red'], /unknown option --colour/],
    [['init', 'x.csv'], /must be an \.xlsx file/],
    [['init', 'a.xlsx', 'b.xlsx'], /only one file/],
    [['frobnicate'], /unknown command/],
  ])('rejects %j', (args, message) => {
    const run = crmSync(...args.map((a) => (a.endsWith('.xlsx') ? join(dir, 'bad', a) : a)));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(existsSync(join(dir, 'bad'))).toBe(false);
  });
});

describe('LibreOffice Calc reads the workbook back', () => {
  it('keeps tabs, headers, row counts, values, notes and dropdowns', () => {
    const file = init('calc.xlsx', '--sample', '200', '--seed', '3', '--now', NOW);
    const out = join(dir, 'calc-out');
    const profile = join(dir, 'lo-profile');
    const converted = spawnSync(
      'soffice',
      [
        `-env:UserInstallation=file://${profile}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'xlsx',
        '--outdir',
        out,
        file,
      ],
      { encoding: 'utf8', timeout: 240_000 },
    );
    expect(converted.status, converted.stderr).toBe(0);
    const ours = peekXlsx(file);
    const calc = peekXlsx(join(out, 'calc.xlsx'));

    expect(calc.sheets.map((s) => s.name)).toEqual(ours.sheets.map((s) => s.name));
    for (const t of TABS) {
      const mine = sheet(ours, t.name);
      const theirs = sheet(calc, t.name);
      expect(headerOf(theirs), t.name).toEqual(headerOf(mine));
      const myRows = dataRows(mine);
      const theirRows = dataRows(theirs);
      expect(theirRows.length, t.name).toBe(myRows.length);
      theirRows.forEach((row, r) => {
        const expected = myRows[r]!;
        for (let c = 0; c < Math.max(row.length, expected.length); c++) {
          const [got, want] = [row[c] ?? null, expected[c] ?? null];
          if (typeof want === 'number' && typeof got === 'number') {
            expect(Math.abs(got - want), `${t.name} row ${r + 2}`).toBeLessThan(1e-6);
          } else {
            expect(got, `${t.name} row ${r + 2} col ${c}`).toEqual(want);
          }
        }
      });
      expect(dropdownsOf(calc, t.name), t.name).toEqual(dropdownsOf(ours, t.name));
      expect(theirs.notes, t.name).toEqual(mine.notes);
    }
    expect(dataRows(sheet(calc, '客户'))).toHaveLength(200);
    // Number formats survive too (Calc escapes the literal characters).
    const format = (tabName: string, ref: string) =>
      calc.formats[sheet(calc, tabName).styles.get(ref)!]?.replaceAll('\\', '');
    expect(format('订单', 'C2')).toBe('yyyy-mm-dd');
    expect(format('订单', 'F2')).toBe('#,##0.00');
    expect(format('跟进记录', 'C2')).toBe('yyyy-mm-dd hh:mm');
  }, 300_000);
});
