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
  it('reads every digit: a character next to the digits is no digit, in the year or the serial, and a tenth serial digit counts', () => {
    // Each probe puts ':' (one past '9') or '/' (one before '0') in place of one digit;
    // the index also holds the ID the probe would be if that character counted as 10 or −1.
    const bases = ['E20240010', 'P2023000123', 'VIP20240000000010', 'E20249999999999'];
    const probes: string[] = [];
    const ids = [...bases];
    for (const base of bases) {
      const start = base.search(/[0-9]/);
      const width = base.length - start - 4;
      for (let k = start; k < base.length; k++)
        for (const [c, d] of [
          [':', 10],
          ['/', -1],
        ] as const) {
          probes.push(base.slice(0, k) + c + base.slice(k + 1));
          const digits = [...base.slice(start)].map(Number);
          digits[k - start] = d;
          const value = (from: number, to: number): number =>
            digits.slice(from, to).reduce((v, x) => v * 10 + x, 0);
          const year = value(0, 4);
          const serial = value(4, digits.length);
          if (year >= 0 && year <= 9999 && serial >= 0 && String(serial).length <= width)
            ids.push(base.slice(0, start) + year + String(serial).padStart(width, '0'));
        }
    }
    // A first year digit read as 10 or −1 carries into the prefix (E → F, E → D).
    ids.push('F20240010', 'D90240010');
    const index = new IdIndex(ids);
    const map = new Map(ids.map((id, i) => [id, i]));
    for (const id of map.keys()) expect(index.get(id)).toBe(map.get(id));
    for (const probe of probes) expect(index.get(probe)).toBe(-1);
  });
});

describe('IdIndex over runs of serials (the dense table)', () => {
  // Few prefixes, years and widths with small serials: the shape of IDs the workbook assigns.
  const runId = fc
    .tuple(
      fc.constantFrom('E', 'P', 'VIP', 'EP'),
      fc.constantFrom('2023', '2024', '0000'),
      fc.integer({ min: 0, max: 300 }),
      fc.constantFrom(4, 5, 6),
    )
    .map(([p, y, n, w]) => p + y + String(n).padStart(w, '0'));

  it('answers as a Map of the same IDs would, with repeats, foreign text and IDs outside every run', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(runId, runId, runId, idArb), { maxLength: 80 }),
        fc.array(fc.oneof(runId, idArb), { maxLength: 80 }),
        (ids, probes) => {
          const map = new Map<string, number>();
          ids.forEach((id, i) => map.set(id, i));
          const index = new IdIndex(ids, true);
          for (const id of [...ids, ...probes]) expect(index.get(id)).toBe(map.get(id) ?? -1);
          expect(index.unique).toBe(map.size === ids.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds every customer of a large workbook numbered per prefix and year', () => {
    const ids: string[] = [];
    for (const p of ['E', 'P'])
      for (const y of [2023, 2024, 2025])
        for (let s = 1; s <= 5000; s++) ids.push(`${p}${y}${String(s).padStart(4, '0')}`);
    const index = new IdIndex(ids);
    ids.forEach((id, i) => expect(index.get(id)).toBe(i));
    expect(index.unique).toBe(true);
    expect(index.get('E20235001')).toBe(-1);
    expect(index.get('E20260001')).toBe(-1);
    expect(index.get('E202300001')).toBe(-1);
    expect(index.get('Q20230001')).toBe(-1);
  });
});
