/**
 * A customer's results — metrics, 健康度, 客户分层, 流失预警, 下次回访 and the facts the
 * reports tally — from its own rows and the workbook-wide context alone, so that a
 * caller can keep them and recompute only the customers whose rows changed.
 */
import { compareIds } from '../ids.ts';
import type { Customer, Dataset, Fen, HealthLevel, Ticket } from '../model.ts';
import { latestSurveyDates, type CareFacts } from './careCallbacks.ts';
import { customerValue } from './customerValue.ts';
import { leadOwner } from './leadAssignment.ts';
import { callbackReason, nextCallback, type CallbackPlanRow } from './callbacks.ts';
import { churnWarning } from './churn.ts';
import type { RulesContext } from './context.ts';
import { healthScore, levelOf } from './health.ts';
import { isNewCustomer, NEW_CUSTOMER_LEVEL } from './newCustomers.ts';
import { IdIndex } from './idIndex.ts';
import {
  factsAt,
  gatherFacts,
  isResolved,
  metricsInto,
  validVisits30At,
  type CustomerFacts,
  type CustomerMetrics,
  type GatheredFacts,
} from './metrics.ts';
import { slaState } from './tickets.ts';
import { tierOf, type TierSubject } from './tiers.ts';
import { dateOf, type EpochDay } from '../calendar.ts';

/**
 * A customer's sync cells and every metric of docs/rules.md#metrics, exact, in one object:
 * the metrics are its own fields rather than an object of their own, one object fewer per
 * customer for every computation to make and the garbage collector to copy.
 */
export interface CustomerResult extends CustomerMetrics {
  /** 健康度, null unless 正式 */
  healthScore: number | null;
  healthLevel: HealthLevel | null;
  /** null only when the tier rules are invalid: leave the column unchanged */
  tier: string | null;
  /** reasons joined by ；, '' when none (always '' unless 正式) */
  churnWarning: string;
  nextCallbackDate: EpochDay | null;
  nextCallbackKind: CallbackPlanRow['kind'] | null;
  /** 客户价值 in fen, null unless 正式 */
  customerValue: Fen | null;
}

/** A ticket as the ticket reports count it. */
export interface ComplaintFact {
  ticket: Ticket;
  /** the creation day */
  date: EpochDay;
  resolved: boolean;
  /** resolved within its SLA */
  onTime: boolean;
  /** another ticket of the same customer and type was created 0–30 days before it */
  repeat: boolean;
  /** a 投诉 with another 投诉 of the same customer and type created 0–30 days before it */
  repeatComplaint: boolean;
  /** resolved, and no other ticket of the same customer and type was created 0–7 days after */
  firstTimeFix: boolean;
}

/** Everything computed for one customer. */
export interface CustomerOutcome {
  id: string;
  /** the 负责人, or the one 线索分配 gives a lead whose cell is blank */
  owner: string;
  /** the day of the latest valid visit up to today, for 闭环状态 */
  latestValidVisitDay: EpochDay | null;
  /** the customer's sync cells */
  result: CustomerResult;
  /** its 回访计划 row, null when it has no next callback */
  callback: CallbackPlanRow | null;
  /** valid visits dated in the last 30 days, for 回访执行 */
  validVisits30: number;
  /** its tickets the ticket reports can see (created from windows.ticketsFrom to today) */
  complaints: readonly ComplaintFact[];
  /** with `dueCallbacks`: every callback candidate due today or before, for 我的待办 */
  due?: DueCallback[];
}

/** A callback candidate due on or before today, with its 原因. */
export interface DueCallback {
  customerId: string;
  kind: CallbackPlanRow['kind'];
  date: EpochDay;
  reason: string;
}

const NO_COMPLAINTS: readonly ComplaintFact[] = Object.freeze([]);

/**
 * The outcomes of the customers of `dataset` whose 客户编号 is in `ids` (every customer
 * when omitted), in dataset order. Only these customers' child rows are read, so a
 * caller may pass a dataset cut down to them and their rows.
 */
export function computeCustomers(
  dataset: Dataset,
  context: RulesContext,
  ids?: Iterable<string>,
  options: { dueCallbacks?: boolean } = {},
): CustomerOutcome[] {
  let batch: readonly Customer[] = dataset.customers;
  if (ids !== undefined) {
    const wanted = ids instanceof Set ? (ids as ReadonlySet<string>) : new Set(ids);
    batch = dataset.customers.filter((c) => wanted.has(c.id));
  }
  const index = new IdIndex(
    batch.map((c) => c.id),
    true,
  );
  // Every customer, each 客户编号 once: validation's positions of the rows' customers serve.
  const whole = batch === dataset.customers && index.unique ? batch : null;
  const gathered = gatherFacts(
    dataset,
    index,
    batch.length,
    context.windows,
    context.settings,
    false,
    whole,
  );
  return outcomesOf(batch, gathered, dataset, context, options.dueCallbacks ?? false);
}

