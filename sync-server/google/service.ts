/**
 * The Google mode put together for the CLI and the server: one store per configured
 * spreadsheet, syncs coalesced per spreadsheet, the add-on's ID-token check, and a cron
 * per spreadsheet in that spreadsheet's own time zone.
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
import { DEFAULT_CRON, findSpreadsheet, type CrmConfig } from './config.ts';
import { createIdTokenAuth, type IdTokenAuth, type IdTokenAuthOptions } from './idToken.ts';
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
  /** Starts one cron per spreadsheet (its `cron`, default daily 06:00) in its time zone. */
  startCron(): Promise<{ stop(): Promise<void> }>;
}

export function createGoogleService(
  config: CrmConfig,
  options: GoogleServiceOptions = {},
): GoogleService {
  const env = options.env ?? process.env;
  const log = options.log ?? ((m: string) => console.error(m));
  const stores = new Map<string, GoogleSheetsStore>();
  const services = new Map<string, WorkbookService>();

  const store = (spreadsheetId: string): GoogleSheetsStore => {
    const sheet = findSpreadsheet(config, spreadsheetId);
    if (!sheet) throw new WorkbookNotFound(`本服务未配置表格 ${spreadsheetId}`);
    let s = stores.get(spreadsheetId);
    if (!s) {
      s = createSheetsStore(spreadsheetId, { name: sheet.name, log, ...options.store }, env);
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

  return {
    config,
    auth: createIdTokenAuth(config, options.auth),
    store,
    sync: (spreadsheetId, source, now) => service(spreadsheetId).sync(source, now),
    status: (spreadsheetId) => service(spreadsheetId).status(),
    async startCron() {
      const started: WorkbookService[] = [];
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
        const runner = service(sheet.id);
        runner.startCron(sheet.cron ?? DEFAULT_CRON, timezone);
        started.push(runner);
      }
      return {
        async stop() {
          for (const runner of started) await runner.close();
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
