/**
 * The Google mode put together for the CLI and the server: one store per configured
 * spreadsheet, the ID-token check, and a sync runner — in this process (syncs coalesced
 * per spreadsheet, node-cron) or, with REDIS_URL, BullMQ shared by every instance — with
 * a schedule per spreadsheet in that spreadsheet's own time zone.
 */
import type { WallSeconds } from '../../shared/calendar.ts';
import {
  WorkbookService,
  type Schedule,
  type ServiceOptions,
  type SyncState,
} from '../sync/service.ts';
import { WorkbookNotFound } from '../sync/errors.ts';
import { runSync, type SyncSource, type SyncSummary } from '../sync/runSync.ts';
import { InProcessRunner, type Scheduled, type SyncRunner } from '../sync/runner.ts';
import { RedisRunner, connectRedis } from '../sync/redisRunner.ts';
import { DEFAULT_CRON, findSpreadsheet, type CrmConfig } from './config.ts';
import { createIdTokenAuth, type IdTokenAuth, type IdTokenAuthOptions } from './idToken.ts';
import { memoryLimiter, redisLimiter, requestsPerMinute, type RequestLimiter } from './quota.ts';
import {
  createSheetsStore,
  GoogleSheetsStore,
  type GoogleSheetsStoreOptions,
} from './sheetsStore.ts';

export interface GoogleServiceOptions {
  store?: GoogleSheetsStoreOptions;
  auth?: IdTokenAuthOptions;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  /** node-cron's schedule, replaceable in tests */
  schedule?: Schedule;
}

export interface GoogleService {
  /** runs each spreadsheet's syncs one at a time, as jobs (POST /api/sync, schedules) */
  readonly runner: SyncRunner;
  readonly config: CrmConfig;
  readonly auth: IdTokenAuth;
  /** the store of a configured spreadsheet; WorkbookNotFound for any other */
  store(spreadsheetId: string): GoogleSheetsStore;
  /**
   * Runs a sync. Without `now`, a request that arrives while one runs joins the next run
   * (sync/coalesce.ts), so HTTP, forms and cron share runs.
   */
  sync(spreadsheetId: string, source: SyncSource, now?: WallSeconds): Promise<SyncSummary>;
  status(spreadsheetId: string): SyncState;
  /** Starts one schedule per spreadsheet (its `cron`, default daily 06:00) in its time zone. */
  startCron(): Promise<{ stop(): Promise<void> }>;
  close(): Promise<void>;
}

export function createGoogleService(
  config: CrmConfig,
  options: GoogleServiceOptions = {},
): GoogleService {
  const env = options.env ?? process.env;
  const log = options.log ?? ((m: string) => console.error(m));
  const stores = new Map<string, GoogleSheetsStore>();
  const services = new Map<string, WorkbookService>();
  const perMinute = requestsPerMinute(env);
  const redisUrl = env.REDIS_URL || undefined;
  const quotaRedis = redisUrl ? connectRedis(redisUrl) : undefined;
  const limiter: RequestLimiter = quotaRedis
    ? redisLimiter(quotaRedis, perMinute)
    : memoryLimiter(perMinute);

  const store = (spreadsheetId: string): GoogleSheetsStore => {
    const sheet = findSpreadsheet(config, spreadsheetId);
    if (!sheet) throw new WorkbookNotFound(`本服务未配置表格 ${spreadsheetId}`);
    let s = stores.get(spreadsheetId);
    if (!s) {
      s = createSheetsStore(
        spreadsheetId,
        { name: sheet.name, log, throttle: () => limiter.acquire(), ...options.store },
        env,
      );
      stores.set(spreadsheetId, s);
    }
    return s;
  };

  const service = (spreadsheetId: string): WorkbookService => {
    let s = services.get(spreadsheetId);
    if (!s) {
      const runner: ServiceOptions = { log: (line) => log(`${spreadsheetId}: ${line}`) };
      if (options.schedule) runner.schedule = options.schedule;
      s = new WorkbookService(store(spreadsheetId), runner);
      services.set(spreadsheetId, s);
    }
    return s;
  };

  const runner: SyncRunner = redisUrl
    ? new RedisRunner({
        url: redisUrl,
        workbooks: config.spreadsheets.map((s) => s.id),
        run: (id, source) => service(id).sync(source),
        log,
      })
    : new InProcessRunner(service);
  const ready = runner instanceof RedisRunner ? runner.start() : Promise.resolve();
  const certsUrl = env.GOOGLE_ID_TOKEN_CERTS_URL;

  return {
    config,
    runner,
    auth: createIdTokenAuth(config, { ...(certsUrl ? { certsUrl } : {}), ...options.auth }),
    store,
    sync: (spreadsheetId, source, now) => service(spreadsheetId).sync(source, now),
    status: (spreadsheetId) => service(spreadsheetId).status(),
    async close() {
      await ready.catch(() => undefined);
      await runner.close();
      for (const s of services.values()) await s.close();
      await quotaRedis?.quit();
    },
    async startCron() {
      await ready;
      const entries: Scheduled[] = [];
      for (const sheet of config.spreadsheets) {
        let timezone = 'Asia/Shanghai';
        try {
          timezone = (await store(sheet.id).metadata()).timeZone ?? timezone;
        } catch (error) {
          log(
            `${sheet.name}: 读取表格时区失败，定时同步按 ${timezone} 计时（${
              error instanceof Error ? error.message : String(error)
            }）`,
          );
        }
        entries.push({
          workbookId: sheet.id,
          cron: sheet.cron ?? DEFAULT_CRON,
          timeZone: timezone,
        });
      }
      await runner.schedule(entries);
      return {
        async stop() {
          for (const e of entries) await service(e.workbookId).close();
        },
      };
    },
  };
}

/** One sync of one spreadsheet, for `crm-sync sync --spreadsheet <id>` (no config file needed). */
export function syncSpreadsheet(
  spreadsheetId: string,
  options: { now?: WallSeconds; source?: SyncSource; store?: GoogleSheetsStoreOptions } = {},
): Promise<SyncSummary> {
  const store = createSheetsStore(spreadsheetId, options.store);
  const run: { now?: WallSeconds; source: SyncSource } = { source: options.source ?? '命令行' };
  if (options.now !== undefined) run.now = options.now;
  return runSync(store, run);
}
