/** 流失预警 (docs/rules.md#churn-warning), for 客户状态 = 正式 only. */
import type { HealthLevel, Settings } from '../model.ts';
import type { CustomerMetrics } from './metrics.ts';
import { cmp, fromNumber, q, type Q } from './rational.ts';

export const CHURN_SEPARATOR = '；';

export interface ChurnParams {
  dropPercent: Q;
  alertLine: Q;
}

export function churnParams(settings: Settings): ChurnParams {
  return {
    dropPercent: fromNumber(settings.purchaseDropPercent),
    alertLine: fromNumber(settings.satisfactionAlertLine),
  };
}

/** The reasons in the order of docs/rules.md#churn-warning; empty when there are none. */
export function churnReasons(
  m: CustomerMetrics,
  healthLevel: HealthLevel | null,
  p: ChurnParams,
): string[] {
  const reasons: string[] = [];
  // last3 × 100 ≤ prev3 × (100 − pct), cross-multiplied by pct's denominator
  const pct = p.dropPercent;
  if (
    m.ordersPrev3m > 0 &&
    BigInt(m.ordersLast3m) * 100n * pct.d <= BigInt(m.ordersPrev3m) * (100n * pct.d - pct.n)
  ) {
    reasons.push('购买频次下降');
  }
  if (m.satisfaction !== null && cmp(q(m.satisfaction.num, m.satisfaction.den), p.alertLine) < 0) {
    reasons.push('满意度低');
  }
  if (healthLevel === '风险') reasons.push('健康度风险');
  return reasons;
}

export function churnWarning(
  m: CustomerMetrics,
  healthLevel: HealthLevel | null,
  p: ChurnParams,
): string {
  return churnReasons(m, healthLevel, p).join(CHURN_SEPARATOR);
}
