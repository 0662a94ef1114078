/** The shapes passed between the steps of validation, and to the stores and the sync plan. */
import type { ColumnDef, RowValues, TabDef } from '../../sheets-templates/types.ts';
import type { SerialEpoch } from '../calendar.ts';
import type { RawCell } from '../cells.ts';
import type { TabLayout } from '../layout.ts';
import type { Problem, Settings } from '../model.ts';

export interface SheetRow {
  /** 1-based row number in the tab */
  row: number;
  /** cell values by 0-based column index */
  cells: readonly RawCell[];
}

export interface WorkbookInput {
  /** tab name → its rows as read, row 1 (the header) included */
  tabs: ReadonlyMap<string, readonly SheetRow[]>;
  epoch: SerialEpoch;
}

/**
 * A non-empty data row after parsing. A row parsed with an ID is not changed afterwards:
 * its kept parse (ParsedEntry) may hold the very object, so a mark replaces it (markError).
 */
export interface ParsedRow {
  row: number;
  /** the ID as read ('' when blank) */
  id: string;
  values: Record<string, unknown>;
  hasError: boolean;
  /** the earlier parse this row was taken from, when it was reused */
  entry?: ParsedEntry | undefined;
}

/**
 * A row as parsed once, with its problems: reusable while the row as read is the same
 * object (a store that keeps rows replaces a row it changes) and the header row, 参数,
 * the date and the date system are the same. Only rows with an ID are kept, as only
 * blank IDs are changed after parsing.
 */
export interface ParsedEntry {
  source: SheetRow;
  /** the row before any whole-workbook check marked it (often the row validation gave) */
  parsed: Readonly<ParsedRow>;
  problems: readonly Problem[];
  /** the typed row made from it (Customer, Order …), made once */
  typed?: unknown;
}

/** Earlier parses of one tab by row number; filled in by parseRows. */
export type ParseMemo = (ParsedEntry | undefined)[];

export interface TabResult {
  layout: TabLayout;
  rows: ParsedRow[];
}

/** Reports one problem of the row being parsed; an 错误 sets the row aside. */
export type ProblemSink = (
  row: number,
  column: ColumnDef | null,
  raw: unknown,
  message: string,
  level: Problem['level'],
) => void;

/** A check of one parsed row that looks at more than one cell. */
export type RowCheck = (row: ParsedRow, report: ProblemSink) => void;

export interface ParseContext {
  epoch: SerialEpoch;
  settings: Settings;
  problems: Problem[];
}

/**
 * A parsed row's values by the keys of the tab that parsed it, typed from the template
 * (parseRows gives every row one value per column of its tab, parsed by the column's
 * type; in a row with an 错误 a required value may be null). Reads written out as
 * `x.name` each keep their own inline cache for the one shape all rows of a tab share,
 * where a helper indexed by key would see every key at one site and fall back to a slow
 * generic lookup.
 */
export const valuesOf = <T extends TabDef>(_tab: T, row: ParsedRow): RowValues<T> =>
  row.values as RowValues<T>;
