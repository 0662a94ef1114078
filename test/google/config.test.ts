/** The Google mode's config file, and the service built from it (stores, syncs, cron). */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import {
  ConfigError,
  configPath,
  findSpreadsheet,
  isAllowed,
  loadConfig,
  loadConfigFrom,
  parseConfig,
} from '../../sync-server/google/config.ts';
import { createGoogleService } from '../../sync-server/google/service.ts';
import type { FakeSheetsApi } from '../fakes/sheetsApi.ts';
import { useFakeSheetsApi } from '../fakes/useFakeSheetsApi.ts';
import { FAST_RETRY, loadWorkbook, NOW } from './harness.ts';
import { buildWorkbook } from './workbook.ts';

const valid = {
  spreadsheets: [
    {
      id: '1SalesEastAbCdEfGhIjKlMnOp',
      name: '华东销售',
      cron: '30 7 * * 1-5',
      allowed: ['Lead@Partner.cn', '@example.com'],
    },
    { id: '1SupportNorthAbCdEfGhIjKl', name: '华北客服', allowed: ['boss@example.org'] },
  ],
  oauthClientId: '123456789-addon.apps.googleusercontent.com',
};

function issuesOf(json: unknown): string[] {
  try {
    parseConfig(json, 'crm.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).issues];
  }
  throw new Error('expected the config to be refused');
}

describe('config', () => {
  test('a valid config is accepted, emails and domains lower-cased', () => {
    const config = parseConfig(valid);
    const east = findSpreadsheet(config, '1SalesEastAbCdEfGhIjKlMnOp')!;
    expect(east.allowed).toEqual(['lead@partner.cn', '@example.com']);
    expect(isAllowed(east, 'LEAD@partner.cn')).toBe(true);
    expect(isAllowed(east, 'anyone@example.com')).toBe(true);
    expect(isAllowed(east, 'anyone@sub.example.com')).toBe(false);
    expect(isAllowed(east, 'anyone@notexample.com')).toBe(false);
    expect(isAllowed(east, 'example.com')).toBe(false);
  });

  test('every problem is listed with where it is, in Chinese and English', () => {
    const issues = issuesOf({
      spreadsheets: [
        { id: 'short', name: '', cron: 'every day', allowed: ['bob', '@'] },
        { id: '1SalesEastAbCdEfGhIjKlMnOp', name: 'a', allowed: [] },
        { id: '1SalesEastAbCdEfGhIjKlMnOp', name: 'b', allowed: ['x@y.com'], colour: 'red' },
      ],
      oauthClientId: 'not-a-client-id',
    });
    const text = issues.join('\n');
    expect(text).toMatch(
      /spreadsheets\[0\]\.id: 表格 ID .* \/ must be the part of the spreadsheet URL/,
    );
    expect(text).toMatch(/spreadsheets\[0\]\.name: 名称不能为空 \/ name must not be empty/);
    expect(text).toMatch(
      /spreadsheets\[0\]\.cron: “every day”不是有效的 cron 表达式 \/ is not a valid cron/,
    );
    expect(text).toMatch(/spreadsheets\[0\]\.allowed\[0\]: “bob”既不是邮箱也不是以 @ 开头的域名/);
    expect(text).toMatch(/spreadsheets\[0\]\.allowed\[1\]/);
    expect(text).toMatch(/spreadsheets\[1\]\.allowed: allowed 至少要有一个/);
    expect(text).toMatch(/spreadsheets\[2\]: 未知字段 \/ unknown field: colour/);
    expect(text).toMatch(/oauthClientId: .*apps\.googleusercontent\.com/);
  });

  test('duplicate spreadsheet IDs and missing fields are refused', () => {
    const dup = issuesOf({
      ...valid,
      spreadsheets: [valid.spreadsheets[0], { ...valid.spreadsheets[0], name: 'again' }],
    });
    expect(dup.join('\n')).toMatch(/spreadsheets\[1\]\.id: 表格 ID .* 重复 \/ .* appears twice/);
    const missing = issuesOf({ spreadsheets: [] });
    expect(missing.join('\n')).toMatch(/spreadsheets: 至少配置一个表格/);
    expect(issuesOf({ spreadsheets: valid.spreadsheets }).join('\n')).toMatch(
      /spreadsheets\[0\]: 没有可接受的身份令牌受众/,
    );
    expect(issuesOf([]).join('\n')).toMatch(/\(root\): 配置应为 JSON 对象/);
  });

  describe('files', () => {
    let dir = '';
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'crm-config-'));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    test('loads from --config, --config=, or CRM_CONFIG', async () => {
      const file = join(dir, 'crm.json');
      await writeFile(file, JSON.stringify(valid));
      expect(configPath(['sync', '--config', file], {})).toBe(file);
      expect(configPath([`--config=${file}`], { CRM_CONFIG: 'other.json' })).toBe(file);
      expect(configPath([], { CRM_CONFIG: file })).toBe(file);
      expect(configPath([], {})).toBeUndefined();
      expect(() => configPath(['--config'], {})).toThrow(/--config 后面要跟配置文件路径/);
      expect((await loadConfigFrom([], { CRM_CONFIG: file })).spreadsheets).toHaveLength(2);
      await expect(loadConfigFrom([], {})).rejects.toThrow(/CRM_CONFIG/);
    });

    test('a missing file, or one that is not JSON, is named in the error', async () => {
      await expect(loadConfig(join(dir, 'nope.json'))).rejects.toThrow(
        /找不到配置文件 .*nope\.json/,
      );
      const bad = join(dir, 'bad.json');
      await writeFile(bad, '{ "spreadsheets": [ }');
      await expect(loadConfig(bad)).rejects.toThrow(/不是有效的 JSON .*bad\.json/);
      const wrong = join(dir, 'wrong.json');
      await writeFile(wrong, JSON.stringify({ ...valid, oauthClientId: 'x' }));
      await expect(loadConfig(wrong)).rejects.toThrow(/wrong\.json\n {2}- oauthClientId/);
    });
  });
});

