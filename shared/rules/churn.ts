/** 流失预警 (docs/rules.md#churn-warning), for 客户状态 = 正式 only. */
import type { HealthLevel, Settings } from '../model.ts';
import type { CustomerMetrics } from './metrics.ts';
import { cmpFast, fast, fromNumber, type FastQ, type Q } from './rational.ts';

export const CHURN_SEPARATOR = '；';

const REASONS = ['购买频次下降', '满意度低', '健康度风险'] as const;
/** Every warning text by its set of reasons (bit k for REASONS[k]), joined once. */
const WARNINGS: readonly string[] = Array.from({ length: 8 }, (_, bits) =>
  REASONS.filter((_, k) => bits & (1 << k)).join(CHURN_SEPARATOR),
);

export interface ChurnParams {
  dropPercent: Q;
  alertLine: Q;
  alert: FastQ;
  /** 100·d and 100·d − n of dropPercent when both are small safe integers, else null */
  dropWhole: number | null;
  dropKept: number | null;
}

export function churnParams(settings: Settings): ChurnParams {
  const dropPercent = fromNumber(settings.purchaseDropPercent);
  const alertLine = fromNumber(settings.satisfactionAlertLine);
  const whole = Number(100n * dropPercent.d);
  const kept = Number(100n * dropPercent.d - dropPercent.n);
  const small = Number.isSafeInteger(whole) && Number.isSafeInteger(kept);
  return {
    dropPercent,
    alertLine,
    alert: fast(alertLine),
    dropWhole: small ? whole : null,
    dropKept: small ? kept : null,
  };
}

/** last3 × 100 ≤ prev3 × (100 − pct), cross-multiplied by pct's denominator, exactly. */
function purchaseDropped(m: CustomerMetrics, p: ChurnParams): boolean {
  if (m.ordersPrev3m <= 0) return false;
  if (p.dropWhole !== null && p.dropKept !== null) {
    const l = m.ordersLast3m * p.dropWhole;
    const r = m.ordersPrev3m * p.dropKept;
    // A product of integers that is a safe integer is exact; otherwise fall through.
    if (Number.isSafeInteger(l) && Number.isSafeInteger(r)) return l <= r;
  }
  const pct = p.dropPercent;
  return BigInt(m.ordersLast3m) * 100n * pct.d <= BigInt(m.ordersPrev3m) * (100n * pct.d - pct.n);
}

function reasonBits(m: CustomerMetrics, healthLevel: HealthLevel | null, p: ChurnParams): number {
  let bits = 0;
  if (purchaseDropped(m, p)) bits |= 1;
  if (m.satisfaction !== null && cmpFast(m.satisfaction.num, m.satisfaction.den, p.alert) < 0)
    bits |= 2;
  if (healthLevel === '风险') bits |= 4;
  return bits;
}

/** The reasons in the order of docs/rules.md#churn-warning; empty when there are none. */
export function churnReasons(
  m: CustomerMetrics,
  healthLevel: HealthLevel | null,
  p: ChurnParams,
): string[] {
  const bits = reasonBits(m, healthLevel, p);
  return REASONS.filter((_, k) => bits & (1 << k));
}

export function churnWarning(
  m: CustomerMetrics,
  healthLevel: HealthLevel | null,
  p: ChurnParams,
): string {
  return WARNINGS[reasonBits(m, healthLevel, p)]!;
}
