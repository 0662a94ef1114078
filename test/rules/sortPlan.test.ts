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
});
