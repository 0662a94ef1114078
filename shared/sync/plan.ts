/**
 * What a sync writes: the sync cells whose value changes, blank IDs, missing sync
 * headers, and the sync tabs. Computed from what was read, so a second sync over
 * unchanged data plans no cell at all; the stores only carry the plan out.
 */
import type { TabDef } from '../../sheets-templates/types.ts';
import { reportCharts, type ChartSpec } from '../charts.ts';
import { layoutTables, type TablesLayout } from './tablesLayout.ts';
import * as T from '../../sheets-templates/tabs.ts';
import { dayToSerial, secondsToSerial, type WallSeconds } from '../calendar.ts';
import { fenToYuan, isBlank, type CellValue, type RawCell } from '../cells.ts';
import { formatOf, type CellFormat } from '../formats.ts';
import type { Problem } from '../model.ts';
import {
  historyRow,
  mergeHistory,
  readHistory,
  summarySentences,
  summaryTable,
} from '../rules/history.ts';
import type { ReportTable, RulesOutput } from '../rules/index.ts';
import type { SheetRow, TabResult, Validated, WorkbookInput } from '../validate/index.ts';

export type { CellFormat } from '../formats.ts';
export type { CellValue } from '../cells.ts';

export interface CellWrite {
  tab: string;
  /** 1-based row number as read */
  row: number;
  /** 0-based column index as read */
  col: number;
  value: CellValue;
  format?: CellFormat;
  /** the row's ID, so a store can find the row again if rows moved (blank for header cells) */
  rowId: string;
  /** the template column key ('' for sync tabs) */
  column: string;
}

/** An ID for a row that had none: written only if the row still holds what was read. */
export interface IdWrite extends CellWrite {
  /** the row's cells as read, to compare with just before writing */
  rowAsRead: readonly RawCell[];
}

export interface SyncTabContent {
  tab: TabDef;
  /** header row first */
  rows: CellValue[][];
  /** a format per column; reports carry one per cell */
  formats: (CellFormat | CellFormat[])[];
}

/**
 * A printed tab's layout, kept by every sync: landscape, one page wide, the tab's name
 * and page numbers in the page header and footer, plus these.
 */
export interface SheetLayout {
  tab: string;
  /** column widths in characters; null keeps the tab's own */
  widths: number[] | null;
  /** how many top rows repeat on every printed page */
  repeatRows: number;
  charts: ChartSpec[];
  /**
   * 1-based rows holding the titles of titled tables, set in bold; on such a tab the sync
   * decides every written cell's look (absent: cells keep theirs)
   */
  titleRows?: number[];
}

export interface SyncPlan {
  /** changed sync cells of data tabs and whole-grid diffs of existing sync tabs */
  cells: CellWrite[];
  ids: IdWrite[];
  /** sync tabs that do not exist yet, to be added whole */
  newTabs: SyncTabContent[];
  rowsRead: number;
  errors: number;
  warnings: number;
  /**
   * how the tabs people print are laid out: column widths, landscape one page wide,
   * repeated header rows, and the charts (absent: leave the layout as it is)
   */
  layouts?: SheetLayout[];
  /** this sync's 同步日志 row and its values, for a store that amends it after writing */
  logEntry?: { row: number; values: CellValue[] };
}

/** Equal as a person would see it: blank is blank, numbers by value, text trimmed. */
export function sameCell(current: RawCell, next: CellValue): boolean {
  if (isBlank(current)) return next === null || next === '';
  if (next === null || next === '') return false;
  if (typeof next === 'number')
    return typeof current === 'number' && Math.abs(current - next) < 1e-9;
  if (typeof next === 'boolean') return current === next;
  return typeof current === 'string' && current.trim() === next;
}

type RowValues = Record<string, CellValue>;

const mapDefined = <A, B>(a: A | undefined, f: (a: A) => B): B | undefined =>
  a === undefined ? undefined : f(a);

