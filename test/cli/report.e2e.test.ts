import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipArchive } from '../../sync-server/xlsx/zipRead.ts';
import { cliProcess, readTabs } from '../helpers/workbook.ts';
import { peekXlsx, sheet } from '../helpers/xlsxPeek.ts';

const NOW = '2026-11-20T10:00';
/** A mainland mobile number, whole: 11 digits starting 13–19. */
const MOBILE = /(?<!\d)1[3-9]\d{9}(?!\d)/;
let dir: string;
let file: string;
let regions: string[];

/** Every entry of a package as text (deflated parts inflated). */
async function partsText(path: string): Promise<Map<string, string>> {
  const zip = await ZipArchive.open(path);
  try {
    const out = new Map<string, string>();
    for (const e of zip.entries) out.set(e.name, await zip.readText(e));
    return out;
  } finally {
    await zip.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-report-'));
  file = join(dir, 'crm.xlsx');
  expect(
    (await cliProcess(['init', file, '--sample', '30', '--seed', '5', '--now', NOW])).code,
  ).toBe(0);
  const customers = (await readTabs(file)).get('客户')!;
  regions = [...new Set([...customers.rows.values()].map((r) => String(r['区域'] ?? '')))].filter(
    Boolean,
  );
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('crm-sync report --out x.xlsx', () => {
  it('holds only the report tabs, and no whole mobile number in any part', async () => {
    const source = await partsText(file);
    // The workbook itself is full of them, so the check below can fail.
    expect([...source.values()].some((t) => MOBILE.test(t))).toBe(true);
    const before = readFileSync(file);
    const out = join(dir, 'report.xlsx');
    const run = await cliProcess(['report', file, '--out', out, '--now', NOW, '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ out, format: 'xlsx' });
    expect(readFileSync(file).equals(before)).toBe(true);
    const parts = await partsText(out);
    for (const [name, text] of parts) expect(MOBILE.exec(text)?.[0], name).toBeUndefined();
    const tabs = await readTabs(out);
    expect([...tabs.keys()]).toEqual(['报表', '销售分析', '指标历史', '回访计划']);
    // 回访计划 keeps its phones, masked as the tab shows them
    const plan = [...tabs.get('回访计划')!.rows.values()];
    expect(plan.length).toBeGreaterThan(0);
    expect(plan.some((r) => /^1\d\d\*{4}\d{4}$/.test(String(r['联系电话'])))).toBe(true);
    expect(tabs.get('报表')!.grid[0]).toEqual(['摘要']);
    expect(names(parts, /^xl\/charts\/chart\d+\.xml$/)).toHaveLength(5);
    // The tables' titles, and only they, are bold: the first cell under a blank row.
    const book = peekXlsx(out);
    for (const tab of ['报表', '销售分析']) {
      const peek = sheet(book, tab);
      const grid = tabs.get(tab)!.grid;
      const bold: string[] = [];
      grid.forEach((cells, i) =>
        (cells ?? []).forEach((v, c) => {
          const style = peek.styles.get(`${String.fromCharCode(65 + c)}${i + 1}`) ?? 0;
          if (book.bold[style]) bold.push(String(v));
        }),
      );
      const titles = grid
        .filter((cells, i) => cells?.length === 1 && (i === 0 || !grid[i - 1]?.length))
        .map((cells) => String(cells![0]));
      expect(bold, tab).toEqual(titles);
    }
    expect(tabs.get('销售分析')!.grid.map((r) => r?.[0])).toEqual(
      expect.arrayContaining(['客户价值', '问卷汇总', '目标达成']),
    );
  }, 60_000);
});

const names = (parts: Map<string, string>, re: RegExp) =>
  [...parts.keys()].filter((n) => re.test(n));

describe('crm-sync report --out x.pdf', () => {
  it('prints the 摘要, 客户分层分布 and every region in the text layer', async () => {
    const out = join(dir, 'report.pdf');
    const run = await cliProcess(['report', file, '--out', out, '--now', NOW]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/已导出 报表、销售分析 到/);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    for (const words of [
      '摘要',
      '客户分层分布',
      '区域销售',
      '产品销售',
      '正式客户数',
      '客户价值',
      '问卷汇总',
      'NPS',
      '目标达成',
    ])
      expect(text).toContain(words);
    expect(regions.length).toBeGreaterThan(2);
    for (const region of regions) expect(text).toContain(region);
    expect(MOBILE.test(text)).toBe(false);
  }, 300_000);

  it('refuses an --out it cannot write, saying what it expects', async () => {
    const run = await cliProcess(['report', file, '--out', join(dir, 'report.docx')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('应以 .pdf 或 .xlsx 结尾');
  });
});
