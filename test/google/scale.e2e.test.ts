/**
 * Requests per sync must not grow with rows: the same count at 100, 10,000 and 50,000
 * customers, except one more values.batchUpdate per further ~2 MB of values written.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../sync-server/google/sheetsStore.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { FakeSheetsApi } from '../fakes/sheetsApi.ts';
import { loadWorkbook, NOW, storeFor, syncValuesById } from './harness.ts';
import { buildWorkbook } from './workbook.ts';

interface Run {
  requests: number;
  valueRequests: number;
  /** ValueRanges in all values.batchUpdate requests */
  valueRanges: number;
  bytesIn: number;
  /** response bodies: what the store read */
  bytesOut: number;
  ms: number;
  cells: number;
}

interface Measure {
  customers: number;
  first: Run;
  second: Run;
}

let fake: FakeSheetsApi;
const results: Measure[] = [];

beforeAll(async () => {
  fake = await FakeSheetsApi.start();
});

afterAll(async () => {
  await fake.close();
  console.log(
    [
      'customers | first sync: requests (values.batchUpdate), ValueRanges, cells, bytes sent, bytes read, ms | second sync: requests, bytes sent, bytes read, ms',
    ]
      .concat(
        results.map(
          (r) =>
            `${r.customers} | ${r.first.requests} (${r.first.valueRequests}), ${r.first.valueRanges}, ${r.first.cells}, ${r.first.bytesIn}, ${r.first.bytesOut}, ${r.first.ms} | ${r.second.requests}, ${r.second.bytesIn}, ${r.second.bytesOut}, ${r.second.ms}`,
        ),
      )
      .join('\n'),
  );
});

async function measure(customers: number): Promise<Measure> {
  const id = `scale-${customers}`;
  loadWorkbook(fake, id, buildWorkbook({ customers, now: NOW, customersOnly: true }));
  const store = storeFor(fake, id);
  const once = async () => {
    fake.resetCounts();
    const started = Date.now();
    const summary = await runSync(store, { now: NOW, source: '命令行' });
    return {
      requests: fake.count(),
      valueRequests: fake.count('values.batchUpdate'),
      valueRanges: fake.requests
        .filter((r) => r.kind === 'values.batchUpdate')
        .reduce((n, r) => n + r.ranges, 0),
      bytesIn: fake.bytesIn(),
      bytesOut: fake.requests.reduce((n, r) => n + r.bytesOut, 0),
      ms: Date.now() - started,
      cells: summary.cellsWritten,
    };
  };
  const first = await once();
  const second = await once();
  expect(syncValuesById(fake, id, CUSTOMERS).size).toBe(customers);
  fake.spreadsheets.delete(id);
  const m = { customers, first, second };
  results.push(m);
  return m;
}

function expectSameShape(a: Measure, b: Measure): void {
  // Beyond the first ~2 MB, each further ~2 MB of values is one more request; nothing else grows.
  expect(a.first.requests - a.first.valueRequests).toBe(b.first.requests - b.first.valueRequests);
  expect(a.second.requests).toBe(b.second.requests);
}

function expectValueRequestsFitPayload(m: Measure): void {
  const needed = Math.ceil(m.first.bytesIn / DEFAULT_MAX_PAYLOAD_BYTES);
  expect(m.first.valueRequests).toBeGreaterThanOrEqual(1);
  expect(m.first.valueRequests).toBeLessThanOrEqual(needed + 2);
}

test('100 and 10,000 customers: the same requests per sync', async () => {
  const a = await measure(100);
  const b = await measure(10_000);
  // values, then 同步日志 once the values are verified
  expect(a.first.valueRequests).toBe(2);
  expect(a.first.requests).toBe(7);
  expect(a.second.requests).toBe(3);
  expectSameShape(a, b);
  expectValueRequestsFitPayload(b);
}, 60_000);

test('50,000 customers: still the same requests per sync', async () => {
  const small = results.find((r) => r.customers === 100) ?? (await measure(100));
  const big = await measure(50_000);
  expectSameShape(small, big);
  expectValueRequestsFitPayload(big);
  expect(big.first.valueRequests).toBeGreaterThan(1);
}, 120_000);
