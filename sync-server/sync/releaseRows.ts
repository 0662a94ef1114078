/**
 * What a cold sync frees while it validates. The child tabs (订单, 跟进记录, 回访记录 and
 * the surveys) hold nine rows in ten of a large workbook, and once their typed rows exist
 * the plan reads nothing of them but how many rows each had: their raw rows go as soon
 * as they are parsed, their parsed values as soon as they are typed. 客户 and 工单 are
 * kept whole (the plan compares their sync columns with what was read), and so is any
 * tab with a blank ID, whose row as read is checked again before the ID is written.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type {
  ParsedRow,
  SheetRow,
  TabResult,
  ValidationLifecycle,
} from '../../shared/validate/index.ts';

/** The data tabs the plan writes no cell of, so it needs nothing of their rows but a count. */
const RELEASABLE: ReadonlySet<string> = new Set(
  T.DATA_TABS.filter((t) => t !== T.CUSTOMERS && t !== T.TICKETS).map((t) => t.key),
);

/**
 * Stands for each released parsed row: the plan counts a tab's rows, and a shared
 * placeholder keeps that count for eight bytes a row instead of the row and its values.
 */
const COUNTED_ROW: ParsedRow = Object.freeze({
  row: 0,
  id: '',
  values: Object.freeze({}) as Record<string, unknown>,
  hasError: false,
}) as ParsedRow;

/** Asked once parsed, before blank IDs are filled in. */
const rawReleasable = (tab: TabDef, result: TabResult): boolean =>
  RELEASABLE.has(tab.key) && !result.rows.some((r) => r.id === '');

/**
 * Frees the child tabs' rows from `tabs` (the sync's own map of what was read, not the
 * store's) and from the validation's results at the points the validation is done with them.
 */
export function releasingChildRows(tabs: Map<string, readonly SheetRow[]>): ValidationLifecycle {
  return {
    parsed(tab, result) {
      if (rawReleasable(tab, result)) tabs.delete(tab.name);
    },
    typed(tab, result) {
      if (RELEASABLE.has(tab.key)) result.rows.fill(COUNTED_ROW);
    },
  };
}
