/**
 * GoogleSheetsStore through the real @googleapis/sheets client, over HTTP, against the
 * local fake of the Sheets API: a full sync, people editing between read and write,
 * failures and retries, payload splitting, and form writes.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import {
  CUSTOMERS,
  FOLLOW_UPS,
  SYNC_LOG,
  SYNC_TABS,
  TICKETS,
} from '../../sheets-templates/tabs.ts';
import { SheetsApiError } from '../../sync-server/google/retry.ts';
import { createSheetsStore } from '../../sync-server/google/sheetsStore.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { parseA1 } from '../fakes/a1.ts';
import { FakeSheetsApi, type FakeValue } from '../fakes/sheetsApi.ts';
import {
  columnsOf,
  FAST_RETRY,
  loadWorkbook,
  NOW,
  peopleCells,
  storeFor,
  syncValuesById,
  useSyncedReference,
  cloneBook,
  expectSyncValuesMatch,
} from './harness.ts';
import { buildWorkbook } from './workbook.ts';

const { book: small, fake: fakeOf } = useSyncedReference('reference-sheet');
let fake: FakeSheetsApi;
beforeEach(() => {
  fake = fakeOf();
});

/** Every row's sync cells equal the reference's for the same ID; new rows have none. */
function expectSyncValuesMatchReference(id: string): void {
  expectSyncValuesMatch(fake, id, 'reference-sheet');
}

