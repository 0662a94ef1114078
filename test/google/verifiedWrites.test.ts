/**
 * Verified writes against the fake Sheets API: people sort, insert and delete rows *after*
 * the store's last re-read — just before its values land, or between two parts of a split
 * write — and every computed value still ends on its own customer's row, no ID is
 * overwritten, and the request count is what the store's header says.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { CUSTOMERS, SYNC_LOG, TICKETS } from '../../sheets-templates/tabs.ts';
import { VERIFY_ROUNDS } from '../../sync-server/google/sheetsStore.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { FakeSheetsApi, type FakeValue, type RequestKind } from '../fakes/sheetsApi.ts';
import {
  columnsOf,
  loadWorkbook,
  NOW,
  peopleCells,
  storeFor,
  useSyncedReference,
  cloneBook,
  expectSyncValuesMatch,
} from './harness.ts';

const { book: small, fake: fakeOf } = useSyncedReference('reference');
let fake: FakeSheetsApi;
beforeEach(() => {
  fake = fakeOf();
});

/** Runs `edit` once, just before the nth values.batchUpdate reaches the sheet. */
function editBeforeWrite(nth: number, edit: () => void): void {
  fake.beforeRequest = (info) => {
    if (info.kind === 'values.batchUpdate' && info.nthOfKind === nth) edit();
  };
}

const expectEveryValueOnItsRow = (id: string) => expectSyncValuesMatch(fake, id, 'reference');

/** Customers' sync cells by name: rows that got a new ID are compared with the same customer. */
function expectEveryCustomerByName(id: string, reference: string): void {
  const byName = (sheet: string) => {
    const cols = columnsOf(fake, sheet, CUSTOMERS);
    const sync = CUSTOMERS.columns.filter((c) => c.owner === 'sync').map((c) => cols.get(c.key)!);
    const name = cols.get('name')!;
    return new Map(
      fake
        .grid(sheet, CUSTOMERS.name)
        .slice(1)
        .map((r) => [r[name], sync.map((c) => r[c] ?? null)] as const),
    );
  };
  expect(byName(id)).toEqual(byName(reference));
}

/** The IDs of a tab's rows, top to bottom (row 1 left out). */
function idsOf(id: string, tab = CUSTOMERS): FakeValue[] {
  const col = columnsOf(fake, id, tab).get(tab.idColumn!)!;
  return fake
    .grid(id, tab.name)
    .slice(1)
    .map((r) => r[col] ?? null);
}

const kinds = (): RequestKind[] => fake.requests.map((r) => r.kind);

function lastLog(id: string): FakeValue[] {
  return fake.grid(id, SYNC_LOG.name).at(-1)!;
}
const RESULT = SYNC_LOG.columns.findIndex((c) => c.key === 'result');
const NOTE = SYNC_LOG.columns.findIndex((c) => c.key === 'note');

/** The requests of a sync whose values had to be written again once. */
const ONE_CORRECTION: RequestKind[] = [
  'spreadsheets.get',
  'values.batchGet', // read
  'values.batchGet', // re-read before writing
  'spreadsheets.batchUpdate', // 报表's number formats
  'values.batchUpdate', // values
  'values.batchGet', // verify: rows moved
  'values.batchUpdate', // the moved rows' cells, at their new rows
  'values.batchGet', // verify again: all in place
  'values.batchUpdate', // 同步日志
];

