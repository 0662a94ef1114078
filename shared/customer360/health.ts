/**
 * The 健康度 of one customer taken apart (docs/rules.md#health-score): each sub-score
 * with the counts and settings that made it, so a person can see why the score is what
 * it is. The score itself is the sync's; these figures are for reading.
 */
import type { Settings } from '../model.ts';
import { ZERO_METRICS, type CustomerMetrics } from '../rules/metrics.ts';

export interface HealthPart {
  key: 'A' | 'R' | 'S' | 'C';
  label: string;
  /** 0–100, two decimals */
  score: number;
  weight: number;
  /** what the sub-score was made of, in words */
  basis: string;
}

export interface HealthBreakdown {
  parts: HealthPart[];
  weightSum: number;
  /** Σ weight × score ÷ Σ weight before rounding, two decimals; null when every weight is 0 */
  weighted: number | null;
  healthyFrom: number;
  subHealthyFrom: number;
}

const two = (x: number): number => Math.round(x * 100) / 100;
const share = (count: number, full: number): number =>
  full <= 0 ? 100 : Math.min(100, (count / full) * 100);

export function healthBreakdown(m: CustomerMetrics, s: Settings): HealthBreakdown {
  const penalty = Math.min(100, m.complaints6m * s.pointsPerComplaint);
  const rate = m.onTimeRate12m;
  const parts: HealthPart[] = [
    {
      key: 'A',
      label: '活跃度',
      score: two(share(m.interactions3m, s.activityFullInteractions)),
      weight: s.weightActivity,
      basis: `近3月互动 ${m.interactions3m} 次 ÷ 满分 ${s.activityFullInteractions} 次`,
    },
    {
      key: 'R',
      label: '复购',
      score: two(share(m.orders6m, s.repurchaseFullOrders)),
      weight: s.weightRepurchase,
      basis: `近6月合作 ${m.orders6m} 次 ÷ 满分 ${s.repurchaseFullOrders} 次`,
    },
    {
      key: 'S',
      label: '付款稳定性',
      score: two((rate.num / rate.den) * 100),
      weight: s.weightStability,
      basis: noPaidOrders(m)
        ? '近12月没有到期的订单，按 100 计'
        : `近12月按时付款 ${rate.num} 单 ÷（按时 + 逾期）${rate.den} 单`,
    },
    {
      key: 'C',
      label: '投诉',
      score: two(100 - penalty),
      weight: s.weightComplaints,
      basis: `近6月投诉 ${m.complaints6m} 次 × 每次扣 ${s.pointsPerComplaint} 分（扣 ${two(penalty)} 分）`,
    },
  ];
  const weightSum = parts.reduce((t, p) => t + p.weight, 0);
  const weighted =
    weightSum === 0 ? null : two(parts.reduce((t, p) => t + p.weight * p.score, 0) / weightSum);
  return {
    parts,
    weightSum,
    weighted,
    healthyFrom: s.healthyThreshold,
    subHealthyFrom: s.subHealthyThreshold,
  };
}

/**
 * True when no order was due in the last 12 months: the rules then give the rate as the
 * shared 1/1 of ZERO_METRICS, which one order paid on time (also 1/1) is not.
 */
export const noPaidOrders = (m: CustomerMetrics): boolean =>
  m.onTimeRate12m === ZERO_METRICS.onTimeRate12m;
