/**
 * Keeping the Cloud project within the Sheets API's per-minute quota (by default 300
 * read and 300 write requests a minute per project): every request the stores send —
 * retries included — takes a slot of a fixed one-minute window first, and waits for the
 * next window when this one is full. In-process for one instance, in Redis for many.
 */
import type { Redis } from 'ioredis';

/** Requests a minute the service allows itself, below Google's 300, for the add-on's own reads. */
export const DEFAULT_REQUESTS_PER_MINUTE = 240;

export interface RequestLimiter {
  /** resolves when a request may be sent */
  acquire(): Promise<void>;
}

const WINDOW_MS = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** One window counter in this process. */
export function memoryLimiter(perMinute: number, now: () => number = Date.now): RequestLimiter {
  let window = -1;
  let used = 0;
  return {
    async acquire() {
      for (;;) {
        const t = now();
        const w = Math.floor(t / WINDOW_MS);
        if (w !== window) {
          window = w;
          used = 0;
        }
        if (used < perMinute) {
          used++;
          return;
        }
        await sleep((w + 1) * WINDOW_MS - t + Math.random() * 50);
      }
    },
  };
}

/**
 * One window counter in Redis, shared by every instance of the service. `windowMs` is a
 * minute but for tests; the count is per window of that length.
 */
export function redisLimiter(
  redis: Redis,
  perWindow: number,
  options: { prefix?: string; windowMs?: number } = {},
): RequestLimiter {
  const prefix = options.prefix ?? 'crm';
  const windowMs = options.windowMs ?? WINDOW_MS;
  return {
    async acquire() {
      for (;;) {
        const t = Date.now();
        const w = Math.floor(t / windowMs);
        const key = `${prefix}:sheets-requests:${w}`;
        const result = await redis
          .multi()
          .incr(key)
          .pexpire(key, 2 * windowMs)
          .exec();
        const used = Number(result?.[0]?.[1] ?? Number.POSITIVE_INFINITY);
        if (used <= perWindow) return;
        await sleep((w + 1) * windowMs - t + Math.random() * Math.min(200, windowMs / 10));
      }
    },
  };
}

/** SHEETS_REQUESTS_PER_MINUTE, else the default; a clear error for anything but a positive integer. */
export function requestsPerMinute(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.SHEETS_REQUESTS_PER_MINUTE;
  if (raw === undefined || raw.trim() === '') return DEFAULT_REQUESTS_PER_MINUTE;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(
      `SHEETS_REQUESTS_PER_MINUTE 应为正整数（每分钟 Sheets API 请求数），而不是“${raw}” / must be a positive integer`,
    );
  return n;
}