describe('rows move between the re-read and the write', () => {
  test('a sort: the values are rewritten at each customer’s new row', async () => {
    loadWorkbook(fake, 'sort', cloneBook(small));
    let afterEdit: string[] = [];
    editBeforeWrite(1, () => {
      const name = columnsOf(fake, 'sort', CUSTOMERS).get('name')!;
      fake.sortRows('sort', CUSTOMERS.name, (a, b) =>
        String(b[name]).localeCompare(String(a[name])),
      );
      fake.sortRows('sort', TICKETS.name, (a, b) => String(b[0]).localeCompare(String(a[0])));
      afterEdit = peopleCells(fake, 'sort', CUSTOMERS);
    });
    const idsBefore = new Set(idsOf('sort'));
    const store = storeFor(fake, 'sort');
    const summary = await runSync(store, { now: NOW, source: '命令行' });

    expect(summary.result).toBe('success');
    expectEveryValueOnItsRow('sort');
    expect(peopleCells(fake, 'sort', CUSTOMERS)).toEqual(afterEdit);
    expect(new Set(idsOf('sort'))).toEqual(idsBefore);
    expect(kinds()).toEqual(ONE_CORRECTION);
    expect(store.lastWrite!.rowsMoved).toBeGreaterThan(10);
    expect(store.lastWrite!.unresolved).toBe(0);
    expect(lastLog('sort')[RESULT]).toBe('成功');
    expect(String(lastLog('sort')[NOTE])).toMatch(/写入期间有 \d+ 行被移动，已在新位置重写/);
  });

  test('an inserted row: it gets no values, the rows below it get theirs', async () => {
    loadWorkbook(fake, 'insert', cloneBook(small));
    let afterEdit: string[] = [];
    editBeforeWrite(1, () => {
      const newRow: FakeValue[] = Array.from({ length: CUSTOMERS.columns.length }, () => null);
      newRow[0] = 'E20259999';
      newRow[2] = '新插入的客户';
      fake.insertRows('insert', CUSTOMERS.name, 3, [newRow]);
      fake.insertRows('insert', CUSTOMERS.name, 10, [[null, '个人', '没有编号的人']]);
      afterEdit = peopleCells(fake, 'insert', CUSTOMERS);
    });
    const store = storeFor(fake, 'insert');
    await runSync(store, { now: NOW, source: '命令行' });
    expectEveryValueOnItsRow('insert');
    expect(peopleCells(fake, 'insert', CUSTOMERS)).toEqual(afterEdit);
    const sync = CUSTOMERS.columns.flatMap((c, i) => (c.owner === 'sync' ? [i] : []));
    const grid = fake.grid('insert', CUSTOMERS.name);
    expect(sync.map((c) => grid[2]![c] ?? null).every((v) => v === null)).toBe(true);
    expect(sync.map((c) => grid[9]![c] ?? null).every((v) => v === null)).toBe(true);
    expect(store.lastWrite!.unresolved).toBe(0);
  });

  test('a deleted row: its values go nowhere, the rows below it get theirs', async () => {
    loadWorkbook(fake, 'delete', cloneBook(small));
    let deleted: FakeValue = null;
    let afterEdit: string[] = [];
    editBeforeWrite(1, () => {
      deleted = fake.cell('delete', CUSTOMERS.name, 5, 0);
      fake.deleteRows('delete', CUSTOMERS.name, 5, 1);
      fake.deleteRows('delete', TICKETS.name, 2, 3);
      afterEdit = peopleCells(fake, 'delete', CUSTOMERS);
    });
    const store = storeFor(fake, 'delete');
    await runSync(store, { now: NOW, source: '命令行' });
    expectEveryValueOnItsRow('delete');
    expect(peopleCells(fake, 'delete', CUSTOMERS)).toEqual(afterEdit);
    expect(idsOf('delete')).not.toContain(deleted);
    expect(store.lastWrite!.unresolved).toBe(0);
  });
});

describe('rows move between two parts of a split write', () => {
  test.each([
    ['a sort', 'split-sort'],
    ['an inserted row', 'split-insert'],
    ['a deleted row', 'split-delete'],
  ])('%s after the first part: every value ends on its row', async (_what, id) => {
    loadWorkbook(fake, id, cloneBook(small));
    editBeforeWrite(2, () => {
      const name = columnsOf(fake, id, CUSTOMERS).get('name')!;
      if (id === 'split-sort')
        fake.sortRows(id, CUSTOMERS.name, (a, b) => String(a[name]).localeCompare(String(b[name])));
      else if (id === 'split-insert')
        fake.insertRows(id, CUSTOMERS.name, 2, [[null, '个人', '插在最上面的人']]);
      else fake.deleteRows(id, CUSTOMERS.name, 2, 2);
    });
    const idsBefore = idsOf(id).filter((v) => v !== null);
    const store = storeFor(fake, id, { maxPayloadBytes: 4_000 });
    const summary = await runSync(store, { now: NOW, source: '命令行' });
    expect(summary.result).toBe('success');
    expectEveryValueOnItsRow(id);
    const idsAfter = idsOf(id).filter((v) => v !== null);
    // No ID overwritten: each is still there once (two deleted by hand in the last case).
    expect(new Set(idsAfter).size).toBe(idsAfter.length);
    expect(idsAfter.length).toBe(idsBefore.length - (id === 'split-delete' ? 2 : 0));
    const parts = store.lastWrite!.valueRequests;
    expect(parts).toBeGreaterThan(3);
    // values in parts, one verifying re-read that finds the move, one correction, one
    // re-read that finds all in place, then 同步日志
    expect(fake.count('values.batchGet')).toBe(4);
    expect(store.lastWrite!.verifyReads).toBe(2);
  });
});

