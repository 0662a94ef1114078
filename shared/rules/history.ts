/**
 * 指标历史 and the 摘要 that opens 报表 (docs/rules.md#month-on-month-summary-摘要).
 *
 * Each sync writes the current month's row of 指标历史 anew and keeps every other month's
 * row as it was read, so the tab grows by one row a month and a month's row ends up as
 * its last sync left it. The 摘要 compares the current month's row with the calendar
 * month before it: up to five sentences, one per figure (投诉数 and 按时率 share one),
 * a figure that is blank this month gives no sentence.
 *
 * Shares are compared in tenths of a percent as shown, so the difference a sentence
 * states is always the difference of the two numbers it shows.
 */
import { civilFromDays, type EpochDay } from '../calendar.ts';
import type { CellValue, RawCell } from '../cells.ts';
import type { ReportTable } from './reports.ts';

export interface MonthMetrics {
  /** `YYYY-MM` */
  month: string;
  formalCustomers: number;
  /** share of 正式 customers in the first tier (smallest 优先级); null without 正式 customers */
  firstTierShare: number | null;
  /** 平均健康度 as 健康度分布 shows it; null without scored customers */
  averageHealth: number | null;
  riskCustomers: number;
  /** this month's row of 月度投诉分析 */
  complaints: number;
  onTimeRate: number | null;
}

export const monthOf = (day: EpochDay): string => {
  const c = civilFromDays(day);
  return `${c.year}-${String(c.month).padStart(2, '0')}`;
};

/** The month before `YYYY-MM`. */
export function previousMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** A figure of a report table: the row whose first cell is `label`, the column headed `header`. */
function figure(
  tables: readonly ReportTable[],
  title: string,
  label: string | null,
  header: string,
) {
  const table = tables.find((t) => t.title === title);
  if (!table) return null;
  const col = table.header.indexOf(header);
  const row =
    label === null ? table.rows[table.rows.length - 1] : table.rows.find((r) => r[0] === label);
  const v = col < 0 || !row ? null : row[col];
  return typeof v === 'number' ? v : null;
}

export interface MetricsInput {
  today: EpochDay;
  /** the 报表 tables of this computation */
  reports: readonly ReportTable[];
  /** 正式 customers */
  formalCustomers: number;
  /** 正式 customers of the first tier (smallest 优先级) */
  firstTierCustomers: number;
  /** the first tier's name; null when the rules give none */
  firstTier: string | null;
}

/** The current month's row, from the same figures 报表 shows. */
export function monthMetrics(input: MetricsInput): MonthMetrics {
  const formal = input.formalCustomers;
  const first = input.firstTierCustomers;
  return {
    month: monthOf(input.today),
    formalCustomers: formal,
    firstTierShare: formal === 0 || input.firstTier === null ? null : first / formal,
    averageHealth: figure(input.reports, '健康度分布', '合计', '平均健康度'),
    riskCustomers: figure(input.reports, '健康度分布', '风险', '客户数') ?? 0,
    // 月度投诉分析 ends with the current month.
    complaints: figure(input.reports, '月度投诉分析', null, '工单数') ?? 0,
    onTimeRate: figure(input.reports, '月度投诉分析', null, '按时率'),
  };
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const num = (v: RawCell): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** 指标历史 rows as read (header row excluded); rows without a valid 月份 are not history. */
export function readHistory(rows: readonly (readonly RawCell[])[]): MonthMetrics[] {
  const out: MonthMetrics[] = [];
  for (const r of rows) {
    const month = typeof r[0] === 'string' ? r[0].trim() : '';
    if (!MONTH.test(month)) continue;
    out.push({
      month,
      formalCustomers: num(r[1]) ?? 0,
      firstTierShare: num(r[2]),
      averageHealth: num(r[3]),
      riskCustomers: num(r[4]) ?? 0,
      complaints: num(r[5]) ?? 0,
      onTimeRate: num(r[6]),
    });
  }
  return out;
}

/** Every month once, oldest first; the current month's row replaces the one read. */
export function mergeHistory(read: readonly MonthMetrics[], current: MonthMetrics): MonthMetrics[] {
  const byMonth = new Map<string, MonthMetrics>();
  for (const m of read) if (!byMonth.has(m.month)) byMonth.set(m.month, m);
  byMonth.set(current.month, current);
  return [...byMonth.values()].sort((a, b) => (a.month < b.month ? -1 : a.month > b.month ? 1 : 0));
}

export function historyRow(m: MonthMetrics): CellValue[] {
  return [
    m.month,
    m.formalCustomers,
    m.firstTierShare,
    m.averageHealth,
    m.riskCustomers,
    m.complaints,
    m.onTimeRate,
  ];
}

/** Tenths: a share as a percent with one decimal (0.125 → 125), or a score's one decimal. */
const tenths = (x: number, scale: number): number => Math.round(x * scale * 10);
const showTenths = (t: number): string => (t / 10).toFixed(1);
const signed = (d: string, zero: boolean): string =>
  zero ? '持平' : d.startsWith('-') ? d : `+${d}`;

/** No row for the previous month, or a row whose figure is blank. */
const missing = (before: null | undefined): string =>
  before === undefined ? '（上月无记录）' : '（上月无数据）';

function countPart(now: number, before: number | null | undefined): string {
  if (before === null || before === undefined) return missing(before);
  return `（上月 ${before}，${signed(String(now - before), now === before)}）`;
}

function sharePart(now: number, before: number | null | undefined): string {
  const t = tenths(now, 100);
  const text = `${showTenths(t)}%`;
  if (before === null || before === undefined) return `${text}${missing(before)}`;
  const b = tenths(before, 100);
  return `${text}（上月 ${showTenths(b)}%，${signed(showTenths(t - b), t === b)} 个百分点）`;
}

function scorePart(now: number, before: number | null | undefined): string {
  const t = tenths(now, 1);
  if (before === null || before === undefined) return `${showTenths(t)}${missing(before)}`;
  const b = tenths(before, 1);
  return `${showTenths(t)}（上月 ${showTenths(b)}，${signed(showTenths(t - b), t === b)}）`;
}

/** The 摘要: the current month against the previous month's row, if any. */
export function summarySentences(
  history: readonly MonthMetrics[],
  current: MonthMetrics,
  firstTier: string | null,
): string[] {
  const prevMonth = previousMonth(current.month);
  const prev = history.find((m) => m.month === prevMonth);
  const out: string[] = [];
  out.push(
    `正式客户数 ${current.formalCustomers}${countPart(current.formalCustomers, prev?.formalCustomers)}`,
  );
  if (current.firstTierShare !== null && firstTier !== null)
    out.push(`${firstTier}占比 ${sharePart(current.firstTierShare, prev?.firstTierShare)}`);
  if (current.averageHealth !== null)
    out.push(`平均健康度 ${scorePart(current.averageHealth, prev?.averageHealth)}`);
  out.push(
    `风险客户数 ${current.riskCustomers}${countPart(current.riskCustomers, prev?.riskCustomers)}`,
  );
  let service = `本月投诉数 ${current.complaints}${countPart(current.complaints, prev?.complaints)}`;
  if (current.onTimeRate !== null)
    service += `，按时率 ${sharePart(current.onTimeRate, prev?.onTimeRate)}`;
  out.push(service);
  return out;
}

/** 摘要 as the first table of 报表: a title and one sentence a row, no header. */
export function summaryTable(sentences: readonly string[]): ReportTable {
  return { title: '摘要', header: [], rows: sentences.map((s) => [s]), formats: ['text'] };
}
