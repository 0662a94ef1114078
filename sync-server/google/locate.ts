/**
 * The re-read before a write (and after it, to verify): row 1 and the ID column of each
 * data tab, or the whole tab where IDs are assigned, in one values.batchGet — a second
 * only when a column moved since the read.
 */
import type { RawCell } from '../../shared/cells.ts';
import { resolveLayout } from '../../shared/layout.ts';
import { columnA1, rowA1, rowsFromA1, quoteTab } from './a1.ts';
import type { SheetsApi } from './client.ts';
import { idText, rowCells, type TabNeed, type TabNow } from './placement.ts';
import { NEW_SHEET_COLUMNS, type Meta } from './structure.ts';

/** Re-reads row 1 and the ID column (or the whole tab) of each tab, in one batchGet. */
export async function locate(
  api: SheetsApi,
  spreadsheetId: string,
  needs: ReadonlyMap<string, TabNeed>,
  meta: Meta | undefined,
): Promise<Map<string, TabNow>> {
  const result = new Map<string, TabNow>();
  if (needs.size === 0) return result;
  const ranges: string[] = [];
  const slots: { name: string; kind: 'whole' | 'header' | 'ids' | 'free'; row?: number }[] = [];
  const ask = (range: string, slot: (typeof slots)[number]) => {
    ranges.push(range);
    slots.push(slot);
  };
  const columnCount = (name: string) => meta?.sheets.get(name)?.columnCount ?? NEW_SHEET_COLUMNS;
  const rowCount = (name: string) => meta?.sheets.get(name)?.rowCount ?? Number.POSITIVE_INFINITY;
  for (const [name, need] of needs) {
    if (need.whole) ask(quoteTab(name), { name, kind: 'whole' });
    else {
      ask(rowA1(name, 1), { name, kind: 'header' });
      if (need.idColAsRead !== undefined)
        ask(columnA1(name, need.idColAsRead), { name, kind: 'ids' });
    }
    for (const row of need.newRows)
      if (row <= rowCount(name))
        ask(rowsFromA1(name, row, columnCount(name)), { name, kind: 'free', row });
  }
  const got = await api.batchGet(spreadsheetId, ranges);

  const header = new Map<string, readonly unknown[]>();
  const idValues = new Map<string, { col: number; values: readonly (readonly unknown[])[] }>();
  const whole = new Map<string, RawCell[][]>();
  const free = new Map<string, Map<number, number>>();
  slots.forEach((slot, i) => {
    const values = got[i]?.values ?? [];
    const need = needs.get(slot.name)!;
    if (slot.kind === 'whole') {
      whole.set(slot.name, values.map(rowCells));
      header.set(slot.name, values[0] ?? []);
    } else if (slot.kind === 'header') header.set(slot.name, values[0] ?? []);
    else if (slot.kind === 'ids') idValues.set(slot.name, { col: need.idColAsRead!, values });
    else {
      const m = free.get(slot.name) ?? new Map<number, number>();
      let offset = values.findIndex((v) => rowCells(v).length === 0);
      if (offset < 0) offset = values.length;
      m.set(slot.row!, slot.row! + offset);
      free.set(slot.name, m);
    }
  });

  // A column moved between the read and now: fetch the ID column where it is now.
  const again: string[] = [];
  const againNames: { name: string; col: number }[] = [];
  for (const [name, need] of needs) {
    const layout = resolveLayout(need.tab, rowCells(header.get(name)), []);
    const idCol = layout.indexByKey.get(need.tab.idColumn);
    if (need.whole || idCol === undefined || idValues.get(name)?.col === idCol) continue;
    again.push(columnA1(name, idCol));
    againNames.push({ name, col: idCol });
  }
  if (again.length > 0) {
    const more = await api.batchGet(spreadsheetId, again);
    againNames.forEach(({ name, col }, i) =>
      idValues.set(name, { col, values: more[i]?.values ?? [] }),
    );
  }

  for (const [name, need] of needs) {
    const layout = resolveLayout(need.tab, rowCells(header.get(name)), []);
    const idCol = layout.indexByKey.get(need.tab.idColumn);
    const rowsById = new Map<string, number[]>();
    const add = (raw: unknown, row: number) => {
      const id = idText(raw);
      if (row === 1 || id === '') return;
      const list = rowsById.get(id);
      if (list) list.push(row);
      else rowsById.set(id, [row]);
    };
    const rows = whole.get(name);
    if (idCol !== undefined) {
      if (rows) rows.forEach((cells, i) => add(cells[idCol], i + 1));
      else idValues.get(name)?.values.forEach((v, i) => add(v[0], i + 1));
    }
    const tabNow: TabNow = {
      tab: need.tab,
      layout,
      idCol,
      rowsById,
      freeRow: free.get(name) ?? new Map(),
    };
    if (rows) tabNow.rows = rows;
    for (const row of need.newRows) if (!tabNow.freeRow.has(row)) tabNow.freeRow.set(row, row);
    result.set(name, tabNow);
  }
  return result;
}