/**
 * Where each order of a dataset belongs: the position of its customer in
 * dataset.customers (−1 when none or outside (from12m, today]); and for each ticket, its
 * customer's latest valid visit day (−Infinity when none). Only made when every 客户编号
 * occurs once, so that a position and a lookup by 客户编号 agree.
 */
export interface RowPositions {
  orderAt: Int32Array;
  ticketVisitDay: Float64Array;
}

/**
 * computeCustomers for every customer, with the rows' positions when the IDs are unique,
 * and the index of the 客户编号 by position.
 */
export function computeEveryCustomer(
  dataset: Dataset,
  context: RulesContext,
  options: { dueCallbacks?: boolean } = {},
): { outcomes: CustomerOutcome[]; rows: RowPositions | null; index: IdIndex } {
  const batch = dataset.customers;
  // Not borrowed: the output keeps it to find results by 客户编号.
  const index = new IdIndex(batch.map((c) => c.id));
  const g = gatherFacts(
    dataset,
    index,
    batch.length,
    context.windows,
    context.settings,
    true,
    index.unique ? batch : null,
  );
  const outcomes = outcomesOf(batch, g, dataset, context, options.dueCallbacks ?? false);
  const rows = index.unique ? { orderAt: g.orderAt!, ticketVisitDay: g.ticketVisitDay! } : null;
  return { outcomes, rows, index };
}

function outcomesOf(
  batch: readonly Customer[],
  g: GatheredFacts,
  dataset: Dataset,
  ctx: RulesContext,
  collectDue: boolean,
): CustomerOutcome[] {
  const tickets = dataset.tickets;
  const surveys = latestSurveyDates(dataset.experienceSurveys);
  const care: CareFacts = {
    isNew: false,
    healthLevel: null,
    latestSurvey: null,
    strategyMonths: null,
  };
  const { settings, health, churn, tiers } = ctx;
  const out = new Array<CustomerOutcome>(batch.length);
  // One metrics object, one facts object and one tier subject serve every customer: the
  // rules only read them, and the result takes the metrics' figures.
  const m = {} as CustomerMetrics;
  const facts = {} as CustomerFacts;
  const subject: TierSubject = { customer: batch[0]!, metrics: null!, healthScore: null };
  for (let i = 0; i < batch.length; i++) {
    const c = batch[i]!;
    metricsInto(g, i, m);
    factsAt(g, i, m, facts);
    const formal = c.status === '正式';
    const score = formal ? healthScore(m, health) : null;
    const level =
      score === null
        ? null
        : isNewCustomer(c, ctx.windows.today, settings)
          ? NEW_CUSTOMER_LEVEL
          : levelOf(score, health);
    let tier: string | null = null;
    if (tiers !== null) {
      subject.customer = c;
      subject.metrics = m;
      subject.healthScore = score;
      tier = tierOf(subject, tiers, settings.defaultTier);
    }
    const warning = formal ? churnWarning(m, level, churn) : '';
    care.isNew = level === NEW_CUSTOMER_LEVEL;
    care.healthLevel = level;
    care.latestSurvey = surveys.size === 0 ? null : (surveys.get(c.id) ?? null);
    care.strategyMonths = tier === null ? null : (ctx.strategyMonths.get(tier) ?? null);
    const due: DueCallback[] | null = collectDue ? [] : null;
    const callback = nextCallback(
      c,
      facts,
      warning,
      ctx,
      care,
      due === null ? undefined : dueCollector(c, facts, warning, ctx, care, due),
    );
    const owner =
      c.status === '潜在' && c.owner === '' ? (leadOwner(c, ctx.leadRules) ?? '') : c.owner;
    if (callback !== null) callback.owner = owner;
    const outcome: CustomerOutcome = {
      id: c.id,
      owner,
      latestValidVisitDay: facts.latestValidVisitDay,
      result: {
        amount12m: m.amount12m,
        orders12m: m.orders12m,
        orders6m: m.orders6m,
        ordersLast3m: m.ordersLast3m,
        ordersPrev3m: m.ordersPrev3m,
        complaints6m: m.complaints6m,
        interactions3m: m.interactions3m,
        onTimeRate12m: m.onTimeRate12m,
        satisfaction: m.satisfaction,
        healthScore: score,
        healthLevel: level,
        tier,
        churnWarning: warning,
        nextCallbackDate: callback?.date ?? null,
        nextCallbackKind: callback?.kind ?? null,
        customerValue: formal ? customerValue(m.amount12m, ctx.valueFactor) : null,
      },
      callback,
      validVisits30: validVisits30At(g, i),
      complaints: g.ticketHead[i]! < 0 ? NO_COMPLAINTS : complaintsOf(g, i, tickets, ctx),
    };
    // Added only when present, as before: an outcome without due callbacks has no `due` key.
    if (due !== null && due.length > 0) outcome.due = due;
    out[i] = outcome;
  }
  return out;
}

