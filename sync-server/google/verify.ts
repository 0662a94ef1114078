/**
 * Checking a write after the fact. A values.batchUpdate cannot say "only if row 12 still
 * holds E2024001", and a large sync writes in several requests over seconds, so a sort,
 * an inserted or a deleted row between the re-read and a write moves values onto other
 * customers. After writing, the store re-reads the ID columns and these functions say
 * which cells to write again, and where.
 */
import type { CellValue } from '../../shared/sync/plan.ts';
import { contentKey, idText, type IdTarget, type Target, type TabNow } from './placement.ts';

/** A cell's key within one spreadsheet. */
export const cellKey = (t: { tab: string; row: number; col: number }): string =>
  `${t.tab}\u0000${t.row}\u0000${t.col}`;

/** The row now holding each ID, reversed: row → ID ('' for none). */
function idByRow(now: TabNow): Map<number, string> {
  const out = new Map<number, string>();
  for (const [id, rows] of now.rowsById) for (const r of rows) out.set(r, id);
  return out;
}

/**
 * The value a data-tab cell should hold for the row with this ID: what the sync planned,
 * else the value as read (the plan leaves out cells that do not change); undefined for a
 * row the sync knows nothing of (inserted meanwhile), which gets no values.
 */
export type CorrectValue = (tab: string, id: string, column: string) => CellValue | undefined;

export interface Verdict {
  /** cells to write again: values at their rows' new places, and what was wrongly overwritten */
  fixes: Target[];
  /** tab and ID of each row whose values did not land on that row */
  moved: Set<string>;
  /** cells whose column moved meanwhile: written again under their header */
  columnsMoved: number;
}

/**
 * Compares what was written (each data-tab value with the ID of the row it was meant
 * for) with where the IDs are now. A row written for X that now holds Y gets Y's values
 * in those cells (blank when Y is unknown); X's values go to the row holding X now.
 */
export function verifyValues(
  written: Iterable<Target>,
  now: ReadonlyMap<string, TabNow>,
  correct: CorrectValue,
): Verdict {
  const fixes = new Map<string, Target>();
  const moved = new Set<string>();
  let columnsMoved = 0;
  const reverse = new Map<string, Map<number, string>>();
  const idAt = (tab: TabNow, row: number): string => {
    let m = reverse.get(tab.tab.name);
    if (!m) reverse.set(tab.tab.name, (m = idByRow(tab)));
    return m.get(row) ?? '';
  };
  const fix = (t: Target) => fixes.set(cellKey(t), t);
  for (const t of written) {
    if (t.rowId === undefined || t.column === undefined || t.row === 1) continue;
    const tab = now.get(t.tab);
    if (!tab) continue;
    const col = tab.layout.indexByKey.get(t.column);
    const here = idAt(tab, t.row);
    if (here === t.rowId && col === t.col) continue;
    if (col === undefined) continue; // the header is gone: nothing of ours to put back
    if (col !== t.col) columnsMoved++;
    moved.add(`${t.tab}\u0000${t.rowId}`);
    if (here !== t.rowId && col === t.col) {
      const value = correct(t.tab, here, t.column) ?? null;
      fix({ ...t, value, rowId: here });
    }
    const rows = t.rowId === '' ? [] : (tab.rowsById.get(t.rowId) ?? []);
    const row = rows.includes(t.row) ? t.row : rows[0];
    if (row !== undefined) fix({ ...t, row, col });
  }
  return { fixes: [...fixes.values()], moved, columnsMoved };
}

export interface IdVerdict {
  fixes: Target[];
  /** IDs another row already had that a new ID overwrote, put back */
  restored: number;
  /** new IDs whose row cannot be found now (edited or deleted): left for the next sync */
  deferred: number;
}

/**
 * New IDs after their write, against the whole tabs re-read. A new ID on a row that is
 * not the one it was meant for is taken off again — and if that row had an ID before
 * (`before`, the re-read just ahead of the write), that ID is put back; the new ID goes
 * to the row that now holds the content it was meant for, if its ID cell is blank.
 */
export function verifyIds(
  written: readonly IdTarget[],
  before: ReadonlyMap<string, TabNow>,
  now: ReadonlyMap<string, TabNow>,
): IdVerdict {
  const fixes: Target[] = [];
  let restored = 0;
  let deferred = 0;
  const byTab = new Map<string, IdTarget[]>();
  for (const t of written) byTab.set(t.tab, [...(byTab.get(t.tab) ?? []), t]);
  for (const [name, targets] of byTab) {
    const tab = now.get(name);
    const was = before.get(name);
    const idCol = tab?.idCol;
    if (!tab?.rows || idCol === undefined || idCol !== targets[0]!.col) {
      deferred += targets.length;
      continue;
    }
    const rows = tab.rows;
    const contentAt = (row: number) => contentKey(rows[row - 1], idCol);
    // IDs other rows had before the write, by those rows' content.
    const previous = new Map<string, string[]>();
    (was?.rows ?? []).forEach((cells, i) => {
      const id = i === 0 ? '' : idText(cells[idCol]);
      if (id === '') return;
      const key = contentKey(cells, idCol);
      previous.set(key, [...(previous.get(key) ?? []), id]);
    });
    const cleared = new Set<number>();
    const taken = new Set<number>();
    const put = (row: number, value: CellValue, id: string) =>
      fixes.push({ tab: name, row, col: idCol, value, format: 'text', rowId: id });
    for (const t of targets) {
      const holders = tab.rowsById.get(t.rowId) ?? [];
      let home: number | undefined;
      for (const h of holders) {
        if (home === undefined && contentAt(h) === t.content) {
          home = h;
          taken.add(h);
          continue;
        }
        // The new ID is on someone else's row: give that row back what it had.
        const back = (previous.get(contentAt(h)) ?? []).find((id) => !tab.rowsById.has(id));
        cleared.add(h);
        if (back !== undefined) {
          restored++;
          put(h, back, back);
        } else put(h, null, '');
      }
      if (home !== undefined) continue;
      const free = rows.findIndex(
        (cells, i) =>
          i > 0 &&
          !taken.has(i + 1) &&
          (idText(cells[idCol]) === '' || cleared.has(i + 1)) &&
          contentKey(cells, idCol) === t.content,
      );
      if (free < 0) {
        deferred++;
        continue;
      }
      taken.add(free + 1);
      put(free + 1, t.value, t.rowId);
    }
  }
  return { fixes, restored, deferred };
}
