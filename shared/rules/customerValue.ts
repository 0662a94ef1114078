/** 客户价值 (docs/rules.md#customer-value-客户价值). */
import type { Fen, Settings } from '../model.ts';
import { fromNumber } from './rational.ts';

/** 毛利率 × 预计合作年限 as an exact fraction, worked out once per sync. */
export interface ValueFactor {
  num: bigint;
  den: bigint;
}

export function valueFactor(settings: Settings): ValueFactor {
  const margin = fromNumber(settings.grossMarginPercent);
  const years = fromNumber(settings.expectedYears);
  return { num: margin.n * years.n, den: 100n * margin.d * years.d };
}

/**
 * 近12月金额 × 毛利率 × 预计合作年限, in fen, rounded half up on the exact product:
 * 1,000.01 yuan × 30% × 3 = 900.009 yuan → 900.01.
 */
export function customerValue(amount12m: Fen, factor: ValueFactor): Fen {
  const p = BigInt(amount12m) * factor.num * 2n + factor.den;
  const q = factor.den * 2n;
  // amounts are never negative, so BigInt's truncating division is the floor
  return Number(p / q);
}
