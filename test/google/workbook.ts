/** Workbooks for the store tests, built from the templates' headers and the sample generator. */
import { dayToSerial, secondsToSerial, type WallSeconds } from '../../shared/calendar.ts';
import {
  generateSample,
  isSampleTab,
  type SampleRow,
} from '../../sync-server/workbook/sample/index.ts';
import { TABS } from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type { FakeValue } from '../fakes/sheetsApi.ts';

export type Grid = FakeValue[][];

/** A template row as cells in column order: dates as serial numbers, like a sheet holds them. */
export function rowCells(tab: TabDef, row: SampleRow): FakeValue[] {
  return tab.columns.map((c) => {
    const value = row[c.key];
    if (value === undefined || value === null) return null;
    if (typeof value === 'number' && c.type === 'date') return dayToSerial(value);
    if (typeof value === 'number' && c.type === 'datetime') return secondsToSerial(value);
    return value;
  });
}

export interface WorkbookOptions {
  customers: number;
  now: WallSeconds;
  seed?: number;
  /** only customers, with no orders, follow-ups, tickets or visits (fast at any size) */
  customersOnly?: boolean;
  /** leave out the sync tabs, so the sync has to add them */
  withoutSyncTabs?: boolean;
}

/** Tab name → grid (row 1 = headers), every template tab, sample data in the data tabs. */
export function buildWorkbook(options: WorkbookOptions): Record<string, Grid> {
  const sample = generateSample({
    customers: options.customers,
    seed: options.seed ?? 7,
    now: options.now,
  });
  const out: Record<string, Grid> = {};
  for (const tab of TABS) {
    if (options.withoutSyncTabs && tab.kind === 'syncTab') continue;
    const grid: Grid = tab.columns.length > 0 ? [tab.columns.map((c) => c.header)] : [];
    if (tab.kind === 'config') for (const r of tab.defaultRows ?? []) grid.push([...r]);
    // The sample fills the original five data tabs; the survey tabs start empty.
    if (
      tab.kind === 'data' &&
      isSampleTab(tab.key) &&
      (!options.customersOnly || tab.key === 'customers')
    ) {
      for (const r of sample[tab.key]()) grid.push(rowCells(tab, r));
    }
    out[tab.name] = grid;
  }
  return out;
}