function customerValues(
  r: RulesOutput['customers'] extends Map<string, infer V> ? V : never,
): RowValues {
  return {
    amount12m: fenToYuan(r.amount12m),
    orders12m: r.orders12m,
    healthScore: r.healthScore,
    healthLevel: r.healthLevel,
    tier: r.tier,
    churnWarning: r.churnWarning === '' ? null : r.churnWarning,
    nextCallbackDate: r.nextCallbackDate === null ? null : dayToSerial(r.nextCallbackDate),
    nextCallbackKind: r.nextCallbackKind,
    customerValue: r.customerValue === null ? null : fenToYuan(r.customerValue),
  };
}

function ticketValues(
  r: RulesOutput['tickets'] extends Map<string, infer V> ? V : never,
): RowValues {
  return {
    responseHours: r.responseHours,
    resolutionHours: r.resolutionHours,
    slaState: r.slaState,
    closure: r.closure,
  };
}

/** Diffs the sync columns of one data tab. */
function planDataTab(
  tab: TabDef,
  result: TabResult | undefined,
  sheet: ReadonlyMap<number, SheetRow>,
  valuesFor: (id: string) => RowValues | undefined,
  skip: ReadonlySet<string>,
  out: SyncPlan,
): void {
  // A missing data tab means no rows of that kind; the sync does not create it.
  if (!result || sheet.size === 0) return;
  const layout = result.layout;
  const syncColumns = tab.columns.filter((c) => c.owner === 'sync' && !skip.has(c.key));
  // Missing sync headers go to the right end of row 1, in template order.
  const place = new Map<string, number>();
  let next = layout.headerWidth;
  for (const c of tab.columns.filter((c) => c.owner === 'sync')) {
    const at = layout.indexByKey.get(c.key);
    if (at !== undefined) {
      place.set(c.key, at);
      continue;
    }
    place.set(c.key, next);
    out.cells.push({ tab: tab.name, row: 1, col: next, value: c.header, rowId: '', column: c.key });
    next++;
  }
  for (const row of result.rows) {
    if (row.hasError || row.id === '') continue;
    const values = valuesFor(row.id);
    if (!values) continue;
    const cells = sheet.get(row.row)?.cells ?? [];
    for (const c of syncColumns) {
      const col = place.get(c.key)!;
      const value = values[c.key] ?? null;
      if (sameCell(cells[col], value)) continue;
      out.cells.push({
        tab: tab.name,
        row: row.row,
        col,
        value,
        format: formatOf(c),
        rowId: row.id,
        column: c.key,
      });
    }
  }
}

function problemRows(problems: readonly Problem[]): CellValue[][] {
  return problems.map((p) => [p.tab, p.row, p.column, p.value, p.message, p.level]);
}

/** The 客户分层 cells as read, by customer ID: what the tier report shows when the rules are invalid. */
export function tiersAsRead(
  input: WorkbookInput,
  validated: Validated,
): Map<string, string | null> {
  const result = validated.tabs.get(T.CUSTOMERS.key);
  const col = result?.layout.indexByKey.get('tier');
  const tiers = new Map<string, string | null>();
  if (!result || col === undefined) return tiers;
  const rows = new Map((input.tabs.get(T.CUSTOMERS.name) ?? []).map((r) => [r.row, r.cells]));
  for (const row of result.rows) {
    const raw = rows.get(row.row)?.[col];
    if (row.id !== '') tiers.set(row.id, isBlank(raw) ? null : String(raw).trim());
  }
  return tiers;
}

export interface PlanInput {
  input: WorkbookInput;
  validated: Validated;
  rules: RulesOutput;
}

/** Titled tables one under another, a blank row between; a format per cell, kept by row. */
function tablesContent(tab: TabDef, layout: TablesLayout): SyncTabContent {
  return { tab, rows: layout.rows, formats: layout.formats };
}

const titleRowsOf = (layout: TablesLayout): number[] => layout.placed.map((p) => p.titleRow);

/** 指标历史 with this month's row written anew, and the 摘要 that compares it with the last. */
function historyAndSummary(
  input: WorkbookInput,
  rules: RulesOutput,
): { history: SyncTabContent; summary: ReportTable } {
  const read = readHistory(
    (input.tabs.get(T.METRIC_HISTORY.name) ?? []).filter((r) => r.row > 1).map((r) => r.cells),
  );
  const merged = mergeHistory(read, rules.metrics);
  return {
    history: {
      tab: T.METRIC_HISTORY,
      rows: [T.METRIC_HISTORY.columns.map((c) => c.header), ...merged.map(historyRow)],
      formats: HISTORY_FORMATS,
    },
    summary: summaryTable(summarySentences(read, rules.metrics, rules.firstTier)),
  };
}

