/**
 * Where each planned cell goes now: people sort, insert and delete rows and move columns
 * while a sync runs, so a data-tab cell is placed at the row holding its row's ID and the
 * column holding its header as last re-read — never by the row number it had when read.
 */
import { cellText, type RawCell } from '../../shared/cells.ts';
import { formatOf } from '../../shared/formats.ts';
import { resolveLayout, type TabLayout } from '../../shared/layout.ts';
import type { CellFormat, CellValue, CellWrite, IdWrite } from '../../shared/sync/plan.ts';
import type { SheetRow } from '../../shared/validate/index.ts';
import { TABS } from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';

export type KeyedTab = TabDef & { idColumn: string };

/** A value bound for one cell, after its row and column were found again. */
export interface Target {
  tab: string;
  row: number;
  col: number;
  value: CellValue;
  format: CellFormat | undefined;
  /** data tabs: the ID of the row this value belongs to, and its template column */
  rowId?: string;
  column?: string;
}

/** A sync column added at the right end of row 1. */
export interface NewColumn {
  tab: string;
  col: number;
  format: CellFormat | undefined;
}

const TAB_BY_NAME = new Map(TABS.map((t) => [t.name, t]));

/** Tabs whose rows carry IDs, so cells are placed by ID rather than by row number. */
export function keyedTab(name: string): KeyedTab | undefined {
  const tab = TAB_BY_NAME.get(name);
  return tab?.kind === 'data' && tab.idColumn ? (tab as KeyedTab) : undefined;
}