/**
 * Collects customer c's candidates due today or before into `due`. Made apart from the
 * loop: a closure written inside it captured the loop's variables, and the block holding
 * them was then allocated for every customer, collecting or not.
 */
function dueCollector(
  c: Customer,
  facts: CustomerFacts,
  warning: string,
  ctx: RulesContext,
  care: CareFacts,
  due: DueCallback[],
): (kind: CallbackPlanRow['kind'], date: EpochDay) => void {
  return (kind, date) => {
    if (date > ctx.windows.today) return;
    due.push({
      customerId: c.id,
      kind,
      date,
      reason: callbackReason(kind, c, facts, warning, ctx, care),
    });
  };
}

const byCreation = (a: ComplaintFact, b: ComplaintFact): number =>
  a.ticket.createdAt - b.ticket.createdAt || compareIds(a.ticket.id, b.ticket.id);

/**
 * Sorts a customer's tickets in place; the usual few by insertion, stable as
 * Array.prototype.sort is, without the scratch array the built-in sort allocates on every call.
 */
function sortByCreation(facts: ComplaintFact[]): ComplaintFact[] {
  // A customer with many tickets gets the built-in sort's n log n.
  if (facts.length > 32) return facts.sort(byCreation);
  for (let k = 1; k < facts.length; k++) {
    const f = facts[k]!;
    let j = k - 1;
    while (j >= 0 && byCreation(facts[j]!, f) > 0) {
      facts[j + 1] = facts[j]!;
      j--;
    }
    facts[j + 1] = f;
  }
  return facts;
}

/** Customer i's visible tickets with 重复 and 一次解决 decided within each 工单类型. */
function complaintsOf(
  g: GatheredFacts,
  i: number,
  tickets: readonly Ticket[],
  ctx: RulesContext,
): ComplaintFact[] {
  let n = 0;
  for (let k = g.ticketHead[i]!; k >= 0; k = g.ticketNext[k]!) n++;
  // Sized up front and filled by index: growing by push reallocated most customers' arrays.
  const all = new Array<ComplaintFact>(n);
  n = 0;
  for (let k = g.ticketHead[i]!; k >= 0; k = g.ticketNext[k]!) {
    const t = tickets[k]!;
    const resolved = isResolved(t);
    all[n++] = {
      ticket: t,
      date: dateOf(t.createdAt),
      resolved,
      onTime: resolved && slaState(t, ctx.now, ctx.limits) === '按时',
      repeat: false,
      repeatComplaint: false,
      firstTimeFix: false,
    };
  }
  // Sorted in place: the reports only sum over a customer's tickets.
  const sorted = sortByCreation(all);
  for (let k = 0; k < sorted.length; k++) {
    const f = sorted[k]!;
    const type = f.ticket.type;
    // The closest earlier ticket of the type decides: if it is over 30 days back, all others are too.
    for (let j = k - 1; j >= 0 && f.date - sorted[j]!.date <= 30; j--) {
      if (sorted[j]!.ticket.type !== type) continue;
      f.repeat = true;
      break;
    }
    // 重复投诉率 of 月度投诉分析 looks at 投诉 only.
    if (f.ticket.requestType === '投诉')
      for (let j = k - 1; j >= 0 && f.date - sorted[j]!.date <= 30; j--) {
        const t = sorted[j]!.ticket;
        if (t.type !== type || t.requestType !== '投诉') continue;
        f.repeatComplaint = true;
        break;
      }
    if (!f.resolved) continue;
    const from = dateOf(f.ticket.resolvedAt!);
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.date < from) lo = mid + 1;
      else hi = mid;
    }
    let reopened = false;
    for (let j = lo; j < sorted.length && sorted[j]!.date <= from + 7; j++) {
      if (j !== k && sorted[j]!.ticket.type === type) {
        reopened = true;
        break;
      }
    }
    f.firstTimeFix = !reopened;
  }
  return all;
}
