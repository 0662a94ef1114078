/**
 * Where each template column sits in a tab: columns are found by their header text,
 * never by position, because people reorder, insert and hide columns.
 */
import type { ColumnDef, TabDef } from '../sheets-templates/types.ts';
import { cellText, normalizeHeader, type RawCell } from './cells.ts';
import type { Problem } from './model.ts';

export interface TabLayout {
  tab: TabDef;
  /** 0-based column index of each template column found in row 1 */
  indexByKey: ReadonlyMap<string, number>;
  /** template columns whose header is not in row 1 */
  missing: readonly ColumnDef[];
  /** the width of row 1 as read, so new headers go to its right */
  headerWidth: number;
}

export function resolveLayout(
  tab: TabDef,
  header: readonly RawCell[],
  problems: Problem[],
): TabLayout {
  const wanted = new Map(tab.columns.map((c) => [normalizeHeader(c.header), c]));
  const indexByKey = new Map<string, number>();
  let headerWidth = 0;
  header.forEach((raw, index) => {
    if (cellText(raw) !== '') headerWidth = index + 1;
    const column = wanted.get(normalizeHeader(raw));
    if (!column) return;
    if (indexByKey.has(column.key)) {
      problems.push({
        tab: tab.name,
        row: 1,
        column: column.header,
        value: cellText(raw),
        message: `表头“${column.header}”重复出现：同步只使用最左边的一列，请删除或改名多余的列`,
        level: '警告',
      });
      return;
    }
    indexByKey.set(column.key, index);
  });
  const missing = tab.columns.filter((c) => !indexByKey.has(c.key));
  return { tab, indexByKey, missing, headerWidth };
}
