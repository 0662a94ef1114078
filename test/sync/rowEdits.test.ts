/**
 * A list tab's change as row runs: applied to the old rows they give the new rows, and
 * when few rows differ the runs are few and small (one row put in is one run of one row).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellValue } from '../../shared/cells.ts';
import { sameCell } from '../../shared/sync/plan.ts';
import { applyRowEdits, indexRuns, listTabEdits } from '../../shared/sync/rowEdits.ts';
import type { SheetRow } from '../../shared/validate/index.ts';

const row = fc.array(fc.oneof(fc.constantFrom('甲', '乙', '丙'), fc.integer({ min: 0, max: 3 })), {
  maxLength: 3,
});

const sheetOf = (rows: readonly (readonly CellValue[])[]): SheetRow[] =>
  rows.flatMap((cells, i) => (cells.length > 0 ? [{ row: i + 1, cells: [...cells] }] : []));

/** What a reader would see: trailing blank rows and cells dropped. */
const seen = (rows: readonly (readonly CellValue[] | undefined)[]): string =>
  JSON.stringify(sheetOf(rows.map((r) => r ?? [])));

describe('row runs of a list tab', () => {
  it('turn the rows as read into the rows wanted', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 40 }), fc.array(row, { maxLength: 40 }), (a, b) => {
        const sheet = sheetOf(a);
        const runs = listTabEdits('回访计划', sheet, b, [], sameCell);
        const dense: (readonly CellValue[] | undefined)[] = [];
        for (const r of sheet) dense[r.row - 1] = r.cells as CellValue[];
        const after = applyRowEdits(dense, runs.edits, (cells) => cells);
        expect(seen(after)).toBe(seen(b));
        expect(after.length).toBe(runs.newHeight);
        let prev = 0;
        for (const e of runs.edits) {
          expect(e.at).toBeGreaterThan(prev);
          prev = e.at + e.remove - 1;
        }
      }),
      { numRuns: 400 },
    );
  });

  it('put one row in as one run of one row, however long the list', () => {
    const n = 100_000;
    const old = Array.from({ length: n }, (_, i) => [`P${i}`, i] as CellValue[]);
    const want = [...old.slice(0, 30_000), ['新', -1], ...old.slice(30_000)];
    const runs = listTabEdits('回访计划', sheetOf(old), want, [], sameCell);
    expect(runs.edits).toEqual([{ at: 30_001, remove: 0, insert: [['新', -1]] }]);
  });

  it('find a few rows moved far apart as a few small runs', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2999), fc.nat(2999)), { minLength: 1, maxLength: 8 }),
        (moves) => {
          const old = Array.from({ length: 3000 }, (_, i) => i);
          const now = [...old];
          for (const [from, to] of moves) now.splice(to, 0, ...now.splice(from, 1));
          const runs = indexRuns(old.length, now.length, (i, j) => old[i] === now[j]);
          const touched = runs.reduce((s, r) => s + r.remove + r.insert, 0);
          expect(touched).toBeLessThanOrEqual(2 * moves.length);
        },
      ),
      { numRuns: 100 },
    );
  });
});