describe('blank IDs', () => {
  test('a sort before the ID write: no existing ID is overwritten, each new ID is on its row', async () => {
    const book = cloneBook(small);
    const name = CUSTOMERS.columns.findIndex((c) => c.key === 'name');
    const blanks = [4, 9, 17].map((r) => book[CUSTOMERS.name]![r]!);
    for (const row of blanks) row[0] = null;
    // The same workbook synced with nobody touching it: what each customer should get.
    loadWorkbook(fake, 'ids-calm-reference', cloneBook(book));
    await runSync(storeFor(fake, 'ids-calm-reference'), { now: NOW, source: '命令行' });
    loadWorkbook(fake, 'ids-sort', book);
    fake.resetCounts();
    const existing = idsOf('ids-sort').filter((v) => v !== null);
    // The first values.batchUpdate is the IDs' own; the sort lands just before it.
    editBeforeWrite(1, () =>
      fake.sortRows('ids-sort', CUSTOMERS.name, (a, b) =>
        String(b[name]).localeCompare(String(a[name])),
      ),
    );
    const store = storeFor(fake, 'ids-sort');
    const summary = await runSync(store, { now: NOW, source: '命令行' });

    const grid = fake.grid('ids-sort', CUSTOMERS.name);
    const after = idsOf('ids-sort').filter((v) => v !== null);
    for (const id of existing) expect(after.filter((v) => v === id)).toHaveLength(1);
    expect(new Set(after).size).toBe(after.length);
    for (const row of blanks) {
      const now = grid.find((r) => r[name] === row[name])!;
      expect(now[0]).toMatch(/^[EP]\d{8}$/);
      expect(existing).not.toContain(now[0]);
    }
    expect(summary.idsDeferred).toBe(0);
    expect(store.lastWrite!.idsRestored).toBeGreaterThan(0);
    expectEveryCustomerByName('ids-sort', 'ids-calm-reference');
    // IDs: write, re-read (wrong rows found), put both rows right, re-read; then the values.
    expect(kinds().slice(0, 8)).toEqual([
      'spreadsheets.get',
      'values.batchGet',
      'values.batchGet',
      'spreadsheets.batchUpdate',
      'values.batchUpdate',
      'values.batchGet',
      'values.batchUpdate',
      'values.batchGet',
    ]);
    expect(String(lastLog('ids-sort')[NOTE])).toMatch(/已有编号被新编号覆盖后已恢复/);
  });

  test('without edits, new IDs cost one small write and one re-read', async () => {
    const book = cloneBook(small);
    for (const r of [4, 9]) book[CUSTOMERS.name]![r]![0] = null;
    loadWorkbook(fake, 'ids-calm', book);
    const store = storeFor(fake, 'ids-calm');
    await runSync(store, { now: NOW, source: '命令行' });
    expect(kinds()).toEqual([
      'spreadsheets.get',
      'values.batchGet',
      'values.batchGet',
      'spreadsheets.batchUpdate',
      'values.batchUpdate', // IDs
      'values.batchGet', // IDs verified; positions for the values
      'values.batchUpdate', // values
      'values.batchGet', // values verified
      'values.batchUpdate', // 同步日志
    ]);
    expect(idsOf('ids-calm').every((v) => typeof v === 'string' && v !== '')).toBe(true);
  });
});

describe('bounded', () => {
  test('rows that keep moving: a few rounds, then a 部分成功 row that says so', async () => {
    loadWorkbook(fake, 'restless', cloneBook(small));
    const name = columnsOf(fake, 'restless', CUSTOMERS).get('name')!;
    let flip = false;
    // Someone sorts again before every write, the other way round each time.
    fake.beforeRequest = (info) => {
      if (info.kind !== 'values.batchUpdate' || info.spreadsheetId !== 'restless') return;
      flip = !flip;
      fake.sortRows('restless', CUSTOMERS.name, (a, b) =>
        flip
          ? String(a[name]).localeCompare(String(b[name]))
          : String(b[name]).localeCompare(String(a[name])),
      );
    };
    const store = storeFor(fake, 'restless');
    const summary = await runSync(store, { now: NOW, source: '命令行' });
    fake.beforeRequest = undefined;
    expect(summary.result).toBe('partial');
    expect(store.lastWrite!.unresolved).toBeGreaterThan(0);
    expect(store.lastWrite!.verifyReads).toBe(VERIFY_ROUNDS);
    expect(lastLog('restless')[RESULT]).toBe('部分成功');
    expect(String(lastLog('restless')[NOTE])).toMatch(/重写 3 次后仍未落在本行，请再同步一次/);
    // The next sync, with nobody sorting, puts everything right.
    await runSync(store, { now: NOW, source: '命令行' });
    expectEveryValueOnItsRow('restless');
  });
});

describe('a failed sync', () => {
  test('adds a 失败 row to 同步日志 when the spreadsheet can still be written', async () => {
    loadWorkbook(fake, 'fails', cloneBook(small));
    fake.fail({
      kind: 'spreadsheets.batchUpdate',
      status: 400,
      message: 'Invalid requests[0].repeatCell: 测试用的错误',
    });
    const rows = fake.grid('fails', SYNC_LOG.name).length;
    const error = await runSync(storeFor(fake, 'fails'), { now: NOW, source: '定时' }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const log = fake.grid('fails', SYNC_LOG.name);
    expect(log).toHaveLength(rows + 1);
    expect(log.at(-1)![1]).toBe('定时');
    expect(log.at(-1)![RESULT]).toBe('失败');
    expect(String(log.at(-1)![NOTE])).toMatch(/测试用的错误/);
  });

  test('an unreachable spreadsheet: the error, and nothing else', async () => {
    const error = await runSync(storeFor(fake, 'not-there'), { now: NOW, source: '定时' }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/找不到表格/);
    expect(fake.count('values.batchUpdate')).toBe(0);
  });
});
