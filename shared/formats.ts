/**
 * How each kind of column shows its values, in one table: the xlsx writer, the xlsx
 * patcher, the sync plan and the Google store all take their number formats from here,
 * so a value looks the same whichever way the workbook is kept.
 */
import type { ColumnDef, ColumnType } from '../sheets-templates/types.ts';

/** How a column's values are shown. */
export type CellFormat =
  /** whatever was typed, as typed */
  | 'general'
  /** stored and typed as text, so phone numbers and IDs keep leading zeros */
  | 'text'
  | 'date'
  | 'datetime'
  | 'money'
  | 'integer'
  | 'number'
  | 'percent';

/** The formats that give a number its look; General and Text leave numbers as they are. */
export type NumberFormat = Exclude<CellFormat, 'general' | 'text'>;

export interface FormatPattern {
  /** the number-format code, as Excel, LibreOffice and Google Sheets spell it */
  pattern: string;
  /** Excel's built-in id for this code, when it has one (then the code need not be declared) */
  builtinId?: number;
}

/**
 * One decimal for plain numbers and shares: a 健康度 of 72.5, 3.5 hours, a 12.3% share
 * read at a glance, and two decimals would suggest a precision the scores do not have.
 * Money keeps its fen.
 */
export const FORMAT_PATTERNS: Readonly<Record<CellFormat, FormatPattern>> = {
  general: { pattern: 'General', builtinId: 0 },
  text: { pattern: '@', builtinId: 49 },
  date: { pattern: 'yyyy-mm-dd' },
  datetime: { pattern: 'yyyy-mm-dd hh:mm' },
  money: { pattern: '#,##0.00', builtinId: 4 },
  integer: { pattern: '0', builtinId: 1 },
  number: { pattern: '0.0' },
  percent: { pattern: '0.0%' },
};

const FORMAT_OF_TYPE: Readonly<Record<ColumnType, CellFormat>> = {
  id: 'text',
  customerRef: 'text',
  phone: 'text',
  creditCode: 'text',
  text: 'general',
  enum: 'general',
  email: 'general',
  link: 'general',
  date: 'date',
  datetime: 'datetime',
  money: 'money',
  integer: 'integer',
  number: 'number',
};

/** The format of a column of this type. */
export function formatOfType(type: ColumnType): CellFormat {
  return FORMAT_OF_TYPE[type];
}

/** The format of a template column. */
export function formatOf(column: Pick<ColumnDef, 'type'>): CellFormat {
  return FORMAT_OF_TYPE[column.type];
}

/** The number format a value needs, or undefined for General and Text. */
export function numberFormatOf(format: CellFormat | undefined): NumberFormat | undefined {
  return format === undefined || format === 'general' || format === 'text' ? undefined : format;
}

const NUMBER_FORMATS = new Set<string>([
  'date',
  'datetime',
  'integer',
  'number',
  'money',
  'percent',
]);

export function isNumberFormat(value: unknown): value is NumberFormat {
  return typeof value === 'string' && NUMBER_FORMATS.has(value);
}
