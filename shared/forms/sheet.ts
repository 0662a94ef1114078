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

/**
 * Views of a tab's rows, kept per row list. A service keeps one read of the workbook
 * between forms and, on every write, replaces the tab's row list by a new one in which
 * only the written rows are new objects. So a form's several looks at 客户 find one view,
 * and the view of a new list is made from the last one by what changed (see derive),
 * not from every row again. The length and the last row must match too, in case a list
 * is changed in place.
 */
interface Made {
  view: TabView;
  /** the header row object the view's layout was found in */
  header: SheetRow | undefined;
  length: number;
  last: SheetRow | undefined;
}
const views = new WeakMap<readonly SheetRow[], Map<TabDef, Made>>();
/**
 * The last view made of each tab, to make the next from. It holds that view's rows (the
 * same objects the workbook holds), never the list they came from.
 */
const latest = new Map<TabDef, Made>();

/** The rows a view no longer has and the rows it gained, against the view it was made from. */
export interface ViewDelta {
  from: TabView;
  removed: readonly SheetRow[];
  added: readonly SheetRow[];
}
/**
 * What is kept per view (ID index, duplicate keys, serials) moves to the view made from
 * it when that view is made, changed by the delta; a view made from scratch starts empty.
 */
type Mover = (delta: ViewDelta, to: TabView) => void;
const movers: Mover[] = [];

export function onDerive(mover: Mover): void {
  movers.push(mover);
}

const inView = (r: SheetRow): boolean => r.row > 1 && r.cells.some((c) => !isBlank(c));
const headerOf = (sheet: readonly SheetRow[]): SheetRow | undefined =>
  sheet[0]?.row === 1 ? sheet[0] : sheet.find((r) => r.row === 1);

export function viewTab(input: WorkbookInput, tab: TabDef): TabView {
  const sheet = input.tabs.get(tab.name);
  if (!sheet) return makeView(sheet, tab);
  let byTab = views.get(sheet);
  const hit = byTab?.get(tab);
  if (hit && hit.length === sheet.length && hit.last === sheet.at(-1)) return hit.view;
  const before = latest.get(tab);
  const header = headerOf(sheet);
  const derived = before && before.header === header ? derive(before.view, sheet) : null;
  const view = derived?.view ?? makeView(sheet, tab);
  if (derived) for (const move of movers) move(derived.delta, view);
  const made = { view, header, length: sheet.length, last: sheet.at(-1) };
  if (!byTab) views.set(sheet, (byTab = new Map()));
  byTab.set(tab, made);
  latest.set(tab, made);
  return view;
}

/**
 * The view of `sheet` from an earlier view of the same tab with the same header row,
 * when the list is in row order and differs from that view's rows in at most a quarter
 * of them (past that, making the view again costs about as much); null otherwise.
 */
function derive(
  before: TabView,
  sheet: readonly SheetRow[],
): { view: TabView; delta: ViewDelta } | null {
  if (!ascending(sheet)) return null;
  const old = before.rows;
  const limit = Math.max(64, sheet.length >> 2);
  const removed: SheetRow[] = [];
  const added: SheetRow[] = [];
  const rows: SheetRow[] = [];
  let i = 0;
  let j = 0;
  while (i < sheet.length || j < old.length) {
    const a = sheet[i];
    const b = old[j];
    if (a === b) {
      rows.push(a!);
      i++;
      j++;
      continue;
    }
    if (a && a.row === 1) {
      i++;
      continue;
    }
    if (!b || (a && a.row < b.row)) {
      if (inView(a!)) {
        added.push(a!);
        rows.push(a!);
      }
      i++;
    } else if (!a || b.row < a.row) {
      removed.push(b);
      j++;
    } else {
      removed.push(b);
      if (inView(a)) {
        added.push(a);
        rows.push(a);
      }
      i++;
      j++;
    }
    if (Math.max(removed.length, added.length) > limit) return null;
  }
  const view: TabView = { ...before, rows, lastRow: rows.at(-1)?.row ?? 1 };
  return { view, delta: { from: before, removed, added } };
}

function ascending(rows: readonly SheetRow[]): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i]!.row <= rows[i - 1]!.row) return false;
  return true;
}

function makeView(sheet: readonly SheetRow[] | undefined, tab: TabDef): TabView {
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

/** Per view, each ID's first row: made on the first look-up, the view's rows never change. */
const byId = new WeakMap<TabView, Map<string, SheetRow>>();

/**
 * The index moves to the next view, changed by the delta; it is dropped when a row that
 * was first for its ID is gone without a row of that number and ID in its place
 * (another row may hold the ID further down).
 */
onDerive((delta, to) => {
  const index = byId.get(delta.from);
  const key = to.tab.idColumn;
  if (!index || !key) return;
  byId.delete(delta.from);
  const idOf = (r: SheetRow) => cellText(cellOf(to, r, key));
  const lost = new Map<string, number>();
  for (const r of delta.removed) {
    const id = idOf(r);
    if (index.get(id) === r) {
      index.delete(id);
      lost.set(id, r.row);
    }
  }
  for (const r of delta.added) {
    const id = idOf(r);
    const first = index.get(id);
    if (lost.get(id) === r.row) lost.delete(id);
    if (!first || first.row > r.row) index.set(id, r);
  }
  if (lost.size === 0) byId.set(to, index);
});

/** The first row holding this ID, as a sync would use it. */
export function findById(view: TabView, id: string): SheetRow | undefined {
  if (id === '') return undefined;
  return idIndex(view)?.get(id);
}

/** Each ID's first row in the view (undefined for a tab without IDs). */
export function idIndex(view: TabView): ReadonlyMap<string, SheetRow> | undefined {
  const key = view.tab.idColumn;
  if (!key) return undefined;
  let index = byId.get(view);
  if (!index) {
    index = new Map();
    for (const r of view.rows) {
      const rowId = cellText(cellOf(view, r, key));
      if (!index.has(rowId)) index.set(rowId, r);
    }
    byId.set(view, index);
  }
  return index;
}

const names = new WeakMap<TabView, ReadonlyMap<string, string>>();

/** 客户编号 → 客户名称, for labels of tickets and visits (one map per view of 客户). */
export function customerNames(input: WorkbookInput): ReadonlyMap<string, string> {
  const view = viewTab(input, T.CUSTOMERS);
  const kept = names.get(view);
  if (kept) return kept;
  const out = new Map<string, string>();
  for (const r of view.rows) {
    const id = cellText(cellOf(view, r, 'customerId'));
    if (id !== '' && !out.has(id)) out.set(id, cellText(cellOf(view, r, 'name')));
  }
  names.set(view, out);
  return out;
}
