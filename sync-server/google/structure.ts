/**
 * The spreadsheets.batchUpdate side of a write: the grid as the store knows it (tabs and
 * their sizes), and the structure requests values need first — new sync tabs with their
 * header rows, grid growth, number formats.
 */
import { FORMAT_PATTERNS, numberFormatOf, type NumberFormat } from '../../shared/formats.ts';
import type { CellFormat, CellValue, SyncTabContent } from '../../shared/sync/plan.ts';
import { isTablesTab, SYNC_TABS } from '../../sheets-templates/tabs.ts';
import type { SheetsRequest, SpreadsheetMeta } from './client.ts';
import { widthOf } from './batching.ts';
import type { LayoutMarks } from './charts.ts';
import type { NewColumn, Target } from './placement.ts';

const TABLES_TABS = SYNC_TABS.filter(isTablesTab);

export const META_FIELDS =
  'properties(title,timeZone),sheets(properties(sheetId,title,index,gridProperties(rowCount,columnCount)),charts(chartId)),developerMetadata(metadataId,metadataKey,metadataValue)';

// A new tab gets the size of a new sheet in the Sheets UI, or more if its content needs it.
export const NEW_SHEET_ROWS = 1000;
export const NEW_SHEET_COLUMNS = 26;

export interface SheetInfo {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
}

export interface Meta extends LayoutMarks {
  title: string;
  timeZone?: string;
  sheets: Map<string, SheetInfo>;
}

/** The title, time zone and tabs of a spreadsheets.get answer asked for META_FIELDS. */
export function metaOf(data: SpreadsheetMeta): Meta {
  const sheets = new Map<string, SheetInfo>();
  for (const s of data.sheets ?? []) {
    const p = s.properties;
    if (!p?.title || typeof p.sheetId !== 'number') continue;
    sheets.set(p.title, {
      sheetId: p.sheetId,
      title: p.title,
      rowCount: p.gridProperties?.rowCount ?? 0,
      columnCount: p.gridProperties?.columnCount ?? 0,
    });
  }
  const chartIds = new Set<number>();
  for (const s of data.sheets ?? [])
    for (const c of s.charts ?? []) if (typeof c.chartId === 'number') chartIds.add(c.chartId);
  const marks = new Map<string, { metadataId: number; value: string }>();
  for (const d of data.developerMetadata ?? [])
    if (d.metadataKey?.startsWith('crm-sync:') && typeof d.metadataId === 'number')
      marks.set(d.metadataKey, { metadataId: d.metadataId, value: d.metadataValue ?? '' });
  const meta: Meta = { title: data.properties?.title ?? '', sheets, marks, chartIds };
  if (data.properties?.timeZone) meta.timeZone = data.properties.timeZone;
  return meta;
}

const SHEETS_TYPES: Readonly<Record<NumberFormat, string>> = {
  date: 'DATE',
  datetime: 'DATE_TIME',
  integer: 'NUMBER',
  number: 'NUMBER',
  money: 'NUMBER',
  percent: 'PERCENT',
};

/** The Sheets API's NumberFormat for a cell format (shared/formats.ts), or undefined. */
export function sheetsNumberFormat(
  format: CellFormat | undefined,
): { type: string; pattern: string } | undefined {
  const number = numberFormatOf(format);
  return number && { type: SHEETS_TYPES[number], pattern: FORMAT_PATTERNS[number].pattern };
}

function numberFormatRequest(
  sheetId: number,
  rows: [number, number | undefined],
  cols: [number, number],
  format: CellFormat,
): SheetsRequest | null {
  const numberFormat = sheetsNumberFormat(format);
  if (!numberFormat) return null;
  return {
    repeatCell: {
      range: {
        sheetId,
        startRowIndex: rows[0],
        ...(rows[1] === undefined ? {} : { endRowIndex: rows[1] }),
        startColumnIndex: cols[0],
        endColumnIndex: cols[1],
      },
      cell: { userEnteredFormat: { numberFormat } },
      fields: 'userEnteredFormat.numberFormat',
    },
  };
}

/**
 * The spreadsheets.batchUpdate requests the values need first: new sync tabs (with their
 * header row, so a tab never exists without one), more rows or columns where writes go
 * past a sheet's grid, and number formats where a cell's format is not the default.
 */
