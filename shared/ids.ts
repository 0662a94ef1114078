/**
 * IDs for rows that have none: `<prefix><year><serial>` (E20240001), the year taken from
 * the row's own date, the serial counting up per prefix+year from the largest present.
 */
import type { TabDef } from '../sheets-templates/types.ts';
import { column } from '../sheets-templates/tabs.ts';
import { civilFromDays, dateOf, type EpochDay } from './calendar.ts';
import type { Problem, Settings } from './model.ts';
import type { ParsedRow, TabResult } from './validate/types.ts';

export interface IdAssignment {
  /** the tab's name */
  tab: string;
  row: number;
  /** the ID column's key */
  column: string;
  id: string;
}

const ID_RE = /^([A-Z]+)(\d{4})(\d{4,})$/;

/** Natural order of IDs: prefix, year, then serial as a number (E20249999 < E202410000). */
export function compareIds(a: string, b: string): number {
  const ma = ID_RE.exec(a);
  const mb = ID_RE.exec(b);
  if (ma && mb) {
    if (ma[1] !== mb[1]) return ma[1]! < mb[1]! ? -1 : 1;
    if (ma[2] !== mb[2]) return Number(ma[2]) - Number(mb[2]);
    return Number(ma[3]) - Number(mb[3]) || (a < b ? -1 : a > b ? 1 : 0);
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

export function formatId(prefix: string, year: number, serial: number): string {
  return `${prefix}${String(year).padStart(4, '0')}${String(serial).padStart(4, '0')}`;
}

/** Largest serial per prefix+year among the IDs given. */
export function maxSerials(ids: Iterable<string>): Map<string, number> {
  const max = new Map<string, number>();
  for (const id of ids) {
    const m = ID_RE.exec(id);
    if (!m) continue;
    const key = m[1]! + m[2]!;
    const serial = Number(m[3]);
    if (serial > (max.get(key) ?? 0)) max.set(key, serial);
  }
  return max;
}

/** The next ID for a prefix and year, counting on from `serials` (which it updates). */
export function nextId(serials: Map<string, number>, prefix: string, year: number): string {
  const key = prefix + String(year).padStart(4, '0');
  const serial = (serials.get(key) ?? 0) + 1;
  serials.set(key, serial);
  return formatId(prefix, year, serial);
}

export function customerPrefix(kind: unknown, settings: Settings): string | null {
  if (kind === '企业') return settings.enterprisePrefix;
  if (kind === '个人') return settings.personPrefix;
  return null;
}

/** The year of a row's own date (a date or a date-time), or today's when blank. */
export function idYear(tab: TabDef, values: Record<string, unknown>, today: EpochDay): number {
  const key = tab.idDateColumn;
  const raw = key ? values[key] : null;
  if (typeof raw !== 'number') return civilFromDays(today).year;
  const day = column(tab, key!).type === 'datetime' ? dateOf(raw) : raw;
  return civilFromDays(day).year;
}

/**
 * The ID a blank-ID row gets, counting on from `serials` (which it updates), or null with
 * an 错误 on the row when no prefix fits (a customer of no known kind).
 */
export function assignId(
  tab: TabDef,
  row: ParsedRow,
  serials: Map<string, number>,
  ctx: { settings: Settings; today: EpochDay; problems: Problem[] },
): string | null {
  const idKey = tab.idColumn!;
  const prefix = tab.idPrefix ?? customerPrefix(row.values.kind, ctx.settings);
  if (prefix === null) {
    row.hasError = true;
    ctx.problems.push({
      tab: tab.name,
      row: row.row,
      column: column(tab, idKey).header,
      value: '',
      message: '无法生成客户编号：客户类型应为“企业”或“个人”',
      level: '错误',
    });
    return null;
  }
  row.id = nextId(serials, prefix, idYear(tab, row.values, ctx.today));
  row.values[idKey] = row.id;
  return row.id;
}

export function assignIds(
  tabs: readonly [TabDef, TabResult][],
  ctx: { settings: Settings; today: EpochDay; problems: Problem[] },
): IdAssignment[] {
  const out: IdAssignment[] = [];
  for (const [tab, result] of tabs) {
    // Only a tab with a blank ID needs its largest serials.
    let serials: Map<string, number> | null = null;
    for (const row of result.rows) {
      if (row.id !== '') continue;
      serials ??= maxSerials(result.rows.map((r) => r.id));
      const id = assignId(tab, row, serials, ctx);
      if (id !== null) out.push({ tab: tab.name, row: row.row, column: tab.idColumn!, id });
    }
  }
  return out;
}
