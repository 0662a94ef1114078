/**
 * A workbook's validation kept between syncs and brought up to date by the rows that
 * changed, so a sync after a form's rows visits those rows, not a million.
 *
 * The whole-workbook checks are kept as indexes: per data tab the rows holding each ID
 * (the first one counts, the others are marked), the rows with blank IDs and the largest
 * serial per prefix and year (for the IDs they get), the child rows naming a customer that
 * does not exist, and per duplicate key (phone, email, company name, credit code) the
 * customers holding it. Problems are kept per check and tab in row order, and spliced
 * where rows changed, so they come out in the order a cold pass gives. A changed config
 * tab, header row, 参数, date or date system — or more than `share` of a tab's rows
 * changed — gives no update, and the caller validates in full.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type { EpochDay } from '../calendar.ts';
import { duplicateKeyId, duplicateProblem, type DuplicateKey } from '../duplicates.ts';
import { assignId, type IdAssignment } from '../ids.ts';
import { resolveLayout } from '../layout.ts';
import type { Customer, Dataset, Problem, RowRef, Settings } from '../model.ts';
import { readHolidays, readTierRules, readWorkbookSettings } from '../validate/config.ts';
import { keysOnce, missingCustomer, typed } from '../validate/dataset.ts';
import { duplicateIdProblem, IdTable } from '../validate/ids.ts';
import { readLeadRules, readServiceTargets, readTierStrategies } from '../validate/moreConfig.ts';
import { parseRows, sameProblem } from '../validate/parse.ts';
import { WHOLE_TABS } from './warmReuse.ts';
import {
  addId,
  baseOf,
  DATA,
  KeyMembers,
  removeId,
  rowOfProblem,
  rowOfRow,
  rowsWithId,
  scanSerials,
  SURVEYS,
  type Fresh,
  type TabState,
} from './warmTabState.ts';
import { atRow, diffRows, replaceByRow } from './rowsByNumber.ts';
import { rowChecks } from '../validate/rowChecks.ts';
import type {
  ParsedRow,
  ParseMemo,
  SheetRow,
  TabResult,
  Validated,
  WorkbookInput,
} from '../validate/index.ts';

export class WarmValidation {
  private constructor(
    private readonly tabs: TabState[],
    private whole: Map<string, readonly SheetRow[] | undefined>,
    private readonly settingsProblems: readonly Problem[],
    private readonly configProblems: readonly Problem[],
    private validated: Validated,
    /** customers by duplicate key, ascending by row */
    private readonly members: KeyMembers,
    private dupCustomerProblems: Problem[],
    private assigned: Map<string, { tab: TabState; row: number }>,
    private assignProblems: Problem[],
  ) {}

  /**
   * The indexes of a validation just made in full from `input`, whose rows carry their
   * kept parses (see ParsedEntry); null when they cannot be made exactly.
   */
  static from(
    input: WorkbookInput,
    validated: Validated,
    today: EpochDay,
    memoOf: (tab: TabDef) => ParseMemo,
  ): WarmValidation | null {
    const settings = validated.dataset.settings;
    const states: TabState[] = [];
    for (const d of DATA) {
      if (SURVEYS.has(d.tab) && !input.tabs.has(d.tab.name)) continue;
      const result = validated.tabs.get(d.tab.key);
      if (!result) return null;
      const sheet = input.tabs.get(d.tab.name);
      const header = sheet?.[0]?.row === 1 ? sheet[0] : undefined;
      const layoutProblems: Problem[] = [];
      resolveLayout(d.tab, header?.cells ?? [], layoutProblems);
      const ts: TabState = {
        tab: d.tab,
        key: d.key,
        to: d.to,
        sheet,
        header,
        layout: result.layout,
        layoutProblems,
        rows: result.rows,
        typed: d.key ? (validated.dataset[d.key] as readonly RowRef[] as RowRef[]) : [],
        loose: new Map(),
        ids: new IdTable(result.rows.length),
        dups: new Map(),
        dupMarks: new Map(),
        refMarks: new Map(),
        parseProblems: [],
        dupProblems: [],
        refProblems: [],
        serials: null,
        blankRows: [],
      };
      // Rows without a kept parse (blank IDs) are parsed again, alone, for what they were.
      const looseRows = ts.rows.filter((r) => !r.entry).map((r) => r.row);
      if (looseRows.length > 0) {
        const sheetRows = looseRows.map((n) => atRow(sheet ?? [], n, rowOfRow)!);
        const fresh = parseSheetRows(ts, sheetRows, settings, today, input, memoOf(d.tab));
        for (const [n, f] of fresh) if (f.base) ts.loose.set(n, f.base);
        if (ts.loose.size !== looseRows.length) return null;
      }
      for (const r of ts.rows) {
        const entry = r.entry ?? ts.loose.get(r.row)!;
        for (const p of entry.problems) ts.parseProblems.push(p);
        const id = entry.parsed.id;
        if (id === '') {
          ts.blankRows.push(r.row);
          continue;
        }
        const first = ts.ids.add(id, r.row);
        if (first >= 0) {
          addId(ts, id, r.row);
          const p = duplicateIdProblem(d.tab, r.row, id, first);
          ts.dupMarks.set(r.row, p);
          ts.dupProblems.push(p);
        }
      }
      states.push(ts);
    }
    const assigned = new Map<string, { tab: TabState; row: number }>();
    const customers = states[0]!;
    for (const a of validated.ids)
      if (a.tab === customers.tab.name) assigned.set(a.id, { tab: customers, row: a.row });
    const state = (id: string): number => stateOf(customers, assigned, id);
    for (const ts of states.slice(1))
      for (const r of ts.rows) {
        const ref = r.values.customerId;
        if (typeof ref === 'string' && state(ref) < 0) {
          const p = missingCustomer(ts.tab, r.row, ref);
          ts.refMarks.set(r.row, p);
          ts.refProblems.push(p);
        }
      }
    const settingsProblems: Problem[] = [];
    readWorkbookSettings(input, settingsProblems);
    const configProblems = readConfig(input, settings);
    const members = new KeyMembers();
    const dupCustomerProblems: Problem[] = [];
    for (const c of validated.dataset.customers)
      for (const key of keysOnce(c)) {
        const first = members.push(key, c);
        if (first) dupCustomerProblems.push(duplicateProblem({ customer: c, first, key }));
      }
    const assignProblems = validated.problems.filter(
      (p) => p.message === '无法生成客户编号：客户类型应为“企业”或“个人”',
    );
    const kept = new WarmValidation(
      states,
      new Map(WHOLE_TABS.map((t) => [t.name, input.tabs.get(t.name)])),
      settingsProblems,
      configProblems,
      validated,
      members,
      dupCustomerProblems,
      assigned,
      assignProblems,
    );
    // The problems as this keeps them must be the ones the full pass gave, in its order.
    const again = kept.problems();
    if (
      again.length !== validated.problems.length ||
      again.some((p, i) => !sameProblem(p, validated.problems[i]!))
    )
      return null;
    return kept;
  }

  /** The rows of `input` are the ones validated last, but for rows that parse the same. */
  adopt(input: WorkbookInput): void {
    for (const ts of this.tabs) ts.sheet = input.tabs.get(ts.tab.name);
  }

  private problems(): Problem[] {
    const out: Problem[] = [...this.settingsProblems];
    for (const ts of this.tabs) {
      for (const p of ts.layoutProblems) out.push(p);
      for (const p of ts.parseProblems) out.push(p);
    }
    for (const ts of this.tabs) for (const p of ts.dupProblems) out.push(p);
    for (const p of this.assignProblems) out.push(p);
    for (const ts of this.tabs.slice(1)) for (const p of ts.refProblems) out.push(p);
    for (const p of this.configProblems) out.push(p);
    for (const p of this.dupCustomerProblems) out.push(p);
    return out;
  }

  /**
   * The validation of `input` from the last one and the rows that changed since, or null
   * when it must be made in full (see the module comment). `settings` and `today` must be
   * those of the last validation; `memoOf` gives the kept parses of each tab's rows.
   */
  update(
    input: WorkbookInput,
    settings: Settings,
    today: EpochDay,
    memoOf: (tab: TabDef) => ParseMemo,
    share: number,
  ): Validated | null {
    for (const t of WHOLE_TABS) if (input.tabs.get(t.name) !== this.whole.get(t.name)) return null;
    for (const t of SURVEYS)
      if (input.tabs.has(t.name) !== this.tabs.some((ts) => ts.tab === t)) return null;
    // Which rows changed, tab by tab.
    const changedRows = new Map<TabState, Map<number, SheetRow | undefined>>();
    for (const ts of this.tabs) {
      const sheet = input.tabs.get(ts.tab.name);
      if (sheet === ts.sheet) continue;
      const header = sheet?.[0]?.row === 1 ? sheet[0] : undefined;
      if (header !== ts.header) return null;
      const changes = diffRows(ts.sheet ?? [], sheet ?? []);
      if (changes === null || changes.size > share * Math.max(4, ts.rows.length)) return null;
      changedRows.set(ts, changes);
    }
    // The changed rows parsed, each as it would be in the whole sheet.
    const fresh = new Map<TabState, Map<number, Fresh>>();
    for (const [ts, changes] of changedRows) {
      const present = [...changes.values()].filter((r): r is SheetRow => r !== undefined);
      const parsed = parseSheetRows(ts, present, settings, today, input, memoOf(ts.tab));
      const out = new Map<number, Fresh>();
      for (const row of changes.keys()) out.set(row, parsed.get(row) ?? { base: null });
      fresh.set(ts, out);
    }
    const customers = this.tabs[0]!;
    const oldAssigned = this.assigned;
    const oldState = (id: string): number => stateOf(customers, oldAssigned, id);
    const touchedCustomers = new Set<string>(oldAssigned.keys());
    const oldStates = new Map<string, number>();
    const customerFresh = fresh.get(customers);
    if (customerFresh)
      for (const [row, f] of customerFresh) {
        const was = atRow(customers.rows, row, rowOfRow);
        if (was) touchedCustomers.add(baseOf(customers, was).parsed.id);
        if (f.base) touchedCustomers.add(f.base.parsed.id);
      }
    touchedCustomers.delete('');
    for (const id of touchedCustomers) oldStates.set(id, oldState(id));

    // Per tab: IDs as read, parse problems and duplicate-ID marks brought up to date.
    const affected = new Map<TabState, Set<number>>();
    // Rows blank before and still blank are blank now too: the ID step below takes them.
    for (const ts of this.tabs) affected.set(ts, new Set());
    for (const [ts, rows] of fresh) {
      const touchedIds = new Set<string>();
      const sorted = [...rows.keys()].sort((a, b) => a - b);
      for (const row of sorted) {
        affected.get(ts)!.add(row);
        const was = atRow(ts.rows, row, rowOfRow);
        if (was) {
          const id = baseOf(ts, was).parsed.id;
          if (id !== '') {
            removeId(ts, id, row);
            touchedIds.add(id);
          }
        }
        ts.loose.delete(row);
        const base = rows.get(row)!.base;
        if (base && base.parsed.id !== '') {
          addId(ts, base.parsed.id, row);
          touchedIds.add(base.parsed.id);
        }
        if (base && !base.entry) ts.loose.set(row, base);
      }
      ts.parseProblems = replaceByRow(
        ts.parseProblems,
        sorted,
        (row) => rows.get(row)!.base?.problems ?? [],
        rowOfProblem,
      );
      const marksChanged = new Set<number>();
      for (const row of sorted) if (ts.dupMarks.delete(row)) marksChanged.add(row);
      for (const id of touchedIds) {
        const list = rowsWithId(ts, id);
        for (let i = 0; i < list.length; i++) {
          const row = list[i]!;
          const was = ts.dupMarks.get(row);
          if (i === 0) {
            if (was) {
              ts.dupMarks.delete(row);
              marksChanged.add(row);
            }
            continue;
          }
          const mark = duplicateIdProblem(ts.tab, row, id, list[0]!);
          if (was && was.message === mark.message) continue;
          ts.dupMarks.set(row, mark);
          marksChanged.add(row);
        }
      }
      const changedMarks = [...marksChanged].sort((a, b) => a - b);
      for (const row of changedMarks) affected.get(ts)!.add(row);
      ts.dupProblems = replaceByRow(
        ts.dupProblems,
        changedMarks,
        (row) => {
          const p = ts.dupMarks.get(row);
          return p ? [p] : [];
        },
        rowOfProblem,
      );
    }

    // Blank IDs given IDs, tab by tab in row order, counting on from the largest serials.
    const assigned = new Map<string, { tab: TabState; row: number }>();
    const assignedRows = new Map<TabState, Map<number, ParsedRow>>();
    const ids: IdAssignment[] = [];
    const assignProblems: Problem[] = [];
    const ctx = { settings, today, problems: assignProblems };
    for (const ts of this.tabs) {
      const blanks = [...ts.loose]
        .filter(([, b]) => b.parsed.id === '')
        .map(([row]) => row)
        .sort((a, b) => a - b);
      const made = new Map<number, ParsedRow>();
      assignedRows.set(ts, made);
      if (blanks.length > 0) ts.serials ??= scanSerials(ts, fresh.get(ts));
      ts.blankRows = blanks;
      if (blanks.length === 0) continue;
      const serials = new Map([...ts.serials!].map(([key, s]) => [key, s.max]));
      for (const row of blanks) {
        affected.get(ts)!.add(row);
        const p = ts.loose.get(row)!.parsed;
        const r: ParsedRow = { ...p, values: { ...p.values }, entry: undefined };
        const id = assignId(ts.tab, r, serials, ctx);
        made.set(row, r);
        if (id === null) continue;
        ids.push({ tab: ts.tab.name, row, column: ts.tab.idColumn!, id });
        if (ts === customers) assigned.set(id, { tab: ts, row });
      }
    }
    for (const id of assigned.keys()) {
      touchedCustomers.add(id);
      if (!oldStates.has(id)) oldStates.set(id, -1);
    }

    // Customers first: the child rows' references read their final state.
    const finish = (
      ts: TabState,
      state: ((id: string) => number) | null,
    ): { rows: number[]; before: Map<number, RowRef> } => {
      const rows = [...affected.get(ts)!].sort((a, b) => a - b);
      const before = new Map<number, RowRef>();
      if (rows.length === 0) return { rows, before };
      const finals = new Map<number, ParsedRow | undefined>();
      const typedAt = new Map<number, RowRef | undefined>();
      const refChanged: number[] = [];
      const tsFresh = fresh.get(ts);
      for (const row of rows) {
        const f = tsFresh?.get(row);
        const was = atRow(ts.rows, row, rowOfRow);
        const base = f ? f.base : was ? baseOf(ts, was) : null;
        if (!base) {
          finals.set(row, undefined);
          typedAt.set(row, undefined);
          if (ts.refMarks.delete(row)) refChanged.push(row);
          continue;
        }
        const given = assignedRows.get(ts)!.get(row);
        const p = base.parsed;
        const r: ParsedRow = given ?? {
          row,
          id: p.id,
          values: p.values,
          hasError: p.hasError,
          entry: base.entry,
        };
        if (ts.dupMarks.has(row)) r.hasError = true;
        let usable = true;
        if (state) {
          const ref = r.values.customerId;
          const hadMark = ts.refMarks.get(row);
          let mark: Problem | undefined;
          if (typeof ref !== 'string') usable = false;
          else {
            const s = state(ref);
            if (s < 0) {
              r.hasError = true;
              mark = hadMark && hadMark.value === ref ? hadMark : missingCustomer(ts.tab, row, ref);
            }
            usable = s === 1;
          }
          if (mark !== hadMark) {
            if (mark) ts.refMarks.set(row, mark);
            else ts.refMarks.delete(row);
            refChanged.push(row);
          }
        }
        finals.set(row, r);
        typedAt.set(
          row,
          ts.key && usable && !r.hasError && r.id !== '' ? typed(ts.to)(r) : undefined,
        );
      }
      for (const row of rows) {
        const t = atRow(ts.typed, row, rowOfRow);
        if (t) before.set(row, t);
      }
      ts.rows = replaceByRow(
        ts.rows,
        rows,
        (row) => {
          const r = finals.get(row);
          return r ? [r] : [];
        },
        rowOfRow,
      );
      if (ts.key)
        ts.typed = replaceByRow(
          ts.typed,
          rows,
          (row) => {
            const t = typedAt.get(row);
            return t ? [t] : [];
          },
          rowOfRow,
        );
      ts.refProblems = replaceByRow(
        ts.refProblems,
        refChanged.sort((a, b) => a - b),
        (row) => {
          const p = ts.refMarks.get(row);
          return p ? [p] : [];
        },
        rowOfProblem,
      );
      return { rows, before };
    };
    const customerRows = finish(customers, null);
    this.assigned = assigned;
    const newState = (id: string): number => stateOf(customers, assigned, id);
    // Customers that appeared (their children were marked as naming no customer), and
    // customers that went or changed state (their children are found by a scan).
    const appeared = new Set<string>();
    const moved = new Set<string>();
    for (const id of touchedCustomers) {
      const was = oldStates.get(id);
      if (newState(id) === was) continue;
      if (was === -1) appeared.add(id);
      else moved.add(id);
    }
    for (const ts of this.tabs.slice(1)) {
      const set = affected.get(ts)!;
      if (appeared.size > 0)
        for (const [row, mark] of ts.refMarks) if (appeared.has(mark.value)) set.add(row);
      if (moved.size > 0)
        for (const r of ts.rows) {
          const ref = r.values.customerId;
          if (typeof ref === 'string' && moved.has(ref)) set.add(r.row);
        }
      finish(ts, newState);
    }
    this.updateDuplicateCustomers(customers, customerRows.rows, customerRows.before);
    this.assignProblems = assignProblems;
    for (const ts of this.tabs) ts.sheet = input.tabs.get(ts.tab.name);

    const last = this.validated;
    const tabs = new Map(last.tabs);
    for (const ts of this.tabs) {
      const was = tabs.get(ts.tab.key);
      if (was?.rows !== ts.rows) tabs.set(ts.tab.key, { layout: ts.layout, rows: ts.rows });
    }
    const dataset: Dataset = { ...last.dataset };
    for (const ts of this.tabs)
      if (ts.key) (dataset as unknown as Record<string, unknown>)[ts.key] = ts.typed;
    const validated: Validated = { dataset, problems: this.problems(), tabs, ids };
    this.validated = validated;
    return validated;
  }

  /** Possible duplicate customers brought up to date by the customer rows that changed. */
  private updateDuplicateCustomers(
    customers: TabState,
    affectedRows: readonly number[],
    before: ReadonlyMap<number, RowRef>,
  ): void {
    const rows = new Set<number>();
    const keys = new Map<string, DuplicateKey>();
    const at = new Map<number, Customer>();
    for (const row of affectedRows) {
      const was = before.get(row) as Customer | undefined;
      const now = atRow(customers.typed, row, rowOfRow) as Customer | undefined;
      if (was === now) continue;
      rows.add(row);
      if (was)
        for (const key of keysOnce(was)) {
          this.members.remove(key, was);
          keys.set(duplicateKeyId(key), key);
        }
      if (now) {
        at.set(row, now);
        for (const key of keysOnce(now)) {
          this.members.insert(key, now);
          keys.set(duplicateKeyId(key), key);
        }
      }
    }
    // A key's first customer may have changed: every customer holding it is told again.
    for (const key of keys.values())
      for (const c of this.members.get(key)) {
        at.set(c.row, c);
        rows.add(c.row);
      }
    const problemsAt = (row: number): Problem[] => {
      const c = at.get(row);
      if (!c) return [];
      const out: Problem[] = [];
      for (const key of keysOnce(c)) {
        const first = this.members.first(key)!;
        if (first !== c) out.push(duplicateProblem({ customer: c, first, key }));
      }
      return out;
    };
    this.dupCustomerProblems = replaceByRow(
      this.dupCustomerProblems,
      [...rows].sort((a, b) => a - b),
      problemsAt,
      rowOfProblem,
    );
  }
}

