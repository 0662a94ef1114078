/**
 * 操作日志 (docs/team.md § 操作日志): one row per accepted write — who, what, which row, and
 * each changed column as `列: 旧 → 新`. Rows are appended after the last one; the sync
 * trims the tab to the newest 操作日志保留行数 rows.
 */
import { AUDIT_LOG } from '../sheets-templates/tabs.ts';
import type { AUDIT_ACTIONS } from '../sheets-templates/values.ts';
import { secondsToSerial, type WallSeconds } from './calendar.ts';
import type { CellValue, CellWrite, SyncPlan } from './sync/plan.ts';
import { viewTab } from './forms/sheet.ts';
import type { WorkbookInput } from './validate/index.ts';

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  time: WallSeconds;
  actor: string;
  action: AuditAction;
  tab: string;
  id: string;
  /** `列: 旧 → 新` each */
  changes: readonly string[];
}

const BLANK = '（空）';
/** A cell of 操作日志 holds at most this much change text; Excel's limit is 32,767. */
const MAX_CHANGES = 30_000;

/** `客户名称: （空） → 上海瑞丰` — a blank side shown as （空）. */
export function change(header: string, before: string, after: string): string {
  const show = (t: string): string => (t.trim() === '' ? BLANK : t.trim());
  return `${header}: ${show(before)} → ${show(after)}`;
}

/** The changed columns of a row, in the given header order. */
export function changesOf(
  headers: readonly { key: string; header: string }[],
  before: Readonly<Record<string, string>>,
  after: Readonly<Record<string, string>>,
): string[] {
  const out: string[] = [];
  for (const { key, header } of headers) {
    const a = (before[key] ?? '').trim();
    const b = (after[key] ?? '').trim();
    if (a !== b) out.push(change(header, a, b));
  }
  return out;
}

export function auditCells(e: AuditEntry): CellValue[] {
  let text = e.changes.join('；');
  if (text.length > MAX_CHANGES) text = text.slice(0, MAX_CHANGES) + '…';
  return [secondsToSerial(e.time), e.actor, e.action, e.tab, e.id, text];
}

const FORMATS = ['datetime', 'text', 'text', 'text', 'text', 'text'] as const;

/**
 * The cell writes that append entries to 操作日志, after its last row as read; none
 * when the workbook has no such tab yet (the next sync adds it).
 */
export function appendAudit(input: WorkbookInput, entries: readonly AuditEntry[]): CellWrite[] {
  const view = viewTab(input, AUDIT_LOG);
  if (!view.exists) return [];
  const cols = AUDIT_LOG.columns.map((c) => view.layout.indexByKey.get(c.key));
  if (cols.some((c) => c === undefined)) return [];
  const out: CellWrite[] = [];
  let row = view.lastRow;
  for (const e of entries) {
    row++;
    auditCells(e).forEach((value, i) => {
      out.push({
        tab: AUDIT_LOG.name,
        row,
        col: cols[i]!,
        value,
        format: FORMATS[i]!,
        rowId: '',
        column: AUDIT_LOG.columns[i]!.key,
      });
    });
  }
  return out;
}

/**
 * What a sync does to 操作日志: adds the tab when missing, and past a margin rewrites it
 * with the newest `keep` rows (from row 2 down, the rest blanked), so that most syncs
 * leave it alone.
 */
export function planAudit(
  plan: SyncPlan,
  rows: readonly { row: number; cells: readonly unknown[] }[] | undefined,
  keep: number,
): void {
  const header = AUDIT_LOG.columns.map((c) => c.header);
  if (!rows) {
    plan.newTabs.push({ tab: AUDIT_LOG, rows: [header], formats: [...FORMATS] });
    return;
  }
  const data = rows.filter((r) => r.row > 1 && r.cells.some((c) => c !== null && c !== ''));
  if (data.length <= keep + Math.max(100, Math.floor(keep / 20))) return;
  data.sort((a, b) => a.row - b.row);
  const kept = data.slice(data.length - keep);
  const width = Math.max(header.length, ...data.map((r) => r.cells.length));
  const last = data[data.length - 1]!.row;
  const put = (row: number, cells: readonly unknown[]): void => {
    for (let col = 0; col < width; col++)
      plan.cells.push({
        tab: AUDIT_LOG.name,
        row,
        col,
        value: (cells[col] ?? null) as CellValue,
        format: FORMATS[col] ?? 'text',
        rowId: '',
        column: '',
      });
  };
  kept.forEach((r, i) => put(i + 2, r.cells));
  for (let row = kept.length + 2; row <= last; row++) put(row, []);
}
