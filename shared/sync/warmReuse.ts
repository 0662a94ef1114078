/**
 * When a warm sync may hand back what the sync before it made.
 *
 * Validation reads the data tabs only through each row's parse, and the config tabs
 * (参数, 节假日, 分层规则, 线索分配, 分层策略, 服务目标) as they are. So when every config tab
 * is the same rows as at the last validation, and every data tab has the same rows but
 * for rows that parse exactly as before (a sync writing its own columns — 客户分层,
 * SLA状态 … — changes the row, not its parse), under the same 参数, date and date
 * system, the validation is the one made then.
 *
 * The rules' results depend on the time within the day only through the SLA状态 of open
 * tickets (a resolved ticket's state is fixed by its own times): the same typed rows
 * under the same rules and date give the same results but for those states.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type { EpochDay } from '../calendar.ts';
import type { Ticket } from '../model.ts';
import type { OwnedRulesOutput, RulesContext, TicketResult } from '../rules/index.ts';
import { isResolved } from '../rules/metrics.ts';
import { slaState } from '../rules/tickets.ts';
import type {
  ParsedEntry,
  ParsedRow,
  ParseMemo,
  SheetRow,
  TabParse,
  Validated,
  WorkbookInput,
} from '../validate/index.ts';
import type { PlanInput, SyncPlan } from './plan.ts';
import { parseRows } from '../validate/parse.ts';
import { rowChecks } from '../validate/rowChecks.ts';
import type { ParseContext } from '../validate/types.ts';

export interface LastValidation {
  /** the rows it validated (or that a later reuse found equivalent), by tab name */
  tabs: ReadonlyMap<string, readonly SheetRow[]>;
  validated: Validated;
}

/** The data tabs validation parses row by row. */
const PARSED_TABS: readonly TabDef[] = [
  T.CUSTOMERS,
  T.ORDERS,
  T.FOLLOW_UPS,
  T.TICKETS,
  T.VISITS,
  T.NEEDS_SURVEYS,
  T.EXPERIENCE_SURVEYS,
];

/** The tabs validation reads whole. */
export const WHOLE_TABS: readonly TabDef[] = [
  T.SETTINGS_TAB,
  T.HOLIDAYS,
  T.TIER_RULES,
  T.LEAD_ASSIGNMENT,
  T.TIER_STRATEGIES,
  T.SERVICE_TARGETS,
];

/**
 * True when validating `input` would give `last.validated` again. `ctx` and `today` must
 * be those of the last validation (the caller compares them); each changed row is parsed
 * against its earlier parse in `memoOf(tab)`, which keeps the row as its new source.
 */
export function unchangedParses(
  last: LastValidation,
  input: WorkbookInput,
  ctx: ParseContext,
  today: EpochDay,
  memoOf: (tab: TabDef) => ParseMemo | undefined,
): boolean {
  for (const tab of WHOLE_TABS)
    if (last.tabs.get(tab.name) !== input.tabs.get(tab.name)) return false;
  let checks: ReturnType<typeof rowChecks> | null = null;
  for (const tab of PARSED_TABS) {
    const was = last.tabs.get(tab.name);
    const now = input.tabs.get(tab.name);
    if (was === now) continue;
    if (!was || !now || was.length !== now.length) return false;
    const header = now[0]?.row === 1 ? now[0] : undefined;
    if (was[0] !== now[0]) return false;
    const memo = memoOf(tab);
    if (!memo) return false;
    checks ??= rowChecks(today);
    const check = checks.get(tab.key) ?? ((): void => {});
    const changed: SheetRow[] = header ? [header] : [];
    const parsedBefore: ParsedEntry['parsed'][] = [];
    for (let i = 0; i < now.length; i++) {
      const before = was[i]!;
      const after = now[i]!;
      if (before === after) continue;
      if (before.row !== after.row || after.row === 1) return false;
      const kept = memo[after.row];
      // Only rows parsed with an ID are kept; a blank or empty row counts as a change.
      if (kept === undefined || kept.source !== before) return false;
      changed.push(after);
      parsedBefore.push(kept.parsed);
    }
    // The changed rows parsed as one sheet: each row's parse is its own.
    parseRows(tab, changed, { ...ctx, problems: [] }, check, memo);
    const first = header ? 1 : 0;
    for (let k = 0; k < parsedBefore.length; k++) {
      const after = changed[first + k]!;
      const again = memo[after.row];
      if (again === undefined || again.source !== after || again.parsed !== parsedBefore[k])
        return false;
    }
  }
  return true;
}

