/**
 * What the kept validation knows of one data tab (see warmValidate.ts): its rows as
 * validated, the rows holding each ID, the marks and problems of the whole-workbook
 * checks, and the largest serials blank IDs count on from.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { maxSerials } from '../ids.ts';
import type { TabLayout } from '../layout.ts';
import type { Customer, Problem, RowRef } from '../model.ts';
import type { DuplicateKey } from '../duplicates.ts';
import type { IdTable } from '../validate/ids.ts';
import { insertSorted, lowerBound, removeSorted } from './rowsByNumber.ts';
import {
  toCustomer,
  toExperienceSurvey,
  toFollowUp,
  toOrder,
  toTicket,
  toVisit,
} from '../validate/typedRows.ts';
import type { ParsedEntry, ParsedRow, SheetRow } from '../validate/index.ts';

export type DatasetKey =
  'customers' | 'orders' | 'followUps' | 'tickets' | 'visits' | 'experienceSurveys';

/** The data tabs in the order validation parses them, with the typed rows each makes. */
export const DATA: readonly {
  tab: TabDef;
  key: DatasetKey | null;
  to: (r: ParsedRow) => RowRef;
}[] = [
  { tab: T.CUSTOMERS, key: 'customers', to: toCustomer },
  { tab: T.ORDERS, key: 'orders', to: toOrder },
  { tab: T.FOLLOW_UPS, key: 'followUps', to: toFollowUp },
  { tab: T.TICKETS, key: 'tickets', to: toTicket },
  { tab: T.VISITS, key: 'visits', to: toVisit },
  { tab: T.NEEDS_SURVEYS, key: null, to: () => ({ row: 0, id: '' }) },
  { tab: T.EXPERIENCE_SURVEYS, key: 'experienceSurveys', to: toExperienceSurvey },
];
export const SURVEYS = new Set<TabDef>([T.NEEDS_SURVEYS, T.EXPERIENCE_SURVEYS]);

/** A row as parsed, before any whole-workbook check marked it, with its parse's problems. */
export interface Base {
  parsed: Readonly<ParsedRow>;
  problems: readonly Problem[];
  entry: ParsedEntry | undefined;
}

export const rowOfProblem = (p: Problem): number => p.row ?? 0;
export const rowOfRow = (r: { row: number }): number => r.row;

/** What validation knows of one data tab. */
export interface TabState {
  tab: TabDef;
  key: DatasetKey | null;
  to: (r: ParsedRow) => RowRef;
  sheet: readonly SheetRow[] | undefined;
  header: SheetRow | undefined;
  layout: TabLayout;
  layoutProblems: readonly Problem[];
  /** the rows as validated, marks and given IDs included */
  rows: ParsedRow[];
  /** the typed rows that go into the dataset, in row order */
  typed: RowRef[];
  /** rows parsed without a kept entry (blank IDs), by row number */
  loose: Map<number, Base>;
  /** the first row of each ID as read */
  ids: IdTable;
  /** the rows of each ID more than one row holds, ascending */
  dups: Map<string, number[]>;
  dupMarks: Map<number, Problem>;
  refMarks: Map<number, Problem>;
  /** rows' parse problems, the header's left out */
  parseProblems: Problem[];
  dupProblems: Problem[];
  refProblems: Problem[];
  /** largest serial per prefix+year and how many IDs hold it; null until a blank ID needs it */
  serials: Serials | null;
  /** the rows given IDs (or refused one) by the last validation */
  blankRows: number[];
}

export function baseOf(ts: TabState, row: ParsedRow): Base {
  const entry = row.entry;
  if (entry) return { parsed: entry.parsed, problems: entry.problems, entry };
  return ts.loose.get(row.row)!;
}

export function rowsWithId(ts: TabState, id: string): number[] {
  const dup = ts.dups.get(id);
  if (dup) return dup;
  const first = ts.ids.get(id);
  return first < 0 ? [] : [first];
}

export function addId(ts: TabState, id: string, row: number): void {
  const first = ts.ids.get(id);
  if (first < 0) ts.ids.set(id, row);
  else {
    const list = ts.dups.get(id) ?? [first];
    insertSorted(list, row);
    ts.dups.set(id, list);
    ts.ids.set(id, list[0]!);
  }
  if (ts.serials) countSerials(ts.serials, id);
}

