/**
 * The report a manager hands on: 报表 and 销售分析 (with 指标历史 and 回访计划 in the xlsx)
 * computed as of a moment, written to a new workbook of those tabs only, with the same
 * charts and print layout as the synced workbook. Built from the computed contents, never
 * copied from the workbook, so no cell, shared string or part of another tab comes along:
 * phone numbers appear only as 回访计划 shows them, masked.
 *
 * The PDF is that workbook printed by LibreOffice headless: the charts are drawn by the
 * same DrawingML the workbook carries, landscape one page wide, and Chinese is set in
 * Noto Sans CJK (fonts-noto-cjk), which every machine set up as the README says has.
 */
import { spawn } from 'node:child_process';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type { WallSeconds } from '../../shared/calendar.ts';
import { numberFormatOf } from '../../shared/formats.ts';
import { computeRules } from '../../shared/rules/index.ts';
import {
  syncTabContents,
  tiersAsRead,
  type SheetLayout,
  type SyncTabContent,
} from '../../shared/sync/plan.ts';
import { validateWorkbook } from '../../shared/validate/index.ts';
import type { Snapshot } from '../sync/store.ts';
import { patchWorkbook, type CellPatch } from '../xlsx/patcher.ts';
import { writeXlsx } from '../xlsx/writer.ts';

export type ReportFormat = 'pdf' | 'xlsx';

/** The tabs each kind of report holds, in order. */
const TABS_OF: Readonly<Record<ReportFormat, readonly TabDef[]>> = {
  pdf: [T.REPORTS, T.ANALYSIS],
  xlsx: [T.REPORTS, T.ANALYSIS, T.METRIC_HISTORY, T.CALLBACK_PLAN],
};

export interface ReportBook {
  tabs: SyncTabContent[];
  layouts: SheetLayout[];
}

/** What the sync would write to the report tabs as of `now`. */
export function reportBook(snapshot: Snapshot, now: WallSeconds, format: ReportFormat): ReportBook {
  const validated = validateWorkbook(
    snapshot.input,
    now,
    snapshot.timeZone ? { timeZone: snapshot.timeZone } : undefined,
  );
  const rules = computeRules(validated.dataset, now, {
    previousTiers: () => tiersAsRead(snapshot.input, validated),
  });
  const { contents, layouts } = syncTabContents(snapshot.input, validated, rules);
  const wanted = TABS_OF[format];
  const tabs = wanted.flatMap((t) => contents.filter((c) => c.tab.name === t.name));
  const kept = layouts
    .filter((l) => wanted.some((t) => t.name === l.tab))
    .map((l) => {
      const tab = wanted.find((t) => t.name === l.tab)!;
      // A column tab printed from a new file has no widths of its own: the template's.
      return l.widths === null && tab.columns.length > 0
        ? { ...l, widths: tab.columns.map((c) => c.width ?? 10) }
        : l;
    });
  return { tabs, layouts: kept };
}

function cellsOf(content: SyncTabContent, titleRows: readonly number[] = []): CellPatch[] {
  const cells: CellPatch[] = [];
  const titles = new Set(titleRows);
  const perCell = content.tab.columns.length === 0;
  content.rows.forEach((row, r) =>
    row.forEach((value, c) => {
      if (value === null || value === '') return;
      const f = perCell
        ? (content.formats[r] as readonly string[] | undefined)?.[c]
        : r === 0
          ? 'text'
          : content.formats[c];
      const numFmt = numberFormatOf(f as Parameters<typeof numberFormatOf>[0]);
      const cell: CellPatch = { row: r + 1, col: c, value };
      if (numFmt) cell.numFmt = numFmt;
      if (titles.has(r + 1)) cell.bold = true;
      cells.push(cell);
    }),
  );
  return cells;
}

/** The report as a new .xlsx: empty tabs written, then filled, laid out and charted by the patcher. */
export async function writeReportXlsx(book: ReportBook, path: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-report-'));
  try {
    const empty = join(dir, 'empty.xlsx');
    await writeXlsx(
      empty,
      book.tabs.map((t) => ({ name: t.tab.name, columns: [] })),
    );
    await patchWorkbook(empty, path, {
      cells: Object.fromEntries(
        book.tabs.map((t) => [
          t.tab.name,
          cellsOf(t, book.layouts.find((l) => l.tab === t.tab.name)?.titleRows),
        ]),
      ),
      layouts: Object.fromEntries(book.layouts.map((l) => [l.tab, l])),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Runs LibreOffice headless with a private profile; rejects with what it said on failure. */
function soffice(args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('soffice', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let said = '';
    child.stdout.on('data', (d: Buffer) => (said += d.toString()));
    child.stderr.on('data', (d: Buffer) => (said += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(
        new Error(
          `无法启动 LibreOffice（soffice）：${e.message}。导出 PDF 需要 libreoffice-calc 和 fonts-noto-cjk，见 README`,
        ),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`LibreOffice 导出 PDF 失败（退出码 ${code}）：${said.trim()}`));
    });
  });
}

/** The report as a PDF: the report workbook printed by LibreOffice. */
export async function writeReportPdf(book: ReportBook, path: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-report-'));
  try {
    const xlsx = join(dir, 'report.xlsx');
    await writeReportXlsx(book, xlsx);
    await soffice(
      [
        `-env:UserInstallation=file://${join(dir, 'profile')}`,
        '--headless',
        '--norestore',
        '--convert-to',
        'pdf',
        '--outdir',
        dir,
        xlsx,
      ],
      240_000,
    );
    const pdf = join(dir, 'report.pdf');
    await stat(pdf).catch(() => {
      throw new Error('LibreOffice 没有写出 PDF');
    });
    await copyFile(pdf, path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function reportFormatOf(path: string): ReportFormat | null {
  const lower = path.toLowerCase();
  return lower.endsWith('.pdf') ? 'pdf' : lower.endsWith('.xlsx') ? 'xlsx' : null;
}

export async function writeReport(book: ReportBook, format: ReportFormat, path: string) {
  if (format === 'pdf') await writeReportPdf(book, path);
  else await writeReportXlsx(book, path);
  return (await stat(path)).size;
}
