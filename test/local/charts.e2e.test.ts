import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZipArchive } from '../../sync-server/xlsx/zipRead.ts';
import { chartPages, convertWithLibreOffice } from '../helpers/libreoffice.ts';
import { cli } from '../helpers/workbook.ts';

const NOW = '2026-11-20T10:00';
const OUT = join(import.meta.dirname, '..', '..', 'test-output', 'charts');
let dir: string;
let file: string;

interface Part {
  crc: number;
  size: number;
  text: string | null;
}

/** Every zip entry's checksum and size, and the text of the drawing and chart parts. */
async function parts(path: string): Promise<Map<string, Part>> {
  const zip = await ZipArchive.open(path);
  try {
    const out = new Map<string, Part>();
    for (const e of zip.entries) {
      const wanted =
        /^xl\/(charts|drawings)\/|^xl\/workbook\.xml$|_rels\/sheet\d+\.xml\.rels$/.test(e.name);
      out.set(e.name, {
        crc: e.crc32,
        size: e.compressedSize,
        text: wanted ? await zip.readText(e) : null,
      });
    }
    return out;
  } finally {
    await zip.close();
  }
}

let first: Map<string, Part>;
let unchanged: Map<string, Part>;
let nextDay: Map<string, Part>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-charts-'));
  file = join(dir, 'crm.xlsx');
  expect((await cli(['init', file, '--sample', '30', '--seed', '3', '--now', NOW])).code).toBe(0);
  expect((await cli(['sync', file, '--now', NOW])).code).toBe(0);
  first = await parts(file);
  expect((await cli(['sync', file, '--now', NOW])).code).toBe(0);
  unchanged = await parts(file);
  expect((await cli(['sync', file, '--now', '2026-12-02T10:00'])).code).toBe(0);
  nextDay = await parts(file);
}, 120_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const names = (p: Map<string, Part>, re: RegExp) => [...p.keys()].filter((n) => re.test(n)).sort();
const marks = (xml: string) => [...xml.matchAll(/crm-sync:([\w-]+)/g)].map((m) => m[1]);

describe('charts in the synced xlsx', () => {
  it('five chart parts in two drawings: three on 报表, two on 销售分析', () => {
    expect(names(first, /^xl\/charts\/chart\d+\.xml$/)).toHaveLength(5);
    const drawings = names(first, /^xl\/drawings\/drawing\d+\.xml$/);
    expect(drawings).toHaveLength(2);
    const all = drawings.map((d) => marks(first.get(d)!.text!).sort());
    expect(all).toEqual(
      expect.arrayContaining([
        ['complaints', 'health', 'tiers'],
        ['products', 'regions'],
      ]),
    );
  });

  it('pies for 客户分层分布 and 产品销售, columns for the rest, on the report cells', () => {
    const charts = names(first, /^xl\/charts\//).map((n) => first.get(n)!.text!);
    const kind = (title: string) => {
      const xml = charts.find((c) => c.includes(`<a:t>${title}</a:t>`))!;
      expect(xml).toBeDefined();
      return { pie: xml.includes('<c:pieChart>'), col: xml.includes('<c:barDir val="col"/>'), xml };
    };
    expect(kind('客户分层分布').pie).toBe(true);
    expect(kind('产品销售').pie).toBe(true);
    for (const t of ['健康度分布', '月度投诉', '区域销售']) expect(kind(t).col).toBe(true);
    // 客户分层分布's categories: the tier names under its header, 合计 left out
    expect(kind('客户分层分布').xml).toMatch(/<c:f>'报表'!\$A\$\d+:\$A\$\d+<\/c:f>/);
    expect(kind('区域销售').xml).toMatch(/<c:f>'销售分析'!\$D\$\d+:\$D\$\d+<\/c:f>/);
    expect(kind('客户分层分布').xml).not.toContain('<c:v>合计</c:v>');
    // Counts label their columns; sums in yuan do not (the labels ran into each other) and
    // their axis reads in whole yuan.
    expect(kind('健康度分布').xml).toContain('<c:showVal val="1"/>');
    expect(kind('区域销售').xml).not.toContain('<c:dLbls>');
    expect(kind('区域销售').xml).toContain('<c:numFmt formatCode="#,##0" sourceLinked="0"/>');
  });

  it('a second sync of unchanged data leaves every part but the 同步日志 sheet byte for byte', () => {
    const changed = [...unchanged].filter(([n, p]) => {
      const was = first.get(n);
      return !was || was.crc !== p.crc || was.size !== p.size;
    });
    expect(changed.map(([n]) => n)).toHaveLength(1);
    expect(unchanged.size).toBe(first.size);
  });

  it('a sync on another day updates the charts in place: none added, none duplicated', () => {
    expect(names(nextDay, /^xl\/charts\//)).toEqual(names(first, /^xl\/charts\//));
    expect(names(nextDay, /^xl\/drawings\/drawing/)).toEqual(
      names(first, /^xl\/drawings\/drawing/),
    );
    for (const d of names(nextDay, /^xl\/drawings\/drawing\d+\.xml$/))
      expect(marks(nextDay.get(d)!.text!).sort()).toEqual(marks(first.get(d)!.text!).sort());
    // December: 月度投诉 now ends with 2026-12
    const complaints = names(nextDay, /^xl\/charts\//)
      .map((n) => nextDay.get(n)!.text!)
      .find((x) => x.includes('<a:t>月度投诉</a:t>'))!;
    expect(complaints).toContain('<c:v>2026-12</c:v>');
  });

  it('print setup: landscape, one page wide, 回访计划 repeats its header row', async () => {
    const zip = await ZipArchive.open(file);
    try {
      const wb = await zip.readText(zip.find('xl/workbook.xml')!);
      expect(wb).toMatch(
        /<definedName name="_xlnm.Print_Titles" localSheetId="\d+">'回访计划'!\$1:\$1<\/definedName>/,
      );
      let landscape = 0;
      for (const e of zip.entries.filter((x) => /^xl\/worksheets\/sheet\d+\.xml$/.test(x.name))) {
        const xml = await zip.readText(e);
        if (
          /<pageSetup[^>]*orientation="landscape"[^>]*fitToWidth="1"[^>]*fitToHeight="0"/.test(xml)
        ) {
          expect(xml).toContain('<pageSetUpPr fitToPage="1"/>');
          landscape++;
        }
      }
      expect(landscape).toBe(3);
    } finally {
      await zip.close();
    }
  });
});

describe('LibreOffice opens it and draws the charts', () => {
  it('the PDF has the chart pages: slices and bars in their colours, titles in the text', () => {
    const pdfDir = join(dir, 'pdf');
    mkdirSync(pdfDir, { recursive: true });
    const pdf = convertWithLibreOffice(file, 'pdf', pdfDir);
    const pages = chartPages(pdf, pdfDir, OUT);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const all = pages.join('\n');
    for (const title of ['客户分层分布', '健康度分布', '月度投诉', '区域销售', '产品销售'])
      expect(all).toContain(title);
  }, 300_000);
});
