import { describe, expect, it } from 'vitest';
import { cmp, divRound, fromNumber, q, roundHalfUp } from '../../shared/rules/rational.ts';

describe('exact rationals', () => {
  it('reads a parsed decimal as the decimal that was typed', () => {
    expect(fromNumber(0.3)).toEqual({ n: 3n, d: 10n });
    // 0.3 × 100 in binary floating point is 30.000000000000004
    expect(cmp(fromNumber(0.3 * 100), q(30))).toBe(0);
    expect(fromNumber(1e21)).toEqual({ n: 10n ** 21n, d: 1n });
    expect(fromNumber(-2.5)).toEqual({ n: -25n, d: 10n });
  });

  it('rounds half up on the exact value', () => {
    expect(roundHalfUp(q(159, 2))).toBe(80); // 79.5
    expect(roundHalfUp(q(1589999, 20000))).toBe(79); // 79.49995
    expect(roundHalfUp(q(-5, 2))).toBe(-2); // −2.5 → −2 (towards +∞)
  });

  it('divides and rounds integers to a number of decimals', () => {
    expect(divRound(69 * 60, 3600, 1)).toBe(1.2); // 1.15 h
    expect(divRound(1, 3, 2)).toBe(0.33);
    expect(divRound(2, 3, 2)).toBe(0.67);
    expect(divRound(5, 2, 0)).toBe(3);
  });
});