export function removeId(ts: TabState, id: string, row: number): void {
  const list = ts.dups.get(id);
  if (list) {
    removeSorted(list, row);
    ts.ids.set(id, list[0] ?? -1);
    if (list.length <= 1) ts.dups.delete(id);
  } else ts.ids.set(id, -1);
  // The largest serial gone: found again by a scan when a blank ID next needs it.
  for (const [key, serial] of maxSerials([id])) {
    const was = ts.serials?.get(key);
    if (was && serial === was.max && --was.count === 0) ts.serials = null;
  }
}

/**
 * Largest serials per prefix+year among the IDs as read, with how many hold each: the
 * rows as last validated (but for blank IDs, which hold given ones) with `fresh` over them.
 */
export function scanSerials(ts: TabState, fresh: ReadonlyMap<number, Fresh> | undefined): Serials {
  const ids: string[] = [];
  const blank = new Set(ts.blankRows);
  for (const r of ts.rows) if (!fresh?.has(r.row) && !blank.has(r.row)) ids.push(r.id);
  for (const f of fresh?.values() ?? []) if (f.base) ids.push(f.base.parsed.id);
  const out: Serials = new Map();
  for (const id of ids) countSerials(out, id);
  return out;
}

/** Largest serial per prefix+year and how many IDs hold it. */
export type Serials = Map<string, { max: number; count: number }>;

/** Counts an ID's serial into the largest serials. */
export function countSerials(serials: Serials, id: string): void {
  for (const [key, serial] of maxSerials([id])) {
    const was = serials.get(key);
    if (!was || serial > was.max) serials.set(key, { max: serial, count: 1 });
    else if (serial === was.max) was.count++;
  }
}

export interface Fresh {
  base: Base | null;
}

/**
 * The customers holding each duplicate key, ascending by row: by column, then by the
 * key's value — the customer's own string, where one map keyed by column and value
 * would make two joined strings per key. A key most often has one customer, kept alone.
 */
export class KeyMembers {
  private readonly byColumn = new Map<DuplicateKey['column'], Map<string, Customer | Customer[]>>();

  /** The customers holding `key`, ascending by row (an empty list when none). */
  get(key: DuplicateKey): readonly Customer[] {
    const held = this.byColumn.get(key.column)?.get(key.value);
    return held === undefined ? [] : Array.isArray(held) ? held : [held];
  }

  /** The first customer holding `key`. */
  first(key: DuplicateKey): Customer | undefined {
    const held = this.byColumn.get(key.column)?.get(key.value);
    return Array.isArray(held) ? held[0] : held;
  }

  /** Adds `c` after the customers already holding `key`; gives the first of them, if any. */
  push(key: DuplicateKey, c: Customer): Customer | undefined {
    const values = this.values(key);
    const held = values.get(key.value);
    if (held === undefined) values.set(key.value, c);
    else if (Array.isArray(held)) held.push(c);
    else values.set(key.value, [held, c]);
    return Array.isArray(held) ? held[0] : held;
  }

  /** Adds `c` in its place by row among the customers holding `key`. */
  insert(key: DuplicateKey, c: Customer): void {
    const values = this.values(key);
    const held = values.get(key.value);
    if (held === undefined) values.set(key.value, c);
    else {
      const list = Array.isArray(held) ? held : [held];
      list.splice(lowerBound(list, c.row, rowOfRow), 0, c);
      values.set(key.value, list);
    }
  }

  remove(key: DuplicateKey, c: Customer): void {
    const values = this.values(key);
    const held = values.get(key.value);
    if (!Array.isArray(held)) {
      if (held === c) values.delete(key.value);
      return;
    }
    held.splice(held.indexOf(c), 1);
    if (held.length === 1) values.set(key.value, held[0]!);
  }

  private values(key: DuplicateKey): Map<string, Customer | Customer[]> {
    let values = this.byColumn.get(key.column);
    if (!values) this.byColumn.set(key.column, (values = new Map()));
    return values;
  }
}
