/**
 * One workbook served, local or Google: syncs coalesce, form writes ask for a debounced
 * sync, and a cron job syncs daily so "today" moves forward even when nobody edits.
 */
import {
  schedule as cronSchedule,
  validate,
  type ScheduledTask,
  type TaskOptions,
} from 'node-cron';
import { wallTimeOf, type WallSeconds } from '../../shared/calendar.ts';
import { Coalescer } from './coalesce.ts';
import { describeError } from './errorText.ts';
import { runSync, type SyncOptions, type SyncSource, type SyncSummary } from './runSync.ts';
import type { WorkbookStore } from './store.ts';
import type { SyncProgress } from './progress.ts';

export interface SyncState {
  /** the last sync that finished: when it started (ISO, before waiting for the workbook) and ended */
  lastSync: (SyncSummary & { startedAt: string; finishedAt: string }) | null;
  lastError: { message: string; at: string } | null;
  running: boolean;
  /** the running sync's phase and percent, and when it started (ISO); null between syncs */
  progress: (SyncProgress & { startedAt: string }) | null;
  workbook: string;
}

export type Schedule = (
  expression: string,
  task: () => Promise<void>,
  options: TaskOptions,
) => Pick<ScheduledTask, 'stop'>;

export interface ServiceOptions {
  /** how long form writes wait for more before their sync runs */
  debounceMs?: number;
  log?: (line: string) => void;
  /** runs before every sync (local mode: looks for an editor's lock file to warn about) */
  beforeSync?: () => Promise<void>;
  /** node-cron's schedule, replaceable in tests */
  schedule?: Schedule;
  /** sees each sync's validated rows and results (the warm 我的待办 and customer pages) */
  observe?: SyncOptions['observe'];
  /** the current instant in ms, when not the machine's (tests pin it, as for sign-in) */
  clock?: () => number;
  /**
   * work to do ahead of the next request after each sync that succeeded (local mode: the
   * forms' indexes); not awaited by the sync, its failure only logged
   */
  afterSync?: () => Promise<void>;
}

export class WorkbookService {
  private readonly coalescer: Coalescer<SyncSummary>;
  /** a coalesced run is logged under the source of the latest request it serves */
  private nextSource: SyncSource = '手动';
  private readonly state: SyncState;
  private debounce: NodeJS.Timeout | null = null;
  private task: Pick<ScheduledTask, 'stop'> | null = null;
  /** the afterSync runs, one after another; close() waits for them */
  private prepared: Promise<void> = Promise.resolve();

  constructor(
    readonly store: WorkbookStore,
    private readonly options: ServiceOptions = {},
  ) {
    this.state = {
      lastSync: null,
      lastError: null,
      running: false,
      progress: null,
      workbook: store.label,
    };
    this.coalescer = new Coalescer(() => this.track(this.nextSource));
  }

  /** Runs (or joins) a sync; a fixed `now` runs on its own, since a shared run has one now. */
  sync(source: SyncSource, now?: WallSeconds): Promise<SyncSummary> {
    if (now !== undefined) return this.track(source, now);
    this.nextSource = source;
    return this.coalescer.run();
  }

  /**
   * A form wrote a row: sync soon, once, however many forms arrive meanwhile. The wait
   * runs from the first form and is not pushed back by the next ones, so a steady stream
   * of forms cannot hold its sync off. While a sync runs there is no wait at all: the
   * form joins the sync queued behind it, which starts the moment the running one ends
   * and serves every form saved until then.
   */
  requestSync(): void {
    if (this.debounce) return;
    if (this.coalescer.busy) {
      this.sync('表单').catch(() => undefined);
      return;
    }
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.sync('表单').catch(() => undefined);
    }, this.options.debounceMs ?? 1500);
  }

  /** No sync is running, queued or waiting out its debounce. */
  get quiet(): boolean {
    return this.debounce === null && !this.coalescer.busy;
  }

  status(): SyncState {
    return { ...this.state, running: this.state.running || this.coalescer.busy };
  }

  /** Starts the daily sync; throws on an invalid cron expression. */
  startCron(expression: string, timeZone: string): void {
    if (!validate(expression)) throw new Error(`同步计划“${expression}”不是有效的 cron 表达式`);
    void this.task?.stop();
    const schedule = this.options.schedule ?? cronSchedule;
    this.task = schedule(
      expression,
      () =>
        this.sync('定时').then(
          () => undefined,
          () => undefined,
        ),
      {
        timezone: timeZone,
        name: `sync ${this.store.label}`,
        noOverlap: true,
      },
    );
  }

  /** Resolves once the work after the last sync (afterSync) is done. */
  idle(): Promise<void> {
    return this.prepared;
  }

  async close(): Promise<void> {
    if (this.debounce) clearTimeout(this.debounce);
    await this.task?.stop();
    this.task = null;
    await this.prepared;
  }

  private async prepare(): Promise<void> {
    const { afterSync, log } = this.options;
    await afterSync?.().catch((e: unknown) => log?.(`同步后的准备未完成：${describeError(e)}`));
  }

  private async track(source: SyncSource, now?: WallSeconds): Promise<SyncSummary> {
    const log = this.options.log;
    this.state.running = true;
    const startedAt = new Date().toISOString();
    try {
      await this.options.beforeSync?.().catch(() => undefined);
      const { observe, clock } = this.options;
      const at: SyncOptions['now'] =
        now ?? (clock ? (timeZone: string) => wallTimeOf(clock(), timeZone) : undefined);
      const summary = await runSync(this.store, {
        source,
        ...(at === undefined ? {} : { now: at }),
        ...(observe ? { observe } : {}),
        progress: (p) => {
          this.state.progress = { ...p, startedAt };
        },
      });
      this.state.lastSync = { ...summary, startedAt, finishedAt: new Date().toISOString() };
      this.state.lastError = null;
      log?.(
        `同步完成（${source}）：读取 ${summary.rowsRead} 行，写入 ${summary.cellsWritten} 个单元格，` +
          `${summary.errors} 个错误，${summary.warnings} 个警告，用时 ${summary.durationMs} 毫秒`,
      );
      // One at a time, in order: each works on what the sync before it wrote.
      this.prepared = this.prepared.then(() => this.prepare());
      return summary;
    } catch (e) {
      const message = describeError(e);
      this.state.lastError = { message, at: new Date().toISOString() };
      log?.(`同步失败（${source}）：${message}`);
      throw e;
    } finally {
      this.state.running = false;
      this.state.progress = null;
    }
  }
}
