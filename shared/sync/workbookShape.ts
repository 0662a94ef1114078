/**
 * Checks before a sync may write anything: the data tabs are all there (a deleted or
 * renamed 客户 read as empty would wipe 回访计划 and 报表), and every sync tab that
 * exists is the sync's own. Pure, so the add-on and both stores share it.
 *
 * Which tabs are sync tabs, and what marks each as the sync's, comes from the templates
 * alone (kind 'syncTab'), so a sync tab added there is checked with no change here:
 * - a tab with template columns (回访计划, 数据问题, 同步日志, 操作日志 …) is the sync's when
 *   its row 1 holds the template's headers, which the sync writes and keeps;
 * - a tab of titled tables (报表, 销售分析 …) has no fixed first row, so it is the sync's
 *   when this workbook's 同步日志 records a finished sync: every version of the sync has
 *   rewritten all of its tables tabs at every run, so by then a tab of that name is the
 *   sync's own, and a workbook made by an older version (no mark of any other kind)
 *   keeps syncing;
 * - a blank tab is taken, since nothing in it can be lost.
 * Anything else is a person's tab that happens to have the name (a 报表 they kept before
 * adopting the product), and the sync stops before writing.
 */
import { DATA_TABS, SYNC_LOG, SYNC_TABS, TABS, isTablesTab } from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { cellText, normalizeHeader } from '../cells.ts';
import type { SheetRow, WorkbookInput } from '../validate/types.ts';

const TEMPLATE_TAB_NAMES: ReadonlySet<string> = new Set(TABS.map((t) => t.name));

const fold = (s: string): string => s.normalize('NFKC').replace(/\s+/g, '').toLowerCase();

function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/**
 * The found tab most like `wanted` (same after folding spaces and width, or one edit
 * away). A tab with a template name of its own (用户 beside a missing 客户) is never taken
 * for a renamed one.
 */
export function nearTab(wanted: string, found: readonly string[]): string | null {
  const w = fold(wanted);
  const others = found.filter((f) => f === wanted || !TEMPLATE_TAB_NAMES.has(f));
  return (
    others.find((f) => fold(f) === w) ??
    others.find((f) => fold(f).includes(w) || (w.length > 1 && distance(fold(f), w) <= 1)) ??
    null
  );
}

const quoted = (names: readonly string[]): string => names.map((n) => `“${n}”`).join('、');

/** null when the workbook has every data tab; else the message to stop the sync with. */
export function missingTabsMessage(tabNames: readonly string[]): string | null {
  const missing = DATA_TABS.filter((t) => !tabNames.includes(t.name)).map((t) => t.name);
  if (missing.length === 0) return null;
  const list = tabNames.length > 0 ? quoted(tabNames) : '（没有工作表）';
  if (missing.length === DATA_TABS.length && tabNames.every((n) => nearTab(n, missing) === null))
    return (
      `这还不是表格客户管理的工作簿：没有${quoted(missing)}等数据表（现有工作表：${list}）。` +
      `请用 crm-sync adopt 给这个工作簿加上客户管理的各表，或用 crm-sync init 新建一个工作簿、` +
      `再用 crm-sync import 把现有数据导入；未做任何改动`
    );
  // A workbook may keep only some kinds of data (客户 and 订单, say): an absent tab is then
  // no rows of that kind. 客户 itself, or a tab that looks renamed, stops the sync.
  const renamed = missing.filter((m) => nearTab(m, tabNames) !== null);
  if (!missing.includes('客户') && renamed.length === 0) return null;
  const hints = missing
    .map((m) => [m, nearTab(m, tabNames)] as const)
    .filter((p): p is readonly [string, string] => p[1] !== null)
    .map(([m, f]) => `“${f}”是不是“${m}”？请改回“${m}”`);
  return (
    `工作簿缺少数据表${quoted(missing)}，同步已停止，未做任何改动（现有工作表：${list}）。` +
    (hints.length > 0 ? hints.join('；') + '。' : '') +
    `若是被删除或改名，请恢复原名，或从 .crm-backups 中恢复上一版本`
  );
}

const filledRows = (rows: readonly SheetRow[]): SheetRow[] =>
  rows.filter((r) => r.cells.some((c) => cellText(c) !== ''));

/** Row 1 holds every template header of the tab (in any order: people move columns). */
function hasTemplateHeader(tab: TabDef, rows: readonly SheetRow[]): boolean {
  const first = rows.find((r) => r.row === 1);
  if (!first) return false;
  const found = new Set(first.cells.map((c) => normalizeHeader(c)));
  return tab.columns.every((c) => found.has(normalizeHeader(c.header)));
}

/** 同步日志 is the sync's and records at least one sync. */
function hasSynced(input: WorkbookInput): boolean {
  const log = input.tabs.get(SYNC_LOG.name);
  return (
    log !== undefined && hasTemplateHeader(SYNC_LOG, log) && filledRows(log).some((r) => r.row > 1)
  );
}

/**
 * The titles of the tables the sync writes on 报表 and 销售分析 (docs/workbook.md); the
 * first of them stands in A1. A test keeps this list equal to what the rules produce.
 */
export const SYNC_TABLE_TITLES: ReadonlySet<string> = new Set([
  '摘要',
  '客户分层分布',
  '健康度分布',
  '回访执行',
  '月度投诉分析',
  '服务指标',
  '客户分布',
  '区域销售',
  '产品销售',
  '客户销售分析',
  '客户价值',
  '问卷汇总',
  '目标达成',
]);

/**
 * A titled-table tab is the sync's when this workbook records a sync and its A1 is one of
 * the sync's titles: a person's own 报表, even one made after deleting the sync's, starts
 * with something else.
 */
function carriesMark(tab: TabDef, rows: readonly SheetRow[], synced: () => boolean): boolean {
  const filled = filledRows(rows);
  if (filled.length === 0) return true;
  if (isTablesTab(tab)) {
    const first = filled[0]!;
    const a1 = first.cells[0];
    return first.row === 1 && a1 !== undefined && SYNC_TABLE_TITLES.has(cellText(a1)) && synced();
  }
  return hasTemplateHeader(tab, rows);
}

/** null when every existing sync tab is the sync's own; else the message to stop with. */
export function foreignSyncTabsMessage(input: WorkbookInput): string | null {
  let synced: boolean | undefined;
  const once = (): boolean => (synced ??= hasSynced(input));
  const foreign = SYNC_TABS.filter((t) => {
    const rows = input.tabs.get(t.name);
    return rows !== undefined && !carriesMark(t, rows, once);
  }).map((t) => t.name);
  if (foreign.length === 0) return null;
  return (
    `工作表${quoted(foreign)}不是同步生成的（第 1 行不是同步写的表头，或本工作簿的“同步日志”还没有同步记录），同步会整页重写它，` +
    `所以已停止，未做任何改动。若这是您自己的表，请把它改名（如“${foreign[0]}（旧）”）后再同步；` +
    `若它确是同步的表，只是表头被改动，请删除该表，下次同步会重新生成`
  );
}