describe('a full sync', () => {
  test('reads every tab, writes the sync cells and tabs, and nothing else', async () => {
    loadWorkbook(fake, 'full', cloneBook(small));
    const before = peopleCells(fake, 'full', CUSTOMERS);
    const store = storeFor(fake, 'full');
    const summary = await runSync(store, { now: NOW, source: '命令行' });

    expect(summary.result).toBe('success');
    expect(summary.rowsRead).toBeGreaterThan(40);
    expect(summary.cellsWritten).toBeGreaterThan(40 * 4);
    expect(peopleCells(fake, 'full', CUSTOMERS)).toEqual(before);
    const values = syncValuesById(fake, 'full', CUSTOMERS);
    expect(values.size).toBe(40);
    expect([...values.values()].some((v) => v.some((c) => c !== null))).toBe(true);
    const log = fake.grid('full', SYNC_LOG.name);
    expect(log).toHaveLength(2);
    expect(log[1]![1]).toBe('命令行');
    // Reads: spreadsheets.get + one batchGet; writes: re-read, structure, values, the
    // re-read that verifies them, then the 同步日志 row.
    expect(fake.requests.map((r) => r.kind)).toEqual([
      'spreadsheets.get',
      'values.batchGet',
      'values.batchGet',
      'spreadsheets.batchUpdate',
      'values.batchUpdate',
      'values.batchGet',
      'values.batchUpdate',
    ]);
    const get = fake.requests[0]!;
    expect(decodeURIComponent(get.url)).toContain('fields=properties(title,timeZone)');
    const batchGet = decodeURIComponent(fake.requests[1]!.url);
    expect(batchGet).toContain("ranges='客户'");
    expect(batchGet).toContain('valueRenderOption=UNFORMATTED_VALUE');
    expect(batchGet).toContain('dateTimeRenderOption=SERIAL_NUMBER');
  });

  test('a second sync over unchanged data writes only its 同步日志 row, in three requests', async () => {
    loadWorkbook(fake, 'again', cloneBook(small));
    const store = storeFor(fake, 'again');
    await runSync(store, { now: NOW, source: '命令行' });
    fake.resetCounts();
    const summary = await runSync(store, { now: NOW, source: '定时' });
    expect(summary.cellsWritten).toBe(SYNC_LOG.columns.length);
    expect(fake.requests.map((r) => r.kind)).toEqual([
      'spreadsheets.get',
      'values.batchGet',
      'values.batchUpdate',
    ]);
    expect(fake.grid('again', SYNC_LOG.name)).toHaveLength(3);
  });

  test('adds missing sync tabs in one batchUpdate, with header rows and formats', async () => {
    loadWorkbook(
      fake,
      'new-tabs',
      buildWorkbook({ customers: 40, now: NOW, withoutSyncTabs: true }),
    );
    await runSync(storeFor(fake, 'new-tabs'), { now: NOW, source: '命令行' });
    const structural = fake.requests.filter((r) => r.kind === 'spreadsheets.batchUpdate');
    expect(structural).toHaveLength(1);
    for (const tab of SYNC_TABS) expect(fake.hasSheet('new-tabs', tab.name)).toBe(true);
    expect(fake.grid('new-tabs', '回访计划')[0]).toEqual(
      fake.grid('reference-sheet', '回访计划')[0],
    );
    expect(fake.sheet('new-tabs', '回访计划').frozenRowCount).toBe(1);
    expect(fake.sheet('new-tabs', '回访计划').formats.length).toBeGreaterThan(0);
    expect(fake.grid('new-tabs', '报表')).toEqual(fake.grid('reference-sheet', '报表'));
    expect(fake.grid('new-tabs', '数据问题')).toEqual(fake.grid('reference-sheet', '数据问题'));
  });

  test('adds missing sync headers at the right end, growing the grid when needed', async () => {
    const book = cloneBook(small);
    const people = CUSTOMERS.columns.filter((c) => c.owner === 'people').length;
    book[CUSTOMERS.name] = book[CUSTOMERS.name]!.map((r) => r.slice(0, people));
    loadWorkbook(fake, 'no-sync-columns', book, { columnCount: 26 });
    expect(fake.sheet('no-sync-columns', CUSTOMERS.name).columnCount).toBe(26);
    await runSync(storeFor(fake, 'no-sync-columns'), { now: NOW, source: '命令行' });
    expect(fake.sheet('no-sync-columns', CUSTOMERS.name).columnCount).toBe(
      CUSTOMERS.columns.length,
    );
    expect(fake.grid('no-sync-columns', CUSTOMERS.name)[0]).toEqual(
      CUSTOMERS.columns.map((c) => c.header),
    );
    expectSyncValuesMatchReference('no-sync-columns');
  });

  test('a person’s own column between sync columns is never inside a written range', async () => {
    const book = cloneBook(small);
    const at = CUSTOMERS.columns.findIndex((c) => c.key === 'healthLevel');
    book[CUSTOMERS.name] = book[CUSTOMERS.name]!.map((r, i) => [
      ...r.slice(0, at),
      i === 0 ? '我的批注' : `批注${i}`,
      ...r.slice(at),
    ]);
    loadWorkbook(fake, 'own-column', book);
    await runSync(storeFor(fake, 'own-column'), { now: NOW, source: '命令行' });
    const ranges = fake.requests
      .flatMap((r) => r.written)
      .map((r) => parseA1(r, [CUSTOMERS.name])!)
      .filter((r) => r.sheet === CUSTOMERS.name);
    // Two rectangles, one each side of the person's column.
    expect(ranges).toHaveLength(2);
    expect(ranges.some((r) => r.startCol! <= at && r.endCol! > at)).toBe(false);
    expect(
      fake
        .grid('own-column', CUSTOMERS.name)
        .slice(1)
        .map((r) => r[at]),
    ).toEqual(book[CUSTOMERS.name]!.slice(1).map((_, i) => `批注${i + 1}`));
    expectSyncValuesMatchReference('own-column');
  });

  test('a 同步日志 at the end of its grid gets one more row (appendDimension)', async () => {
    const book = cloneBook(small);
    const entry = fake.grid('reference-sheet', SYNC_LOG.name)[1]!;
    book[SYNC_LOG.name] = [
      book[SYNC_LOG.name]![0]!,
      ...Array.from({ length: 999 }, () => [...entry]),
    ];
    loadWorkbook(fake, 'log-full', book);
    expect(fake.sheet('log-full', SYNC_LOG.name).rowCount).toBe(1000);
    await runSync(storeFor(fake, 'log-full'), { now: NOW, source: '命令行' });
    expect(fake.sheet('log-full', SYNC_LOG.name).rowCount).toBe(1001);
    expect(fake.grid('log-full', SYNC_LOG.name)).toHaveLength(1001);
  });

  test('writes RAW: text that looks like a formula stays text', async () => {
    loadWorkbook(fake, 'raw', cloneBook(small));
    const store = storeFor(fake, 'raw');
    await store.exclusive(async () => {
      await store.read([FOLLOW_UPS.name]);
      const cols = columnsOf(fake, 'raw', FOLLOW_UPS);
      const row = fake.grid('raw', FOLLOW_UPS.name).length + 1;
      await store.writeCells([
        {
          tab: FOLLOW_UPS.name,
          row,
          col: cols.get('followUpId')!,
          value: 'G20259999',
          rowId: 'G20259999',
          column: 'followUpId',
        },
        {
          tab: FOLLOW_UPS.name,
          row,
          col: cols.get('content')!,
          value: '=IMPORTXML("http://x")',
          rowId: 'G20259999',
          column: 'content',
        },
      ]);
    });
    const sheet = fake.sheet('raw', FOLLOW_UPS.name);
    expect(sheet.formulas.size).toBe(0);
    const last = fake.grid('raw', FOLLOW_UPS.name).at(-1)!;
    expect(last).toContain('=IMPORTXML("http://x")');
  });
});

