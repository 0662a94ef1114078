/**
 * The one customer the tests start from — 杭州云帆科技有限公司, E20240001, a signed company
 * — keyed by template column. Tests that fill a sheet the way people do take it by
 * header text (`customerCells`); variations spread it and change what they test.
 */
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import type { ColumnKey } from '../../sheets-templates/types.ts';
import type { RawCell } from '../../shared/cells.ts';

export const CUSTOMER = {
  customerId: 'E20240001',
  kind: '企业',
  name: '杭州云帆科技有限公司',
  contact: '王芳',
  phone: '13812345678',
  industry: '信息技术',
  source: '转介绍',
  status: '正式',
  owner: '李明',
  createdDate: '2024-01-05',
  signedDate: '2024-01-10',
} as const satisfies Partial<Record<ColumnKey<typeof CUSTOMERS>, string>>;

/** A 客户 row keyed by header text, as people type it under the headers. */
export function byHeader<V>(
  row: Partial<Record<ColumnKey<typeof CUSTOMERS>, V>>,
): Record<string, V | null> {
  return Object.fromEntries(
    CUSTOMERS.columns.filter((c) => c.key in row).map((c) => [c.header, row[c.key] ?? null]),
  );
}

/** The customer by header text, with some cells changed or added (by header). */
export const customerCells = (extra: Record<string, RawCell> = {}): Record<string, RawCell> => ({
  ...byHeader(CUSTOMER),
  ...extra,
});
