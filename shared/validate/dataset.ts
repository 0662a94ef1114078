/**
 * From raw rows to the typed Dataset: every tab parsed and checked, duplicate IDs set
 * aside, blank IDs assigned, references to customers checked, rows with an 错误 left out.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { dateOf, type WallSeconds } from '../calendar.ts';
import { duplicateKeys, findDuplicateCustomers, type DuplicateKey } from '../duplicates.ts';
import { assignIds, type IdAssignment } from '../ids.ts';
import type { Customer, Dataset, Problem, Settings } from '../model.ts';
import { readHolidays, readTierRules, readWorkbookSettings } from './config.ts';
import { checkDuplicateIds, IdTable, markError } from './ids.ts';
import { parseRows } from './parse.ts';
import { recordCustomerPositions } from '../rules/customerPositions.ts';
import { rowChecks } from './rowChecks.ts';
import { readLeadRules, readServiceTargets, readTierStrategies } from './moreConfig.ts';
import {
  toCustomer,
  toExperienceSurvey,
  toFollowUp,
  toOrder,
  toTicket,
  toVisit,
} from './typedRows.ts';
import type { ParsedRow, SheetRow, TabResult, WorkbookInput } from './types.ts';
import type { TabParse, ValidationLifecycle } from './lifecycle.ts';

export interface Validated {
  dataset: Dataset;
  problems: Problem[];
  /** per data tab (by key) and config tab that exists */
  tabs: ReadonlyMap<string, TabResult>;
  ids: IdAssignment[];
}

/** A typed row made once per kept parse (see ParsedEntry), so unchanged rows keep their object. */
export const typed =
  <R>(make: (row: ParsedRow) => R) =>
  (row: ParsedRow): R =>
    row.entry ? ((row.entry.typed ??= make(row)) as R) : make(row);

/**
 * A customer's duplicate keys, made once per typed row: a caller that keeps parses keeps
 * the typed rows of unchanged customers, which then need no folding of names again.
 */
const keptKeys = new WeakMap<Customer, readonly DuplicateKey[]>();
export function keysOnce(c: Customer): readonly DuplicateKey[] {
  let keys = keptKeys.get(c);
  if (keys === undefined) keptKeys.set(c, (keys = duplicateKeys(c)));
  return keys;
}

/** The 错误 of a child row naming a 客户编号 no customer row has. */
export const missingCustomer = (tab: TabDef, row: number, ref: string): Problem => ({
  tab: tab.name,
  row,
  column: T.column(tab, 'customerId').header,
  value: ref,
  message: `客户编号 ${ref} 在“客户”表中不存在：应填写已有客户的编号`,
  level: '错误',
});

/**
 * `lifecycle` lets the caller free rows as validation is done with them, or hand back
 * earlier parses of unchanged rows (see ValidationLifecycle).
 */
