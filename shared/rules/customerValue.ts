/** 客户价值 (docs/rules.md#customer-value-客户价值). */
import type { Fen, Settings } from '../model.ts';
import { fromNumber } from './rational.ts';

/** 毛利率 × 预计合作年限 as an exact fraction, worked out once per sync. */
export interface ValueFactor {
  num: bigint;
  den: bigint;
  /** the same as plain numbers when they are small enough for the fast path, else 0 */
  numN: number;
  denN: number;
}

export function valueFactor(settings: Settings): ValueFactor {
  const margin = fromNumber(settings.grossMarginPercent);
  const years = fromNumber(settings.expectedYears);
  const num = margin.n * years.n;
  const den = 100n * margin.d * years.d;
  const small = num < 1n << 20n && den < 1n << 20n;
  return { num, den, numN: small ? Number(num) : 0, denN: small ? Number(den) : 0 };
}

/**
 * 近12月金额 × 毛利率 × 预计合作年限, in fen, rounded half up on the exact product:
 * 1,000.01 yuan × 30% × 3 = 900.009 yuan → 900.01.
 */
export function customerValue(amount12m: Fen, factor: ValueFactor): Fen {
  if (factor.denN > 0) {
    // 2·a·num + den stays an exact integer below 2^53 for any amount under ~2^31 fen
    // per 2^20 of factor; the remainder makes the division exact.
    const p = 2 * amount12m * factor.numN + factor.denN;
    if (Number.isSafeInteger(p)) {
      const q = 2 * factor.denN;
      return (p - (p % q)) / q;
    }
  }
  const p = BigInt(amount12m) * factor.num * 2n + factor.den;
  const q = factor.den * 2n;
  // amounts are never negative, so BigInt's truncating division is the floor
  return Number(p / q);
}