describe('the Google service', () => {
  const fakeOf = useFakeSheetsApi();
  let fake: FakeSheetsApi;
  beforeEach(() => {
    fake = fakeOf();
  });

  const serviceFor = (
    scheduled: { expression: string; timezone?: string; run: () => Promise<void> }[] = [],
  ) =>
    createGoogleService(parseConfig(valid), {
      env: { SHEETS_API_ROOT_URL: fake.url, SHEETS_API_TOKEN: fake.token },
      store: { retry: FAST_RETRY },
      log: () => undefined,
      schedule: (expression, run, options) => {
        scheduled.push({ expression, timezone: options.timezone, run });
        return { stop: () => undefined };
      },
    });

  test('syncs a configured spreadsheet; concurrent requests share runs', async () => {
    const id = valid.spreadsheets[0]!.id;
    loadWorkbook(fake, id, buildWorkbook({ customers: 20, now: NOW }));
    const service = serviceFor();
    const fixed = await service.sync(id, '命令行', NOW);
    expect(fixed.result).toBe('success');
    fake.resetCounts();
    const [a, b, c] = await Promise.all([
      service.sync(id, '手动'),
      service.sync(id, '表单'),
      service.sync(id, '手动'),
    ]);
    expect(a.result).toBe('success');
    // The first runs alone; the two that came while it ran share the next run.
    expect(b).toBe(c);
    expect(fake.count('spreadsheets.get')).toBe(2);
    expect(service.status(id).lastSync?.result).toBe('success');
    expect(() => service.store('1UnknownSheetAbCdEfGhIj')).toThrow(/未配置表格/);
  });

  test('one cron per spreadsheet, in the spreadsheet’s time zone, default daily 06:00', async () => {
    const [east, north] = valid.spreadsheets;
    loadWorkbook(fake, east!.id, buildWorkbook({ customers: 5, now: NOW }), {
      timeZone: 'Asia/Urumqi',
    });
    loadWorkbook(fake, north!.id, buildWorkbook({ customers: 5, now: NOW }));
    const scheduled: { expression: string; timezone?: string; run: () => Promise<void> }[] = [];
    const service = serviceFor(scheduled);
    const cron = await service.startCron();
    expect(scheduled.map((s) => [s.expression, s.timezone])).toEqual([
      ['30 7 * * 1-5', 'Asia/Urumqi'],
      ['0 6 * * *', 'Asia/Shanghai'],
    ]);
    await scheduled[1]!.run();
    const log = fake.grid(north!.id, '同步日志');
    expect(log.at(-1)![1]).toBe('定时');
    await cron.stop();
  });
});
