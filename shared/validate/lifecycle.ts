/**
 * Points in a workbook's validation after which part of what it read is no longer read
 * by the validation itself. A caller that keeps only what its own next steps need (the
 * cold sync at a hundred thousand customers) frees each tab's rows there, so the raw,
 * parsed and typed forms of a million rows never all live at once. A caller that keeps
 * rows between syncs (the warm service) hands earlier parses back instead.
 */
import type { TabDef } from '../../sheets-templates/types.ts';
import type { Problem } from '../model.ts';
import type { ParseMemo, SheetRow, TabResult } from './types.ts';

/** A tab's parse as it was before the whole-workbook checks marked any row. */
export interface TabParse {
  result: TabResult;
  /** the problems its parse reported, in order */
  problems: readonly Problem[];
  /**
   * the rows (by position) the duplicate-ID check marks and the problems it reports: a
   * function of the parsed rows alone, so the same for every validation of this parse
   */
  duplicates?: { rows: readonly number[]; problems: readonly Problem[] };
}

export interface ValidationLifecycle {
  /**
   * earlier parses of the tab to take rows from while they are unchanged (see ParsedEntry);
   * the caller drops them when 参数, the date or the date system change
   */
  memo?(tab: TabDef): ParseMemo;
  /**
   * the tab's parse when its rows are the ones an earlier parse under the same header,
   * 参数, date and date system was made of (see madeParse): fresh rows, as the whole-workbook
   * checks mark them
   */
  parseOf?(tab: TabDef, rows: readonly SheetRow[]): TabParse | undefined;
  /** the tab's rows just parsed, before any whole-workbook check, with their problems */
  madeParse?(tab: TabDef, rows: readonly SheetRow[], parse: TabParse): void;
  /** the tab's raw rows are parsed: validation reads them no more */
  parsed?(tab: TabDef, result: TabResult): void;
  /** the child tab's typed rows exist: validation reads its parsed rows no more */
  typed?(tab: TabDef, result: TabResult): void;
}
