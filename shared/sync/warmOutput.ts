/**
 * The rules' output of a warm engine, updated from the one before it when only some
 * customers' outcomes changed under the same rules and date.
 *
 * The parts that are a value per customer or per ticket are kept and changed where their
 * rows changed, instead of being made again from 100,000 outcomes: the 客户 results (a
 * Map keyed by 客户编号, in customer order), the 工单 results (a Map keyed by 工单编号, in
 * ticket order; every open ticket's SLA状态 brought to the time), the 回访计划 (kept sorted
 * by 计划日期 then 客户编号: a changed customer's row is taken out and its new one placed
 * by halving), and where each order and ticket's customer is. Each is the one assembling
 * afresh gives: it is only kept while every 客户编号 occurs once, customers are only
 * added after the last one (a form's 新建客户), and every ticket's 工单编号 stays at its
 * place; anything else assembles afresh. The tables (报表, 销售分析, 指标历史) are then
 * made from these as a cold computation makes them.
 *
 * The two result maps are changed in place (copying 100,000 entries costs more than the
 * rest of the update): an output's maps are those of the engine's next output, so a caller
 * reads an output before asking the engine for the next one, as a sync does.
 */
import { compareIds } from '../ids.ts';
import type { Customer, Dataset, Order, Ticket } from '../model.ts';
import { countedRowsAt, isCounted, type CountedRows } from '../rules/countedRows.ts';
import {
  positionsOf,
  retally,
  rulesOutput,
  rulesOutputAt,
  sortPlan,
  tallyOutcomes,
  ticketResult,
  type CallbackPlanRow,
  type CustomerOutcome,
  type DueCallback,
  type ReportTallies,
  type RowPositions,
  type RulesContext,
  type RulesOptions,
  type OwnedRulesOutput,
  type TicketResult,
} from '../rules/index.ts';
import { isResolved } from '../rules/metrics.ts';
import { slaState } from '../rules/tickets.ts';
import type { ResultChanges } from './plan.ts';

interface Kept {
  dataset: Dataset;
  list: readonly CustomerOutcome[];
  output: OwnedRulesOutput;
  /** the context the output was made under */
  context: RulesContext;
  /** 客户编号 → position in list (every 客户编号 once) */
  positionOf: Map<string, number>;
  rows: RowPositions;
  /** the orders within the 12-month window naming no customer, made by prepareKept */
  unknownOrders: number[] | null;
  /** the rows 销售分析 counts, made by prepareKept */
  counted: KeptCounted | null;
  /** the 报表 tallies of list, made by prepareKept (valid 分层规则 only) */
  tallies: ReportTallies | null;
  /** list's due callbacks in list order, made by prepareKept */
  due: KeptDue | null;
  /** the customers and tickets whose results this output changed from the one before */
  changed?: { customers: Set<string>; tickets: Set<string> };
}

/** Every outcome's due callbacks one after another, and where each outcome's begin. */
export interface KeptDue {
  list: DueCallback[];
  /** outcome i's due callbacks are at [at[i], at[i + 1]) */
  at: Int32Array;
}

export function dueOf(list: readonly CustomerOutcome[]): KeptDue {
  const out: DueCallback[] = [];
  const at = new Int32Array(list.length + 1);
  for (let i = 0; i < list.length; i++) {
    at[i] = out.length;
    const due = list[i]!.due;
    if (due) for (const d of due) out.push(d);
  }
  at[list.length] = out.length;
  return { list: out, at };
}

/**
 * `kept` (of `was`, `kept.at.length - 1` outcomes) moved to `list`, whose outcomes differ
 * from `was` at the positions `changed` (ascending; those past `was` are new). The list
 * handed out before is left as it is; `kept.at` is moved with it.
 */
