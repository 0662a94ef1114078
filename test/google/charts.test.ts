/**
 * Charts in Google mode against the fake: added with their developer metadata on the
 * first sync, left alone when nothing moved, updated in place (never added again) when a
 * table grows, and re-added when someone deleted one — inside the sync's one
 * spreadsheets.batchUpdate, so the requests per sync stay constant.
 */
import { beforeEach, describe, expect, test } from 'vitest';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import type { FakeSheetsApi } from '../fakes/sheetsApi.ts';
import {
  cloneBook,
  columnsOf,
  loadWorkbook,
  NOW,
  storeFor,
  useSyncedReference,
} from './harness.ts';

const { book: small, fake: fakeOf } = useSyncedReference('charts-reference');
let fake: FakeSheetsApi;
beforeEach(() => {
  fake = fakeOf();
});

const batchKinds = () =>
  fake.requests.filter((r) => r.kind === 'spreadsheets.batchUpdate').flatMap((r) => r.batch ?? []);
const count = (kinds: string[], kind: string) => kinds.filter((k) => k === kind).length;
const charts = (id: string) => fake.book(id).charts?.charts ?? [];
const titleOf = (c: { spec: Record<string, unknown> }) => c.spec.title as string;

describe('charts in a Google spreadsheet', () => {
  test('the first sync adds five charts, each found again by developer metadata', async () => {
    loadWorkbook(fake, 'first', cloneBook(small));
    await runSync(storeFor(fake, 'first'), { now: NOW, source: '命令行' });
    // The same seven requests as without charts: they ride in the one batchUpdate.
    expect(fake.requests).toHaveLength(7);
    const kinds = batchKinds();
    expect(count(kinds, 'addChart')).toBe(5);
    expect(count(kinds, 'updateChartSpec')).toBe(0);
    // five charts, and the column widths and the bold title rows of 报表 and 销售分析
    expect(count(kinds, 'createDeveloperMetadata')).toBe(9);
    const byTitle = new Map(charts('first').map((c) => [titleOf(c), c]));
    expect([...byTitle.keys()].sort()).toEqual(
      ['产品销售', '健康度分布', '区域销售', '客户分层分布', '月度投诉'].sort(),
    );
    expect(byTitle.get('客户分层分布')!.spec.pieChart).toBeDefined();
    expect(byTitle.get('产品销售')!.spec.pieChart).toBeDefined();
    expect((byTitle.get('健康度分布')!.spec.basicChart as { chartType: string }).chartType).toBe(
      'COLUMN',
    );
    // Counts label their columns; sums in yuan do not.
    const labelOf = (title: string) =>
      (byTitle.get(title)!.spec.basicChart as { series: { dataLabel: { type: string } }[] })
        .series[0]!.dataLabel.type;
    expect(labelOf('健康度分布')).toBe('DATA');
    expect(labelOf('区域销售')).toBe('NONE');
    const reports = fake.sheet('first', '报表').sheetId;
    expect(byTitle.get('月度投诉')!.sheetId).toBe(reports);
    const marks = fake.book('first').charts!.developerMetadata.map((d) => d.metadataKey);
    expect(marks).toContain('crm-sync:chart:tiers');
  });

  test('a second sync over unchanged data touches no chart: three requests', async () => {
    loadWorkbook(fake, 'again', cloneBook(small));
    const store = storeFor(fake, 'again');
    await runSync(store, { now: NOW, source: '命令行' });
    fake.resetCounts();
    await runSync(store, { now: NOW, source: '定时' });
    expect(fake.requests.map((r) => r.kind)).toEqual([
      'spreadsheets.get',
      'values.batchGet',
      'values.batchUpdate',
    ]);
    expect(charts('again')).toHaveLength(5);
  });

  test('a table that grows moves its charts by updateChartSpec, adding none', async () => {
    loadWorkbook(fake, 'grow', cloneBook(small));
    const store = storeFor(fake, 'grow');
    await runSync(store, { now: NOW, source: '命令行' });
    const ids = charts('grow')
      .map((c) => c.chartId)
      .sort();
    // A region nobody had: 客户分布 and 区域销售 gain a row, so the region chart covers one more.
    const region = columnsOf(fake, 'grow', CUSTOMERS).get('region')!;
    fake.setCell('grow', CUSTOMERS.name, 2, region, '海外');
    fake.resetCounts();
    await runSync(store, { now: NOW, source: '命令行' });
    const kinds = batchKinds();
    expect(count(kinds, 'addChart')).toBe(0);
    expect(count(kinds, 'updateChartSpec')).toBeGreaterThanOrEqual(1);
    expect(count(kinds, 'createDeveloperMetadata')).toBe(0);
    expect(
      charts('grow')
        .map((c) => c.chartId)
        .sort(),
    ).toEqual(ids);
    // Only tab cells change: read, structure (the chart updates), the values, the log.
    expect(fake.requests.map((r) => r.kind)).toEqual([
      'spreadsheets.get',
      'values.batchGet',
      'spreadsheets.batchUpdate',
      'values.batchUpdate',
      'values.batchUpdate',
    ]);
    const regions = charts('grow').find((c) => titleOf(c) === '区域销售')!;
    expect(JSON.stringify(regions.spec)).toContain('"sheetId"');
  });

  test('a chart someone deleted is added again, the others left as they are', async () => {
    loadWorkbook(fake, 'deleted', cloneBook(small));
    const store = storeFor(fake, 'deleted');
    await runSync(store, { now: NOW, source: '命令行' });
    const state = fake.book('deleted').charts!;
    state.charts = state.charts.filter((c) => titleOf(c) !== '健康度分布');
    fake.resetCounts();
    await runSync(store, { now: NOW, source: '命令行' });
    const kinds = batchKinds();
    expect(count(kinds, 'addChart')).toBe(1);
    expect(count(kinds, 'updateDeveloperMetadata')).toBe(1);
    expect(charts('deleted')).toHaveLength(5);
  });
});