export function structureRequests(
  meta: Meta,
  targets: readonly Target[],
  newTabs: readonly SyncTabContent[],
  newColumns: readonly NewColumn[],
  headerRows: ReadonlyMap<string, CellValue[]>,
): { requests: SheetsRequest[]; added: string[] } {
  const requests: SheetsRequest[] = [];
  const formats: SheetsRequest[] = [];
  const added: string[] = [];
  const usedIds = new Set([...meta.sheets.values()].map((s) => s.sheetId));
  const sheets = new Map(meta.sheets);
  let nextIndex = meta.sheets.size;
  const extent = new Map<string, { rows: number; cols: number }>();
  const grow = (tab: string, row: number, col: number) => {
    const e = extent.get(tab) ?? { rows: 0, cols: 0 };
    e.rows = Math.max(e.rows, row);
    e.cols = Math.max(e.cols, col + 1);
    extent.set(tab, e);
  };
  for (const t of targets) grow(t.tab, t.row, t.col);

  for (const content of newTabs) {
    const name = content.tab.name;
    const height = content.rows.length;
    const width = widthOf(content.rows);
    grow(name, height, width - 1);
    if (sheets.has(name)) continue;
    let sheetId = 0;
    do sheetId = 1 + Math.floor(Math.random() * 2_000_000_000);
    while (usedIds.has(sheetId));
    usedIds.add(sheetId);
    const info: SheetInfo = {
      sheetId,
      title: name,
      rowCount: Math.max(NEW_SHEET_ROWS, height),
      columnCount: Math.max(NEW_SHEET_COLUMNS, width),
    };
    sheets.set(name, info);
    added.push(name);
    const isReports = isTablesTab(content.tab);
    requests.push({
      addSheet: {
        properties: {
          sheetId,
          title: name,
          index: nextIndex++,
          gridProperties: {
            rowCount: info.rowCount,
            columnCount: info.columnCount,
            ...(isReports ? {} : { frozenRowCount: 1 }),
          },
        },
      },
    });
    const header = headerRows.get(name) ?? [];
    if (header.length > 0)
      requests.push({
        updateCells: {
          start: { sheetId, rowIndex: 0, columnIndex: 0 },
          rows: [{ values: header.map((v) => ({ userEnteredValue: cellData(v) })) }],
          fields: 'userEnteredValue',
        },
      });
    if (isReports) {
      content.rows.forEach((row, r) => {
        const rowFormats = (content.formats[r] as CellFormat[] | undefined) ?? [];
        runsOf(rowFormats.slice(0, row.length)).forEach(([from, to, f]) => {
          const req = numberFormatRequest(sheetId, [r, r + 1], [from, to], f);
          if (req) formats.push(req);
        });
      });
    } else {
      formats.push({
        repeatCell: {
          range: { sheetId, startRowIndex: 0, endRowIndex: 1 },
          cell: { userEnteredFormat: { textFormat: { bold: true } } },
          fields: 'userEnteredFormat.textFormat.bold',
        },
      });
      content.formats.forEach((f, c) => {
        const req = numberFormatRequest(sheetId, [1, undefined], [c, c + 1], f as CellFormat);
        if (req) formats.push(req);
      });
    }
  }

  for (const [name, e] of extent) {
    const info = sheets.get(name);
    if (!info || added.includes(name)) continue;
    const grid: [string, number][] = [
      ['ROWS', e.rows - info.rowCount],
      ['COLUMNS', e.cols - info.columnCount],
    ];
    for (const [dimension, length] of grid)
      if (length > 0)
        requests.push({ appendDimension: { sheetId: info.sheetId, dimension, length } });
  }

  // A column the sync just added takes its column's number format.
  for (const c of newColumns) {
    const info = sheets.get(c.tab);
    if (!info || !c.format) continue;
    const req = numberFormatRequest(info.sheetId, [1, undefined], [c.col, c.col + 1], c.format);
    if (req) formats.push(req);
  }
  // 报表 and 销售分析 are rewritten with a format per cell; cells of sync tabs keep their column's.
  for (const tab of TABLES_TABS) {
    const reports = sheets.get(tab.name);
    if (!reports || added.includes(tab.name)) continue;
    const byRow = new Map<number, CellFormat[]>();
    for (const t of targets) {
      if (t.tab !== tab.name || !t.format || t.format === 'text') continue;
      const row = byRow.get(t.row) ?? [];
      row[t.col] = t.format;
      byRow.set(t.row, row);
    }
    for (const [row, rowFormats] of byRow)
      for (const [from, to, f] of runsOf(rowFormats)) {
        const req = numberFormatRequest(reports.sheetId, [row - 1, row], [from, to], f);
        if (req) formats.push(req);
      }
  }
  return { requests: [...requests, ...formats], added };
}

function cellData(v: CellValue): Record<string, unknown> {
  if (typeof v === 'number' && Number.isFinite(v)) return { numberValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return { stringValue: v === null || typeof v === 'number' ? '' : v };
}

/** Consecutive equal formats of a row (holes skipped): [from, to (exclusive), format]. */
function runsOf(formats: readonly (CellFormat | undefined)[]): [number, number, CellFormat][] {
  const runs: [number, number, CellFormat][] = [];
  formats.forEach((f, i) => {
    if (f === undefined) return;
    const last = runs[runs.length - 1];
    if (last && last[2] === f && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1, f]);
  });
  return runs;
}
