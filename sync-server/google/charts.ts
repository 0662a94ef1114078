/**
 * The charts and column widths of 报表 and 销售分析 in a Google spreadsheet, from the same
 * chart descriptions as the xlsx (shared/charts.ts). Each chart is found again through a
 * developer metadata entry of the spreadsheet, `crm-sync:chart:<key>` = `<chartId> <digest>`:
 * the first sync adds the chart and its entry; a later sync sends updateChartSpec and
 * moves it only when its digest changed (a table grew or shrank), and re-adds it if
 * someone deleted it. The requests ride in the sync's one spreadsheets.batchUpdate, so a
 * sync still makes a constant number of calls, and a sync that changes nothing sends none.
 *
 * Print settings are not part of the Sheets API; the add-on's export sets them per PDF.
 */
import type { ChartSpec, ColumnRange } from '../../shared/charts.ts';
import type { SheetLayout } from '../../shared/sync/plan.ts';
import type { SheetsRequest } from './client.ts';

export interface LayoutMarks {
  /** developer metadata of the spreadsheet by key */
  marks: ReadonlyMap<string, { metadataId: number; value: string }>;
  /** the ids of the charts that exist */
  chartIds: ReadonlySet<number>;
}

export const chartKey = (key: string): string => `crm-sync:chart:${key}`;
export const widthsKey = (tab: string): string => `crm-sync:widths:${tab}`;
export const titlesKey = (tab: string): string => `crm-sync:titles:${tab}`;

/** FNV-1a, as hex: enough to tell one layout from the next. */
function digest(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function source(sheetId: number, r: ColumnRange) {
  return {
    sourceRange: {
      sources: [
        {
          sheetId,
          startRowIndex: r.firstRow - 1,
          endRowIndex: r.lastRow,
          startColumnIndex: r.col,
          endColumnIndex: r.col + 1,
        },
      ],
    },
  };
}

/** The Sheets ChartSpec of a description. */
export function sheetsChartSpec(spec: ChartSpec, sheetId: number): Record<string, unknown> {
  const title = { title: spec.title, titleTextFormat: { bold: true, fontSize: 12 } };
  if (spec.kind === 'pie') {
    return {
      ...title,
      pieChart: {
        legendPosition: 'RIGHT_LEGEND',
        domain: source(sheetId, spec.categories),
        series: source(sheetId, spec.values),
      },
    };
  }
  return {
    ...title,
    basicChart: {
      chartType: 'COLUMN',
      legendPosition: 'NO_LEGEND',
      headerCount: 0,
      axis: [{ position: 'BOTTOM_AXIS' }, { position: 'LEFT_AXIS' }],
      domains: [{ domain: source(sheetId, spec.categories) }],
      series: [
        {
          series: source(sheetId, spec.values),
          targetAxis: 'LEFT_AXIS',
          dataLabel: spec.valueLabels
            ? { type: 'DATA', placement: 'OUTSIDE_END' }
            : { type: 'NONE' },
        },
      ],
    },
  };
}

function position(spec: ChartSpec, sheetId: number) {
  return {
    overlayPosition: {
      anchorCell: { sheetId, rowIndex: spec.anchor.fromRow, columnIndex: spec.anchor.fromCol },
      widthPixels: spec.widthPx,
      heightPixels: spec.heightPx,
    },
  };
}

function setMark(marks: LayoutMarks['marks'], key: string, value: string): SheetsRequest {
  const have = marks.get(key);
  if (have)
    return {
      updateDeveloperMetadata: {
        dataFilters: [{ developerMetadataLookup: { metadataId: have.metadataId } }],
        developerMetadata: { metadataValue: value },
        fields: 'metadataValue',
      },
    };
  return {
    createDeveloperMetadata: {
      developerMetadata: {
        metadataKey: key,
        metadataValue: value,
        location: { spreadsheet: true },
        visibility: 'DOCUMENT',
      },
    },
  };
}

/** A chart id no chart of the spreadsheet has. */
function freshChartId(taken: Set<number>): number {
  let id = 0;
  do id = 1 + Math.floor(Math.random() * 2_000_000_000);
  while (taken.has(id));
  taken.add(id);
  return id;
}

/** Bold on or off for one 1-based row, or (null) the whole tab; number formats stay. */
function boldRows(sheetId: number, row: number | null, bold: boolean): SheetsRequest {
  return {
    repeatCell: {
      range: row === null ? { sheetId } : { sheetId, startRowIndex: row - 1, endRowIndex: row },
      cell: { userEnteredFormat: { textFormat: { bold } } },
      fields: 'userEnteredFormat.textFormat.bold',
    },
  };
}

/** Characters of width (Excel's unit) as pixels, as the Sheets UI sizes a column. */
const pixels = (chars: number): number => Math.round(chars * 7 + 5);

/** The requests that bring the charts and column widths up to date; none when they are. */
export function layoutRequests(
  layouts: readonly SheetLayout[] | undefined,
  sheetIdOf: (tab: string) => number | undefined,
  known: LayoutMarks,
): SheetsRequest[] {
  const requests: SheetsRequest[] = [];
  const taken = new Set(known.chartIds);
  for (const layout of layouts ?? []) {
    const sheetId = sheetIdOf(layout.tab);
    if (sheetId === undefined) continue;
    if (layout.widths) {
      const value = digest(JSON.stringify(layout.widths));
      const key = widthsKey(layout.tab);
      if (known.marks.get(key)?.value !== value) {
        layout.widths.forEach((w, i) =>
          requests.push({
            updateDimensionProperties: {
              range: { sheetId, dimension: 'COLUMNS', startIndex: i, endIndex: i + 1 },
              properties: { pixelSize: pixels(w) },
              fields: 'pixelSize',
            },
          }),
        );
        requests.push(setMark(known.marks, key, value));
      }
    }
    if (layout.titleRows) {
      // Titles move when a table grows: the tab is set plain, then its titles bold.
      const value = digest(JSON.stringify(layout.titleRows));
      const key = titlesKey(layout.tab);
      if (known.marks.get(key)?.value !== value) {
        requests.push(boldRows(sheetId, null, false));
        for (const row of layout.titleRows) requests.push(boldRows(sheetId, row, true));
        requests.push(setMark(known.marks, key, value));
      }
    }
    for (const chart of layout.charts) {
      const spec = sheetsChartSpec(chart, sheetId);
      const pos = position(chart, sheetId);
      const hash = digest(JSON.stringify([spec, pos]));
      const key = chartKey(chart.key);
      const [idText, had] = (known.marks.get(key)?.value ?? '').split(' ');
      const chartId = Number(idText);
      if (idText && known.chartIds.has(chartId)) {
        if (had === hash) continue;
        requests.push({ updateChartSpec: { chartId, spec } });
        requests.push({
          updateEmbeddedObjectPosition: {
            objectId: chartId,
            newPosition: pos,
            fields: 'anchorCell,widthPixels,heightPixels',
          },
        });
        requests.push(setMark(known.marks, key, `${chartId} ${hash}`));
        continue;
      }
      const id = freshChartId(taken);
      requests.push({ addChart: { chart: { chartId: id, spec, position: pos } } });
      requests.push(setMark(known.marks, key, `${id} ${hash}`));
    }
  }
  return requests;
}
