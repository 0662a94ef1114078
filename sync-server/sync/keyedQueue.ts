/**
 * Work queued per key within this process: jobs for one key run one after another, in
 * the order they were queued; jobs for different keys run side by side. A job that fails
 * does not stop the ones queued after it.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(job);
    this.tails.set(key, run);
    const settled = run.catch(() => undefined);
    void settled.then(() => {
      if (this.tails.get(key) === run) this.tails.delete(key);
    });
    return run;
  }

  /** Keys with work queued or running. */
  get size(): number {
    return this.tails.size;
  }
}
