/**
 * The kept 回访计划 brought up to date by a few customers' callbacks: the rows of changed
 * customers taken out and their new ones placed give what sorting the whole plan gives;
 * the kept due callbacks moved by the changed outcomes are those gathered afresh.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortPlan, type CallbackPlanRow, type CustomerOutcome } from '../../shared/rules/index.ts';
import { dueOf, movedDue, replacePlanRows } from '../../shared/sync/warmOutput.ts';

const planRow = (customerId: string, date: number): CallbackPlanRow => ({
  customerId,
  customerName: customerId,
  phone: '',
  owner: '张伟',
  date,
  kind: '定期回访',
  reason: '',
  overdueDays: 0,
  state: '待办',
});

/** 客户编号 as people write them: a few prefixes and years, serials of any width. */
const ids = fc.uniqueArray(
  fc
    .tuple(fc.constantFrom('P', 'E', 'K'), fc.constantFrom('2025', '2026'), fc.nat({ max: 400 }))
    .map(([p, y, n]) => `${p}${y}${String(n).padStart(n % 3 === 0 ? 2 : 4, '0')}`),
  { minLength: 1, maxLength: 80 },
);

describe('replacePlanRows', () => {
  it('gives the plan sorting gives, rows taken out by halving or by a pass, rows placed by halving or by a sort', () => {
    fc.assert(
      fc.property(
        ids,
        fc.array(fc.integer({ min: 20_000, max: 20_006 }), { minLength: 80, maxLength: 80 }),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        fc.integer({ min: 0, max: 3 }),
        (customers, dates, goes, comes, shift) => {
          const plan = sortPlan(customers.map((id, i) => planRow(id, dates[i]!)));
          const gone = new Set(plan.filter((_, i) => goes[i]));
          const added = customers
            .filter(
              (_, i) => comes[i] && gone.has(plan.find((p) => p.customerId === customers[i])!),
            )
            .map((id, i) => planRow(id, dates[(i + shift) % dates.length]!));
          const kept = plan.filter((p) => !gone.has(p));
          const want = sortPlan([...kept, ...added]);
          expect(replacePlanRows(plan, gone, added)).toEqual(want);
          // each row object where sorting puts it, not only rows that look the same
          const got = replacePlanRows(plan, gone, added);
          expect(
            got.every((p, i) => p === want[i] || (added.includes(p) && added.includes(want[i]!))),
          ).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});

/** An outcome that only carries its due callbacks: all movedDue reads. */
const withDue = (n: number, tag: string): CustomerOutcome =>
  ({
    due:
      n < 0
        ? undefined
        : Array.from({ length: n }, (_, k) => ({
            customerId: `${tag}-${k}`,
            kind: '定期回访',
            date: k,
            reason: tag,
          })),
  }) as unknown as CustomerOutcome;

describe('movedDue', () => {
  it('gives every outcome’s due callbacks in outcome order, as gathering them afresh does, the list handed out before left as it was', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: -1, max: 3 })), { maxLength: 8 }),
        fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 4 }),
        (counts, edits, appended) => {
          const was = counts.map((n, i) => withDue(n, `was${i}`));
          const list = was.slice();
          const changed = new Set<number>();
          for (const [at, n] of edits) {
            if (was.length === 0) break;
            const i = at % was.length;
            list[i] = withDue(n, `now${i}`);
            changed.add(i);
          }
          appended.forEach((n, k) => {
            list.push(withDue(n, `new${k}`));
            changed.add(was.length + k);
          });
          const kept = dueOf(was);
          const before = [...kept.list];
          const moved = movedDue(
            kept,
            list,
            [...changed].sort((a, b) => a - b),
          );
          const fresh = dueOf(list);
          expect(moved.list).toEqual(fresh.list);
          expect([...moved.at]).toEqual([...fresh.at]);
          expect(kept.list).toEqual(before);
        },
      ),
      { numRuns: 500 },
    );
  });
});
