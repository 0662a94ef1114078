/**
 * Validation and rules for a workbook kept between syncs, redoing only what changed.
 *
 * Rows as read are objects that stay the same while the row is unchanged (a warm store
 * replaces a row it writes). A row parsed before under the same header row, 参数, date and
 * date system is taken as parsed, with its problems; its typed row (Customer, Order …)
 * stays the same object. After validation, the typed rows are compared with the last
 * sync's, row number by row number, so every customer whose own rows changed — written,
 * cleared, moved in or out of the computation by a duplicate ID or a bad customer row —
 * is found, and only those customers are computed again. A changed rulesContextKey
 * (参数, 分层规则, 节假日, the date) computes everyone. The whole-workbook checks (duplicate
 * IDs, references, ID assignment, possible duplicate customers), the tickets, reports
 * and 回访计划 are always made afresh from the per-customer results, so the outcome is
 * the one a cold computation gives.
 */
import type { TabDef } from '../../sheets-templates/types.ts';
import { dateOf, type WallSeconds } from '../calendar.ts';
import type { Dataset, Settings } from '../model.ts';
import {
  computeCustomers,
  computeRules,
  rulesContext,
  rulesContextKey,
  rulesOutput,
  type CustomerOutcome,
  type RulesOptions,
  type RulesOutput,
} from '../rules/index.ts';
import { newPlanMemo, planSync, type PlanInput, type SyncPlan } from './plan.ts';
import {
  copyPlan,
  refreshTickets,
  samePlanInput,
  unchangedParses,
  type LastValidation,
} from './warmReuse.ts';
import {
  readWorkbookSettings,
  validateWorkbook,
  type ParseMemo,
  type SheetRow,
  type Validated,
  type ValidationLifecycle,
  type WorkbookInput,
} from '../validate/index.ts';

/** What a sync validates and computes with: the cold functions, or a warm engine. */
export interface SyncEngine {
  validate(
    input: WorkbookInput,
    now: WallSeconds,
    settingsOverride?: Partial<Settings>,
    lifecycle?: ValidationLifecycle,
  ): Validated;
  rules(dataset: Dataset, now: WallSeconds, options: RulesOptions): RulesOutput;
  plan(input: PlanInput): SyncPlan;
}

/** Typed rows by row number, per data kind: a row's object is the same while it is unchanged. */
type RowsByNumber = Map<string, (object | undefined)[]>;

/** The customer a typed row belongs to: its own ID for a customer, its 客户编号 otherwise. */
function ownerOf(kind: string, row: object): string {
  const r = row as { id: string; customerId?: unknown };
  return kind === 'customers' ? r.id : String(r.customerId);
}

/** Every per-customer kind of row in the dataset (customers and what refers to them), by row number. */
function rowsByNumber(dataset: Dataset): RowsByNumber | null {
  const out: RowsByNumber = new Map();
  for (const [kind, list] of Object.entries(dataset)) {
    if (!Array.isArray(list)) continue;
    const rows = list as { row?: unknown; customerId?: unknown }[];
    if (kind !== 'customers' && typeof rows[0]?.customerId !== 'string') continue;
    const byRow: (object | undefined)[] = [];
    for (const r of rows) {
      // Without a row number there is nothing to compare by: everyone is computed.
      if (typeof r.row !== 'number') return null;
      byRow[r.row] = r;
    }
    out.set(kind, byRow);
  }
  return out;
}

/** Customers any of whose rows differ between two syncs. */
function touchedCustomers(before: RowsByNumber, after: RowsByNumber): Set<string> {
  const touched = new Set<string>();
  for (const kind of new Set([...before.keys(), ...after.keys()])) {
    const was = before.get(kind) ?? [];
    const now = after.get(kind) ?? [];
    const n = Math.max(was.length, now.length);
    for (let i = 0; i < n; i++) {
      const a = was[i];
      const b = now[i];
      if (a === b) continue;
      if (a !== undefined) touched.add(ownerOf(kind, a));
      if (b !== undefined) touched.add(ownerOf(kind, b));
    }
  }
  return touched;
}

interface LastRules {
  byRow: RowsByNumber | null;
  outcomes: Map<string, CustomerOutcome>;
  contextKey: string;
  dueCallbacks: boolean;
}

