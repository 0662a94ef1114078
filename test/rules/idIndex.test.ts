import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdIndex } from '../../shared/rules/idIndex.ts';

// IDs near the encodable shape: short capital prefixes, digit runs of every length,
// leading zeros, and text that only resembles an ID.
const idArb = fc.oneof(
  fc
    .tuple(
      fc.stringMatching(/^[A-Z]{0,4}$/),
      fc.stringMatching(/^[0-9]{0,16}$/),
      fc.constantFrom('', '', '', 'a', ' ', '-', '客'),
    )
    .map(([p, d, tail]) => p + d + tail),
  fc.constantFrom('E20240001', 'E202400001', 'E2024000001', 'VIP20249999', 'ABCD20240001', ''),
);

describe('IdIndex', () => {
  it('answers as a Map of the same IDs would, repeated IDs keeping their last position, and says whether any repeats', () => {
    fc.assert(
      fc.property(
        fc.array(idArb, { maxLength: 60 }),
        fc.array(idArb, { maxLength: 60 }),
        (ids, probes) => {
          const map = new Map<string, number>();
          ids.forEach((id, i) => map.set(id, i));
          const index = new IdIndex(ids);
          for (const id of [...ids, ...probes]) expect(index.get(id)).toBe(map.get(id) ?? -1);
          expect(index.unique).toBe(map.size === ids.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('tells apart IDs that differ only in leading zeros or prefix', () => {
    const ids = ['E20240001', 'E202400001', 'P20240001', 'EP20240001', 'E20250001', 'E20240010'];
    const index = new IdIndex(ids);
    ids.forEach((id, i) => expect(index.get(id)).toBe(i));
    expect(index.get('E2024001')).toBe(-1);
    expect(index.get('E20240002')).toBe(-1);
  });
});
