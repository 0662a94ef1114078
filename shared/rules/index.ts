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
import type { Customer, Dataset, Problem } from '../model.ts';
import { assignLeads } from './leadAssignment.ts';
import { sortPlan, type CallbackPlanRow } from './callbacks.ts';
import { rulesContext, type RulesContext } from './context.ts';
import {
  computeEveryCustomer,
  type CustomerOutcome,
  type CustomerResult,
  type DueCallback,
  type RowPositions,
} from './customers.ts';
import { countedRowsAt, type CountedRows } from './countedRows.ts';
import { positionsOf } from './rowPositions.ts';
import { buildAnalysis } from './analysis.ts';
import { monthMetrics, type MonthMetrics } from './history.ts';
import { buildReports, type ReportTable, type ReportTallies } from './reports.ts';
import { ticketResultList, ticketResults, type TicketResult } from './ticketResults.ts';
import { IdIndex } from './idIndex.ts';
import { byIdMap } from './positionMap.ts';

export type { CallbackPlanRow } from './callbacks.ts';
export { rulesContext, rulesContextKey, type RulesContext } from './context.ts';
export { positionsOf } from './rowPositions.ts';
export { sortPlan } from './callbacks.ts';
export { ticketResult } from './ticketResults.ts';
export {
  computeCustomers,
  type ComplaintFact,
  type CustomerOutcome,
  type CustomerResult,
  type DueCallback,
  type RowPositions,
} from './customers.ts';
export type { CustomerMetrics, Ratio } from './metrics.ts';
export type { MonthMetrics } from './history.ts';
export type { ReportCell, ReportFormat, ReportTable, ReportTallies } from './reports.ts';
export { retally, tallyOutcomes } from './reports.ts';
export type { TicketCells } from './tickets.ts';
export type { TicketResult } from './ticketResults.ts';

