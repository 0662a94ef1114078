/**
 * Points in a workbook's validation after which part of what it read is no longer read
 * by the validation itself. A caller that keeps only what its own next steps need (the
 * cold sync at a hundred thousand customers) frees each tab's rows there, so the raw,
 * parsed and typed forms of a million rows never all live at once.
 */
import type { TabDef } from '../../sheets-templates/types.ts';
import type { TabResult } from './types.ts';

export interface ValidationLifecycle {
  /** the tab's raw rows are parsed: validation reads them no more */
  parsed?(tab: TabDef, result: TabResult): void;
  /** the child tab's typed rows exist: validation reads its parsed rows no more */
  typed?(tab: TabDef, result: TabResult): void;
}
