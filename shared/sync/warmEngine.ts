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
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { dateOf, type WallSeconds } from '../calendar.ts';
import type { Dataset, Settings } from '../model.ts';
import {
  computeCustomers,
  computeRules,
  rulesContext,
  rulesContextKey,
  type CustomerOutcome,
  type RulesOptions,
  type OwnedRulesOutput,
  type RulesOutput,
} from '../rules/index.ts';
import { WarmOutput } from './warmOutput.ts';
import { newPlanMemo, planSync, type PlanInput, type SyncPlan } from './plan.ts';
import {
  keptParse,
  parseAgain,
  type KeptParse,
  copyPlan,
  refreshTickets,
  samePlanInput,
  sameRowsRead,
  unchangedParses,
  type LastValidation,
} from './warmReuse.ts';
import { WarmValidation } from './warmValidate.ts';
import { walkChanged } from './rowsByNumber.ts';
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

/** The kinds of typed rows that belong to one customer: its own row and the rows naming it. */
const PER_CUSTOMER = [
  'customers',
  'orders',
  'followUps',
  'tickets',
  'visits',
  'experienceSurveys',
] as const;

interface OwnedRow {
  row: number;
  id: string;
  customerId?: unknown;
}

/**
 * Customers any of whose typed rows differ between two datasets, found by walking each
 * kind's rows of both in row order (a typed row is the same object while its row is
 * unchanged); null when rows are not in row order, and everyone must be computed.
 */
function touchedCustomers(before: Dataset, after: Dataset): Set<string> | null {
  const touched = new Set<string>();
  for (const kind of PER_CUSTOMER) {
    const was = before[kind] as readonly OwnedRow[];
    const now = after[kind] as readonly OwnedRow[];
    if (was === now) continue;
    const owner =
      kind === 'customers' ? (r: OwnedRow) => r.id : (r: OwnedRow) => String(r.customerId);
    const inOrder = walkChanged(was, now, (a, b) => {
      if (a) touched.add(owner(a));
      if (b) touched.add(owner(b));
    });
    if (!inOrder) return null;
  }
  return touched;
}

/** Above this share of the customers, computing them from the whole dataset is cheaper. */
const CUT_DOWN_SHARE = 0.05;

/**
 * `dataset` cut down to the customers of `ids` and their own rows (computeCustomers reads
 * nothing else of a customer), so that a few customers are computed without a pass over
 * every child row.
 */
function datasetOf(dataset: Dataset, ids: ReadonlySet<string>): Dataset {
  if (ids.size > dataset.customers.length * CUT_DOWN_SHARE) return dataset;
  // A form's few customers are compared with each row's ID as it is: no hashing per row.
  const few = ids.size <= 4 ? [...ids] : null;
  const own = <R extends { customerId?: unknown }>(rows: readonly R[]): R[] =>
    few === null
      ? rows.filter((r) => ids.has(String(r.customerId)))
      : rows.filter((r) => {
          const id = r.customerId;
          return typeof id === 'string' ? few.includes(id) : few.includes(String(id));
        });
  return {
    ...dataset,
    customers: dataset.customers.filter((c) => ids.has(c.id)),
    orders: own(dataset.orders),
    followUps: own(dataset.followUps),
    tickets: own(dataset.tickets),
    visits: own(dataset.visits),
    experienceSurveys: own(dataset.experienceSurveys),
  };
}

interface LastRules {
  dataset: Dataset;
  /** dataset.customers' outcomes, in dataset order */
  outcomes: readonly CustomerOutcome[];
  /** the same by 客户编号, made when first needed; a repeated ID keeps its last */
  byId: Map<string, CustomerOutcome> | null;
  contextKey: string;
  dueCallbacks: boolean;
}

/**
 * dataset.customers' outcomes: those of `touched` (and of every customer new since the
 * last computation, added to it) computed, the others the last ones. When the customers
 * are the last ones in the same places, plus any added after them, each keeps its place;
 * else they are found by 客户编号.
 */
function mergedOutcomes(
  last: LastRules,
  dataset: Dataset,
  touched: Set<string>,
  compute: (ids: Set<string>) => CustomerOutcome[],
): CustomerOutcome[] {
  const customers = dataset.customers;
  const was = last.outcomes;
  let inPlace = customers.length >= was.length;
  for (let i = 0; inPlace && i < was.length; i++) inPlace = customers[i]!.id === was[i]!.id;
  if (inPlace) {
    for (let i = was.length; i < customers.length; i++) touched.add(customers[i]!.id);
    const out = was.slice();
    if (touched.size === 0) return out;
    const fresh = new Map<string, CustomerOutcome>();
    for (const o of compute(touched)) fresh.set(o.id, o);
    for (let i = 0; i < customers.length; i++) {
      const id = customers[i]!.id;
      if (i >= was.length || touched.has(id)) out[i] = fresh.get(id)!;
    }
    return out;
  }
  const byId = (last.byId ??= new Map(was.map((o) => [o.id, o])));
  for (const c of customers) if (!byId.has(c.id)) touched.add(c.id);
  const fresh = new Map<string, CustomerOutcome>();
  if (touched.size > 0) for (const o of compute(touched)) fresh.set(o.id, o);
  return customers.map((c) => fresh.get(c.id) ?? byId.get(c.id)!);
}

