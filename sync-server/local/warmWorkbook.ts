/**
 * The rows of a local workbook kept between syncs, with the identity of the file they
 * came from. Every write the store makes is applied to them too, cell by cell, as the
 * reader would see it after the write — so while the file keeps that identity, the kept
 * rows are what reading the file again would give, and reading can be skipped.
 *
 * Rows are replaced, never changed in place: a snapshot handed out earlier keeps the
 * rows it had, and a row object that is still the same object has not changed since —
 * which is what lets a sync tell the rows written since the last sync from the others.
 */
import type { CellValue } from '../../shared/cells.ts';
import type { SerialEpoch } from '../../shared/calendar.ts';
import { seekRow, type SheetRow, type WorkbookInput } from '../../shared/validate/index.ts';
import { applyRowEdits } from '../../shared/sync/rowEdits.ts';
import type { CellPatch, RowEditsPatch, WorkbookPatch } from '../xlsx/patcher.ts';
import type { FileIdentity } from './fileIdentity.ts';

/** Half of a surrogate pair on its own: UTF-8 cannot hold it, so the writer puts U+FFFD. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A value as the reader gives it back once written: blanks are null, -0 is 0, text well formed. */
export function asRead(value: CellValue | undefined): CellValue {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (typeof value === 'string') return value.replace(LONE_SURROGATE, '\uFFFD');
  return value;
}

/** The row as the reader makes it: no trailing blanks; null when every cell is blank. */
function rowOf(row: number, cells: CellValue[]): SheetRow | null {
  let end = cells.length;
  while (end > 0 && cells[end - 1] === null) end--;
  if (end === 0) return null;
  if (end !== cells.length) cells.length = end;
  return { row, cells };
}

/** A tab's rows with the patches applied, as a new array; rows not patched are the same objects. */
export function patchRows(rows: readonly SheetRow[], patches: readonly CellPatch[]): SheetRow[] {
  const byRow = new Map<number, CellPatch[]>();
  for (const p of patches) {
    const list = byRow.get(p.row);
    if (list) list.push(p);
    else byRow.set(p.row, [p]);
  }
  const out = rows.slice();
  for (const row of [...byRow.keys()].sort((a, b) => a - b)) {
    const at = seekRow(out, row);
    const found = out[at]?.row === row ? out[at] : undefined;
    const cells = (found ? [...found.cells] : []) as CellValue[];
    for (const p of byRow.get(row)!) {
      while (cells.length <= p.col) cells.push(null);
      cells[p.col] = asRead(p.value);
    }
    const next = rowOf(row, cells);
    if (found && next) out[at] = next;
    else if (found) out.splice(at, 1);
    else if (next) out.splice(at, 0, next);
  }
  return out;
}

/**
 * A tab's rows with row runs applied (what the file holds once the runs are written into
 * it): rows after a run move by what it adds or takes away; rows not moved stay the same objects.
 */
export function editRows(rows: readonly SheetRow[], runs: RowEditsPatch): SheetRow[] {
  const dense: (SheetRow | undefined)[] = [];
  for (const r of rows) dense[r.row - 1] = r;
  const moved = applyRowEdits(
    dense,
    runs.edits,
    (cells) => rowOf(0, cells.map(asRead)) ?? undefined,
  );
  const out: SheetRow[] = [];
  for (let i = 0; i < moved.length; i++) {
    const r = moved[i];
    if (r) out.push(r.row === i + 1 ? r : { row: i + 1, cells: r.cells });
  }
  return out;
}

/** A whole tab's content as the reader gives it back: rows[0] is row 1. */
export function contentRows(rows: readonly (readonly CellValue[])[]): SheetRow[] {
  const out: SheetRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rowOf(i + 1, rows[i]!.map(asRead));
    if (row) out.push(row);
  }
  return out;
}

export class WarmWorkbook {
  private constructor(
    private tabs: Map<string, readonly SheetRow[]>,
    readonly epoch: SerialEpoch,
    /** the file these rows are the content of */
    public identity: FileIdentity,
  ) {}

  static of(input: WorkbookInput, identity: FileIdentity): WarmWorkbook {
    return new WarmWorkbook(new Map(input.tabs), input.epoch, identity);
  }

  /** Every tab, or only those named, as a read would give them. */
  input(names?: readonly string[]): WorkbookInput {
    const tabs = names
      ? new Map([...this.tabs].filter(([name]) => names.includes(name)))
      : new Map(this.tabs);
    return { tabs, epoch: this.epoch };
  }

  /**
   * Applies what a write put in the file (cells, row runs and whole tabs; the store appends
   * no rows); `identity` is the file's after the write.
   */
  patched(patch: WorkbookPatch, identity: FileIdentity): void {
    for (const [name, patches] of Object.entries(patch.cells ?? {})) {
      const key = this.nameOf(name);
      this.tabs.set(key, patchRows(this.tabs.get(key) ?? [], patches));
    }
    for (const [name, runs] of Object.entries(patch.rowEdits ?? {})) {
      const key = this.nameOf(name);
      this.tabs.set(key, editRows(this.tabs.get(key) ?? [], runs));
    }
    for (const [name, content] of Object.entries(patch.replaceSheets ?? {}))
      this.tabs.set(this.nameOf(name), contentRows(content.rows));
    this.identity = identity;
  }

  /** The tab's name as read (tabs match names as Excel does, ignoring case). */
  private nameOf(name: string): string {
    if (this.tabs.has(name)) return name;
    const lower = name.toLowerCase();
    for (const key of this.tabs.keys()) if (key.toLowerCase() === lower) return key;
    return name;
  }
}