/**
 * `output` at the time of `context`: the open tickets' SLA状态 computed again, and the
 * same output handed back when none moved. The tickets map is changed in place (a copy of
 * every ticket's entry cost more than the rest), so `output` is the one to read no more.
 */
export function refreshTickets(
  output: OwnedRulesOutput,
  tickets: readonly Ticket[],
  context: RulesContext,
): OwnedRulesOutput {
  let changed: Map<string, TicketResult> | null = null;
  for (const t of tickets) {
    if (isResolved(t)) continue;
    const was = output.tickets.get(t.id);
    if (was === undefined) continue;
    const state = slaState(t, context.now, context.limits);
    if (state === was.slaState) continue;
    changed ??= new Map();
    changed.set(t.id, { ...was, slaState: state });
  }
  if (changed === null) return output;
  const results = output.tickets;
  for (const [id, result] of changed) results.set(id, result);
  return { ...output, tickets: results };
}

/** The tabs a sync adds to after planning (its log row, trimmed audit rows): no input of the plan. */
const LOG_TABS = new Set([T.SYNC_LOG.name, T.AUDIT_LOG.name]);

/**
 * True when planSync would plan `a` for `b` as well: the same validation and results, and
 * the same rows in every tab but the logs (rows are replaced, never changed in place).
 */
export function samePlanInput(a: PlanInput, b: PlanInput): boolean {
  if (a.validated !== b.validated || a.rules !== b.rules) return false;
  return sameRowsRead(a.input, b.input);
}

/** The same rows as read in every tab but the logs, in the same date system. */
export function sameRowsRead(a: WorkbookInput, b: WorkbookInput): boolean {
  if (a.epoch !== b.epoch) return false;
  for (const [name, rows] of b.tabs)
    if (!LOG_TABS.has(name) && a.tabs.get(name) !== rows) return false;
  for (const name of a.tabs.keys()) if (!LOG_TABS.has(name) && !b.tabs.has(name)) return false;
  return true;
}

/** A plan the sync may add its own cells and tabs to without touching `plan`. */
export const copyPlan = (plan: SyncPlan): SyncPlan => ({
  ...plan,
  cells: [...plan.cells],
  ids: [...plan.ids],
  newTabs: [...plan.newTabs],
});

/**
 * A tab's parse kept for the next validation of the same rows. Its rows go on to be
 * marked by the whole-workbook checks (an 错误 for a repeated ID or a missing customer, an
 * ID given to a blank one), so what they were before that is kept beside them: each
 * row's 错误 flag, and a copy of every blank-ID row.
 */
export interface KeptParse {
  /** the rows it is the parse of (or rows a later check found to parse the same) */
  rows: readonly SheetRow[];
  parse: TabParse;
  hadError: Uint8Array;
  blankIds: Map<number, Record<string, unknown>>;
}

export function keptParse(rows: readonly SheetRow[], parse: TabParse): KeptParse {
  const parsed = parse.result.rows;
  const hadError = new Uint8Array(parsed.length);
  const blankIds = new Map<number, Record<string, unknown>>();
  for (let i = 0; i < parsed.length; i++) {
    const r = parsed[i]!;
    if (r.hasError) hadError[i] = 1;
    if (r.id === '') blankIds.set(i, { ...r.values });
  }
  return { rows, parse, hadError, blankIds };
}

/** The kept parse as parsing the same rows again gives it: fresh rows, unmarked. */
export function parseAgain(kept: KeptParse): TabParse {
  const was = kept.parse.result.rows;
  const rows: ParsedRow[] = [];
  for (let i = 0; i < was.length; i++) {
    const r = was[i]!;
    const blank = kept.blankIds.get(i);
    rows.push({
      row: r.row,
      id: blank ? '' : r.id,
      values: blank ? { ...blank } : r.values,
      hasError: kept.hadError[i] === 1,
      entry: r.entry,
    });
  }
  // The duplicate-ID check depends on the parsed rows alone: its marks come along.
  const again: TabParse = {
    result: { layout: kept.parse.result.layout, rows },
    problems: kept.parse.problems,
  };
  if (kept.parse.duplicates) again.duplicates = kept.parse.duplicates;
  return again;
}
