/**
 * Everything the rules derive from the workbook as a whole — 参数, 分层规则, 节假日 and
 * the date — compiled once per computation. A customer's results depend on this and on
 * the customer's own rows only; when any of it changes, every customer is recomputed.
 */
import { formatDate, type EpochDay, type WallSeconds } from '../calendar.ts';
import type { Dataset, LeadRule, Problem, Settings } from '../model.ts';
import { strategyMonthsByTier } from './careCallbacks.ts';
import { valueFactor, type ValueFactor } from './customerValue.ts';
import { orderLeadRules } from './leadAssignment.ts';
import { churnParams, type ChurnParams } from './churn.ts';
import { healthParams, type HealthParams } from './health.ts';
import { windowsOf, type Windows } from './metrics.ts';
import { slaLimits, type SlaLimits } from './tickets.ts';
import { compileTierRules, type Tier } from './tiers.ts';
import { workCalendar, type WorkCalendar } from './workdays.ts';

export type WorkbookRules = Pick<
  Dataset,
  'settings' | 'tierRules' | 'holidays' | 'tierStrategies' | 'leadRules'
>;

export interface RulesContext {
  settings: Settings;
  /** the instant of the computation; customers depend only on its date (windows.today) */
  now: WallSeconds;
  windows: Windows;
  health: HealthParams;
  churn: ChurnParams;
  calendar: WorkCalendar;
  /** formatDate, remembered for the dates near today that the 回访计划 reasons repeat */
  dayText: (date: EpochDay) => string;
  limits: SlaLimits;
  /** the compiled tiers in matching order; null when the 分层规则 are invalid */
  tiers: Tier[] | null;
  /** the tier report's rows: rule tiers in matching order, then 默认分层 */
  tierOrder: string[];
  /** 分层规则 problems: 错误 for each invalid row, 警告 for thresholds that can never match */
  problems: Problem[];
  /** 分层策略 回访周期(月) by tier, null where the row sets none */
  strategyMonths: ReadonlyMap<string, number | null>;
  /** 线索分配 rows in the order they are tried */
  leadRules: readonly LeadRule[];
  /** 毛利率 × 预计合作年限 for 客户价值 */
  valueFactor: ValueFactor;
}

export function rulesContext(workbook: WorkbookRules, now: WallSeconds): RulesContext {
  const settings = workbook.settings;
  const rules = compileTierRules(workbook.tierRules);
  const problems = rules.ok ? [...rules.warnings] : [...rules.problems, ...rules.warnings];
  problems.sort(
    (a, b) =>
      (a.row ?? 0) - (b.row ?? 0) || (a.level === b.level ? 0 : a.level === '错误' ? -1 : 1),
  );
  const tierOrder = rules.ok ? rules.tiers.map((t) => t.name) : [];
  if (rules.ok && !tierOrder.includes(settings.defaultTier)) tierOrder.push(settings.defaultTier);
  const windows = windowsOf(now);
  return {
    settings,
    now,
    windows,
    health: healthParams(settings),
    churn: churnParams(settings),
    calendar: workCalendar(workbook.holidays, windows.today),
    dayText: dayTexts(windows.today),
    limits: slaLimits(settings),
    tiers: rules.ok ? rules.tiers : null,
    tierOrder,
    problems,
    strategyMonths: strategyMonthsByTier(workbook.tierStrategies),
    leadRules: orderLeadRules(workbook.leadRules),
    valueFactor: valueFactor(settings),
  };
}

/** formatDate with the texts of the years around today kept once made. */
function dayTexts(today: EpochDay): (date: EpochDay) => string {
  const first = today - 1500;
  const texts = new Array<string | undefined>(3000);
  return (date) => {
    const k = date - first;
    if (!(k >= 0 && k < texts.length && Number.isInteger(k))) return formatDate(date);
    return (texts[k] ??= formatDate(date));
  };
}

/**
 * What every customer's results depend on besides its own rows, as text: two
 * computations with equal keys may share per-customer results; when the key changes,
 * every customer must be recomputed.
 */
export function rulesContextKey(workbook: WorkbookRules, now: WallSeconds): string {
  return JSON.stringify([
    windowsOf(now).today,
    workbook.settings,
    workbook.tierRules,
    workbook.holidays,
    workbook.tierStrategies,
    workbook.leadRules,
  ]);
}
