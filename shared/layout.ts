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
  // A sync column whose header appears twice (a person renamed their 备注 to 健康度) is
  // written to neither: either one could be the person's.
  const ambiguous = new Set<string>();
  let headerWidth = 0;
  header.forEach((raw, index) => {
    if (cellText(raw) !== '') headerWidth = index + 1;
    const column = wanted.get(normalizeHeader(raw));
    if (!column) return;
    if (indexByKey.has(column.key) && column.owner === 'sync') {
      if (!ambiguous.has(column.key))
        problems.push({
          tab: tab.name,
          row: 1,
          column: column.header,
          value: cellText(raw),
          message: `同步列“${column.header}”的表头出现了不止一次：为免写进您自己的列，这一列两处都不写入。请把不是同步的那一列改名，下次同步会恢复`,
          level: '错误',
        });
      ambiguous.add(column.key);
      return;
    }
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
  for (const key of ambiguous) indexByKey.delete(key);
  const missing = tab.columns.filter((c) => !indexByKey.has(c.key) && !ambiguous.has(c.key));
  return { tab, indexByKey, missing, headerWidth };
}