export function validateWorkbook(
  input: WorkbookInput,
  now: WallSeconds,
  settingsOverride?: Partial<Settings>,
  lifecycle: ValidationLifecycle = {},
): Validated {
  const problems: Problem[] = [];
  const today = dateOf(now);
  const sheet = (tab: TabDef): readonly SheetRow[] => input.tabs.get(tab.name) ?? [];
  const epoch = input.epoch;

  const settings: Settings = { ...readWorkbookSettings(input, problems), ...settingsOverride };
  const ctx = { epoch, settings, problems };
  const tabs = new Map<string, TabResult>();
  const noCheck = (): void => {};

  const checks = rowChecks(today);
  // The parses a caller keeps, which keep their duplicate-ID marks too (see TabParse).
  const kept = new Map<string, TabParse>();
  const duplicateIds = (tab: TabDef, result: TabResult): void => {
    const parse = kept.get(tab.key);
    const known = parse?.duplicates;
    if (known) {
      for (const i of known.rows) markError(result.rows, i);
      for (const p of known.problems) problems.push(p);
      return;
    }
    const from = problems.length;
    const rows = checkDuplicateIds(tab, result, problems);
    if (parse) parse.duplicates = { rows, problems: problems.slice(from) };
  };
  const parse = (tab: TabDef): TabResult => {
    const rows = sheet(tab);
    const earlier = lifecycle.parseOf?.(tab, rows);
    let result: TabResult;
    if (earlier) {
      result = earlier.result;
      for (const p of earlier.problems) problems.push(p);
      kept.set(tab.key, earlier);
    } else {
      const from = problems.length;
      result = parseRows(tab, rows, ctx, checks.get(tab.key) ?? noCheck, lifecycle.memo?.(tab));
      if (lifecycle.madeParse) {
        const made: TabParse = { result, problems: problems.slice(from) };
        lifecycle.madeParse(tab, rows, made);
        kept.set(tab.key, made);
      }
    }
    tabs.set(tab.key, result);
    lifecycle.parsed?.(tab, result);
    return result;
  };
  const customers = parse(T.CUSTOMERS);
  const order = parse(T.ORDERS);
  const follow = parse(T.FOLLOW_UPS);
  const ticket = parse(T.TICKETS);
  const visit = parse(T.VISITS);
  const children: [TabDef, TabResult][] = [
    [T.ORDERS, order],
    [T.FOLLOW_UPS, follow],
    [T.TICKETS, ticket],
    [T.VISITS, visit],
  ];
  // The survey tabs are new: a workbook made before them simply has none.
  for (const tab of [T.NEEDS_SURVEYS, T.EXPERIENCE_SURVEYS])
    if (input.tabs.has(tab.name)) children.push([tab, parse(tab)]);

  duplicateIds(T.CUSTOMERS, customers);
  for (const [tab, result] of children) duplicateIds(tab, result);

  const ids = assignIds([[T.CUSTOMERS, customers], ...children], { settings, today, problems });

  // References: a child of a customer row with an error is skipped quietly; a child of
  // no customer at all is an error.
  // 0 for a customer row with errors; for one without, 1 + its position in
  // dataset.customers, which the rules then take instead of looking the 客户编号 up.
  const customerState = new IdTable(customers.rows.length);
  let position = 0;
  for (const row of customers.rows) {
    if (row.id === '') continue;
    customerState.add(row.id, row.hasError ? 0 : 1 + position);
    if (!row.hasError) position++;
  }
  // Per child tab, the rows kept and each one's customer position.
  const usable = new Map<string, { rows: ParsedRow[]; at: Int32Array }>();
  for (const [tab, result] of children) {
    const keep: ParsedRow[] = [];
    const rows = result.rows;
    const keepAt = new Int32Array(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      // Every child tab's 客户编号 is a customerRef column: text, or null when blank.
      const ref = row.values.customerId;
      if (typeof ref !== 'string') continue;
      const state = customerState.get(ref);
      if (state < 0) {
        markError(rows, i);
        problems.push(missingCustomer(tab, row.row, ref));
        continue;
      }
      if (state > 0 && !row.hasError) {
        keepAt[keep.length] = state - 1;
        keep.push(row);
      }
    }
    usable.set(tab.key, { rows: keep, at: keepAt });
  }

  // The customers the positions above count, in the same order.
  const customerList = customers.rows
    .filter((r) => !r.hasError && r.id !== '')
    .map(typed(toCustomer));
  // One child tab at a time, each tab's parsed rows let go as soon as its typed rows exist.
  const typedChildren = <R extends object>(tab: TabDef, to: (r: ParsedRow) => R): R[] => {
    const { rows: kept, at: keptAt } = usable.get(tab.key) ?? { rows: [], at: new Int32Array(0) };
    const rows: R[] = [];
    const at = new Int32Array(kept.length);
    const make = typed(to);
    for (let i = 0; i < kept.length; i++) {
      if (kept[i]!.id === '') continue;
      at[rows.length] = keptAt[i]!;
      rows.push(make(kept[i]!));
    }
    recordCustomerPositions(rows, customerList, at.subarray(0, rows.length));
    usable.delete(tab.key);
    const result = tabs.get(tab.key);
    if (result) lifecycle.typed?.(tab, result);
    return rows;
  };
  const dataset: Dataset = {
    customers: customerList,
    orders: typedChildren(T.ORDERS, toOrder),
    followUps: typedChildren(T.FOLLOW_UPS, toFollowUp),
    tickets: typedChildren(T.TICKETS, toTicket),
    visits: typedChildren(T.VISITS, toVisit),
    holidays: readHolidays(sheet(T.HOLIDAYS), ctx, tabs),
    tierRules: readTierRules(input.tabs.get(T.TIER_RULES.name) ?? [], problems, tabs),
    experienceSurveys: typedChildren(T.EXPERIENCE_SURVEYS, toExperienceSurvey),
    leadRules: readLeadRules(sheet(T.LEAD_ASSIGNMENT), ctx, tabs),
    tierStrategies: readTierStrategies(sheet(T.TIER_STRATEGIES), ctx, tabs),
    serviceTargets: readServiceTargets(sheet(T.SERVICE_TARGETS), ctx, tabs),
    settings,
  };
  const keysOf = lifecycle.memo ? keysOnce : undefined;
  for (const p of findDuplicateCustomers(dataset.customers, keysOf)) problems.push(p);
  return { dataset, problems, tabs, ids };
}