describe('people editing between the read and the write', () => {
  /** Runs `edit` just before the store's second batchGet (its re-read before writing). */
  function editBeforeReRead(edit: () => void): void {
    fake.beforeRequest = (info) => {
      if (info.kind === 'values.batchGet' && info.nthOfKind === 2) edit();
    };
  }

  test('a sort: every value lands on the row of its ID, no person’s cell touched', async () => {
    loadWorkbook(fake, 'sorted', cloneBook(small));
    let afterEdit: string[] = [];
    editBeforeReRead(() => {
      const name = columnsOf(fake, 'sorted', CUSTOMERS).get('name')!;
      fake.sortRows('sorted', CUSTOMERS.name, (a, b) =>
        String(b[name]).localeCompare(String(a[name])),
      );
      fake.sortRows('sorted', TICKETS.name, (a, b) => String(b[0]).localeCompare(String(a[0])));
      afterEdit = peopleCells(fake, 'sorted', CUSTOMERS);
    });
    const summary = await runSync(storeFor(fake, 'sorted'), { now: NOW, source: '命令行' });
    expect(summary.result).toBe('success');
    expect(afterEdit.length).toBeGreaterThan(0);
    expect(peopleCells(fake, 'sorted', CUSTOMERS)).toEqual(afterEdit);
    expectSyncValuesMatchReference('sorted');
  });

  test('an inserted row gets no values; the rows below it get theirs', async () => {
    loadWorkbook(fake, 'inserted', cloneBook(small));
    let afterEdit: string[] = [];
    editBeforeReRead(() => {
      const width = CUSTOMERS.columns.length;
      const newRow: FakeValue[] = Array.from({ length: width }, () => null);
      newRow[0] = 'E20259999';
      newRow[2] = '新插入的客户';
      fake.insertRows('inserted', CUSTOMERS.name, 3, [newRow]);
      fake.insertRows('inserted', CUSTOMERS.name, 10, [[null, '个人', '没有编号的人']]);
      afterEdit = peopleCells(fake, 'inserted', CUSTOMERS);
    });
    await runSync(storeFor(fake, 'inserted'), { now: NOW, source: '命令行' });
    expect(peopleCells(fake, 'inserted', CUSTOMERS)).toEqual(afterEdit);
    expectSyncValuesMatchReference('inserted');
    const row3 = fake.grid('inserted', CUSTOMERS.name)[2]!;
    expect(row3.slice(22).every((v) => v === null)).toBe(true);
    const row10 = fake.grid('inserted', CUSTOMERS.name)[9]!;
    expect(row10.slice(3).every((v) => v === null)).toBe(true);
  });

  test('a deleted row’s values are dropped; no other row takes them', async () => {
    loadWorkbook(fake, 'deleted', cloneBook(small));
    let afterEdit: string[] = [];
    let deletedId: FakeValue = null;
    editBeforeReRead(() => {
      deletedId = fake.cell('deleted', CUSTOMERS.name, 5, 0);
      fake.deleteRows('deleted', CUSTOMERS.name, 5, 1);
      fake.deleteRows('deleted', TICKETS.name, 2, 3);
      afterEdit = peopleCells(fake, 'deleted', CUSTOMERS);
    });
    const store = storeFor(fake, 'deleted');
    await runSync(store, { now: NOW, source: '命令行' });
    expect(peopleCells(fake, 'deleted', CUSTOMERS)).toEqual(afterEdit);
    expectSyncValuesMatchReference('deleted');
    expect(syncValuesById(fake, 'deleted', CUSTOMERS).has(String(deletedId))).toBe(false);
    expect(store.lastWrite!.cellsDropped).toBeGreaterThan(0);
  });

  test('a column moved: values follow the headers', async () => {
    loadWorkbook(fake, 'moved-column', cloneBook(small));
    editBeforeReRead(() => {
      // Someone inserts a column of their own left of 客户编号.
      const sheet = fake.sheet('moved-column', CUSTOMERS.name);
      sheet.cells = sheet.cells.map((r, i) => [i === 0 ? '我的备注' : '备注', ...r]);
      sheet.columnCount += 1;
    });
    await runSync(storeFor(fake, 'moved-column'), { now: NOW, source: '命令行' });
    // read, re-read, the ID column where it is now, the verifying re-read
    expect(fake.count('values.batchGet')).toBe(4);
    expectSyncValuesMatchReference('moved-column');
  });

  test('blank IDs: written where the row still holds what was read, even after a sort', async () => {
    const book = cloneBook(small);
    const rows = book[CUSTOMERS.name]!;
    for (const r of [4, 9, 17]) rows[r]![0] = null;
    loadWorkbook(fake, 'ids', book);
    let editedName = '';
    editBeforeReRead(() => {
      const name = columnsOf(fake, 'ids', CUSTOMERS).get('name')!;
      // Row 18 (index 17) is edited by someone: its ID must wait for the next sync.
      editedName = String(fake.cell('ids', CUSTOMERS.name, 18, name)) + '（已改）';
      fake.setCell('ids', CUSTOMERS.name, 18, name, editedName);
      fake.sortRows('ids', CUSTOMERS.name, (a, b) =>
        String(a[name]).localeCompare(String(b[name])),
      );
    });
    const store = storeFor(fake, 'ids');
    const summary = await runSync(store, { now: NOW, source: '命令行' });
    expect(summary.idsDeferred).toBe(1);
    const grid = fake.grid('ids', CUSTOMERS.name);
    const name = columnsOf(fake, 'ids', CUSTOMERS).get('name')!;
    for (const r of [4, 9]) {
      const original = book[CUSTOMERS.name]![r]!;
      const now = grid.find((row) => row[name] === original[name])!;
      expect(now[0]).toMatch(/^[EP]\d{8}$/);
    }
    expect(grid.find((row) => row[name] === editedName)![0] ?? null).toBeNull();
  });
});

