/** The fake Sheets API and stores that talk to it over HTTP, for the Google-mode tests. */
import { daysFromCivil, startOfDay, type WallSeconds } from '../../shared/calendar.ts';
import { normalizeHeader } from '../../shared/cells.ts';
import { TABS } from '../../sheets-templates/tabs.ts';
import { CUSTOMERS, TICKETS } from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { beforeEach, expect } from 'vitest';
import { buildWorkbook, type Grid } from './workbook.ts';
import type { RetryPolicy } from '../../sync-server/google/retry.ts';
import {
  createSheetsStore,
  type GoogleSheetsStore,
  type GoogleSheetsStoreOptions,
} from '../../sync-server/google/sheetsStore.ts';
import {
  FakeSheetsApi,
  type FakeValue,
  type GridMap,
  type LoadOptions,
} from '../fakes/sheetsApi.ts';
import { useFakeSheetsApi } from '../fakes/useFakeSheetsApi.ts';

/** Backoff in milliseconds instead of seconds, so retry tests run fast. */
export const FAST_RETRY: Partial<RetryPolicy> = {
  baseMs: 2,
  capMs: 20,
  jitterMs: 2,
  maxElapsedMs: 5_000,
  maxAttempts: 6,
};

export const NOW: WallSeconds = startOfDay(daysFromCivil(2025, 6, 15)) + 10 * 3600;

/** A store for a spreadsheet in the fake, reached the way SHEETS_API_ROOT_URL/TOKEN would. */
export function storeFor(
  fake: FakeSheetsApi,
  spreadsheetId: string,
  options: GoogleSheetsStoreOptions = {},
): GoogleSheetsStore {
  return createSheetsStore(
    spreadsheetId,
    { retry: FAST_RETRY, ...options },
    { SHEETS_API_ROOT_URL: fake.url, SHEETS_API_TOKEN: fake.token },
  );
}

/**
 * Loads a workbook into the fake: tab name → grid (row 1 first) or `{row, cells}` rows
 * like a WorkbookInput's tabs. For parity checks against the xlsx store, load the same
 * WorkbookInput here, run a sync, then compare `fake.tabs(id)` with the xlsx result.
 */
export function loadWorkbook(
  fake: FakeSheetsApi,
  spreadsheetId: string,
  tabs: GridMap,
  options: LoadOptions = {},
): void {
  fake.load(spreadsheetId, tabs, options);
}

export function tabDef(name: string): TabDef {
  return TABS.find((t) => t.name === name)!;
}

/** Column index by template key, from a sheet's current row 1. */
export function columnsOf(fake: FakeSheetsApi, id: string, tab: TabDef): Map<string, number> {
  const header = fake.grid(id, tab.name)[0] ?? [];
  const byHeader = new Map(header.map((h, i) => [normalizeHeader(h), i]));
  const out = new Map<string, number>();
  for (const c of tab.columns) {
    const i = byHeader.get(normalizeHeader(c.header));
    if (i !== undefined) out.set(c.key, i);
  }
  return out;
}

/** Each row's sync cells by the row's ID: what the sync computed, wherever the row is. */
export function syncValuesById(
  fake: FakeSheetsApi,
  id: string,
  tab: TabDef,
): Map<string, FakeValue[]> {
  const cols = columnsOf(fake, id, tab);
  const idCol = cols.get(tab.idColumn!)!;
  const sync = tab.columns.filter((c) => c.owner === 'sync').map((c) => cols.get(c.key));
  const out = new Map<string, FakeValue[]>();
  fake.grid(id, tab.name).forEach((row, i) => {
    if (i === 0) return;
    const key = row[idCol];
    if (typeof key !== 'string' || key === '' || out.has(key)) return;
    out.set(
      key,
      sync.map((c) => (c === undefined ? null : (row[c] ?? null))),
    );
  });
  return out;
}

/** The people's cells of every row (sync columns blanked out), as text for comparing. */
export function peopleCells(fake: FakeSheetsApi, id: string, tab: TabDef): string[] {
  const cols = columnsOf(fake, id, tab);
  const sync = new Set(tab.columns.filter((c) => c.owner === 'sync').map((c) => cols.get(c.key)));
  return fake.grid(id, tab.name).map((row) => {
    const cells = row.map((v, c) => (sync.has(c) ? null : v));
    while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
    return JSON.stringify(cells);
  });
}

export const cloneBook = (book: Record<string, Grid>): Record<string, Grid> =>
  Object.fromEntries(Object.entries(book).map(([k, g]) => [k, g.map((r) => [...r])]));

/**
 * One fake for a test file, holding `referenceId`: `book` synced with nobody touching
 * it. Faults, edit hooks, delays and counts are cleared before each test.
 */
export function useFake(referenceId: string, book: Record<string, Grid>): () => FakeSheetsApi {
  const fake = useFakeSheetsApi(async (started) => {
    loadWorkbook(started, referenceId, book);
    await runSync(storeFor(started, referenceId), { now: NOW, source: '命令行' });
  });
  beforeEach(() => {
    const f = fake();
    f.clearFaults();
    f.beforeRequest = undefined;
    f.delayMs = 0;
    f.resetCounts();
  });
  return fake;
}

/**
 * The set-up the sync tests on Google share: a workbook of `customers` customers, synced
 * once as `referenceId` in this file's fake. `book` is the unsynced workbook, to load
 * (cloned) under another ID in each test.
 */
export function useSyncedReference(
  referenceId: string,
  customers = 40,
): { book: Record<string, Grid>; fake: () => FakeSheetsApi } {
  const book = buildWorkbook({ customers, now: NOW });
  return { book, fake: useFake(referenceId, book) };
}

/** Every row's sync cells equal the reference's for the same ID; rows it lacks have none. */
export function expectSyncValuesMatch(fake: FakeSheetsApi, id: string, referenceId: string): void {
  for (const tab of [CUSTOMERS, TICKETS]) {
    const want = syncValuesById(fake, referenceId, tab);
    for (const [key, values] of syncValuesById(fake, id, tab)) {
      const expected = want.get(key) ?? values.map(() => null);
      expect({ tab: tab.name, key, values }).toEqual({ tab: tab.name, key, values: expected });
    }
  }
}
