/**
 * The CLI's progress line: one line on stderr, redrawn in place, for a sync that has run
 * over two seconds. Only on a terminal: a log file or a pipe gets no carriage returns.
 */
import type { SyncProgress } from '../sync/progress.ts';

export interface ProgressLineOptions {
  write: (text: string) => void;
  isTTY: boolean;
  /** the clock, in ms */
  now?: () => number;
  /** how long a sync runs before the line appears; default 2000 */
  afterMs?: number;
  /** the least time between two redraws of the same phase; default 250 */
  everyMs?: number;
}

export function progressText(p: SyncProgress): string {
  return `同步中：${p.phase} ${p.percent}%`;
}

/** Erases the current terminal line from the cursor on. */
const CLEAR = '\x1b[K';

export class ProgressLine {
  private readonly now: () => number;
  private readonly started: number;
  private shown: SyncProgress | null = null;
  private drawnAt = 0;

  constructor(private readonly options: ProgressLineOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  /** The sink for runSync's progress. */
  readonly update = (p: SyncProgress): void => {
    if (!this.options.isTTY) return;
    const at = this.now();
    if (at - this.started < (this.options.afterMs ?? 2000)) return;
    const phaseChanged = this.shown?.phase !== p.phase;
    if (!phaseChanged && at - this.drawnAt < (this.options.everyMs ?? 250)) return;
    if (this.shown && !phaseChanged && this.shown.percent === p.percent) return;
    this.shown = p;
    this.drawnAt = at;
    this.options.write(`\r${progressText(p)}${CLEAR}`);
  };

  /** Clears the line, if one was drawn, so what follows starts on a clean line. */
  done(): void {
    if (this.shown) this.options.write(`\r${CLEAR}`);
    this.shown = null;
  }
}
