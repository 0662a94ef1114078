/**
 * Everything docs/rules.md computes, from docs/rules.md#calendar-words to #reports, as one
 * pure function of the validated Dataset and the instant `now`.
 */
import { dateOf, type EpochDay, type WallSeconds } from '../calendar.ts';
import type {
  CallbackKind,
  ClosureState,
  Dataset,
  Fen,
  HealthLevel,
  Problem,
  SlaState,
} from '../model.ts';
import { latestSurveyDates, strategyMonthsByTier, type CareFacts } from './careCallbacks.ts';
import { closureState } from './closure.ts';
import { customerValue, valueFactor } from './customerValue.ts';
import { assignLeads } from './leadAssignment.ts';
import { isNewCustomer } from './newCustomer.ts';
import { nextCallback, sortPlan, type CallbackPlanRow } from './callbacks.ts';
import { churnParams, churnWarning } from './churn.ts';
import { healthParams, healthScore, levelOf } from './health.ts';
import { computeMetrics, factsOf, type CustomerFacts, type CustomerMetrics } from './metrics.ts';
import { buildReports, type ReportTable } from './reports.ts';
import { slaLimits, ticketCells, type TicketCells } from './tickets.ts';
import { compileTierRules, tierOf, type TierSubject } from './tiers.ts';
import { workCalendar } from './workdays.ts';

export type { CallbackPlanRow } from './callbacks.ts';
export type { CustomerMetrics, Ratio } from './metrics.ts';
export type { ReportCell, ReportFormat, ReportTable } from './reports.ts';
export type { TicketCells } from './tickets.ts';

export interface CustomerResult {
  /** 近12月金额 in fen */
  amount12m: number;
  orders12m: number;
  /** 健康度, null unless 正式 */
  healthScore: number | null;
  healthLevel: HealthLevel | null;
  /** null only when the tier rules are invalid: leave the column unchanged */
  tier: string | null;
  /** reasons joined by ；, '' when none (always '' unless 正式) */
  churnWarning: string;
  nextCallbackDate: EpochDay | null;
  nextCallbackKind: CallbackKind | null;
  /** 客户价值 in fen, null unless 正式 */
  customerValue: Fen | null;
  /** every metric of docs/rules.md#metrics, exact */
  metrics: CustomerMetrics;
}

export interface TicketResult {
  responseHours: number | null;
  resolutionHours: number | null;
  slaState: SlaState;
  closure: ClosureState | null;
}

export interface RulesOutput {
  /** keyed by 客户编号; every customer of the dataset */
  customers: Map<string, CustomerResult>;
  /** keyed by 工单编号; every ticket of the dataset, future-dated ones included */
  tickets: Map<string, TicketResult>;
  /** 客户编号 → the 负责人 线索分配 gives a lead whose cell is blank */
  assignedOwners: Map<string, string>;
  /** sorted by 计划日期, then 客户编号 in natural order */
  callbackPlan: CallbackPlanRow[];
  reports: ReportTable[];
  /** 分层规则 problems: 错误 for each invalid row, 警告 for thresholds that can never match */
  problems: Problem[];
  tiersValid: boolean;
}

export interface RulesOptions {
  /**
   * The 客户分层 cells as read, by 客户编号. Only used when the tier rules are invalid,
   * so that 客户分层分布 still describes the column that was left as it was.
   */
  previousTiers?: ReadonlyMap<string, string | null>;
}