export class WarmEngine implements SyncEngine {
  private parseKey = '';
  private readonly memos = new Map<string, { header: SheetRow | undefined; memo: ParseMemo }>();
  /** each data tab's last parse, by tab name, for a tab whose rows are still the same */
  private readonly parses = new Map<string, KeptParse>();
  private last: LastRules | null = null;
  private lastValidation: LastValidation | null = null;
  private lastOutput: { dataset: Dataset; contextKey: string; output: OwnedRulesOutput } | null =
    null;
  private readonly output = new WarmOutput();
  private readonly planMemo = newPlanMemo();
  private lastPlan: { input: PlanInput; plan: SyncPlan } | null = null;
  /** the whole-workbook checks kept as indexes, brought up to date by changed rows */
  private kept: WarmValidation | null = null;
  /** the time and settings of the last validate(), for settle() */
  private lastArgs: { now: WallSeconds; settingsOverride: Partial<Settings> | undefined } | null =
    null;
  /** whether the last validate() handed back the validation before it, for the tests */
  lastValidationReused = false;
  /** whether the last validate() was brought up to date from the last one, for the tests */
  lastValidationUpdated = false;

  /**
   * `incrementalShare`: the part of a tab's rows that may change for a validation to be
   * brought up to date rather than made in full.
   */
  constructor(private readonly options: { incrementalShare?: number } = {}) {}
  /** whether the last rules() handed back the results before it (tickets brought to the time) */
  lastRulesReused = false;
  /** whether the last rules() updated the output before it rather than assembling it afresh */
  get lastOutputUpdated(): boolean {
    return this.output.lastUpdated;
  }
  /** whether a plan is kept to be handed back for the same rows, for the tests */
  get keepsPlan(): boolean {
    return this.lastPlan !== null;
  }
  /** customers computed by the last rules() call, for the bench and the tests */
  lastComputed = 0;

  validate(
    input: WorkbookInput,
    now: WallSeconds,
    settingsOverride?: Partial<Settings>,
    lifecycle: ValidationLifecycle = {},
  ): Validated {
    this.lastArgs = { now, settingsOverride };
    const settings = { ...readWorkbookSettings(input, []), ...settingsOverride };
    const key = JSON.stringify([settings, dateOf(now), input.epoch]);
    if (key !== this.parseKey) {
      this.memos.clear();
      this.parses.clear();
      this.parseKey = key;
      this.lastValidation = null;
      this.kept = null;
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
      // Every changed data tab parses as its kept parse: keep it for these rows.
      for (const [name, kept] of this.parses) kept.rows = input.tabs.get(name) ?? kept.rows;
      last.tabs = new Map(input.tabs);
      this.kept?.adopt(input);
      this.lastValidationUpdated = false;
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
    const updated = this.kept?.update(
      input,
      settings,
      dateOf(now),
      memoOf,
      this.options.incrementalShare ?? 0.25,
    );
    this.lastValidationUpdated = updated != null;
    if (updated) {
      // A tab's kept parse is of rows it no longer has: the next full pass parses it again.
      for (const [name, kept] of this.parses)
        if (input.tabs.get(name) !== kept.rows) this.parses.delete(name);
      this.lastValidation = { tabs: new Map(input.tabs), validated: updated };
      for (const tab of T.DATA_TABS) {
        const rows = updated.tabs.get(tab.key);
        if (rows) lifecycle.parsed?.(tab, rows);
      }
      return updated;
    }
    const validated = validateWorkbook(input, now, settingsOverride, {
      ...lifecycle,
      memo: memoOf,
      parseOf: (tab, rows) => {
        const kept = this.parses.get(tab.name);
        return kept?.rows === rows ? parseAgain(kept) : undefined;
      },
      madeParse: (tab, rows, parse) => this.parses.set(tab.name, keptParse(rows, parse)),
    });
    this.lastValidation = { tabs: new Map(input.tabs), validated };
    this.kept = WarmValidation.from(input, validated, dateOf(now), memoOf);
    return validated;
  }

  /**
   * Takes `input` — the rows as the last sync left them — as the rows last validated, under
   * the same time and settings. A sync's own write changes the rows it computes (客户分层,
   * SLA状态 …) but not their parses; on a new day it rewrites most 客户 rows, and the next
   * sync would find over `incrementalShare` of them changed and validate every row. Run
   * when idle after a sync, the rows are checked against their kept parses then (they
   * parse as before, so the validation is kept), and the next sync sees only its own rows.
   */
  settle(input: WorkbookInput): void {
    // A plan made for rows since replaced is never handed back again; after the start-up
    // sync it lists every cell that sync wrote (1.8 million at 100,000 customers).
    if (this.lastPlan && !sameRowsRead(this.lastPlan.input.input, input)) this.lastPlan = null;
    if (this.lastArgs && this.lastValidation)
      this.validate(input, this.lastArgs.now, this.lastArgs.settingsOverride);
    this.output.prepare();
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
    const last = this.last;
    const touched =
      last !== null && last.contextKey === contextKey && last.dueCallbacks === dueCallbacks
        ? touchedCustomers(last.dataset, dataset)
        : null;
    const outcomes =
      last === null || touched === null
        ? computeCustomers(dataset, context, undefined, { dueCallbacks })
        : mergedOutcomes(last, dataset, touched, (ids) =>
            computeCustomers(datasetOf(dataset, ids), context, ids, { dueCallbacks }),
          );
    this.lastComputed = last === null || touched === null ? outcomes.length : (touched?.size ?? 0);
    const output = this.output.assemble(dataset, outcomes, context, options, touched !== null);
    this.lastOutput = { dataset, contextKey, output };
    this.last = { dataset, outcomes, byId: null, contextKey, dueCallbacks };
    return output;
  }

  plan(input: PlanInput): SyncPlan {
    const last = this.lastPlan;
    this.planMemo.changes = this.output.lastChanges;
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