describe('failures and retries', () => {
  test('429 on the read, 429 twice on the write, 503 on get, a dropped connection: the sync completes', async () => {
    loadWorkbook(fake, 'flaky', cloneBook(small));
    fake.fail({ kind: 'values.batchGet', nth: 1, status: 429 });
    fake.fail({ kind: 'values.batchUpdate', status: 429, times: 2 });
    fake.fail({ kind: 'spreadsheets.get', status: 503 });
    fake.fail({ kind: 'spreadsheets.batchUpdate', status: 'reset' });
    const retries: string[] = [];
    const store = storeFor(fake, 'flaky', { onRetry: (r) => retries.push(r.operation) });
    const summary = await runSync(store, { now: NOW, source: '命令行' });
    expect(summary.result).toBe('success');
    expect(retries.sort()).toEqual([
      'spreadsheets.batchUpdate',
      'spreadsheets.get',
      'values.batchGet',
      'values.batchUpdate',
      'values.batchUpdate',
    ]);
    expectSyncValuesMatchReference('flaky');
    expect(fake.grid('flaky', SYNC_LOG.name)).toHaveLength(2);
  });

  test('a lost reply to addSheet: the retry sees the tabs exist and does not add them twice', async () => {
    loadWorkbook(
      fake,
      'lost-reply',
      buildWorkbook({ customers: 10, now: NOW, withoutSyncTabs: true }),
    );
    fake.fail({ kind: 'spreadsheets.batchUpdate', status: 'lost-reply' });
    const summary = await runSync(storeFor(fake, 'lost-reply'), { now: NOW, source: '命令行' });
    expect(summary.result).toBe('success');
    // Applied once, reply lost, metadata re-read, nothing left to add.
    expect(fake.count('spreadsheets.batchUpdate')).toBe(1);
    expect(fake.count('spreadsheets.get')).toBe(2);
    for (const tab of SYNC_TABS)
      expect(fake.book('lost-reply').sheets.filter((s) => s.title === tab.name)).toHaveLength(1);
    expect(fake.grid('lost-reply', SYNC_LOG.name)).toHaveLength(2);
  });

  test('a write that keeps failing: a clear error, and 同步日志 does not claim a sync', async () => {
    // Six attempts for the values, six more for the 失败 row, which cannot be written either.
    loadWorkbook(fake, 'down', cloneBook(small));
    fake.fail({ kind: 'values.batchUpdate', status: 503, times: 1000 });
    const store = storeFor(fake, 'down');
    const error = await runSync(store, { now: NOW, source: '命令行' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SheetsApiError);
    expect((error as Error).message).toMatch(/同步未完成/);
    expect((error as Error).message).toMatch(/503/);
    expect((error as Error).message).toMatch(/重试 5 次/);
    expect(fake.grid('down', SYNC_LOG.name)).toHaveLength(1);
    expect(fake.count('values.batchUpdate')).toBe(12);
  });

  test('when a later part of a split write fails, 同步日志 (always last) is not written', async () => {
    loadWorkbook(fake, 'half', cloneBook(small));
    fake.fail({ kind: 'values.batchUpdate', nth: 2, status: 503, times: 1000 });
    const store = storeFor(fake, 'half', { maxPayloadBytes: 4_000 });
    const error = await runSync(store, { now: NOW, source: '命令行' }).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/已写入 1\/\d+ 批/);
    expect(fake.grid('half', SYNC_LOG.name)).toHaveLength(1);
  });

  test('errors that retrying cannot fix are not retried', async () => {
    loadWorkbook(fake, 'forbidden', cloneBook(small));
    fake.fail({
      kind: 'spreadsheets.get',
      status: 403,
      message: 'The caller does not have permission',
    });
    const error = await storeFor(fake, 'forbidden')
      .read()
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/共享给服务账号/);
    expect(fake.count('spreadsheets.get')).toBe(1);
    const missing = await storeFor(fake, 'no-such-sheet')
      .read()
      .catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/找不到表格/);
  });

  test('no credentials: says which setting to fix', async () => {
    const store = createSheetsStore(
      'no-credentials',
      { retry: FAST_RETRY },
      {
        GOOGLE_APPLICATION_CREDENTIALS: '/nonexistent/service-account.json',
        SHEETS_API_ROOT_URL: fake.url,
      },
    );
    const error = await store.read().catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/GOOGLE_APPLICATION_CREDENTIALS/);
    expect(fake.count()).toBe(0);
  });

  test('retries stop once the time budget is spent', async () => {
    loadWorkbook(fake, 'budget', cloneBook(small));
    fake.fail({ kind: 'spreadsheets.get', status: 429, times: 1000 });
    const store = storeFor(fake, 'budget', {
      retry: { baseMs: 20, capMs: 40, jitterMs: 0, maxElapsedMs: 100, maxAttempts: 100 },
    });
    const started = Date.now();
    const error = await store.read().catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect((error as Error).message).toMatch(/429/);
  });
});

