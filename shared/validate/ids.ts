/** Duplicate IDs within a tab, and the ID table the reference checks share. */
import { column } from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type { Problem } from '../model.ts';
import type { ParsedRow, TabResult } from './types.ts';

/**
 * A number per ID, for the million IDs of a large workbook. A Map spends most of a
 * microsecond on each new key at that size, growing its table by rehashing; this table
 * is sized once from the row count and probes linearly.
 */
export class IdTable {
  private keys: (string | undefined)[];
  private values: Int32Array;
  private mask: number;
  private filled = 0;

  constructor(count: number) {
    let size = 16;
    while (size < count * 2) size *= 2;
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }

  private slot(id: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
    const keys = this.keys;
    let at = hash & this.mask;
    for (;;) {
      const key = keys[at];
      if (key === undefined || key === id) return at;
      at = (at + 1) & this.mask;
    }
  }

  /** The number kept for `id`, or -1. */
  get(id: string): number {
    const at = this.slot(id);
    return this.keys[at] === undefined ? -1 : this.values[at]!;
  }

  /** Keeps `value` for `id` unless it has one already; returns the one it had, or -1. */
  add(id: string, value: number): number {
    const at = this.slot(id);
    if (this.keys[at] !== undefined) return this.values[at]!;
    this.put(at, id, value);
    return -1;
  }

  /**
   * Keeps `value` for `id` in place of any it had; -1 forgets it (the key keeps its slot,
   * so the probes of other keys still pass it).
   */
  set(id: string, value: number): void {
    const at = this.slot(id);
    if (this.keys[at] !== undefined) this.values[at] = value;
    else if (value !== -1) this.put(at, id, value);
  }

  private put(at: number, id: string, value: number): void {
    this.keys[at] = id;
    this.values[at] = value;
    // A table kept between syncs grows with the rows added to it: a full one never ends a probe.
    if (++this.filled * 2 <= this.keys.length) return;
    const keys = this.keys;
    const values = this.values;
    this.keys = new Array<string | undefined>(keys.length * 2).fill(undefined);
    this.values = new Int32Array(keys.length * 2);
    this.mask = keys.length * 2 - 1;
    this.filled = 0;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (key !== undefined && values[i] !== -1) this.put(this.slot(key), key, values[i]!);
    }
  }
}

/** The 错误 of a row whose ID an earlier row (`first`) has already. */
export function duplicateIdProblem(tab: TabDef, row: number, id: string, first: number): Problem {
  return {
    tab: tab.name,
    row,
    column: column(tab, tab.idColumn!).header,
    value: id,
    message: `编号 ${id} 与第 ${first} 行重复：编号必须唯一，本行不参与计算，请改为新编号或清空后由同步重新分配`,
    level: '错误',
  };
}

/**
 * Sets `rows[i]` aside with an 错误. The row is replaced, not changed: a kept parse
 * (ParsedEntry) may hold the same row as it was parsed, for the next validation.
 */
export function markError(rows: ParsedRow[], i: number): void {
  const row = rows[i]!;
  if (!row.hasError) rows[i] = { ...row, hasError: true };
}

/**
 * Marks every repeat of an ID as an 错误 so only the first row with it counts; returns
 * the positions in `result.rows` of the rows it marked.
 */
export function checkDuplicateIds(tab: TabDef, result: TabResult, problems: Problem[]): number[] {
  const first = new IdTable(result.rows.length);
  const marked: number[] = [];
  const rows = result.rows;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    if (row.id === '') continue;
    const seen = first.add(row.id, row.row);
    if (seen < 0) continue;
    marked.push(i);
    markError(rows, i);
    problems.push(duplicateIdProblem(tab, row.row, row.id, seen));
  }
  return marked;
}
