/**
 * Full garbage collections at moments nobody waits for. A warm service keeps a large
 * workbook's rows (over a gigabyte at 100,000 customers), and each form's sync leaves a
 * few tens of megabytes behind in the old generation. Left to itself the engine marks
 * the whole heap once that growth reaches its limit — about a second of the service's
 * time, spent during whichever form's save or sync happens to cross it. Collecting when
 * the service has just finished a sync and nothing is queued, before that limit is
 * near, moves that second to a moment between forms.
 */
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type Collect = () => void;

/**
 * The engine's full collection: the one `--expose-gc` gives, else one exposed now (a
 * new context made after the flag is set gets `gc`); null where neither is allowed.
 */
function fullCollection(): Collect | null {
  const own = (globalThis as { gc?: Collect }).gc;
  if (typeof own === 'function') return own;
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as Collect) : null;
  } catch {
    return null;
  }
}

export interface IdleCollectorOptions {
  /**
   * Collect once the heap has grown this share past what the last collection left
   * (default 0.15): below the engine's own limit, which on a heap of a gigabyte or more
   * let it grow about a quarter before marking it (at 100,000 customers, every four or
   * five forms rather than every dozen, none of them inside a form).
   */
  growth?: number;
  /** and by at least this many bytes (default 64 MB), so that a small heap is left alone */
  minBytes?: number;
  /** the heap in use, in bytes (tests replace it) */
  heapUsed?: () => number;
  /** the collection itself (tests replace it) */
  collect?: Collect | null;
}

export interface IdleCollector {
  /** Collects now if the heap grew past the threshold; true when it did. */
  maybeCollect(): boolean;
  /** collections made, the milliseconds they took in all, and the longest */
  readonly stats: { count: number; ms: number; maxMs: number };
}

export function idleCollector(options: IdleCollectorOptions = {}): IdleCollector {
  const growth = options.growth ?? 0.15;
  const minBytes = options.minBytes ?? 64 * 1024 * 1024;
  const heapUsed = options.heapUsed ?? (() => getHeapStatistics().used_heap_size);
  const collect = options.collect === undefined ? fullCollection() : options.collect;
  // What the last collection (ours or the engine's) left: the lowest heap seen since.
  let base = heapUsed();
  const stats = { count: 0, ms: 0, maxMs: 0 };
  return {
    stats,
    maybeCollect() {
      const used = heapUsed();
      // A collection the engine made on its own lowers the heap: start counting from there.
      if (used < base) base = used;
      if (collect === null || used - base < Math.max(minBytes, base * growth)) return false;
      const start = performance.now();
      collect();
      const ms = performance.now() - start;
      stats.ms += ms;
      stats.maxMs = Math.max(stats.maxMs, ms);
      stats.count++;
      base = heapUsed();
      return true;
    },
  };
}
