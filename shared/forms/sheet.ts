/** Rows of one tab as a form sees them: found by header, each cell as the text a person would type. */
import * as T from '../../sheets-templates/tabs.ts';
import type { ColumnDef, TabDef } from '../../sheets-templates/types.ts';
import { formatDate, formatDateTime, type SerialEpoch } from '../calendar.ts';
import { cellText, isBlank, parseDate, parseDateTime, type RawCell } from '../cells.ts';
import { resolveLayout, type TabLayout } from '../layout.ts';
import type { SheetRow, WorkbookInput } from '../validate/index.ts';

export interface TabView {
  tab: TabDef;
  /** false when the workbook has no such tab */
  exists: boolean;
  layout: TabLayout;
  /** data rows with at least one non-blank cell, in sheet order */
  rows: readonly SheetRow[];
  /** the last row holding anything, in any column (1 when only the header) */
  lastRow: number;
}

export function viewTab(input: WorkbookInput, tab: TabDef): TabView {
  const sheet = input.tabs.get(tab.name);
  const header = sheet?.find((r) => r.row === 1)?.cells ?? [];
  const layout = resolveLayout(tab, header, []);
  const rows: SheetRow[] = [];
  let lastRow = 1;
  for (const r of sheet ?? []) {
    if (!r.cells.some((c) => !isBlank(c))) continue;
    lastRow = Math.max(lastRow, r.row);
    if (r.row > 1) rows.push(r);
  }
  rows.sort((a, b) => a.row - b.row);
  return { tab, exists: sheet !== undefined, layout, rows, lastRow };
}

export function cellOf(view: TabView, row: SheetRow, key: string): RawCell {
  const i = view.layout.indexByKey.get(key);
  return i === undefined ? null : (row.cells[i] ?? null);
}

/**
 * A cell as text for a form field: dates in the workbook's own epoch turned into
 * YYYY-MM-DD (date-times YYYY-MM-DD HH:mm), so the same text reads the same everywhere.
 */
export function cellAsText(column: ColumnDef, raw: RawCell, epoch: SerialEpoch): string {
  if (typeof raw === 'number' && column.type === 'date') {
    const d = parseDate(raw, epoch);
    if (d.ok) return formatDate(d.value);
  }
  if (typeof raw === 'number' && column.type === 'datetime') {
    const t = parseDateTime(raw, epoch);
    if (t.ok) return formatDateTime(t.value);
  }
  return cellText(raw);
}

/** Every template column of a row as text (missing columns are blank). */
export function rowRecord(
  view: TabView,
  row: SheetRow,
  epoch: SerialEpoch,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const column of view.tab.columns) {
    if (column.owner !== 'people') continue;
    out[column.key] = cellAsText(column, cellOf(view, row, column.key), epoch);
  }
  return out;
}

/** The first row holding this ID, as a sync would use it. */
export function findById(view: TabView, id: string): SheetRow | undefined {
  const key = view.tab.idColumn;
  if (!key || id === '') return undefined;
  return view.rows.find((r) => cellText(cellOf(view, r, key)) === id);
}

/** 客户编号 → 客户名称, for labels of tickets and visits. */
export function customerNames(input: WorkbookInput): Map<string, string> {
  const view = viewTab(input, T.CUSTOMERS);
  const names = new Map<string, string>();
  for (const r of view.rows) {
    const id = cellText(cellOf(view, r, 'customerId'));
    if (id !== '' && !names.has(id)) names.set(id, cellText(cellOf(view, r, 'name')));
  }
  return names;
}
