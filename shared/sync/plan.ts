/**
 * What a sync writes: the sync cells whose value changes, blank IDs, missing sync
 * headers, and the sync tabs. Computed from what was read, so a second sync over
 * unchanged data plans no cell at all; the stores only carry the plan out.
 */
import type { TabDef } from '../../sheets-templates/types.ts';
import { reportCharts } from '../charts.ts';
import { layoutTables, type TablesLayout } from './tablesLayout.ts';
import * as T from '../../sheets-templates/tabs.ts';
import { dayToSerial, secondsToSerial, type WallSeconds } from '../calendar.ts';
import { fenToYuan, isBlank, type CellValue } from '../cells.ts';
import { formatOf, type CellFormat } from '../formats.ts';
import type { Problem } from '../model.ts';
import {
  historyRow,
  mergeHistory,
  readHistory,
  summarySentences,
  summaryTable,
} from '../rules/history.ts';
import type { CallbackPlanRow, ReportTable, RulesOutput } from '../rules/index.ts';
import {
  type SheetRow,
  type TabResult,
  type Validated,
  type WorkbookInput,
} from '../validate/index.ts';
import type { SheetLayout, SyncPlan, SyncTabContent } from './planTypes.ts';
import { planSyncTab, rowFinder, sameCell, type EqualSyncRows } from './syncTabDiff.ts';

export type { CellFormat } from '../formats.ts';
export type { CellValue } from '../cells.ts';
export { rowFinder, sameCell } from './syncTabDiff.ts';
export type { CellWrite, IdWrite, SheetLayout, SyncPlan, SyncTabContent } from './planTypes.ts';

type RowValues = Record<string, CellValue>;

function customerValues(
  r: RulesOutput['customers'] extends ReadonlyMap<string, infer V> ? V : never,
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
  r: RulesOutput['tickets'] extends ReadonlyMap<string, infer V> ? V : never,
): RowValues {
  return {
    responseHours: r.responseHours,
    resolutionHours: r.resolutionHours,
    slaState: r.slaState,
    closure: r.closure,
  };
}

/**
 * Pairs of (row as read, rules result) a data tab's diff found equal in every sync
 * column, by row number: a row object is never changed in place and a result object is
 * never changed after it is made, so the same pair under the same columns is equal
 * again and need not be compared cell by cell.
 */
interface EqualRows {
  columns: string;
  rows: (SheetRow | undefined)[];
  results: (object | undefined)[];
  /** the row's ID then, whose result is known the same while the results are */
  ids: (string | undefined)[];
}

/**
 * Which results changed from one rules output to the next, as the one who made them knows:
 * a result of an ID not named is the same object in both.
 */
export interface ResultChanges {
  previous: RulesOutput;
  next: RulesOutput;
  customers: ReadonlySet<string>;
  tickets: ReadonlySet<string>;
}

/** What one sync's plan found, for the next plan of the same kept workbook. */
export interface PlanMemo {
  dataTabs: Map<string, EqualRows>;
  syncTabs: Map<string, EqualSyncRows>;
  contents: { key: readonly unknown[]; value: ReturnType<typeof syncTabContents> } | null;
  /** each 回访计划 row's cells, by the plan row they show (a kept row shows the same cells) */
  planRows: WeakMap<CallbackPlanRow, CellValue[]>;
  counts: { key: readonly unknown[]; errors: number; warnings: number } | null;
  /** the results the last plan was made from */
  rules: RulesOutput | null;
  /** set by the caller before a plan: what changed from some results to the ones planned */
  changes: ResultChanges | null;
}

export const newPlanMemo = (): PlanMemo => ({
  dataTabs: new Map(),
  syncTabs: new Map(),
  contents: null,
  planRows: new WeakMap(),
  counts: null,
  rules: null,
  changes: null,
});