describe('payload size', () => {
  test('values are split into requests of at most the limit, with the same result', async () => {
    loadWorkbook(fake, 'split', cloneBook(small));
    const store = storeFor(fake, 'split', { maxPayloadBytes: 4_000 });
    await runSync(store, { now: NOW, source: '命令行' });
    const writes = fake.requests.filter((r) => r.kind === 'values.batchUpdate');
    expect(writes.length).toBeGreaterThan(2);
    for (const w of writes) expect(w.bytesIn).toBeLessThanOrEqual(4_000);
    expect(store.lastWrite!.valueRequests).toBe(writes.length);
    expectSyncValuesMatchReference('split');
    for (const tab of ['回访计划', '报表', '数据问题'])
      expect(fake.grid('split', tab)).toEqual(fake.grid('reference-sheet', tab));
  });
});

describe('form writes', () => {
  test('a new row goes to the first empty row from the planned one; an edit follows its ID', async () => {
    loadWorkbook(fake, 'forms', cloneBook(small));
    const store = storeFor(fake, 'forms');
    const cols = columnsOf(fake, 'forms', FOLLOW_UPS);
    const planned = fake.grid('forms', FOLLOW_UPS.name).length + 1;
    const ticketCols = columnsOf(fake, 'forms', TICKETS);
    const ticketId = String(fake.cell('forms', TICKETS.name, 4, ticketCols.get('ticketId')!));
    await store.exclusive(async () => {
      await store.read([FOLLOW_UPS.name, TICKETS.name]);
      // Meanwhile someone types a row where the form meant to append, and sorts 工单.
      fake.setCell('forms', FOLLOW_UPS.name, planned, 4, '手工录入');
      fake.sortRows('forms', TICKETS.name, (a, b) => String(b[0]).localeCompare(String(a[0])));
      await store.writeCells([
        {
          tab: FOLLOW_UPS.name,
          row: planned,
          col: cols.get('followUpId')!,
          value: 'G20250999',
          rowId: 'G20250999',
          column: 'followUpId',
        },
        {
          tab: FOLLOW_UPS.name,
          row: planned,
          col: cols.get('content')!,
          value: '电话回访',
          rowId: 'G20250999',
          column: 'content',
        },
        {
          tab: TICKETS.name,
          row: 4,
          col: ticketCols.get('status')!,
          value: '已解决',
          rowId: ticketId,
          column: 'status',
        },
      ]);
    });
    expect(fake.cell('forms', FOLLOW_UPS.name, planned, 4)).toBe('手工录入');
    expect(fake.cell('forms', FOLLOW_UPS.name, planned + 1, cols.get('followUpId')!)).toBe(
      'G20250999',
    );
    expect(fake.cell('forms', FOLLOW_UPS.name, planned + 1, cols.get('content')!)).toBe('电话回访');
    const row = fake
      .grid('forms', TICKETS.name)
      .find((r) => r[ticketCols.get('ticketId')!] === ticketId)!;
    expect(row[ticketCols.get('status')!]).toBe('已解决');
  });

  test('an edit of a row deleted meanwhile writes nothing and says why', async () => {
    loadWorkbook(fake, 'forms-gone', cloneBook(small));
    const store = storeFor(fake, 'forms-gone');
    const ticketCols = columnsOf(fake, 'forms-gone', TICKETS);
    const ticketId = String(fake.cell('forms-gone', TICKETS.name, 3, ticketCols.get('ticketId')!));
    const before = fake.grid('forms-gone', TICKETS.name);
    const error = await store
      .exclusive(async () => {
        await store.read([TICKETS.name]);
        fake.deleteRows('forms-gone', TICKETS.name, 3);
        await store.writeCells([
          {
            tab: TICKETS.name,
            row: 3,
            col: ticketCols.get('status')!,
            value: '已关闭',
            rowId: ticketId,
            column: 'status',
          },
        ]);
      })
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(new RegExp(`${ticketId} 的行已不存在`));
    expect(fake.grid('forms-gone', TICKETS.name)).toEqual([
      ...before.slice(0, 2),
      ...before.slice(3),
    ]);
  });

  test('exclusive() runs one task at a time per spreadsheet', async () => {
    const a = storeFor(fake, 'lock');
    const b = storeFor(fake, 'lock');
    const order: string[] = [];
    const slow = (name: string) => async () => {
      order.push(`${name} start`);
      await new Promise((r) => setTimeout(r, 20));
      order.push(`${name} end`);
    };
    await Promise.all([a.exclusive(slow('a')), b.exclusive(slow('b'))]);
    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
  });
});
