/**
 * "Run this workbook's sync, once at a time, on a schedule" — asked for by HTTP, forms
 * and timers, and followed by job ID. Two implementations: in this process (the
 * default, node-cron for the schedule) and BullMQ on Redis for many instances
 * (sync-server/sync/redisRunner.ts).
 */
import { randomUUID } from 'node:crypto';
import type { SyncSummaryWire } from '../../shared/sync/summary.ts';
import type { SyncSource, SyncSummary } from './runSync.ts';
import type { WorkbookService } from './service.ts';

export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** What `GET /api/sync/<job>` answers. */
export interface SyncJob {
  job: string;
  state: JobState;
  summary?: SyncSummaryWire;
  error?: { code: string; message: string };
}

export interface Scheduled {
  workbookId: string;
  cron: string;
  timeZone: string;
}

export interface SyncRunner {
  /**
   * Asks for a sync. A request while one waits for its turn joins that one (same job);
   * while one runs, a new job is queued behind it, so every request is served by a sync
   * that started after it arrived.
   */
  request(workbookId: string, source: SyncSource): Promise<SyncJob>;
  /** A job still remembered, with the workbook it is for; undefined if unknown. */
  job(jobId: string): Promise<(SyncJob & { workbookId: string }) | undefined>;
  /** Waits until the job is done or failed. */
  settled(jobId: string): Promise<SyncJob>;
  /** Scheduled syncs: each fires once per schedule, however many instances run. */
  schedule(entries: readonly Scheduled[]): Promise<void>;
  close(): Promise<void>;
}

/** The summary as the wire carries it: no timings or store internals. */
export function wireSummary(s: SyncSummary): SyncSummaryWire {
  return {
    result: s.result,
    rowsRead: s.rowsRead,
    cellsWritten: s.cellsWritten,
    errors: s.errors,
    warnings: s.warnings,
    durationMs: s.durationMs,
  };
}

/** A job as callers see it, without the workbook it belongs to. */
export function publicJob(job: SyncJob & { workbookId?: string }): SyncJob {
  const out: SyncJob = { job: job.job, state: job.state };
  if (job.summary) out.summary = job.summary;
  if (job.error) out.error = job.error;
  return out;
}

export function jobError(error: unknown): { code: string; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'sync_failed', message };
}

/** How long finished jobs are remembered for `GET /api/sync/<job>`. */
export const JOB_MEMORY_MS = 60 * 60 * 1000;

interface Entry {
  workbookId: string;
  job: SyncJob;
  done: Promise<SyncJob>;
  finishedAt?: number;
}

/**
 * In this process: one WorkbookService per workbook does the running (and its node-cron
 * the schedule); this keeps the job records. Enough for one always-on instance.
 */
export class InProcessRunner implements SyncRunner {
  private readonly jobs = new Map<string, Entry>();
  private readonly running = new Map<string, Entry>();
  private readonly queued = new Map<string, Entry>();

  constructor(private readonly serviceOf: (workbookId: string) => WorkbookService) {}

  request(workbookId: string, source: SyncSource): Promise<SyncJob> {
    this.forget();
    const waiting = this.queued.get(workbookId);
    if (waiting) return Promise.resolve({ ...waiting.job });
    const service = this.serviceOf(workbookId);
    const before = this.running.get(workbookId);
    const job: SyncJob = { job: randomUUID(), state: before ? 'queued' : 'running' };
    const entry = { workbookId, job } as Entry;
    const start = async (): Promise<SyncJob> => {
      if (before) {
        await before.done;
        this.queued.delete(workbookId);
      }
      this.running.set(workbookId, entry);
      job.state = 'running';
      try {
        job.summary = wireSummary(await service.sync(source));
        job.state = 'done';
      } catch (error) {
        job.error = jobError(error);
        job.state = 'failed';
      } finally {
        if (this.running.get(workbookId) === entry) this.running.delete(workbookId);
        entry.finishedAt = Date.now();
      }
      return { ...job };
    };
    if (before) this.queued.set(workbookId, entry);
    entry.done = start();
    this.jobs.set(job.job, entry);
    return Promise.resolve({ ...job });
  }

  job(jobId: string): Promise<(SyncJob & { workbookId: string }) | undefined> {
    const entry = this.jobs.get(jobId);
    return Promise.resolve(entry ? { ...entry.job, workbookId: entry.workbookId } : undefined);
  }

  async settled(jobId: string): Promise<SyncJob> {
    const entry = this.jobs.get(jobId);
    if (!entry) throw new Error(`没有同步任务 ${jobId}`);
    return entry.done;
  }

  async schedule(entries: readonly Scheduled[]): Promise<void> {
    for (const e of entries) this.serviceOf(e.workbookId).startCron(e.cron, e.timeZone);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    const services = new Set([...this.jobs.values()].map((e) => e.workbookId));
    for (const id of services) await this.serviceOf(id).close();
  }

  private forget(): void {
    const now = Date.now();
    for (const [id, entry] of this.jobs)
      if (entry.finishedAt !== undefined && now - entry.finishedAt > JOB_MEMORY_MS)
        this.jobs.delete(id);
  }
}
