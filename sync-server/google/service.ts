/**
 * The Google mode put together for the CLI and the server: one store per configured
 * spreadsheet, syncs coalesced per spreadsheet, the add-on's ID-token check, and a cron
 * per spreadsheet in that spreadsheet's own time zone.
 */
import { schedule as cronSchedule, type ScheduledTask, type TaskOptions } from 'node-cron';
import type { WallSeconds } from '../../shared/calendar.ts';
import { Coalescer } from '../sync/coalesce.ts';
import { HttpError } from '../http/errors.ts';
import { runSync, type SyncSource, type SyncSummary } from '../sync/runSync.ts';
import { DEFAULT_CRON, findSpreadsheet, type CrmConfig } from './config.ts';
import { createIdTokenAuth, type IdTokenAuth, type IdTokenAuthOptions } from './idToken.ts';
import {
  createSheetsStore,
  GoogleSheetsStore,
  type GoogleSheetsStoreOptions,
} from './sheetsStore.ts';

export interface SyncState {
  lastSync: (SyncSummary & { finishedAt: string }) | null;
  lastError: { message: string; at: string } | null;
  running: boolean;
  workbook: string;
}

export interface GoogleServiceOptions {
  store?: GoogleSheetsStoreOptions;
  auth?: IdTokenAuthOptions;
  env?: NodeJS.ProcessEnv;
  log?: (message: string) => void;
  /** node-cron's schedule, replaceable in tests */
  schedule?: (
    expression: string,
    task: () => Promise<void>,
    options: TaskOptions,
  ) => Pick<ScheduledTask, 'stop'>;
}

export interface GoogleService {
  readonly config: CrmConfig;
  readonly auth: IdTokenAuth;
  /** the store of a configured spreadsheet; HttpError 404 for any other */
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
  const runs = new Map<string, Coalescer<SyncSummary>>();
  const states = new Map<string, SyncState>();

  const store = (spreadsheetId: string): GoogleSheetsStore => {
    const sheet = findSpreadsheet(config, spreadsheetId);
    if (!sheet) throw new HttpError(404, 'not_found', `本服务未配置表格 ${spreadsheetId}`);
    let s = stores.get(spreadsheetId);
    if (!s) {
      s = createSheetsStore(spreadsheetId, { name: sheet.name, log, ...options.store }, env);
      stores.set(spreadsheetId, s);
    }
    return s;
  };

  const state = (spreadsheetId: string): SyncState => {
    let s = states.get(spreadsheetId);
    if (!s) {
      s = { lastSync: null, lastError: null, running: false, workbook: store(spreadsheetId).label };
      states.set(spreadsheetId, s);
    }
    return s;
  };

  const track = async (
    spreadsheetId: string,
    run: () => Promise<SyncSummary>,
  ): Promise<SyncSummary> => {
    const s = state(spreadsheetId);
    s.running = true;
    try {
      const summary = await run();
      s.lastSync = { ...summary, finishedAt: new Date().toISOString() };
      return summary;
    } catch (error) {
      s.lastError = {
        message: error instanceof Error ? error.message : String(error),
        at: new Date().toISOString(),
      };
      throw error;
    } finally {
      s.running = false;
    }
  };

  // A coalesced run is logged under the source of the latest request it serves.
  const pendingSource = new Map<string, SyncSource>();
  const sync = (spreadsheetId: string, source: SyncSource, now?: WallSeconds) => {
    const target = store(spreadsheetId);
    if (now !== undefined) return track(spreadsheetId, () => runSync(target, { now, source }));
    let coalescer = runs.get(spreadsheetId);
    if (!coalescer) {
      coalescer = new Coalescer(() =>
        track(spreadsheetId, () =>
          runSync(target, { source: pendingSource.get(spreadsheetId) ?? source }),
        ),
      );
      runs.set(spreadsheetId, coalescer);
    }
    pendingSource.set(spreadsheetId, source);
    return coalescer.run();
  };

  return {
    config,
    auth: createIdTokenAuth(config, options.auth),
    store,
    sync,
    status: (spreadsheetId) => ({ ...state(spreadsheetId) }),
    async startCron() {
      const schedule = options.schedule ?? cronSchedule;
      const tasks: Pick<ScheduledTask, 'stop'>[] = [];
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
        const expression = sheet.cron ?? DEFAULT_CRON;
        tasks.push(
          schedule(
            expression,
            async () => {
              try {
                const summary = await sync(sheet.id, '定时');
                log(`${sheet.name}: 定时同步完成，写入 ${summary.cellsWritten} 个单元格`);
              } catch (error) {
                log(
                  `${sheet.name}: 定时同步失败：${error instanceof Error ? error.message : String(error)}`,
                );
              }
            },
            { timezone, name: `sync ${sheet.id}`, noOverlap: true },
          ),
        );
      }
      return {
        async stop() {
          for (const t of tasks) await t.stop();
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