export function movedDue(
  kept: KeptDue,
  list: readonly CustomerOutcome[],
  changed: readonly number[],
): KeptDue {
  if (changed.length === 0) return kept;
  const out = kept.list.slice();
  const wasLength = kept.at.length - 1;
  let at = kept.at;
  if (list.length > wasLength) {
    at = new Int32Array(list.length + 1);
    at.set(kept.at);
  }
  for (const i of changed) {
    const due = list[i]!.due ?? [];
    if (i >= wasLength) {
      for (const d of due) out.push(d);
      at[i + 1] = out.length;
      continue;
    }
    const from = at[i]!;
    const gone = at[i + 1]! - from;
    if (gone === due.length) {
      for (let k = 0; k < due.length; k++) out[from + k] = due[k]!;
      continue;
    }
    out.splice(from, gone, ...due);
    const shift = due.length - gone;
    for (let j = i + 1; j <= wasLength; j++) at[j]! += shift;
  }
  return { list: out, at };
}

/** Above this many new 回访计划 rows one sort is cheaper than placing each. */
const PLACED_AT_MOST = 512;

/** 回访计划 order: 计划日期, then 客户编号 in natural order. */
const planOrder = (a: CallbackPlanRow, b: CallbackPlanRow): number =>
  a.date - b.date || compareIds(a.customerId, b.customerId);

