/** 健康度 and 健康等级 (docs/rules.md#health-score), for 客户状态 = 正式 only. */
import type { HealthLevel, Settings } from '../model.ts';
import type { CustomerMetrics } from './metrics.ts';
import {
  add,
  div,
  fromNumber,
  HUNDRED,
  min,
  mul,
  q,
  roundHalfUp,
  sub,
  type Q,
} from './rational.ts';

export interface HealthParams {
  activityFull: Q;
  repurchaseFull: Q;
  pointsPerComplaint: Q;
  weights: { activity: Q; repurchase: Q; stability: Q; complaints: Q };
  weightSum: Q;
  /** the smallest whole score that is 健康 / 亚健康 (scores are whole after rounding) */
  healthyFrom: number;
  subHealthyFrom: number;
  /**
   * The same figures as small safe integers (weights over one common denominator) for
   * the fast path; null when they are not small.
   */
  small: {
    activity: number;
    repurchase: number;
    stability: number;
    complaints: number;
    sum: number;
    activityFullN: number;
    activityFullD: number;
    repurchaseFullN: number;
    repurchaseFullD: number;
    pointsN: number;
    pointsD: number;
  } | null;
}

const ceil = (a: Q): number => {
  const t = a.n / a.d;
  return Number(a.n % a.d > 0n ? t + 1n : t);
};

export function healthParams(settings: Settings): HealthParams {
  const weights = {
    activity: fromNumber(settings.weightActivity),
    repurchase: fromNumber(settings.weightRepurchase),
    stability: fromNumber(settings.weightStability),
    complaints: fromNumber(settings.weightComplaints),
  };
  const weightSum = add(
    add(weights.activity, weights.repurchase),
    add(weights.stability, weights.complaints),
  );
  // Decimal weights have power-of-ten denominators, so the largest is a common one.
  const list = [weights.activity, weights.repurchase, weights.stability, weights.complaints];
  const common = list.reduce((m, w) => (w.d > m ? w.d : m), 1n);
  const whole = list.map((w) => (w.n * common) / w.d);
  const total = whole.reduce((s, w) => s + w, 0n);
  const activityFull = fromNumber(settings.activityFullInteractions);
  const repurchaseFull = fromNumber(settings.repurchaseFullOrders);
  const pointsPerComplaint = fromNumber(settings.pointsPerComplaint);
  const MILLION = 1_000_000n;
  const small =
    list.every((w) => common % w.d === 0n) &&
    total > 0n &&
    total < 2n ** 40n &&
    [activityFull, repurchaseFull].every((f) => f.n > 0n && f.n <= MILLION && f.d <= MILLION) &&
    pointsPerComplaint.n <= 1000n * MILLION &&
    pointsPerComplaint.d <= MILLION;
  return {
    activityFull,
    repurchaseFull,
    pointsPerComplaint,
    weights,
    weightSum,
    healthyFrom: ceil(fromNumber(settings.healthyThreshold)),
    subHealthyFrom: ceil(fromNumber(settings.subHealthyThreshold)),
    small: small
      ? {
          activity: Number(whole[0]),
          repurchase: Number(whole[1]),
          stability: Number(whole[2]),
          complaints: Number(whole[3]),
          sum: Number(total),
          activityFullN: Number(activityFull.n),
          activityFullD: Number(activityFull.d),
          repurchaseFullN: Number(repurchaseFull.n),
          repurchaseFullD: Number(repurchaseFull.d),
          pointsN: Number(pointsPerComplaint.n),
          pointsD: Number(pointsPerComplaint.d),
        }
      : null,
  };
}

export interface Health {
  /** 0–100, rounded half up */
  score: number;
  /** from the rounded score */
  level: HealthLevel;
}

/** count / full × 100, capped at 100; a full mark of 0 or less is reached by anyone. */
function capped(count: number, full: Q): Q {
  if (full.n <= 0n) return HUNDRED;
  return min(HUNDRED, q(BigInt(count) * 100n * full.d, full.n));
}

/** The weighted score before rounding, exactly; null when every weight is 0. */
export function exactScore(m: CustomerMetrics, p: HealthParams): Q | null {
  if (p.weightSum.n === 0n) return null;
  const activity = capped(m.interactions3m, p.activityFull);
  const repurchase = capped(m.orders6m, p.repurchaseFull);
  const stability = q(BigInt(m.onTimeRate12m.num) * 100n, m.onTimeRate12m.den);
  const penalty = min(HUNDRED, mul(q(m.complaints6m), p.pointsPerComplaint));
  const w = p.weights;
  const total = add(
    add(mul(w.activity, activity), mul(w.repurchase, repurchase)),
    add(mul(w.stability, stability), mul(w.complaints, sub(HUNDRED, penalty))),
  );
  return div(total, p.weightSum);
}

const LIMIT = 2 ** 52;

/**
 * The same arithmetic on safe integers, for the usual settings: every sub-score is a
 * fraction with a small denominator, so the weighted sum over their product stays far
 * below 2^53. Returns null when it would not, and the bigint path takes over.
 */
function fastScore(m: CustomerMetrics, p: HealthParams): number | null {
  const w = p.small;
  if (w === null) return null;
  // each sub-score as num / den, 0 ≤ num / den ≤ 100
  const i = m.interactions3m;
  const aCapped = i * w.activityFullD >= w.activityFullN;
  const aNum = aCapped ? 100 : 100 * i * w.activityFullD;
  const aDen = aCapped ? 1 : w.activityFullN;
  const o = m.orders6m;
  const rCapped = o * w.repurchaseFullD >= w.repurchaseFullN;
  const rNum = rCapped ? 100 : 100 * o * w.repurchaseFullD;
  const rDen = rCapped ? 1 : w.repurchaseFullN;
  const sNum = 100 * m.onTimeRate12m.num;
  const sDen = m.onTimeRate12m.den;
  const c = m.complaints6m * w.pointsN;
  const kCapped = c >= 100 * w.pointsD;
  const kNum = kCapped ? 0 : 100 * w.pointsD - c;
  const kDen = kCapped ? 1 : w.pointsD;
  const den = aDen * rDen * sDen * kDen;
  // Σ wᵢ·numᵢ/denᵢ ≤ 100·Σw, so 2·N + D·Σw ≤ 201·D·Σw bounds every intermediate value.
  if (!(den * w.sum * 201 < LIMIT)) return null;
  const num =
    w.activity * aNum * (rDen * sDen * kDen) +
    w.repurchase * rNum * (aDen * sDen * kDen) +
    w.stability * sNum * (aDen * rDen * kDen) +
    w.complaints * kNum * (aDen * rDen * sDen);
  // floor((2N + D·W) / (2·D·W)): half up
  const top = 2 * num + den * w.sum;
  const bottom = 2 * den * w.sum;
  let score = Math.floor(top / bottom);
  const rest = top - score * bottom;
  if (rest < 0) score -= 1;
  else if (rest >= bottom) score += 1;
  return score;
}

export function levelOf(score: number, p: HealthParams): HealthLevel {
  if (score >= p.healthyFrom) return '健康';
  if (score >= p.subHealthyFrom) return '亚健康';
  return '风险';
}

/** The rounded 健康度; null when every weight is 0, as there is nothing to weigh. */
export function healthScore(m: CustomerMetrics, p: HealthParams): number | null {
  const score = fastScore(m, p);
  if (score !== null) return score;
  const exact = exactScore(m, p);
  return exact === null ? null : roundHalfUp(exact);
}

export function healthOf(m: CustomerMetrics, p: HealthParams): Health | null {
  const score = healthScore(m, p);
  return score === null ? null : { score, level: levelOf(score, p) };
}
