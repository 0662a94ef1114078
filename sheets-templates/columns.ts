/** The builders every tab declares its columns with. */
import type { ColumnDef, ColumnType } from './types.ts';

type Extra = Partial<Omit<ColumnDef, 'key' | 'header' | 'en' | 'type' | 'owner'>>;

/**
 * A people column. Key, type and extras keep their literal types, so a tab's column
 * keys and an enum's values are known to the compiler (see ColumnKey and RowValues).
 */
export const col = <const K extends string, const Ty extends ColumnType, const E extends Extra>(
  key: K,
  header: string,
  en: string,
  type: Ty,
  extra: E,
): { key: K; header: string; en: string; type: Ty; owner: 'people' } & E => ({
  key,
  header,
  en,
  type,
  owner: 'people',
  ...extra,
});

/** A column the sync computes and overwrites. */
export const sync = <const K extends string, const Ty extends ColumnType, const E extends Extra>(
  key: K,
  header: string,
  en: string,
  type: Ty,
  extra: E,
): { key: K; header: string; en: string; type: Ty; owner: 'sync' } & E => ({
  key,
  header,
  en,
  type,
  owner: 'sync',
  ...extra,
});

export const oneOf = <const Vs extends readonly string[], const E extends Extra>(
  values: Vs,
  extra: E,
): { values: Vs } & E => ({ values, ...extra });

export const customerRef = col('customerId', '客户编号', 'Customer ID', 'customerRef', {
  required: true,
  width: 13,
});
