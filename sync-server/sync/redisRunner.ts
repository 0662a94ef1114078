/**
 * Syncs through BullMQ on Redis, for several instances of the service (Cloud Run scaled
 * out): one queue per workbook whose global concurrency is 1, so one sync per workbook
 * runs at a time across all instances; a request joins the job already waiting (a Redis
 * key names it until a worker takes it); schedules are BullMQ job schedulers, one per
 * workbook whoever registers them, so a scheduled sync runs once, not once per instance.
 *
 * The Sheets quota is per Cloud project and counts requests, not syncs (a sync is 5 to
 * 10 requests depending on size), so the rate limit is not BullMQ's per-job limiter but
 * a Redis counter every Sheets request takes a slot of (google/quota.ts).
 */
import { randomUUID } from 'node:crypto';
import { Queue, Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import type { SyncSummaryWire } from '../../shared/sync/summary.ts';
import type { SyncSource, SyncSummary } from './runSync.ts';
import {
  JOB_MEMORY_MS,
  jobError,
  publicJob,
  wireSummary,
  type Scheduled,
  type SyncJob,
  type SyncRunner,
} from './runner.ts';

interface JobData {
  workbookId: string;
  source: SyncSource;
}

export interface RedisRunnerOptions {
  /** redis://… as in REDIS_URL */
  url: string;
  /** every workbook this instance serves: it runs a worker for each */
  workbooks: readonly string[];
  run: (workbookId: string, source: SyncSource) => Promise<SyncSummary>;
  /** key prefix in Redis, so several deployments can share one server */
  prefix?: string;
  /** how often settled() looks at a job */
  pollMs?: number;
  log?: (line: string) => void;
}

const WAITING = new Set(['waiting', 'delayed', 'prioritized', 'waiting-children']);

// Deletes the "waiting job" key only if it still names this job.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0`;

/** A Redis connection as BullMQ wants it; a clear error when the URL is not redis://. */
export function connectRedis(url: string): Redis {
  if (!/^rediss?:\/\//.test(url))
    throw new Error(`REDIS_URL 应以 redis:// 或 rediss:// 开头，而不是“${url}”`);
  return new Redis(url, { maxRetriesPerRequest: null });
}

export class RedisRunner implements SyncRunner {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly queues = new Map<string, Queue<JobData, SyncSummaryWire>>();
  private readonly workers: Worker<JobData, SyncSummaryWire>[] = [];

  constructor(private readonly options: RedisRunnerOptions) {
    this.redis = connectRedis(options.url);
    this.prefix = options.prefix ?? 'crm';
    for (const id of options.workbooks) {
      const queue = new Queue<JobData, SyncSummaryWire>(queueName(id), {
        connection: this.redis,
        prefix: this.prefix,
      });
      this.queues.set(id, queue);
      const worker = new Worker<JobData, SyncSummaryWire>(
        queueName(id),
        (job) => this.process(job),
        {
          connection: this.redis,
          prefix: this.prefix,
          concurrency: 1,
        },
      );
      worker.on('error', (e) => options.log?.(`${id}: Redis 队列出错：${e.message}`));
      this.workers.push(worker);
    }
  }

  /** Makes every workbook's queue run one job at a time across instances. */
  async start(): Promise<void> {
    for (const queue of this.queues.values()) await queue.setGlobalConcurrency(1);
  }

  async request(workbookId: string, source: SyncSource): Promise<SyncJob> {
    const queue = this.queue(workbookId);
    const key = this.waitingKey(workbookId);
    for (let attempt = 0; attempt < 5; attempt++) {
      const id = `${workbookId}.${randomUUID()}`;
      if (await this.redis.set(key, id, 'PX', JOB_MEMORY_MS, 'NX')) {
        await queue.add(
          'sync',
          { workbookId, source },
          {
            jobId: id,
            removeOnComplete: { age: JOB_MEMORY_MS / 1000 },
            removeOnFail: { age: JOB_MEMORY_MS / 1000 },
          },
        );
        return { job: id, state: 'queued' };
      }
      const waiting = await this.redis.get(key);
      if (!waiting) continue;
      const job = await queue.getJob(waiting);
      if (job && WAITING.has(await job.getState())) return { job: waiting, state: 'queued' };
      // A worker took it, or it was lost: the key is stale.
      await this.redis.eval(RELEASE, 1, key, waiting);
    }
    throw new Error(`表格 ${workbookId} 的同步请求过于频繁，请稍后再试`);
  }

  async job(jobId: string): Promise<(SyncJob & { workbookId: string }) | undefined> {
    const workbookId = jobId.slice(0, jobId.indexOf('.'));
    const queue = this.queues.get(workbookId);
    const job = queue && (await queue.getJob(jobId));
    if (!job) return undefined;
    const state = await job.getState();
    if (WAITING.has(state)) return { job: jobId, workbookId, state: 'queued' };
    if (state === 'active') return { job: jobId, workbookId, state: 'running' };
    if (state === 'completed')
      return { job: jobId, workbookId, state: 'done', summary: job.returnvalue };
    if (state === 'failed')
      return {
        job: jobId,
        workbookId,
        state: 'failed',
        error: { code: 'sync_failed', message: job.failedReason },
      };
    return undefined;
  }

  async settled(jobId: string): Promise<SyncJob> {
    for (;;) {
      const job = await this.job(jobId);
      if (!job) throw new Error(`没有同步任务 ${jobId}`);
      if (job.state === 'done' || job.state === 'failed') {
        return publicJob(job);
      }
      await new Promise((r) => setTimeout(r, this.options.pollMs ?? 250));
    }
  }

  async schedule(entries: readonly Scheduled[]): Promise<void> {
    for (const e of entries)
      await this.queue(e.workbookId).upsertJobScheduler(
        'schedule',
        { pattern: e.cron, tz: e.timeZone },
        {
          name: 'sync',
          data: { workbookId: e.workbookId, source: '定时' },
          opts: {
            removeOnComplete: { age: JOB_MEMORY_MS / 1000 },
            removeOnFail: { age: JOB_MEMORY_MS / 1000 },
          },
        },
      );
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.redis.quit();
  }

  private async process(job: Job<JobData, SyncSummaryWire>): Promise<SyncSummaryWire> {
    const { workbookId, source } = job.data;
    // Taken: from now on a new request queues a new job behind this one.
    await this.redis.eval(RELEASE, 1, this.waitingKey(workbookId), job.id ?? '');
    try {
      return wireSummary(await this.options.run(workbookId, source));
    } catch (error) {
      throw new Error(jobError(error).message, { cause: error });
    }
  }

  private queue(workbookId: string): Queue<JobData, SyncSummaryWire> {
    const queue = this.queues.get(workbookId);
    if (!queue) throw new Error(`本服务未配置表格 ${workbookId}`);
    return queue;
  }

  private waitingKey(workbookId: string): string {
    return `${this.prefix}:sync-waiting:${workbookId}`;
  }
}

/** BullMQ queue names may not contain ':'; spreadsheet IDs never do. */
const queueName = (workbookId: string) => `sync-${workbookId}`;