/** A cell as the sync sees it: the API's empty string is a blank cell. */
export function rawOf(value: unknown): RawCell {
  if (value === '' || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  return null;
}

/** A row's cells with blanks as null and no trailing blanks, like the xlsx reader's. */
export function rowCells(values: readonly unknown[] | undefined): RawCell[] {
  const cells = (values ?? []).map(rawOf);
  while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
  return cells;
}

export function sheetRows(values: readonly (readonly unknown[])[] | null | undefined): SheetRow[] {
  const rows: SheetRow[] = [];
  (values ?? []).forEach((v, i) => {
    const cells = rowCells(v);
    if (cells.length > 0) rows.push({ row: i + 1, cells });
  });
  return rows;
}

/** A row's content as one comparable string: blanks are blanks however they were stored. */
export function rowKey(cells: readonly RawCell[]): string {
  return JSON.stringify(rowCells(cells));
}

export function idText(raw: unknown): string {
  return cellText(rawOf(raw));
}

/** Where a data tab stands just before the write. */
export interface TabNow {
  tab: KeyedTab;
  layout: TabLayout;
  idCol: number | undefined;
  /** ID text → the rows holding it, top first */
  rowsById: Map<string, number[]>;
  /** every row (index = row - 1), when the tab was re-read whole for ID assignments */
  rows?: RawCell[][];
  /** for new form rows: the planned row → the first empty row from there down */
  freeRow: Map<number, number>;
}

export interface TabNeed {
  tab: KeyedTab;
  /** re-read the whole tab: blank IDs are to be assigned and their rows may have moved */
  whole: boolean;
  /** the ID column's index when read, so the first re-read can fetch just that column */
  idColAsRead: number | undefined;
  /** planned rows of new form rows, to find free rows from */
  newRows: Set<number>;
}

export function idColumnOf(
  tab: KeyedTab,
  rows: readonly SheetRow[] | undefined,
): number | undefined {
  const header = rows?.[0]?.row === 1 ? rows[0].cells : [];
  return resolveLayout(tab, header, []).indexByKey.get(tab.idColumn);
}

export function toTarget(cell: CellWrite, row: number, col: number): Target {
  const target: Target = { tab: cell.tab, row, col, value: cell.value, format: cell.format };
  if (keyedTab(cell.tab)) {
    target.rowId = cell.rowId;
    target.column = cell.column;
  }
  return target;
}

/** A new ID bound for a row, with the content of the row it is meant for (ID cell blank). */
export interface IdTarget extends Target {
  rowId: string;
  /** contentKey of the row as read */
  content: string;
}

/** A row's content without its ID cell: what identifies a row that has no ID yet. */
export function contentKey(cells: readonly RawCell[] | undefined, idCol: number): string {
  const copy = [...(cells ?? [])];
  if (idCol < copy.length) copy[idCol] = null;
  return rowKey(copy);
}

/** Cells of one planned row together, in the order they came. */
export function groupRows(cells: readonly CellWrite[]): CellWrite[][] {
  const groups = new Map<string, CellWrite[]>();
  for (const cell of cells) {
    const key = `${cell.row}\u0000${cell.rowId}`;
    const g = groups.get(key) ?? [];
    g.push(cell);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** A form's new row: no ID yet, or it writes its own new ID into the ID column. */
export function isNewRow(tab: KeyedTab, group: readonly CellWrite[]): boolean {
  const first = group[0]!;
  if (first.row === 1) return false;
  if (first.rowId === '') return true;
  return group.some((c) => c.column === tab.idColumn && cellText(c.value) === first.rowId);
}

/**
 * Places the cells of one data tab by ID and header. In 'sync' mode a cell whose row or
 * column is gone is dropped; in 'form' mode it is reported, since a form's row is
 * written whole or not at all.
 */
export function placeKeyed(
  now: TabNow,
  cells: readonly CellWrite[],
  mode: 'sync' | 'form',
): {
  targets: Target[];
  newColumns: NewColumn[];
  dropped: number;
  problems: string[];
} {
  const targets: Target[] = [];
  const problems: string[] = [];
  const newColumns: NewColumn[] = [];
  let dropped = 0;
  const added = new Map<string, number>();
  let nextCol = now.layout.headerWidth;
  const headers = cells.filter((c) => c.row === 1).sort((a, b) => a.col - b.col);
  for (const cell of headers) {
    if (now.layout.indexByKey.has(cell.column) || added.has(cell.column)) continue;
    added.set(cell.column, nextCol);
    targets.push(toTarget(cell, 1, nextCol));
    const def = now.tab.columns.find((c) => c.key === cell.column);
    newColumns.push({
      tab: now.tab.name,
      col: nextCol,
      format: def ? formatOf(def) : undefined,
    });
    nextCol++;
  }
  const columnOf = (key: string) => now.layout.indexByKey.get(key) ?? added.get(key);
  for (const group of groupRows(cells.filter((c) => c.row !== 1))) {
    const first = group[0]!;
    let row: number | undefined;
    const holding = first.rowId === '' ? undefined : now.rowsById.get(first.rowId);
    if (mode === 'form' && isNewRow(now.tab, group)) {
      // Someone else's row took this ID meanwhile: never write over it.
      if (holding) {
        problems.push(`“${now.tab.name}”中的编号 ${first.rowId} 已被其他行占用`);
        dropped += group.length;
        continue;
      }
      row = now.freeRow.get(first.row);
    } else if (holding) row = holding.includes(first.row) ? first.row : holding[0];
    if (row === undefined) {
      if (mode === 'form')
        problems.push(`“${now.tab.name}”中编号为 ${first.rowId || '（空）'} 的行已不存在`);
      dropped += group.length;
      continue;
    }
    for (const cell of group) {
      const col = columnOf(cell.column);
      if (col === undefined) {
        if (mode === 'form') problems.push(`“${now.tab.name}”缺少列 ${cell.column}`);
        dropped++;
        continue;
      }
      targets.push(toTarget(cell, row, col));
    }
  }
  return { targets, newColumns, dropped, problems };
}

/**
 * Finds the row each new ID belongs to: the planned row if it still holds exactly what
 * was read, else another row holding exactly that (a sort moved it). IDs that already
 * appear in the tab, or whose row changed, wait for the next sync.
 */
export function placeIds(
  now: TabNow,
  ids: readonly IdWrite[],
): { targets: IdTarget[]; deferred: number } {
  const targets: IdTarget[] = [];
  let deferred = 0;
  const rows = now.rows ?? [];
  const used = new Set<number>();
  let byContent: Map<string, number[]> | undefined;
  const candidates = (key: string): number[] => {
    if (!byContent) {
      byContent = new Map();
      rows.forEach((cells, i) => {
        if (i === 0) return;
        if (now.idCol !== undefined && idText(cells[now.idCol]) !== '') return;
        const k = rowKey(cells);
        const list = byContent!.get(k);
        if (list) list.push(i + 1);
        else byContent!.set(k, [i + 1]);
      });
    }
    return byContent.get(key) ?? [];
  };
  for (const id of ids) {
    if (now.idCol === undefined || now.rowsById.has(id.value === null ? '' : cellText(id.value))) {
      deferred++;
      continue;
    }
    const key = rowKey(id.rowAsRead);
    let row: number | undefined;
    const planned = rows[id.row - 1];
    if (planned && !used.has(id.row) && rowKey(planned) === key) row = id.row;
    else row = candidates(key).find((r) => !used.has(r));
    if (row === undefined) {
      deferred++;
      continue;
    }
    used.add(row);
    targets.push({
      tab: id.tab,
      row,
      col: now.idCol,
      value: id.value,
      format: id.format,
      rowId: cellText(id.value),
      column: id.column,
      content: contentKey(id.rowAsRead, now.idCol),
    });
  }
  return { targets, deferred };
}