const sameKey = (a: readonly unknown[], b: readonly unknown[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** Diffs the sync columns of one data tab. */
function planDataTab<R extends object>(
  tab: TabDef,
  result: TabResult | undefined,
  sheetRows: readonly SheetRow[],
  resultFor: (id: string) => R | undefined,
  valuesOf: (result: R) => RowValues,
  skip: ReadonlySet<string>,
  out: SyncPlan,
  memo: PlanMemo | undefined,
  sameResult: ((id: string) => boolean) | null = null,
): void {
  // A missing data tab means no rows of that kind; the sync does not create it.
  if (!result || sheetRows.length === 0) return;
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
  const columns = JSON.stringify(syncColumns.map((c) => [c.key, place.get(c.key)]));
  let equal = memo?.dataTabs.get(tab.name);
  if (memo && equal?.columns !== columns) {
    equal = { columns, rows: [], results: [], ids: [] };
    memo.dataTabs.set(tab.name, equal);
  }
  const sheetRow = rowFinder(sheetRows);
  for (const row of result.rows) {
    if (row.hasError || row.id === '') continue;
    // A row found equal to its result, both the same since: no need to look the result up.
    if (
      sameResult !== null &&
      equal !== undefined &&
      equal.ids[row.row] === row.id &&
      equal.rows[row.row] !== undefined &&
      equal.rows[row.row] === sheetRow(row.row) &&
      sameResult(row.id)
    )
      continue;
    const found = resultFor(row.id);
    if (!found) continue;
    const have = sheetRow(row.row);
    if (
      equal &&
      have !== undefined &&
      equal.rows[row.row] === have &&
      equal.results[row.row] === found
    )
      continue;
    const values = valuesOf(found);
    const cells = have?.cells ?? [];
    const before = out.cells.length;
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
    if (equal) {
      const same = out.cells.length === before && have !== undefined;
      equal.rows[row.row] = same ? have : undefined;
      equal.results[row.row] = same ? found : undefined;
      equal.ids[row.row] = same ? row.id : undefined;
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

const planRow = (p: CallbackPlanRow): CellValue[] => [
  p.customerId,
  p.customerName,
  p.phone,
  p.owner,
  dayToSerial(p.date),
  p.kind,
  p.reason,
  p.overdueDays,
  p.state,
];

/** The content of every sync tab except 同步日志, which is appended to, and how the printed ones are laid out. */
export function syncTabContents(
  input: WorkbookInput,
  validated: Validated,
  rules: RulesOutput,
  planRows?: WeakMap<CallbackPlanRow, CellValue[]>,
): { contents: SyncTabContent[]; layouts: SheetLayout[] } {
  const problems = [...validated.problems, ...rules.problems];
  const rows: CellValue[][] = [T.CALLBACK_PLAN.columns.map((c) => c.header)];
  for (const p of rules.callbackPlan) {
    let cells = planRows?.get(p);
    if (cells === undefined) {
      cells = planRow(p);
      planRows?.set(p, cells);
    }
    rows.push(cells);
  }
  const plan: SyncTabContent = {
    tab: T.CALLBACK_PLAN,
    rows,
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
  const rowOf = rowFinder(input.tabs.get(T.CUSTOMERS.name) ?? []);
  for (const row of result.rows) {
    const owner = rules.assignedOwners.get(row.id);
    if (owner === undefined || row.hasError) continue;
    if (!isBlank(rowOf(row.row)?.cells[col])) continue;
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

/**
 * `memo`, kept by the caller from one sync of a workbook to the next, spares comparing
 * again what the last plan found equal (a row as read against the same result) and
 * rebuilding sync tabs from the same results; the plan is the one made without it.
 */
export function planSync({ input, validated, rules }: PlanInput, memo?: PlanMemo): SyncPlan {
  const out: SyncPlan = { cells: [], ids: [], newTabs: [], rowsRead: 0, errors: 0, warnings: 0 };
  const finders = new Map<string, (row: number) => SheetRow | undefined>();
  const rowOf = (tab: TabDef, row: number): SheetRow | undefined => {
    let find = finders.get(tab.name);
    if (!find) finders.set(tab.name, (find = rowFinder(input.tabs.get(tab.name) ?? [])));
    return find(row);
  };

  for (const a of validated.ids) {
    const tab = T.TABS.find((t) => t.name === a.tab)!;
    const result = validated.tabs.get(tab.key)!;
    const col = result.layout.indexByKey.get(a.column);
    if (col === undefined) continue;
    const rowAsRead = rowOf(tab, a.row)?.cells ?? [];
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

  // Results the last plan compared that are still the same objects: all of them when the
  // results are the very ones planned last, else all but those the changes name.
  let sameCustomer: ((id: string) => boolean) | null = null;
  let sameTicket: ((id: string) => boolean) | null = null;
  if (memo?.rules && memo.rules === rules) sameCustomer = sameTicket = () => true;
  else if (memo?.rules && memo.changes?.previous === memo.rules && memo.changes.next === rules) {
    const { customers, tickets } = memo.changes;
    sameCustomer = (id) => !customers.has(id);
    sameTicket = (id) => !tickets.has(id);
  }
  if (memo) {
    memo.rules = rules;
    memo.changes = null;
  }

  const customers = T.CUSTOMERS;
  planDataTab(
    customers,
    validated.tabs.get(customers.key),
    input.tabs.get(customers.name) ?? [],
    (id) => rules.customers.get(id),
    customerValues,
    new Set(rules.tiersValid ? [] : ['tier']),
    out,
    memo,
    sameCustomer,
  );
  planDataTab(
    T.TICKETS,
    validated.tabs.get(T.TICKETS.key),
    input.tabs.get(T.TICKETS.name) ?? [],
    (id) => rules.tickets.get(id),
    ticketValues,
    new Set(),
    out,
    memo,
    sameTicket,
  );
  // The sync tabs are made from the results and 指标历史 as read: the same ones make the same tabs.
  const contentKey = [
    validated,
    rules.problems,
    rules.callbackPlan,
    rules.reports,
    rules.analysis,
    rules.metrics,
    rules.firstTier,
    input.tabs.get(T.METRIC_HISTORY.name),
  ];
  const made =
    memo?.contents && sameKey(memo.contents.key, contentKey)
      ? memo.contents.value
      : syncTabContents(input, validated, rules, memo?.planRows);
  if (memo) memo.contents = { key: contentKey, value: made };
  const { contents, layouts } = made;
  for (const content of contents)
    planSyncTab(content, input.tabs.get(content.tab.name), out, memo?.syncTabs);
  out.layouts = layouts;

  for (const tab of T.DATA_TABS) out.rowsRead += validated.tabs.get(tab.key)?.rows.length ?? 0;
  const countKey = [validated, rules.problems];
  if (memo?.counts && sameKey(memo.counts.key, countKey)) {
    out.errors = memo.counts.errors;
    out.warnings = memo.counts.warnings;
  } else {
    const problems = [...validated.problems, ...rules.problems];
    out.errors = problems.filter((p) => p.level === '错误').length;
    out.warnings = problems.length - out.errors;
    if (memo) memo.counts = { key: countKey, errors: out.errors, warnings: out.warnings };
  }
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
