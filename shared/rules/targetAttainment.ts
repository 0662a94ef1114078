/**
 * 销售分析 table 7, 目标达成 (docs/rules.md#analysis-销售分析): each 服务目标 row in sheet
 * order against the 服务指标 figure of the last 30 days — 指标 | 目标值 | 实际 | 达成.
 *
 * 实际 is the figure as 服务指标 writes it (按时率 as 月度投诉分析 defines it, over the same
 * tickets); 达成 compares it with 目标值 exactly: a share as the fraction it is, an
 * average as the rounded figure shown, so 实际 4.50 meets 目标值 4.5. 平均响应时长 and
 * 重复投诉率 are met at or below the target, the others at or above. A share's target
 * typed as a percent (95 for 95%) is read as the fraction. A figure with nothing to
 * measure (no ticket in 30 days) leaves 实际 and 达成 blank.
 */
import type { ServiceTarget, ServiceTargetMetric } from '../model.ts';
import { cmp, fromNumber, q, type Q } from './rational.ts';
import {
  serviceFigures,
  type ReportCell,
  type ReportFormat,
  type ReportTable,
  type ServiceTally,
} from './reports.ts';

interface Measured {
  /** the figure written in 实际 */
  shown: number | null;
  /** the same, exactly */
  exact: Q | null;
}

const SHARES = new Set<ServiceTargetMetric>(['按时率', '重复投诉率', '首次解决率']);
const LOWER_IS_BETTER = new Set<ServiceTargetMetric>(['平均响应时长', '重复投诉率']);
const LABELS: Partial<Record<ServiceTargetMetric, string>> = {
  平均响应时长: '平均响应时长(小时)',
};

const fraction = (num: number, den: number): Measured =>
  den === 0 ? { shown: null, exact: null } : { shown: num / den, exact: q(num, den) };
const figure = (shown: number | null): Measured => ({
  shown,
  exact: shown === null ? null : fromNumber(shown),
});

function measure(metric: ServiceTargetMetric, t: ServiceTally): Measured {
  switch (metric) {
    case '按时率':
      return fraction(t.onTime, t.resolved);
    case '首次解决率':
      return fraction(t.firstTimeFixes, t.resolved);
    case '重复投诉率':
      return fraction(t.repeats, t.tickets);
    case '平均满意度':
      return figure(serviceFigures(t).satisfaction);
    case '平均响应时长':
      return figure(serviceFigures(t).responseHours);
  }
}

/** 目标值 as meant: a share above 1 was typed as a percent. */
function targetOf(target: ServiceTarget): Q {
  const typed = fromNumber(target.target);
  return SHARES.has(target.metric) && cmp(typed, q(1)) > 0
    ? { n: typed.n, d: typed.d * 100n }
    : typed;
}

const SHARE_FORMATS: ReportFormat[] = ['text', 'percent', 'percent', 'text'];
const FIGURE_FORMATS: ReportFormat[] = ['text', 'number', 'number', 'text'];

export function targetTable(targets: readonly ServiceTarget[], tally: ServiceTally): ReportTable {
  const rows: ReportCell[][] = [];
  const rowFormats: ReportFormat[][] = [];
  for (const target of targets) {
    const goal = targetOf(target);
    const actual = measure(target.metric, tally);
    let met: string | null = null;
    if (actual.exact !== null) {
      const c = cmp(actual.exact, goal);
      met = (LOWER_IS_BETTER.has(target.metric) ? c <= 0 : c >= 0) ? '是' : '否';
    }
    rows.push([
      LABELS[target.metric] ?? target.metric,
      Number(goal.n) / Number(goal.d),
      actual.shown,
      met,
    ]);
    rowFormats.push(SHARES.has(target.metric) ? SHARE_FORMATS : FIGURE_FORMATS);
  }
  return {
    title: '目标达成',
    header: ['指标', '目标值', '实际', '达成'],
    rows,
    formats: FIGURE_FORMATS,
    rowFormats,
  };
}