export function computeRules(
  dataset: Dataset,
  now: WallSeconds,
  options: RulesOptions = {},
): RulesOutput {
  const settings = dataset.settings;
  const today = dateOf(now);
  const measured = computeMetrics(dataset, now);
  const health = healthParams(settings);
  const churn = churnParams(settings);
  const calendar = workCalendar(dataset.holidays);
  const rules = compileTierRules(dataset.tierRules);
  const leads = assignLeads(dataset.customers, dataset.leadRules);
  const surveys = latestSurveyDates(dataset.experienceSurveys);
  const strategyMonths = strategyMonthsByTier(dataset.tierStrategies);
  const factor = valueFactor(settings);
  const care: CareFacts = {
    isNew: false,
    healthLevel: null,
    latestSurvey: null,
    strategyMonths: null,
  };
  const problems = rules.ok ? [...rules.warnings] : [...rules.problems, ...rules.warnings];
  problems.sort(
    (a, b) =>
      (a.row ?? 0) - (b.row ?? 0) || (a.level === b.level ? 0 : a.level === '错误' ? -1 : 1),
  );
  // 分层规则 problems first, then the leads no 线索分配 row matched, in 客户 row order.
  for (const p of leads.problems) problems.push(p);

  const n = dataset.customers.length;
  const customers = new Map<string, CustomerResult>();
  const tiers = new Array<string | null>(n);
  const scores = new Array<number | null>(n);
  const levels = new Array<HealthLevel | null>(n);
  const plan: CallbackPlanRow[] = [];
  // One facts object and one tier subject serve every customer: both are only read.
  const facts = {} as CustomerFacts;
  let subject: TierSubject | null = null;
  for (let i = 0; i < n; i++) {
    const c = dataset.customers[i]!;
    factsOf(measured, i, facts);
    const m = facts.metrics;
    const score = c.status === '正式' ? healthScore(m, health) : null;
    const level = score === null ? null : levelOf(score, health);
    let tier: string | null = null;
    if (rules.ok) {
      if (subject === null) subject = { customer: c, metrics: m, healthScore: score };
      else {
        subject.customer = c;
        subject.metrics = m;
        subject.healthScore = score;
      }
      tier = tierOf(subject, rules.tiers, settings.defaultTier);
    }
    const warning = c.status === '正式' ? churnWarning(m, level, churn) : '';
    care.isNew = isNewCustomer(c, today, settings);
    care.healthLevel = level;
    care.latestSurvey = surveys.get(c.id) ?? null;
    const tierNow = tier ?? options.previousTiers?.get(c.id) ?? null;
    care.strategyMonths = tierNow === null ? null : (strategyMonths.get(tierNow) ?? null);
    const callback = nextCallback(c, facts, warning, today, settings, calendar, care);
    if (callback) {
      const assigned = leads.owners.get(c.id);
      if (assigned !== undefined) callback.owner = assigned;
      plan.push(callback);
    }
    tiers[i] = rules.ok ? tier : (options.previousTiers?.get(c.id) ?? null);
    scores[i] = score;
    levels[i] = level;
    customers.set(c.id, {
      amount12m: m.amount12m,
      orders12m: m.orders12m,
      healthScore: score,
      healthLevel: level,
      tier,
      churnWarning: warning,
      nextCallbackDate: callback?.date ?? null,
      nextCallbackKind: callback?.kind ?? null,
      customerValue: c.status === '正式' ? customerValue(m.amount12m, factor) : null,
      metrics: m,
    });
  }

  const limits = slaLimits(settings);
  const tickets = new Map<string, TicketCells>();
  for (const t of dataset.tickets) tickets.set(t.id, ticketCells(t, now, limits));
  const ticketResults = new Map<string, TicketResult>();
  for (const t of dataset.tickets) {
    const at = measured.index.get(t.customerId);
    const visit = at === undefined ? null : measured.latestValidVisit[at]!;
    ticketResults.set(t.id, {
      ...tickets.get(t.id)!,
      closure: closureState(t, visit === null ? null : dateOf(visit.time)),
    });
  }

  const tierOrder = rules.ok ? rules.tiers.map((t) => t.name) : [];
  if (rules.ok && !tierOrder.includes(settings.defaultTier)) tierOrder.push(settings.defaultTier);
  const reports = buildReports({
    dataset,
    today,
    index: measured.index,
    metrics: measured.metrics,
    validVisits30: measured.validVisits30,
    tiers,
    tierOrder,
    healthScores: scores,
    healthLevels: levels,
    ticketCells: tickets,
    plan,
  });

  return {
    customers,
    tickets: ticketResults,
    assignedOwners: leads.owners,
    callbackPlan: sortPlan(plan),
    reports,
    problems,
    tiersValid: rules.ok,
  };
}
