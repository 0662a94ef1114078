/**
 * The charts of 报表 and 销售分析, described once: which table, which cells, which kind,
 * and where on the tab. The xlsx store turns a description into DrawingML parts, the
 * Google store into addChart / updateChartSpec requests; both refer to the cells the
 * sync writes, so a chart shows what its table shows.
 *
 * Charts stand below the last table of their tab, two side by side, so that printing the
 * tab one page wide does not shrink the tables to make room for them.
 */
import type { PlacedTable, TablesLayout } from './sync/tablesLayout.ts';

export type ChartKind = 'pie' | 'column';

/** A block of one column, 1-based rows, 0-based column (as CellWrite). */
export interface ColumnRange {
  firstRow: number;
  lastRow: number;
  col: number;
}

export interface ChartSpec {
  /** stable name, how a store finds the chart again: `crm-sync:<key>` */
  key: string;
  title: string;
  kind: ChartKind;
  tab: string;
  categories: ColumnRange;
  values: ColumnRange;
  /** the header cell naming the series */
  seriesName: { row: number; col: number };
  /** what the cells hold now, for viewers that show a chart's cached values */
  categoryLabels: string[];
  seriesValues: (number | null)[];
  seriesLabel: string;
  /**
   * whether each column shows its value: counts do; sums in yuan do not, since eight-digit
   * labels run into each other over narrow columns and the table above has every figure
   */
  valueLabels: boolean;
  /** the cell block it covers: 0-based, `to` exclusive */
  anchor: { fromRow: number; fromCol: number; toRow: number; toCol: number };
  /** its size in pixels (for stores that place charts by size) */
  widthPx: number;
  heightPx: number;
}

/** A values column in yuan, by its header: 近12月销售额(元) … */
export const isMoney = (header: string): boolean => header.includes('(元)');

interface Wanted {
  key: string;
  table: string;
  title: string;
  kind: ChartKind;
  /** the header of the values column */
  values: string;
}

const REPORT_CHARTS: readonly Wanted[] = [
  { key: 'tiers', table: '客户分层分布', title: '客户分层分布', kind: 'pie', values: '客户数' },
  { key: 'health', table: '健康度分布', title: '健康度分布', kind: 'column', values: '客户数' },
  {
    key: 'complaints',
    table: '月度投诉分析',
    title: '月度投诉',
    kind: 'column',
    values: '工单数',
  },
];

const ANALYSIS_CHARTS: readonly Wanted[] = [
  {
    key: 'regions',
    table: '区域销售',
    title: '区域销售',
    kind: 'column',
    values: '近12月销售额(元)',
  },
  { key: 'products', table: '产品销售', title: '产品销售', kind: 'pie', values: '销售额(元)' },
];

export const CHART_ROWS = 18;
/** Excel's default row height is 15 points = 20 px; a character of width ≈ 7 px + padding */
const ROW_PX = 20;
const CHART_WIDTH_CHARS = 60;
const charPx = (w: number): number => Math.round(w * 7 + 5);

/** A table's data rows without its closing 合计 row (a total is not a slice or a bar). */
function dataRows(p: PlacedTable): { first: number; last: number } {
  const last = p.table.rows[p.table.rows.length - 1];
  const closes = last?.[0] === '合计';
  return { first: p.firstDataRow, last: p.lastDataRow - (closes ? 1 : 0) };
}

function chartsOf(tab: string, layout: TablesLayout, wanted: readonly Wanted[]): ChartSpec[] {
  const top = layout.rows.length + 1; // a blank row under the last table (0-based: rows.length + 1)
  const widths = layout.widths;
  const colWidth = (c: number): number => widths[c] ?? 8.43;
  // Two charts side by side, each as many columns as make about CHART_WIDTH_CHARS.
  const spanFrom = (from: number): number => {
    let to = from;
    let w = 0;
    while (w < CHART_WIDTH_CHARS) w += colWidth(to++);
    return to;
  };
  const specs: ChartSpec[] = [];
  let slot = 0;
  for (const w of wanted) {
    const placed = layout.placed.find((p) => p.table.title === w.table);
    if (!placed || placed.headerRow === null) continue;
    const valueCol = placed.table.header.indexOf(w.values);
    if (valueCol < 0) continue;
    const { first, last } = dataRows(placed);
    if (last < first) continue;
    const row = top + Math.floor(slot / 2) * (CHART_ROWS + 1);
    const fromCol = slot % 2 === 0 ? 0 : spanFrom(0);
    const toCol = spanFrom(fromCol);
    let widthPx = 0;
    for (let c = fromCol; c < toCol; c++) widthPx += charPx(colWidth(c));
    const cats = placed.table.rows.slice(0, last - first + 1);
    specs.push({
      key: w.key,
      title: w.title,
      kind: w.kind,
      tab,
      categories: { firstRow: first, lastRow: last, col: 0 },
      values: { firstRow: first, lastRow: last, col: valueCol },
      seriesName: { row: placed.headerRow, col: valueCol },
      categoryLabels: cats.map((r) => String(r[0] ?? '')),
      seriesValues: cats.map((r) =>
        typeof r[valueCol] === 'number' ? (r[valueCol] as number) : null,
      ),
      seriesLabel: w.values,
      valueLabels: !isMoney(w.values),
      anchor: { fromRow: row, fromCol, toRow: row + CHART_ROWS, toCol },
      widthPx,
      heightPx: CHART_ROWS * ROW_PX,
    });
    slot++;
  }
  return specs;
}

/** The charts of 报表 (客户分层分布, 健康度分布, 月度投诉) and 销售分析 (区域销售, 产品销售). */
export function reportCharts(
  reports: { tab: string; layout: TablesLayout },
  analysis: { tab: string; layout: TablesLayout },
): ChartSpec[] {
  return [
    ...chartsOf(reports.tab, reports.layout, REPORT_CHARTS),
    ...chartsOf(analysis.tab, analysis.layout, ANALYSIS_CHARTS),
  ];
}

/** The name a chart carries in the file or the spreadsheet, so a sync finds its own again. */
export const chartMark = (key: string): string => `crm-sync:${key}`;