/** The first place in `plan` (sorted) whose row does not sort before `p`. */
function placeOf(plan: readonly CallbackPlanRow[], p: CallbackPlanRow): number {
  let lo = 0;
  let hi = plan.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (planOrder(plan[mid]!, p) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * `plan` (sorted) without `gone` (rows of it), with `added` placed where sorting would put
 * them. A few gone rows are found by halving too, among the rows that sort as they do.
 */
export function replacePlanRows(
  plan: readonly CallbackPlanRow[],
  gone: ReadonlySet<CallbackPlanRow>,
  added: readonly CallbackPlanRow[],
): CallbackPlanRow[] {
  let out: CallbackPlanRow[] | null = gone.size === 0 ? plan.slice() : null;
  if (out === null && gone.size <= PLACED_AT_MOST) {
    out = plan.slice();
    for (const p of gone) {
      let at = placeOf(out, p);
      while (at < out.length && out[at] !== p && planOrder(out[at]!, p) === 0) at++;
      if (out[at] !== p) {
        out = null;
        break;
      }
      out.splice(at, 1);
    }
  }
  out ??= plan.filter((p) => !gone.has(p));
  if (added.length > PLACED_AT_MOST) return sortPlan([...out, ...added]);
  for (const p of added) out.splice(placeOf(out, p), 0, p);
  return out;
}

export class WarmOutput {
  private kept: Kept | null = null;
  /** whether the last assemble() updated the output before it, for the bench and the tests */
  lastUpdated = false;
  /** when the last assemble() updated the output before it: the results it changed */
  lastChanges: ResultChanges | null = null;

  /**
   * Makes now what the first update after a full computation would make (prepareKept), so
   * that the first form's sync after start or on a new day does not (at 100,000 customers
   * about 0.3 s). Run when idle.
   */
  prepare(): void {
    if (this.kept !== null) prepareKept(this.kept);
  }

  /** Forgets the kept output: the next assemble() makes it afresh. */
  clear(): void {
    this.kept = null;
  }

  /**
   * The output for `list` (dataset.customers' outcomes in dataset order). `sameContext`:
   * the rules, date and options are those of the last call, so an outcome that is the
   * same object as then gives the same results.
   */
  assemble(
    dataset: Dataset,
    list: readonly CustomerOutcome[],
    context: RulesContext,
    options: RulesOptions,
    sameContext: boolean,
  ): OwnedRulesOutput {
    const kept = this.kept;
    this.kept = null;
    this.lastChanges = null;
    // With invalid 分层规则 the reports read the 客户分层 cells, which move by themselves.
    const updated =
      kept !== null && sameContext && context.tiers !== null
        ? updateOutput(kept, dataset, list, context, options)
        : null;
    this.lastUpdated = updated !== null;
    if (updated !== null) {
      this.kept = updated;
      const { customers, tickets } = updated.changed!;
      this.lastChanges = { previous: kept!.output, next: updated.output, customers, tickets };
      return updated.output;
    }
    const rows = positionsOf(dataset, list, context.windows);
    if (rows === null) return rulesOutput(dataset, list, context, options);
    const output = rulesOutputAt(dataset, list, context, options, rows);
    const positionOf = new Map<string, number>();
    for (let i = 0; i < list.length; i++) positionOf.set(list[i]!.id, i);
    this.kept = {
      dataset,
      list,
      output,
      context,
      positionOf,
      rows,
      unknownOrders: null,
      counted: null,
      tallies: null,
      due: null,
    };
    return output;
  }
}

/**
 * The parts an update moves rather than makes, made from the kept output where a full
 * computation left them out: the 报表 tallies (with valid 分层规则, the only ones updated),
 * the due callbacks, the rows 销售分析 counts and the orders naming no customer.
 */
function prepareKept(kept: Kept): void {
  const { dataset, list, context, rows } = kept;
  if (context.tiers !== null)
    kept.tallies ??= tallyOutcomes({
      today: context.windows.today,
      outcomes: list,
      tierOf: (o) => o.result.tier,
      tierOrder: [],
    });
  kept.due ??= dueOf(list);
  kept.counted ??= countedOf(dataset.customers, list, dataset.orders, rows.orderAt);
  kept.unknownOrders ??= unknownOrders(dataset.orders, rows.orderAt, context);
}

/** The kept output moved to `list`; null when it cannot be (then it is made afresh). */
function updateOutput(
  kept: Kept,
  dataset: Dataset,
  list: readonly CustomerOutcome[],
  context: RulesContext,
  options: RulesOptions,
): Kept | null {
  const was = kept.list;
  if (list.length < was.length || dataset.customers.length !== list.length) return null;
  const changed: number[] = [];
  for (let i = 0; i < was.length; i++) {
    const o = list[i]!;
    if (o === was[i]) continue;
    if (o.id !== was[i]!.id) return null;
    changed.push(i);
  }
  const positionOf = kept.positionOf;
  const fresh = new Set<string>();
  for (let i = was.length; i < list.length; i++) {
    const id = list[i]!.id;
    if (positionOf.has(id) || fresh.has(id)) return null;
    fresh.add(id);
    changed.push(i);
  }
  const tickets = dataset.tickets;
  if (!ticketsInPlace(kept.dataset.tickets, tickets, kept.output.tickets)) return null;
  for (let i = was.length; i < list.length; i++) positionOf.set(list[i]!.id, i);

  const customers = kept.output.customers;
  const gone = new Set<CallbackPlanRow>();
  const added: CallbackPlanRow[] = [];
  // Customers whose 闭环状态 input, the latest valid visit, may have moved.
  const visitMoved = new Set<string>(fresh);
  for (const i of changed) {
    const o = list[i]!;
    customers.set(o.id, o.result);
    if (o.callback !== null) added.push(o.callback);
    const before = was[i];
    if (before === undefined) continue;
    if (before.callback !== null) gone.add(before.callback);
    if (before.latestValidVisitDay !== o.latestValidVisitDay) visitMoved.add(o.id);
  }
  const callbackPlan =
    gone.size === 0 && added.length === 0
      ? kept.output.callbackPlan
      : replacePlanRows(kept.output.callbackPlan, gone, added);

  // With valid 分层规则 (else no update) a customer counts under its own 客户分层.
  const tierOf = (o: CustomerOutcome): string | null => o.result.tier;
  prepareKept(kept);
  const tallies = kept.tallies!;
  for (const i of changed) {
    const before = was[i];
    if (before !== undefined) retally(tallies, before, tierOf(before), -1);
    retally(tallies, list[i]!, tierOf(list[i]!), 1);
  }
  const due = movedDue(kept.due!, list, changed);

  const { at: orderAt, unknown } = ordersAt(kept, dataset, positionOf, fresh, context);
  const counted = movedCounted(
    kept.counted!,
    kept.dataset.customers,
    dataset,
    list,
    changed,
    orderAt,
  );
  const changedTickets = new Set<string>();
  const ticketVisitDay = ticketsAt(
    kept,
    dataset,
    list,
    positionOf,
    visitMoved,
    context,
    changedTickets,
  );
  const changedCustomers = new Set<string>();
  for (const i of changed) changedCustomers.add(list[i]!.id);
  const rows: RowPositions = { orderAt, ticketVisitDay };
  const output = rulesOutputAt(dataset, list, context, options, rows, {
    customers,
    tickets: kept.output.tickets,
    callbackPlan,
    customerById: (id) => {
      const i = positionOf.get(id);
      return i === undefined ? undefined : dataset.customers[i];
    },
    reportTallies: tallies,
    due: due.list,
    counted: counted.rows,
  });
  return {
    dataset,
    list,
    output,
    context,
    positionOf,
    rows,
    unknownOrders: unknown,
    counted,
    tallies,
    due,
    changed: { customers: changedCustomers, tickets: changedTickets },
  };
}

/** Orders dated within the 12-month window whose customer is not known (position −1). */
function unknownOrders(orders: readonly Order[], at: Int32Array, context: RulesContext): number[] {
  const { today, from12m } = context.windows;
  const out: number[] = [];
  for (let k = 0; k < orders.length; k++) {
    if (at[k] !== -1) continue;
    const date = orders[k]!.date;
    if (date <= today && date > from12m) out.push(k);
  }
  return out;
}

/**
 * Each order's customer position within the 12-month window, −1 outside it (positionsOf),
 * and the orders within it naming no customer. With the same order rows only those can
 * move, to a customer new since; then the positions before are handed back when none do.
 */
function ordersAt(
  kept: Kept,
  dataset: Dataset,
  positionOf: ReadonlyMap<string, number>,
  fresh: ReadonlySet<string>,
  context: RulesContext,
): { at: Int32Array; unknown: number[] } {
  const { today, from12m } = context.windows;
  const orders = dataset.orders;
  const before = kept.dataset.orders;
  const was = kept.rows.orderAt;
  if (orders === before) {
    const unknown = kept.unknownOrders!;
    if (fresh.size === 0) return { at: was, unknown };
    let at = was;
    const still: number[] = [];
    for (const k of unknown) {
      const id = orders[k]!.customerId;
      if (!fresh.has(id)) {
        still.push(k);
        continue;
      }
      if (at === was) at = was.slice();
      at[k] = positionOf.get(id)!;
    }
    return { at, unknown: still };
  }
  const at = new Int32Array(orders.length);
  const unknown: number[] = [];
  for (let k = 0; k < orders.length; k++) {
    const o = orders[k]!;
    if (o === before[k] && !(was[k] === -1 && fresh.has(o.customerId))) at[k] = was[k]!;
    else at[k] = o.date > today || o.date <= from12m ? -1 : (positionOf.get(o.customerId) ?? -1);
    if (at[k] === -1 && o.date <= today && o.date > from12m) unknown.push(k);
  }
  return { at, unknown };
}

/** The rows 销售分析 counts, with each customer's place among them (−1: not counted). */
interface KeptCounted {
  rows: CountedRows;
  countedAt: Int32Array;
  /** the order positions the rows were made from */
  orderAt: Int32Array;
}

function countedOf(
  customers: readonly Customer[],
  list: readonly CustomerOutcome[],
  orders: readonly Order[],
  orderAt: Int32Array,
): KeptCounted {
  const rows = countedRowsAt(customers, (i) => list[i]!.result.amount12m, orders, orderAt);
  const countedAt = new Int32Array(customers.length).fill(-1);
  const positions = rows.positions!;
  for (let p = 0; p < positions.length; p++) countedAt[positions[p]!] = p;
  return { rows, countedAt, orderAt };
}

/**
 * The counted rows moved to `list`, whose outcomes differ from the kept ones at `changed`
 * (ascending; those past `before` are new customers): the changed customers' rows and
 * 近12月金额 set in place, new counted customers added after the others, the orders made
 * again only when their positions moved. A customer counted before and not now, or the
 * other way, makes them afresh.
 */
function movedCounted(
  kept: KeptCounted,
  before: readonly Customer[],
  dataset: Dataset,
  list: readonly CustomerOutcome[],
  changed: readonly number[],
  orderAt: Int32Array,
): KeptCounted {
  const all = dataset.customers;
  let added = 0;
  for (const i of changed) {
    if (i >= before.length) added += isCounted(all[i]!) ? 1 : 0;
    else if (isCounted(before[i]!) !== isCounted(all[i]!))
      return countedOf(all, list, dataset.orders, orderAt);
  }
  if (orderAt !== kept.orderAt) return countedOf(all, list, dataset.orders, orderAt);
  // Only read by the tables made from them: set in place, the typed arrays grown by copying.
  const rows = kept.rows;
  let countedAt = kept.countedAt;
  if (all.length > countedAt.length) {
    countedAt = new Int32Array(all.length).fill(-1);
    countedAt.set(kept.countedAt);
  }
  if (added > 0) {
    const n = rows.customers.length + added;
    const amounts = new Float64Array(n);
    amounts.set(rows.amounts);
    const positions = new Int32Array(n);
    positions.set(rows.positions!);
    rows.amounts = amounts;
    rows.positions = positions;
  }
  const { customers, amounts, positions } = rows;
  for (const i of changed) {
    let p = countedAt[i]!;
    if (i >= before.length) {
      if (!isCounted(all[i]!)) continue;
      p = customers.length;
      customers.push(all[i]!);
      positions![p] = i;
      countedAt[i] = p;
    }
    if (p < 0) continue;
    customers[p] = all[i]!;
    amounts[p] = list[i]!.result.amount12m;
  }
  return { rows, countedAt, orderAt };
}

/**
 * True when `results` (keyed by 工单编号 in `before` order, each once) can be moved to
 * `tickets` by setting entries: every 工单编号 of `before` at its place, and tickets added
 * after them with new ones.
 */
function ticketsInPlace(
  before: readonly Ticket[],
  tickets: readonly Ticket[],
  results: ReadonlyMap<string, TicketResult>,
): boolean {
  if (tickets.length < before.length || results.size !== before.length) return false;
  for (let k = 0; k < before.length; k++) {
    const t = tickets[k]!;
    if (t !== before[k] && t.id !== before[k]!.id) return false;
  }
  const added = new Set<string>();
  for (let k = before.length; k < tickets.length; k++) {
    const id = tickets[k]!.id;
    if (results.has(id) || added.has(id)) return false;
    added.add(id);
  }
  return true;
}

/**
 * The tickets' customers' latest valid visit days, with the kept results moved to them: a
 * ticket row that changed, or whose customer's visit moved, computed again; every other
 * open ticket's SLA状态 brought to the time. ticketsInPlace holds.
 */
function ticketsAt(
  kept: Kept,
  dataset: Dataset,
  list: readonly CustomerOutcome[],
  positionOf: ReadonlyMap<string, number>,
  visitMoved: ReadonlySet<string>,
  context: RulesContext,
  changed: Set<string>,
): Float64Array {
  const tickets = dataset.tickets;
  const before = kept.dataset.tickets;
  const wasDays = kept.rows.ticketVisitDay;
  const visitDays = new Float64Array(tickets.length);
  const results = kept.output.tickets;
  const { now, limits } = context;
  const checkVisits = visitMoved.size > 0;
  for (let k = 0; k < tickets.length; k++) {
    const t = tickets[k]!;
    const same = t === before[k];
    if (same && !(checkVisits && visitMoved.has(t.customerId))) {
      visitDays[k] = wasDays[k]!;
      if (isResolved(t)) continue;
      const result = results.get(t.id)!;
      const state = slaState(t, now, limits);
      if (state === result.slaState) continue;
      results.set(t.id, { ...result, slaState: state });
      changed.add(t.id);
      continue;
    }
    const i = positionOf.get(t.customerId);
    const day = i === undefined ? -Infinity : (list[i]!.latestValidVisitDay ?? -Infinity);
    visitDays[k] = day;
    results.set(t.id, ticketResult(t, now, limits, day));
    changed.add(t.id);
  }
  return visitDays;
}
