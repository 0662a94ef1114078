/**
 * What a sync plan is made of: the cells to write, IDs for rows that had none, the sync
 * tabs to add whole, and how printed tabs are laid out. plan.ts makes it; the stores
 * carry it out.
 */
import type { TabDef } from '../../sheets-templates/types.ts';
import type { CellValue, RawCell } from '../cells.ts';
import type { ChartSpec } from '../charts.ts';
import type { CellFormat } from '../formats.ts';
import type { ListTabEdits } from './rowEdits.ts';

export interface CellWrite {
  tab: string;
  /** 1-based row number as read */
  row: number;
  /** 0-based column index as read */
  col: number;
  value: CellValue;
  format?: CellFormat;
  /** the row's ID, so a store can find the row again if rows moved (blank for header cells) */
  rowId: string;
  /** the template column key ('' for sync tabs) */
  column: string;
}

/** An ID for a row that had none: written only if the row still holds what was read. */
export interface IdWrite extends CellWrite {
  /** the row's cells as read, to compare with just before writing */
  rowAsRead: readonly RawCell[];
}

export interface SyncTabContent {
  tab: TabDef;
  /** header row first */
  rows: CellValue[][];
  /** a format per column; reports carry one per cell */
  formats: (CellFormat | CellFormat[])[];
}

/**
 * A printed tab's layout, kept by every sync: landscape, one page wide, the tab's name
 * and page numbers in the page header and footer, plus these.
 */
export interface SheetLayout {
  tab: string;
  /** column widths in characters; null keeps the tab's own */
  widths: number[] | null;
  /** how many top rows repeat on every printed page */
  repeatRows: number;
  charts: ChartSpec[];
  /**
   * 1-based rows holding the titles of titled tables, set in bold; on such a tab the sync
   * decides every written cell's look (absent: cells keep theirs)
   */
  titleRows?: number[];
}

export interface SyncPlan {
  /** changed sync cells of data tabs and whole-grid diffs of existing sync tabs */
  cells: CellWrite[];
  ids: IdWrite[];
  /** sync tabs that do not exist yet, to be added whole */
  newTabs: SyncTabContent[];
  rowsRead: number;
  errors: number;
  warnings: number;
  /**
   * how the tabs people print are laid out: column widths, landscape one page wide,
   * repeated header rows, and the charts (absent: leave the layout as it is)
   */
  layouts?: SheetLayout[];
  /** the list tabs' cells above again as row runs, for a store that can move rows */
  rowEdits?: ListTabEdits[];
  /** this sync's 同步日志 row and its values, for a store that amends it after writing */
  logEntry?: { row: number; values: CellValue[] };
}
