import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIds } from '../../shared/ids.ts';
import { sortPlan, type CallbackPlanRow } from '../../shared/rules/callbacks.ts';

// IDs in and near compareIds' shape: short and long serials, leading zeros, serials
// past 15 digits, lower case and text that only resembles an ID.
const idArb = fc.oneof(
  fc
    .tuple(
      fc.stringMatching(/^[A-Z]{0,3}$/),
      fc.stringMatching(/^[0-9]{3,19}$/),
      fc.constantFrom('', '', '', 'a', ' ', '客'),
    )
    .map(([p, d, tail]) => p + d + tail),
  fc.constantFrom('E20240001', 'E202400001', 'E20249999', 'E202410000', 'e20240001', 'VIP20240002'),
);

describe('sortPlan', () => {
  it('orders rows by 计划日期, then 客户编号 as compareIds does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 19_000, max: 19_010 }), idArb), { maxLength: 80 }),
        (pairs) => {
          const rows = pairs.map(([date, customerId]) => ({ date, customerId }) as CallbackPlanRow);
          const expected = [...rows].sort(
            (a, b) => a.date - b.date || compareIds(a.customerId, b.customerId),
          );
          expect(sortPlan(rows).map((r) => [r.date, r.customerId])).toEqual(
            expected.map((r) => [r.date, r.customerId]),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('orders rows whose IDs count up per prefix and year as compareIds does', () => {
    const groups = ['E2024', 'P2024', 'E2023', 'VIP2024', 'A2025', 'E20240'];
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 19_000, max: 19_040 }),
            fc.integer({ min: 0, max: groups.length - 1 }),
            fc.integer({ min: 0, max: 3 }),
          ),
          { maxLength: 120 },
        ),
        fc.boolean(),
        (picks, swap) => {
          const serials = groups.map(() => 1);
          const rows = picks.map(([date, g, step]) => {
            serials[g]! += step;
            const customerId = groups[g]! + String(serials[g]).padStart(4, '0');
            return { date, customerId } as CallbackPlanRow;
          });
          // A pair out of order, or an ID given twice, leaves the rows to the comparison.
          if (swap && rows.length > 1) rows.push(rows[0]!);
          const expected = [...rows].sort(
            (a, b) => a.date - b.date || compareIds(a.customerId, b.customerId),
          );
          expect(sortPlan(rows)).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });
});