const HISTORY_FORMATS: CellFormat[] = [
  'text',
  'integer',
  'percent',
  'number',
  'integer',
  'integer',
  'percent',
];

/** The content of every sync tab except 同步日志, which is appended to, and how the printed ones are laid out. */
export function syncTabContents(
  input: WorkbookInput,
  validated: Validated,
  rules: RulesOutput,
): { contents: SyncTabContent[]; layouts: SheetLayout[] } {
  const problems = [...validated.problems, ...rules.problems];
  const plan: SyncTabContent = {
    tab: T.CALLBACK_PLAN,
    rows: [
      T.CALLBACK_PLAN.columns.map((c) => c.header),
      ...rules.callbackPlan.map((p) => [
        p.customerId,
        p.customerName,
        p.phone,
        p.owner,
        dayToSerial(p.date),
        p.kind,
        p.reason,
        p.overdueDays,
        p.state,
      ]),
    ],
    formats: T.CALLBACK_PLAN.columns.map(formatOf),
  };
  const dataProblems: SyncTabContent = {
    tab: T.DATA_PROBLEMS,
    rows: [T.DATA_PROBLEMS.columns.map((c) => c.header), ...problemRows(problems)],
    formats: T.DATA_PROBLEMS.columns.map(formatOf),
  };
  const { history, summary } = historyAndSummary(input, rules);
  const reportsLayout = layoutTables([summary, ...rules.reports]);
  const analysisLayout = layoutTables(rules.analysis);
  const charts = reportCharts(
    { tab: T.REPORTS.name, layout: reportsLayout },
    { tab: T.ANALYSIS.name, layout: analysisLayout },
  );
  const chartsOf = (tab: TabDef) => charts.filter((c) => c.tab === tab.name);
  const layouts: SheetLayout[] = [
    {
      tab: T.REPORTS.name,
      widths: reportsLayout.widths,
      repeatRows: 0,
      charts: chartsOf(T.REPORTS),
      titleRows: titleRowsOf(reportsLayout),
    },
    {
      tab: T.ANALYSIS.name,
      widths: analysisLayout.widths,
      repeatRows: 0,
      charts: chartsOf(T.ANALYSIS),
      titleRows: titleRowsOf(analysisLayout),
    },
    { tab: T.CALLBACK_PLAN.name, widths: null, repeatRows: 1, charts: [] },
  ];
  return {
    contents: [
      plan,
      tablesContent(T.REPORTS, reportsLayout),
      tablesContent(T.ANALYSIS, analysisLayout),
      history,
      dataProblems,
    ],
    layouts,
  };
}

/** Diffs a whole sync tab cell by cell, clearing what the new content no longer covers. */
function planSyncTab(
  content: SyncTabContent,
  sheet: readonly SheetRow[] | undefined,
  out: SyncPlan,
): void {
  if (!sheet) {
    out.newTabs.push(content);
    return;
  }
  const byRow = new Map(sheet.map((r) => [r.row, r.cells]));
  const height = sheet.reduce((h, r) => Math.max(h, r.row), content.rows.length);
  const isReports = T.isTablesTab(content.tab);
  for (let r = 1; r <= height; r++) {
    const want = content.rows[r - 1] ?? [];
    const have = byRow.get(r) ?? [];
    const width = Math.max(want.length, have.length);
    for (let c = 0; c < width; c++) {
      const value = want[c] ?? null;
      if (sameCell(have[c], value)) continue;
      const fmt = isReports
        ? (content.formats[r - 1] as CellFormat[] | undefined)?.[c]
        : (content.formats[c] as CellFormat | undefined);
      out.cells.push({
        tab: content.tab.name,
        row: r,
        col: c,
        value,
        format: r === 1 && !isReports ? 'text' : (fmt ?? 'text'),
        rowId: '',
        column: '',
      });
    }
  }
}

