/**
 * The sheets of a new workbook, derived from the templates: one sheet per tab with its
 * headers, widths, formats, dropdowns and notes; config tabs hold their default rows,
 * data tabs optionally a generated sample.
 */
import { dayToSerial, secondsToSerial } from '../../shared/calendar.ts';
import {
  SYNC_COLUMN_NOTE,
  TABS,
  USERS,
  type ColumnDef,
  type TabDef,
} from '../../sheets-templates/index.ts';
import { isSampleTab, type Sample, type SampleRow } from './sample/index.ts';
import type { CellValue } from '../../shared/cells.ts';
import { formatOf } from '../../shared/formats.ts';
import type { ColumnSpec, Dropdown, Row, SheetSpec } from '../xlsx/writer.ts';
import { sampleUserRows } from './sample/users.ts';
import { columnLetters } from '../xlsx/cellRef.ts';

/** How far a dropdown reads down a config tab's column. */
export const CONFIG_LIST_LAST_ROW = 200;

/**
 * The dropdown people pick from. Sync columns get none: nobody should be editing them.
 * A list kept in a setting is one cell of text, which a validation cannot split, so
 * such a column offers its default values; a list kept as a config tab's column is
 * referenced where it stands, so edits to that tab show up in the dropdown at once.
 */
export function dropdownOf(
  column: ColumnDef,
  tabs: readonly TabDef[] = TABS,
): Dropdown | undefined {
  if (column.owner === 'sync') return undefined;
  const allowOther = column.type !== 'enum' || column.outsideValues === 'warning';
  const source = column.valuesFrom;
  if (source?.kind === 'configColumn') {
    const tab = tabs.find((t) => t.name === source.tab);
    const index = tab?.columns.findIndex((c) => c.key === source.column) ?? -1;
    if (!tab || index < 0) {
      throw new Error(`${column.header}: no column ${source.column} in tab ${source.tab}`);
    }
    const letters = columnLetters(index);
    const range = `${quoteSheetName(tab.name)}!$${letters}$2:$${letters}$${CONFIG_LIST_LAST_ROW}`;
    return { range, allowOther };
  }
  if (column.values && column.values.length > 0) return { values: column.values, allowOther };
  return undefined;
}

function quoteSheetName(name: string): string {
  return `'${name.replaceAll("'", "''")}'`;
}

export function columnSpec(column: ColumnDef, tabs: readonly TabDef[] = TABS): ColumnSpec {
  const sync = column.owner === 'sync';
  const spec: ColumnSpec = {
    header: column.header,
    format: formatOf(column),
    sync,
  };
  if (column.width !== undefined) spec.width = column.width;
  const note = sync ? SYNC_COLUMN_NOTE : column.hint;
  if (note) spec.note = note;
  const dropdown = dropdownOf(column, tabs);
  if (dropdown) spec.dropdown = dropdown;
  return spec;
}

/** A sample row in column order, dates as serial numbers. */
export function sampleCells(tab: TabDef, row: SampleRow): Row {
  return tab.columns.map((c): CellValue => {
    const value = row[c.key];
    if (value === undefined || value === null) return null;
    if (typeof value === 'number') {
      if (c.type === 'date') return dayToSerial(value);
      if (c.type === 'datetime') return secondsToSerial(value);
    }
    return value;
  });
}

function* sampleRows(tab: TabDef, rows: Iterable<SampleRow>): Generator<Row> {
  for (const row of rows) yield sampleCells(tab, row);
}

/** Every tab of a new workbook, in template order. */
export function workbookSheets(sample?: Sample, tabs: readonly TabDef[] = TABS): SheetSpec[] {
  return tabs.map((tab) => {
    const columns = tab.columns.map((c) => columnSpec(c, tabs));
    const sheet: SheetSpec = { name: tab.name, columns };
    if (tab === USERS && sample) {
      sheet.rows = sampleUserRows();
    } else if (tab.kind === 'config') {
      sheet.rows = tab.defaultRows ?? [];
    } else if (tab.kind === 'data' && sample) {
      if (isSampleTab(tab.key)) sheet.rows = sampleRows(tab, sample[tab.key]());
    }
    return sheet;
  });
}