export interface RulesOutput {
  /** keyed by 客户编号, in dataset order; every customer of the dataset */
  customers: ReadonlyMap<string, CustomerResult>;
  /** keyed by 工单编号, in dataset order; every ticket of the dataset, future-dated ones included */
  tickets: ReadonlyMap<string, TicketResult>;
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

/** A RulesOutput whose maps are the caller's to change (the warm engine keeps them up to date). */
export interface OwnedRulesOutput extends RulesOutput {
  customers: Map<string, CustomerResult>;
  tickets: Map<string, TicketResult>;
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
  const { outcomes, rows, index } = computeEveryCustomer(dataset, context, {
    dueCallbacks: options.dueCallbacks ?? false,
  });
  return assembleOutput(dataset, outcomes, context, options, rows, undefined, index);
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
): OwnedRulesOutput {
  const list = Array.isArray(outcomes)
    ? (outcomes as readonly CustomerOutcome[])
    : Array.from(outcomes);
  return assembleOutput(
    dataset,
    list,
    context,
    options,
    positionsOf(dataset, list, context.windows),
  ) as OwnedRulesOutput;
}

/**
 * Parts of the output a caller keeps up to date between computations (the warm engine),
 * each exactly what assembling it afresh gives: they are taken as they are.
 */
export interface KeptParts {
  customers: Map<string, CustomerResult>;
  tickets: Map<string, TicketResult>;
  /** sorted as sortPlan sorts */
  callbackPlan: CallbackPlanRow[];
  /** the customer with a 客户编号 (each occurs once) */
  customerById: (id: string) => Customer | undefined;
  /** the 报表 tallies of the outcomes (tallyOutcomes) */
  reportTallies?: ReportTallies;
  /** every outcome's due callbacks, in outcome order (with RulesOptions.dueCallbacks) */
  due?: DueCallback[];
  /** the rows 销售分析 counts, as countedRowsAt gives them */
  counted?: CountedRows;
}

/**
 * rulesOutput for `list`, dataset.customers' outcomes in dataset order with every 客户编号
 * once, whose rows' positions are `rows` (positionsOf), with the parts the caller kept.
 */
export function rulesOutputAt(
  dataset: Dataset,
  list: readonly CustomerOutcome[],
  context: RulesContext,
  options: RulesOptions,
  rows: RowPositions,
  kept?: KeptParts,
): OwnedRulesOutput {
  // Without an index of the customers, assembleOutput makes (or takes) Maps.
  return assembleOutput(dataset, list, context, options, rows, kept) as OwnedRulesOutput;
}

/**
 * rulesOutput, told where each row's customer is when that is known (by computeRules's
 * facts pass, or by positionsOf for outcomes in dataset order): then `list` is
 * dataset.customers' outcomes in dataset order, each 客户编号 once, and a customer is
 * found by position rather than looked up by 客户编号. With `index`, the index of
 * dataset.customers' IDs that `list` follows, the customers and tickets are read-only
 * maps over `list` and the ticket results by position rather than Maps.
 */
function assembleOutput(
  dataset: Dataset,
  list: readonly CustomerOutcome[],
  context: RulesContext,
  options: RulesOptions,
  rows: RowPositions | null,
  kept?: KeptParts,
  index?: IdIndex,
): RulesOutput {
  let tierOf = (o: CustomerOutcome): string | null => o.result.tier;
  if (context.tiers === null) {
    const given = options.previousTiers;
    const previous = typeof given === 'function' ? given() : given;
    tierOf = (o) => previous?.get(o.id) ?? null;
  }
  const viewed = index !== undefined && rows !== null && kept === undefined;
  const filled = kept === undefined && !viewed ? new Map<string, CustomerResult>() : null;
  const customers: ReadonlyMap<string, CustomerResult> =
    kept?.customers ??
    filled ??
    byIdMap(
      list.length,
      (i) => list[i]!.id,
      (i) => list[i]!.result,
      index!,
    );
  const fill = kept === undefined;
  // Sized for every outcome and cut to the rows found: grown row by row, the array was
  // copied at each step of its growth.
  const plan = new Array<CallbackPlanRow>(fill ? list.length : 0);
  let planRows = 0;
  const keptDue = kept?.due;
  const due: DueCallback[] = keptDue ?? [];
  // With positions, the figures the 销售分析 and 指标历史 read per customer are taken
  // here, in the one pass that visits every outcome anyway.
  const n = rows === null ? 0 : list.length;
  const amountAt = new Float64Array(n);
  const valueAt = new Array<number | null>(n);
  const tierAt = new Array<string | null>(n);
  for (let i = 0; i < list.length; i++) {
    const o = list[i]!;
    const r = o.result;
    if (fill) {
      filled?.set(o.id, r);
      if (o.callback !== null) plan[planRows++] = o.callback;
    }
    if (o.due && keptDue === undefined) for (const d of o.due) due.push(d);
    if (i >= n) continue;
    amountAt[i] = r.amount12m;
    valueAt[i] = r.customerValue;
    tierAt[i] = tierOf(o);
  }
  plan.length = planRows;
  // By 客户编号 only when the positions are not known; a repeated ID keeps its last outcome.
  const byId = rows === null ? new Map(list.map((o) => [o.id, o])) : null;

  let visitDays = rows?.ticketVisitDay;
  if (visitDays === undefined) {
    visitDays = new Float64Array(dataset.tickets.length);
    for (let k = 0; k < visitDays.length; k++)
      visitDays[k] = byId!.get(dataset.tickets[k]!.customerId)?.latestValidVisitDay ?? -Infinity;
  }
  let tickets: ReadonlyMap<string, TicketResult>;
  if (kept !== undefined) tickets = kept.tickets;
  else if (!viewed)
    tickets = ticketResults(dataset.tickets, context.now, context.limits, visitDays);
  else {
    const all = dataset.tickets;
    const results = ticketResultList(all, context.now, context.limits, visitDays);
    tickets = byIdMap(
      all.length,
      (k) => all[k]!.id,
      (k) => results[k]!,
      new IdIndex(all.map((t) => t.id)),
    );
  }
  const leads = assignLeads(dataset.customers, context.leadRules);

  const tierById = (id: string): string | null => {
    const o = byId?.get(id);
    return o === undefined ? null : tierOf(o);
  };
  const { reports, service30 } = buildReports(
    { today: context.windows.today, outcomes: list, tierOf, tierOrder: context.tierOrder },
    kept?.reportTallies,
  );

  const analysis = buildAnalysis({
    today: context.windows.today,
    from12m: context.windows.from12m,
    customers: dataset.customers,
    orders: dataset.orders,
    amount12m: (id) => customers.get(id)?.amount12m ?? 0,
    tierOf: tierById,
    tierOrder: context.tierOrder,
    customerValue: (id) => customers.get(id)?.customerValue ?? null,
    surveys: dataset.experienceSurveys,
    serviceTargets: dataset.serviceTargets,
    service30,
    ...(rows === null
      ? {}
      : {
          atPosition: {
            tierOf: (i: number) => tierAt[i] ?? null,
            customerValue: (i: number) => valueAt[i] ?? null,
          },
          counted:
            kept?.counted ??
            countedRowsAt(dataset.customers, (i) => amountAt[i]!, dataset.orders, rows.orderAt),
        }),
    ...(kept === undefined ? {} : { customerById: kept.customerById }),
    topCustomers: dataset.settings.analysisTopCustomers,
    topProducts: dataset.settings.analysisTopProducts,
  });

  const firstTier = context.tierOrder[0] ?? null;
  // Counted here rather than listed: 指标历史 needs only how many 正式 customers there
  // are and how many of them are of the first tier.
  let formalCustomers = 0;
  let firstTierCustomers = 0;
  const all = dataset.customers;
  for (let i = 0; i < all.length; i++) {
    if (all[i]!.status !== '正式') continue;
    formalCustomers++;
    const tier = rows === null ? tierById(all[i]!.id) : (tierAt[i] ?? null);
    if (tier !== null && tier === firstTier) firstTierCustomers++;
  }
  const metrics = monthMetrics({
    today: context.windows.today,
    reports,
    formalCustomers,
    firstTierCustomers,
    firstTier,
  });

  return {
    customers,
    tickets,
    callbackPlan: kept?.callbackPlan ?? sortPlan(plan),
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