/**
 * 负责人 from 线索分配: the one people column the sync fills, and only a cell read blank.
 * Written by row ID like a sync cell, so a row that moved is still found.
 */
function planLeadOwners(
  input: WorkbookInput,
  validated: Validated,
  rules: RulesOutput,
  out: SyncPlan,
): void {
  if (rules.assignedOwners.size === 0) return;
  const result = validated.tabs.get(T.CUSTOMERS.key);
  const col = result?.layout.indexByKey.get('owner');
  if (!result || col === undefined) return;
  const rows = new Map((input.tabs.get(T.CUSTOMERS.name) ?? []).map((r) => [r.row, r.cells]));
  for (const row of result.rows) {
    const owner = rules.assignedOwners.get(row.id);
    if (owner === undefined || row.hasError) continue;
    if (!isBlank(rows.get(row.row)?.[col])) continue;
    out.cells.push({
      tab: T.CUSTOMERS.name,
      row: row.row,
      col,
      value: owner,
      format: 'text',
      rowId: row.id,
      column: 'owner',
    });
  }
}

export function planSync({ input, validated, rules }: PlanInput): SyncPlan {
  const out: SyncPlan = { cells: [], ids: [], newTabs: [], rowsRead: 0, errors: 0, warnings: 0 };
  const rowMaps = new Map<string, Map<number, SheetRow>>();
  const byRow = (tab: TabDef): Map<number, SheetRow> => {
    let map = rowMaps.get(tab.name);
    if (!map) {
      map = new Map((input.tabs.get(tab.name) ?? []).map((r) => [r.row, r]));
      rowMaps.set(tab.name, map);
    }
    return map;
  };

  for (const a of validated.ids) {
    const tab = T.TABS.find((t) => t.name === a.tab)!;
    const result = validated.tabs.get(tab.key)!;
    const col = result.layout.indexByKey.get(a.column);
    if (col === undefined) continue;
    const rowAsRead = byRow(tab).get(a.row)?.cells ?? [];
    out.ids.push({
      tab: tab.name,
      row: a.row,
      col,
      value: a.id,
      rowId: a.id,
      column: a.column,
      format: 'text',
      rowAsRead,
    });
  }

  planLeadOwners(input, validated, rules, out);

  const syncedTabs: [TabDef, (id: string) => RowValues | undefined, ReadonlySet<string>][] = [
    [
      T.CUSTOMERS,
      (id) => mapDefined(rules.customers.get(id), customerValues),
      new Set(rules.tiersValid ? [] : ['tier']),
    ],
    [T.TICKETS, (id) => mapDefined(rules.tickets.get(id), ticketValues), new Set()],
  ];
  for (const [tab, valuesFor, skip] of syncedTabs) {
    planDataTab(tab, validated.tabs.get(tab.key), byRow(tab), valuesFor, skip, out);
  }
  const { contents, layouts } = syncTabContents(input, validated, rules);
  for (const content of contents) planSyncTab(content, input.tabs.get(content.tab.name), out);
  out.layouts = layouts;

  for (const tab of T.DATA_TABS) out.rowsRead += validated.tabs.get(tab.key)?.rows.length ?? 0;
  const problems = [...validated.problems, ...rules.problems];
  out.errors = problems.filter((p) => p.level === '错误').length;
  out.warnings = problems.length - out.errors;
  return out;
}

export interface LogEntry {
  startedAt: WallSeconds;
  source: '手动' | '定时' | '命令行' | '表单';
  rowsRead: number;
  cellsWritten: number;
  errors: number;
  warnings: number;
  durationMs: number;
  result: '成功' | '部分成功' | '失败';
  note: string;
}

/** How many 同步日志 rows are kept; trimming waits for a margin so most syncs only append. */
export const LOG_KEEP = 1000;
export const LOG_TRIM_AT = 1100;

export function logRow(e: LogEntry): CellValue[] {
  return [
    secondsToSerial(e.startedAt),
    e.source,
    e.rowsRead,
    e.cellsWritten,
    e.errors,
    e.warnings,
    e.durationMs,
    e.result,
    e.note,
  ];
}

export const LOG_FORMATS: CellFormat[] = T.SYNC_LOG.columns.map(formatOf);
