/** What a patch asks for, what it reports, and the checked form the stages pass on. */
import type { CellValue } from '../../shared/cells.ts';
import type { NumberFormat } from '../../shared/formats.ts';
import type { SheetInfo } from './package.ts';
import type { EntryChunks } from './rowChunks.ts';
import type { SheetRowEdits } from './rowlessSheet.ts';
import type { SheetLayoutPatch } from './sheetLayout.ts';

export type { CellValue } from '../../shared/cells.ts';

/** A number format the patcher can give a cell: a shared table's name, not a code. */
export type NumFmt = NumberFormat;

export interface CellPatch {
  /** 1-based sheet row */
  row: number;
  /** 0-based column */
  col: number;
  /** null (or '') clears the value and keeps the cell's style */
  value: CellValue;
  /** number format for a number written into a cell without a number format of its own */
  numFmt?: NumFmt;
  /**
   * true: the cell is set in bold alone (a table's title); false: plain, with `numFmt`;
   * either way whatever style it had goes. Absent: the cell keeps its style.
   */
  bold?: boolean;
}

export interface SheetContent {
  /** rows[0] is sheet row 1 */
  rows: readonly (readonly CellValue[])[];
  /** number format per 0-based column, applied below the header rows */
  numFmts?: readonly (NumFmt | null | undefined)[];
  /** leading rows styled as headers (bold, shaded) unless they already have a style; default 1 */
  headerRows?: number;
  /** column widths in characters, used when the sheet is created */
  colWidths?: readonly (number | null | undefined)[];
  /** freeze the header rows when the sheet is created; default true */
  freezeHeader?: boolean;
  /**
   * Text starting with = + - @ gets Excel's quote-prefix style besides being text; default
   * true. False only for the templates' own text that `adopt` adds (such as 分层规则's `=`),
   * which must leave a team's styles.xml byte for byte (docs/workbook.md, "Text that looks like a formula").
   */
  quotePrefix?: boolean;
  /** 1-based rows set in bold alone (the titles of titled tables) */
  titleRows?: readonly number[];
}

export interface AppendRows {
  /** rows written below the sheet's last row holding a value */
  rows: readonly (readonly CellValue[])[];
  numFmts?: readonly (NumFmt | null | undefined)[];
}

export interface WorkbookPatch {
  /** cell updates per existing sheet name */
  cells?: Readonly<Record<string, readonly CellPatch[]>>;
  /** sheets whose data is rewritten whole; created (as the last tab) when missing */
  replaceSheets?: Readonly<Record<string, SheetContent>>;
  /** rows appended per existing sheet name */
  appendRows?: Readonly<Record<string, AppendRows>>;
  /** print layout and charts per sheet name, kept at every patch (see sheetLayout.ts) */
  layouts?: Readonly<Record<string, SheetLayoutPatch>>;
  /**
   * existing sheets rewritten as they are, in pieces (rowChunks.ts), so that the next
   * patches of them deflate only the pieces they touch
   */
  cutSheets?: readonly string[];
  /**
   * per list tab (given no `cells`): its change as row runs. The tab is written without
   * row numbers (rowlessSheet.ts), so that once it is, runs are written into the pieces
   * they fall in.
   */
  rowEdits?: Readonly<Record<string, RowEditsPatch>>;
}

export interface RowEditsPatch {
  /** in row order, none overlapping; `at` is a 1-based row as read */
  edits: readonly {
    at: number;
    remove: number;
    insert: readonly (readonly CellValue[])[];
  }[];
  /** number format per 0-based column, for rows other than row 1 */
  numFmts?: readonly (NumFmt | null | undefined)[];
  /** rows (blank ones included) the tab holds as read, and after the edits */
  height: number;
  newHeight: number;
}

/** Text edits of a sheet part around its rows: the byte strings before and after sheetData. */
export interface SheetEdits {
  head?: (head: string, prefix: string) => string;
  tail?: (tail: string, prefix: string) => string;
}

export interface PatchOptions {
  /**
   * zlib level for rewritten parts, 1 (fast) … 9 (small). Default 4: on sheet XML it
   * is within ~5% of level 6's size at under half its CPU time.
   */
  compressionLevel?: number;
  /**
   * How the source file's sheets were cut into pieces, as the last patch of it reported
   * (see rowChunks.ts): only the pieces a patch touches are deflated again.
   */
  chunks?: ReadonlyMap<string, EntryChunks>;
  /** hears the fraction of the source file's entries done (0–1), by their stored size */
  progress?: (fraction: number) => void;
}

export interface PatchResult {
  /** cells set or cleared by `cells` and `appendRows`, plus cells of replaced sheets */
  cellsWritten: number;
  /** formulas dropped from overwritten cells */
  formulasRemoved: number;
  /** shared formulas rewritten as standalone formulas because their anchor cell was overwritten */
  formulasDetached: number;
  sheetsAdded: string[];
  /** zip entries written anew; everything else was copied byte-for-byte */
  partsRewritten: string[];
  /** size of the written file */
  bytes: number;
  /** the written file's sheets cut into pieces, per part name, for the next patch of it */
  chunks?: Map<string, EntryChunks>;
  /** the sheets whose row runs were written */
  rowEdited?: string[];
}

export { PatchError } from './errors.ts';

/** A result with nothing done yet. */
export function emptyResult(): PatchResult {
  return {
    cellsWritten: 0,
    formulasRemoved: 0,
    formulasDetached: 0,
    sheetsAdded: [],
    partsRewritten: [],
    bytes: 0,
  };
}

/** A cell to write; a checked CellPatch serves as one as it is. */
export interface PatchCellX {
  col: number;
  value: CellValue;
  numFmt?: NumFmt | undefined;
  header?: boolean;
  bold?: boolean | undefined;
}

export interface PatchRowX {
  row: number;
  cells: PatchCellX[];
}

/** One sheet part to rewrite or create. */
export interface SheetJob {
  name: string;
  /** null for a sheet the patch creates */
  info: SheetInfo | null;
  mode: 'merge' | 'replace';
  rows: PatchRowX[];
  content?: SheetContent;
  /** part name of a created sheet */
  newPart?: string;
  newRelId?: string;
  newSheetId?: number;
  edits?: SheetEdits;
  /** a list tab's change as row runs (`rows` is then empty): written without row numbers */
  rowEdits?: SheetRowEdits;
}
