/**
 * Concurrent sync requests for one workbook share a run: a request that arrives while a
 * sync is running waits for the next one (which starts once the current one ends), so
 * every caller gets a result that includes the data as it was when they asked.
 */
export class Coalescer<T> {
  private running: Promise<T> | null = null;
  private queued: Promise<T> | null = null;

  constructor(private readonly task: () => Promise<T>) {}

  run(): Promise<T> {
    if (!this.running) return this.start();
    if (!this.queued) {
      const after = this.running.catch(() => undefined);
      this.queued = after.then(() => {
        this.queued = null;
        return this.start();
      });
    }
    return this.queued;
  }

  get busy(): boolean {
    return this.running !== null;
  }

  private start(): Promise<T> {
    const p = this.task().finally(() => {
      if (this.running === p) this.running = null;
    });
    this.running = p;
    return p;
  }
}