/** 1 for a customer ID whose row has no error, 0 for one with, -1 for an ID no row has. */
function stateOf(
  customers: TabState,
  assigned: ReadonlyMap<string, { tab: TabState; row: number }>,
  id: string,
): number {
  let row = customers.ids.get(id);
  if (row < 0) {
    const given = assigned.get(id);
    if (!given || given.tab !== customers) return -1;
    row = given.row;
  }
  const r = atRow(customers.rows, row, rowOfRow);
  if (!r) return -1;
  return r.hasError ? 0 : 1;
}

/** `rows` parsed as rows of their tab, each with its own problems; empty rows have none. */
function parseSheetRows(
  ts: TabState,
  rows: readonly SheetRow[],
  settings: Settings,
  today: EpochDay,
  input: WorkbookInput,
  memo: ParseMemo,
): Map<number, Fresh> {
  const problems: Problem[] = [];
  const sheet = ts.header ? [ts.header, ...rows] : rows;
  const check = rowChecks(today).get(ts.tab.key) ?? ((): void => {});
  const result = parseRows(ts.tab, sheet, { epoch: input.epoch, settings, problems }, check, memo);
  const byRow = new Map<number, Problem[]>();
  for (let i = ts.layoutProblems.length; i < problems.length; i++) {
    const p = problems[i]!;
    const row = p.row ?? 0;
    let list = byRow.get(row);
    if (!list) byRow.set(row, (list = []));
    list.push(p);
  }
  const out = new Map<number, Fresh>();
  for (const r of result.rows) {
    const entry = r.entry;
    out.set(r.row, {
      base: {
        parsed: entry ? entry.parsed : { ...r },
        problems: entry ? entry.problems : (byRow.get(r.row) ?? []),
        entry,
      },
    });
  }
  return out;
}

/** The config tabs' problems, in the order validation reports them. */
function readConfig(input: WorkbookInput, settings: Settings): Problem[] {
  const problems: Problem[] = [];
  const ctx = { epoch: input.epoch, settings, problems };
  const scratch = new Map<string, TabResult>();
  const sheet = (tab: TabDef): readonly SheetRow[] => input.tabs.get(tab.name) ?? [];
  readHolidays(sheet(T.HOLIDAYS), ctx, scratch);
  readTierRules(input.tabs.get(T.TIER_RULES.name) ?? [], problems, scratch);
  readLeadRules(sheet(T.LEAD_ASSIGNMENT), ctx, scratch);
  readTierStrategies(sheet(T.TIER_STRATEGIES), ctx, scratch);
  readServiceTargets(sheet(T.SERVICE_TARGETS), ctx, scratch);
  return problems;
}