export class WarmEngine implements SyncEngine {
  private parseKey = '';
  private readonly memos = new Map<string, { header: SheetRow | undefined; memo: ParseMemo }>();
  private last: LastRules | null = null;
  private lastValidation: LastValidation | null = null;
  private lastOutput: { dataset: Dataset; contextKey: string; output: RulesOutput } | null = null;
  private readonly planMemo = newPlanMemo();
  private lastPlan: { input: PlanInput; plan: SyncPlan } | null = null;
  /** whether the last validate() handed back the validation before it, for the tests */
  lastValidationReused = false;
  /** whether the last rules() handed back the results before it (tickets brought to the time) */
  lastRulesReused = false;
  /** customers computed by the last rules() call, for the bench and the tests */
  lastComputed = 0;

  validate(
    input: WorkbookInput,
    now: WallSeconds,
    settingsOverride?: Partial<Settings>,
    lifecycle: ValidationLifecycle = {},
  ): Validated {
    const settings = { ...readWorkbookSettings(input, []), ...settingsOverride };
    const key = JSON.stringify([settings, dateOf(now), input.epoch]);
    if (key !== this.parseKey) {
      this.memos.clear();
      this.parseKey = key;
      this.lastValidation = null;
    }
    const last = this.lastValidation;
    this.lastValidationReused =
      last !== null &&
      unchangedParses(
        last,
        input,
        { epoch: input.epoch, settings, problems: [] },
        dateOf(now),
        (tab) => this.memos.get(tab.name)?.memo,
      );
    if (last && this.lastValidationReused) {
      last.tabs = new Map(input.tabs);
      return last.validated;
    }
    const memoOf = (tab: TabDef): ParseMemo => {
      const rows = input.tabs.get(tab.name);
      const header = rows?.[0]?.row === 1 ? rows[0] : undefined;
      let kept = this.memos.get(tab.name);
      if (!kept || kept.header !== header) {
        kept = { header, memo: [] };
        this.memos.set(tab.name, kept);
      }
      return kept.memo;
    };
    const validated = validateWorkbook(input, now, settingsOverride, {
      ...lifecycle,
      memo: memoOf,
    });
    this.lastValidation = { tabs: new Map(input.tabs), validated };
    return validated;
  }

  rules(dataset: Dataset, now: WallSeconds, options: RulesOptions): RulesOutput {
    const context = rulesContext(dataset, now);
    const contextKey = rulesContextKey(dataset, now);
    const dueCallbacks = options.dueCallbacks ?? false;
    const kept = this.lastOutput;
    // The same typed rows under the same rules and date: only the open tickets' SLA状态
    // move with the time of day. With invalid 分层规则 the tier report shows the 客户分层
    // cells as read, which are not part of the dataset, so it is made again.
    this.lastRulesReused =
      kept !== null &&
      kept.dataset === dataset &&
      kept.contextKey === contextKey &&
      this.last?.dueCallbacks === dueCallbacks &&
      kept.output.tiersValid;
    if (kept && this.lastRulesReused) {
      this.lastComputed = 0;
      kept.output = refreshTickets(kept.output, dataset.tickets, context);
      return kept.output;
    }
    const byRow = rowsByNumber(dataset);
    const last = this.last;
    let outcomes: CustomerOutcome[];
    if (
      last === null ||
      byRow === null ||
      last.byRow === null ||
      last.contextKey !== contextKey ||
      last.dueCallbacks !== dueCallbacks
    ) {
      outcomes = computeCustomers(dataset, context, undefined, { dueCallbacks });
      this.lastComputed = outcomes.length;
    } else {
      const touched = touchedCustomers(last.byRow, byRow);
      for (const c of dataset.customers) if (!last.outcomes.has(c.id)) touched.add(c.id);
      const fresh = new Map<string, CustomerOutcome>();
      if (touched.size > 0)
        for (const o of computeCustomers(dataset, context, touched, { dueCallbacks }))
          fresh.set(o.id, o);
      outcomes = dataset.customers.map((c) => fresh.get(c.id) ?? last.outcomes.get(c.id)!);
      this.lastComputed = fresh.size;
    }
    const output = rulesOutput(dataset, outcomes, context, options);
    this.lastOutput = { dataset, contextKey, output };
    this.last = {
      byRow,
      outcomes: new Map(outcomes.map((o) => [o.id, o])),
      contextKey,
      dueCallbacks,
    };
    return output;
  }

  plan(input: PlanInput): SyncPlan {
    const last = this.lastPlan;
    const plan =
      last !== null && samePlanInput(last.input, input)
        ? last.plan
        : planSync(input, this.planMemo);
    this.lastPlan = { input, plan };
    return copyPlan(plan);
  }
}

/** The cold path: everything from the rows as given. */
export const COLD_ENGINE: SyncEngine = {
  validate: validateWorkbook,
  rules: computeRules,
  plan: planSync,
};
