/**
 * Everything docs/rules.md computes, from docs/rules.md#calendar-words to #reports, as one
 * pure function of the validated Dataset and the instant `now` — and the same in parts,
 * for a caller that keeps per-customer results between computations:
 *
 *   const context = rulesContext(dataset, now);
 *   const outcomes = computeCustomers(dataset, context);         // every customer
 *   const fresh = computeCustomers(dataset, context, touchedIds); // only those customers
 *   const output = rulesOutput(dataset, mergedOutcomes, context, options);
 *
 * A customer's outcome depends only on its own rows and on the context, so reusing an
 * outcome is exact as long as rulesContextKey(dataset, now) is unchanged; rulesOutput
 * rebuilds the reports and the 回访计划 from the outcomes and recomputes the tickets.
 */
import type { WallSeconds } from '../calendar.ts';
import type { EpochDay } from '../calendar.ts';
import type { ClosureState, Dataset, Problem, SlaState } from '../model.ts';
import { closureState } from './closure.ts';
import { assignLeads } from './leadAssignment.ts';
import { sortPlan, type CallbackPlanRow } from './callbacks.ts';
import { rulesContext, type RulesContext } from './context.ts';
import {
  computeCustomers,
  type CustomerOutcome,
  type CustomerResult,
  type DueCallback,
} from './customers.ts';
import { buildAnalysis } from './analysis.ts';
import { monthMetrics, type MonthMetrics } from './history.ts';
import { buildReports, type ReportTable } from './reports.ts';
import { ticketCells } from './tickets.ts';

export type { CallbackPlanRow } from './callbacks.ts';
export { rulesContext, rulesContextKey, type RulesContext } from './context.ts';
export {
  computeCustomers,
  type ComplaintFact,
  type CustomerOutcome,
  type CustomerResult,
  type DueCallback,
} from './customers.ts';
export type { CustomerMetrics, Ratio } from './metrics.ts';
export type { MonthMetrics } from './history.ts';
export type { ReportCell, ReportFormat, ReportTable } from './reports.ts';
export type { TicketCells } from './tickets.ts';

export interface TicketResult {
  responseHours: number | null;
  resolutionHours: number | null;
  slaState: SlaState;
  /** 闭环状态, null while the ticket is open */
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
  /** the 销售分析 tables */
  analysis: ReportTable[];
  /** this month's 指标历史 row */
  metrics: MonthMetrics;
  /** the tier with the smallest 优先级, named in the 摘要; null when the rules are invalid */
  firstTier: string | null;
  /**
   * 分层规则 problems (错误 for each invalid row, 警告 for thresholds that can never match),
   * then a 警告 for each lead no 线索分配 row matches
   */
  problems: Problem[];
  tiersValid: boolean;
  /** with `dueCallbacks`: every callback candidate due today or before (我的待办) */
  dueCallbacks: DueCallback[];
}

export interface RulesOptions {
  /**
   * The 客户分层 cells as read, by 客户编号. Only used when the tier rules are invalid,
   * so that 客户分层分布 still describes the column that was left as it was; a function
   * is only called then, which spares reading the column when the rules are valid.
   */
  previousTiers?: ReadonlyMap<string, string | null> | (() => ReadonlyMap<string, string | null>);
  /** also collect every callback candidate due today or before, not only the earliest */
  dueCallbacks?: boolean;
}

export function computeRules(
  dataset: Dataset,
  now: WallSeconds,
  options: RulesOptions = {},
): RulesOutput {
  const context = rulesContext(dataset, now);
  const outcomes = computeCustomers(dataset, context, undefined, {
    dueCallbacks: options.dueCallbacks ?? false,
  });
  return rulesOutput(dataset, outcomes, context, options);
}

/**
 * The whole output from every customer's outcome (in any order; each customer once):
 * the tickets are computed afresh, as their SLA states move with the time of day.
 */
export function rulesOutput(
  dataset: Dataset,
  outcomes: Iterable<CustomerOutcome>,
  context: RulesContext,
  options: RulesOptions = {},
): RulesOutput {
  const list = Array.isArray(outcomes)
    ? (outcomes as readonly CustomerOutcome[])
    : Array.from(outcomes);
  const customers = new Map<string, CustomerResult>();
  const byId = new Map<string, CustomerOutcome>();
  const plan: CallbackPlanRow[] = [];
  const due: DueCallback[] = [];
  for (const o of list) {
    customers.set(o.id, o.result);
    byId.set(o.id, o);
    if (o.callback !== null) plan.push(o.callback);
    if (o.due) for (const d of o.due) due.push(d);
  }

  const visited = new Map<string, EpochDay | null>();
  for (const o of list) visited.set(o.id, o.latestValidVisitDay);
  const tickets = new Map<string, TicketResult>();
  for (const t of dataset.tickets) {
    const cells = ticketCells(t, context.now, context.limits);
    tickets.set(t.id, {
      responseHours: cells.responseHours,
      resolutionHours: cells.resolutionHours,
      slaState: cells.slaState,
      closure: closureState(t, visited.get(t.customerId) ?? null),
    });
  }
  const leads = assignLeads(dataset.customers, context.leadRules);

  let tierOf = (o: CustomerOutcome): string | null => o.result.tier;
  if (context.tiers === null) {
    const given = options.previousTiers;
    const previous = typeof given === 'function' ? given() : given;
    tierOf = (o) => previous?.get(o.id) ?? null;
  }
  const reports = buildReports({
    today: context.windows.today,
    outcomes: list,
    tierOf,
    tierOrder: context.tierOrder,
  });

  const analysis = buildAnalysis({
    today: context.windows.today,
    from12m: context.windows.from12m,
    customers: dataset.customers,
    orders: dataset.orders,
    amount12m: (id) => customers.get(id)?.amount12m ?? 0,
    tierOf: (id) => {
      const o = byId.get(id);
      return o ? tierOf(o) : null;
    },
    topCustomers: dataset.settings.analysisTopCustomers,
    topProducts: dataset.settings.analysisTopProducts,
  });

  const firstTier = context.tierOrder[0] ?? null;
  const formalTiers: (string | null)[] = [];
  for (const c of dataset.customers) {
    if (c.status !== '正式') continue;
    const o = byId.get(c.id);
    formalTiers.push(o ? tierOf(o) : null);
  }
  const metrics = monthMetrics({ today: context.windows.today, reports, formalTiers, firstTier });

  return {
    customers,
    tickets,
    callbackPlan: sortPlan(plan),
    reports,
    analysis,
    metrics,
    firstTier,
    assignedOwners: leads.owners,
    problems: [...context.problems, ...leads.problems],
    tiersValid: context.tiers !== null,
    dueCallbacks: due,
  };
}
