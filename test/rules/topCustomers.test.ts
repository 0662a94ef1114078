import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Customer } from '../../shared/model.ts';
import { topCustomers } from '../../shared/rules/topCustomers.ts';

// Few distinct amounts and IDs, so that ties on both are common.
const rowsArb = fc.array(
  fc.tuple(
    fc.constantFrom('E20240001', 'E20240002', 'P20240003', 'E202400010', 'A1'),
    fc.integer({ min: 0, max: 4 }),
  ),
  { maxLength: 400 },
);

/** The plain definition: a stable sort of everyone, then the head. */
function sortedHead(ids: string[], amounts: number[], count: number): number[] {
  const order = ids.map((_, i) => i);
  order.sort(
    (a, b) =>
      amounts[b]! * 100 - amounts[a]! * 100 || (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0),
  );
  return order.slice(0, Math.max(0, count));
}

describe('topCustomers', () => {
  it('keeps the head of a stable sort by amount descending, then 客户编号, placing few or many', () => {
    fc.assert(
      fc.property(rowsArb, fc.integer({ min: -1, max: 450 }), (rows, count) => {
        const customers = rows.map(([id]) => ({ id }) as Customer);
        const amounts = rows.map(([, a]) => a * 100);
        expect(topCustomers(customers, Float64Array.from(amounts), count)).toEqual(
          sortedHead(
            rows.map(([id]) => id),
            rows.map(([, a]) => a),
            count,
          ),
        );
      }),
      { numRuns: 300 },
    );
  });
});
