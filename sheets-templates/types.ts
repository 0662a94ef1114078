/**
 * The vocabulary of the templates. Every tab and column of the workbook is described
 * once with these types; schemas, forms, dropdowns and the xlsx template derive from it.
 */

export type ColumnType =
  /** the row's own ID (客户编号 on 客户, 订单编号 on 订单 …) */
  | 'id'
  /** a reference to an existing 客户编号 */
  | 'customerRef'
  | 'text'
  | 'enum'
  | 'date'
  | 'datetime'
  /** yuan, ≥ 0; stored exactly as fen */
  | 'money'
  | 'integer'
  | 'number'
  | 'phone'
  | 'email'
  | 'link'
  /** unified social credit code, GB 32100-2015 */
  | 'creditCode';

export type Owner = 'people' | 'sync';

/** A condition on another column of the same row, e.g. 联系人 is required when 客户类型 is 企业. */
export interface WhenCondition {
  column: string;
  in: readonly string[];
}

/** Where a dropdown's values come from when they are not a fixed list. */
export type ValuesSource =
  { kind: 'setting'; setting: string } | { kind: 'configColumn'; tab: string; column: string };

export interface ColumnDef<K extends string = string> {
  /** stable identifier used in code, forms and JSON */
  key: K;
  /** the zh-CN header text in row 1 */
  header: string;
  /** an English header, accepted when importing */
  en: string;
  type: ColumnType;
  owner: Owner;
  /** true, or required only when another column has one of some values */
  required?: boolean | WhenCondition;
  /** allowed values of an enum */
  values?: readonly string[];
  /** values read at run time from a config tab or a setting (e.g. 行业列表) */
  valuesFrom?: ValuesSource;
  /** a value outside the allowed list is an 错误 unless this says 警告 */
  outsideValues?: 'error' | 'warning';
  /** the value a blank cell means */
  defaultValue?: string | number;
  /** bounds for integers and numbers */
  min?: number;
  max?: number;
  /** column width in characters, for the xlsx template */
  width?: number;
  /** what people see as a hint in forms and as the header note */
  hint?: string;
}

export type TabKind = 'data' | 'config' | 'syncTab';

export interface TabDef<K extends string = string> {
  /** the tab's name in the workbook */
  name: string;
  key: string;
  kind: TabKind;
  columns: readonly ColumnDef<K>[];
  /** the ID column, for tabs whose rows have IDs */
  idColumn?: string;
  /** the fixed prefix letter of new IDs (客户 takes it from 参数 by 客户类型) */
  idPrefix?: string;
  /** the date column whose year goes into a new ID */
  idDateColumn?: string;
  /** default rows of a config tab, in column order */
  defaultRows?: readonly (readonly (string | number)[])[];
}

/** The column keys of a tab: a union of literals for a tab declared `as const`. */
export type ColumnKey<T extends TabDef> = T['columns'][number]['key'];

/** The column of a tab with this key. */
export type ColumnOf<T extends TabDef, K extends ColumnKey<T>> = Extract<
  T['columns'][number],
  { key: K }
>;

/**
 * What a column's cells parse to: an enum its listed values (any text when values
 * outside the list are only a warning), dates, times, money and numbers a number
 * (epoch days, wall seconds, fen), everything else text.
 */
export type ParsedValue<C extends ColumnDef> = C extends { type: 'enum'; outsideValues: 'warning' }
  ? string
  : C extends { type: 'enum'; values: readonly (infer V extends string)[] }
    ? V
    : C['type'] extends 'date' | 'datetime' | 'money' | 'integer' | 'number'
      ? number
      : string;

/**
 * A parsed row of a tab by column key. A required column holds a value in every row
 * without an 错误; any other may be blank (null), a defaulted one when its column is
 * missing from the sheet.
 */
export type RowValues<T extends TabDef> = {
  readonly [C in T['columns'][number] as C['key']]: C extends { required: true }
    ? ParsedValue<C>
    : ParsedValue<C> | null;
};

/** One setting of the 参数 tab. */
export interface SettingDef {
  name: string;
  kind: 'integer' | 'number' | 'percent' | 'yesNo' | 'text' | 'list' | 'timeZone' | 'cron';
  defaultValue: string | number;
  description: string;
  /** inclusive lower bound for numeric kinds */
  min?: number;
}
