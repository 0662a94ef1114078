/**
 * The service's idle collections: made only once the heap has grown past the threshold
 * from what the last collection left, counted from a collection the engine made on its
 * own, and made for real by the engine in this Node.
 */
import { getHeapStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { idleCollector } from '../../sync-server/sync/idleCollect.ts';

const MB = 1024 * 1024;

/** A heap whose size the test sets, and a collection that brings it to `live`. */
function fakeHeap(start: number) {
  const heap = { used: start, live: start, collections: 0 };
  const collector = idleCollector({
    heapUsed: () => heap.used,
    collect: () => {
      heap.collections++;
      heap.used = heap.live;
    },
  });
  return { heap, collector };
}

describe('idle collections', () => {
  it('collects once the heap grew by the larger of 15% and 64 MB, then counts from what it left', () => {
    const { heap, collector } = fakeHeap(1000 * MB);
    heap.used = 1140 * MB;
    expect(collector.maybeCollect()).toBe(false);
    heap.used = 1150 * MB;
    expect(collector.maybeCollect()).toBe(true);
    expect(heap.collections).toBe(1);
    // it left 1,000 MB: the next collection waits for 150 MB more again
    heap.used = 1100 * MB;
    expect(collector.maybeCollect()).toBe(false);
    expect(collector.stats.count).toBe(1);
  });

  it('leaves a small heap alone until it grew by 64 MB', () => {
    const { heap, collector } = fakeHeap(50 * MB);
    heap.used = 110 * MB;
    expect(collector.maybeCollect()).toBe(false);
    heap.used = 115 * MB;
    expect(collector.maybeCollect()).toBe(true);
  });

  it('counts from a collection the engine made on its own', () => {
    const { heap, collector } = fakeHeap(1000 * MB);
    heap.used = 800 * MB;
    expect(collector.maybeCollect()).toBe(false);
    heap.used = 930 * MB;
    expect(collector.maybeCollect()).toBe(true);
  });

  it('does nothing where no collection can be made', () => {
    const collector = idleCollector({ heapUsed: () => 10_000 * MB, collect: null });
    expect(collector.maybeCollect()).toBe(false);
  });

  it("makes the engine's full collection in this Node", () => {
    let big: number[][] | null = Array.from({ length: 2000 }, () =>
      new Array<number>(8000).fill(1),
    );
    expect(big.length).toBe(2000);
    const collector = idleCollector({ minBytes: 0, growth: 0 });
    big = null;
    expect(big).toBeNull();
    const before = getHeapStatistics().used_heap_size;
    expect(collector.maybeCollect()).toBe(true);
    expect(collector.stats.count).toBe(1);
    // the 2,000 arrays of 8,000 numbers (125 MB) are gone
    expect(before - getHeapStatistics().used_heap_size).toBeGreaterThan(100 * MB);
  });
});
