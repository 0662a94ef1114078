/**
 * One workbook served: syncs coalesce, form writes ask for a debounced sync, and a
 * cron job syncs daily so "today" moves forward even when nobody edits.
 */
import { schedule, validate, type ScheduledTask } from 'node-cron';
import { Coalescer } from './coalesce.ts';
import { runSync, type SyncSource, type SyncSummary } from './runSync.ts';
import type { WorkbookStore } from './store.ts';

export interface ServiceOptions {
  /** how long form writes wait for more before their sync runs */
  debounceMs?: number;
  log?: (line: string) => void;
}

export class WorkbookService {
  private readonly coalescer: Coalescer<SyncSummary>;
  private nextSource: SyncSource = '手动';
  private last: (SyncSummary & { finishedAt: string }) | null = null;
  private lastError: string | null = null;
  private debounce: NodeJS.Timeout | null = null;
  private task: ScheduledTask | null = null;

  constructor(
    readonly store: WorkbookStore,
    private readonly options: ServiceOptions = {},
  ) {
    this.coalescer = new Coalescer(async () => {
      const source = this.nextSource;
      try {
        const summary = await runSync(store, { source });
        this.last = { ...summary, finishedAt: new Date().toISOString() };
        this.lastError = null;
        this.options.log?.(
          `同步完成（${source}）：读取 ${summary.rowsRead} 行，写入 ${summary.cellsWritten} 个单元格，` +
            `${summary.errors} 个错误，${summary.warnings} 个警告，用时 ${summary.durationMs} 毫秒`,
        );
        return summary;
      } catch (e) {
        this.lastError = (e as Error).message;
        this.options.log?.(`同步失败（${source}）：${this.lastError}`);
        throw e;
      }
    });
  }

  sync(source: SyncSource): Promise<SyncSummary> {
    this.nextSource = source;
    return this.coalescer.run();
  }

  /** A form wrote a row: sync soon, once, however many forms arrive meanwhile. */
  requestSync(): void {
    if (this.debounce) clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.debounce = null;
      this.sync('表单').catch(() => undefined);
    }, this.options.debounceMs ?? 1500);
  }

  status(): {
    lastSync: (SyncSummary & { finishedAt: string }) | null;
    running: boolean;
    workbook: string;
    lastError: string | null;
  } {
    return {
      lastSync: this.last,
      running: this.coalescer.busy,
      workbook: this.store.label,
      lastError: this.lastError,
    };
  }

  /** Starts the daily sync; throws on an invalid cron expression. */
  startCron(expression: string, timeZone: string): void {
    if (!validate(expression)) throw new Error(`同步计划“${expression}”不是有效的 cron 表达式`);
    this.task?.stop();
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
      },
    );
  }

  async close(): Promise<void> {
    if (this.debounce) clearTimeout(this.debounce);
    await this.task?.destroy();
    this.task = null;
  }
}
