/**
 * The customer directory: what the customers list and the customer page read, built
 * once from the results of a sync (validated rows and rule results) and then only read.
 * Pages are answered from it, never by reading the workbook again.
 */
import type { EpochDay, WallSeconds } from '../calendar.ts';
import { latestSurveyDates } from '../rules/careCallbacks.ts';
import type {
  Customer,
  Dataset,
  FollowUp,
  Order,
  Settings,
  Ticket,
  Visit,
  Holiday,
  RawTierRule,
} from '../model.ts';
import type { CustomerResult, RulesOutput } from '../rules/index.ts';
import type { ParsedRow, Validated } from '../validate/index.ts';
import { compareIds } from '../ids.ts';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import {
  buildCorpus,
  FACET_KEYS,
  searchFields,
  type FacetKey,
  type SearchCorpus,
  type SearchFields,
} from './search.ts';

export { FACET_KEYS, type FacetKey };

/** One customer row of 客户, with what the last sync computed for it. */
export interface DirectoryEntry extends SearchFields {
  id: string;
  /** row number in 客户 */
  row: number;
  /** the people columns as parsed (dates as epoch days, money in fen) */
  values: Readonly<Record<string, unknown>>;
  /** null when the row has an 错误 and so took no part in the rules */
  customer: Customer | null;
  result: CustomerResult | null;
  /** the filterable columns as shown */
  owner: string;
  tier: string;
  healthLevel: string;
  region: string;
  status: string;
}

/** A customer's rows in the other data tabs, typed (for the rules) and as parsed (for the timeline). */
export interface CustomerRows {
  orders: Order[];
  followUps: FollowUp[];
  tickets: Ticket[];
  visits: Visit[];
  parsed: {
    orders: ParsedRow[];
    followUps: ParsedRow[];
    tickets: ParsedRow[];
    visits: ParsedRow[];
  };
}

export interface CustomerDirectory {
  /** in 客户编号 order */
  entries: readonly DirectoryEntry[];
  byId: ReadonlyMap<string, DirectoryEntry>;
  /** the entries' search fields, in entry order */
  corpus: SearchCorpus;
  rows: ReadonlyMap<string, CustomerRows>;
  /** the values present in each filterable column, sorted */
  facets: Readonly<Record<FacetKey, readonly string[]>>;
  settings: Settings;
  tierRules: readonly RawTierRule[];
  holidays: readonly Holiday[];
  /** the config rows a customer's callbacks also depend on */
  config: Pick<Dataset, 'leadRules' | 'tierStrategies' | 'serviceTargets'>;
  /** 客户编号 → the latest 体验问卷 date */
  latestSurveys: ReadonlyMap<string, EpochDay>;
  tiersValid: boolean;
  /** the wall time the sync computed for */
  now: WallSeconds;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));

function emptyRows(): CustomerRows {
  return {
    orders: [],
    followUps: [],
    tickets: [],
    visits: [],
    parsed: { orders: [], followUps: [], tickets: [], visits: [] },
  };
}

type ChildKey = 'orders' | 'followUps' | 'tickets' | 'visits';
const CHILD_TABS: ReadonlyArray<[ChildKey, string]> = [
  ['orders', 'orders'],
  ['followUps', 'followUps'],
  ['tickets', 'tickets'],
  ['visits', 'visits'],
];

export function buildDirectory(
  validated: Pick<Validated, 'dataset' | 'tabs' | 'ids'>,
  rules: Pick<RulesOutput, 'customers' | 'tiersValid'>,
  now: WallSeconds,
): CustomerDirectory {
  const dataset: Dataset = validated.dataset;
  const typed = new Map<number, Customer>();
  for (const c of dataset.customers) typed.set(c.row, c);
  // IDs the sync is about to write into blank cells count as the customers' IDs already.
  const assigned = new Map<number, string>();
  for (const a of validated.ids) if (a.tab === CUSTOMERS.name) assigned.set(a.row, a.id);
  const entries: DirectoryEntry[] = [];
  const byId = new Map<string, DirectoryEntry>();
  for (const r of validated.tabs.get('customers')?.rows ?? []) {
    const v = r.values;
    const id = r.id || text(v.customerId) || assigned.get(r.row) || '';
    if (!id || byId.has(id)) continue;
    const customer = r.hasError ? null : (typed.get(r.row) ?? null);
    const result = customer ? (rules.customers.get(customer.id) ?? null) : null;
    const entry: DirectoryEntry = {
      id,
      row: r.row,
      values: v,
      customer,
      result,
      owner: text(v.owner),
      tier: result?.tier ?? '',
      healthLevel: result?.healthLevel ?? '',
      region: text(v.region),
      status: text(v.status),
      ...searchFields(id, text(v.name), text(v.contact), text(v.owner), text(v.phone)),
    };
    entries.push(entry);
    byId.set(id, entry);
  }
  entries.sort((a, b) => compareIds(a.id, b.id));

  const rows = new Map<string, CustomerRows>();
  const rowsOf = (id: string): CustomerRows => {
    let found = rows.get(id);
    if (!found) rows.set(id, (found = emptyRows()));
    return found;
  };
  for (const o of dataset.orders) rowsOf(o.customerId).orders.push(o);
  for (const f of dataset.followUps) rowsOf(f.customerId).followUps.push(f);
  for (const t of dataset.tickets) rowsOf(t.customerId).tickets.push(t);
  for (const v of dataset.visits) rowsOf(v.customerId).visits.push(v);
  for (const [key, tab] of CHILD_TABS) {
    for (const r of validated.tabs.get(tab)?.rows ?? []) {
      const id = text(r.values.customerId);
      if (id) rowsOf(id).parsed[key].push(r);
    }
  }

  return {
    entries,
    byId,
    corpus: buildCorpus(entries),
    rows,
    facets: facetsOf(entries),
    settings: dataset.settings,
    tierRules: dataset.tierRules,
    holidays: dataset.holidays,
    config: {
      leadRules: dataset.leadRules,
      tierStrategies: dataset.tierStrategies,
      serviceTargets: dataset.serviceTargets,
    },
    latestSurveys: latestSurveyDates(dataset.experienceSurveys),
    tiersValid: rules.tiersValid,
    now,
  };
}

const scopedFacets = new WeakMap<
  CustomerDirectory,
  Map<string, Readonly<Record<FacetKey, readonly string[]>>>
>();

/**
 * The filter values a viewer is offered: every value for those who see every customer,
 * else only those of the customers they see (a 销售 is not shown colleagues' names or
 * regions), worked out once per directory and person.
 */
export function facetsFor(
  dir: CustomerDirectory,
  scope: { seesAll: boolean; key: string; sees(owner: string): boolean },
): Readonly<Record<FacetKey, readonly string[]>> {
  if (scope.seesAll) return dir.facets;
  let byName = scopedFacets.get(dir);
  if (!byName) scopedFacets.set(dir, (byName = new Map()));
  let found = byName.get(scope.key);
  if (!found) {
    found = facetsOf(dir.entries.filter((e) => scope.sees(e.owner)));
    byName.set(scope.key, found);
  }
  return found;
}

function facetsOf(entries: readonly DirectoryEntry[]): Record<FacetKey, string[]> {
  const facets = {} as Record<FacetKey, string[]>;
  for (const key of FACET_KEYS) {
    const seen = new Set<string>();
    for (const e of entries) if (e[key]) seen.add(e[key]);
    facets[key] = [...seen].sort((a, b) => a.localeCompare(b, 'zh-CN'));
  }
  return facets;
}
