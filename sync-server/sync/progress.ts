/**
 * How far a sync is: its phase and a percent of the whole. runSync reports through a
 * callback; the CLI draws it on stderr, the service shows it on /api/status and pages.
 */
export type SyncPhase = '读取' | '校验' | '计算' | '写入';

export interface SyncProgress {
  phase: SyncPhase;
  /** 0–100 of the whole sync, never past 99 before the sync has returned */
  percent: number;
}

export type ProgressSink = (progress: SyncProgress) => void;

/**
 * Each phase's share of the percent, after its share of a full sync's time at 100,000
 * customers (`npm run bench`: reading about 30%, validation 25%, compute 15%, writing 30%).
 */
const SPANS: Readonly<Record<SyncPhase, readonly [number, number]>> = {
  读取: [0, 30],
  校验: [30, 55],
  计算: [55, 70],
  写入: [70, 99],
};

/** The percent of the whole sync at `fraction` (0–1) of `phase`. */
export function percentOf(phase: SyncPhase, fraction: number): number {
  const [from, to] = SPANS[phase];
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  return Math.floor(from + (to - from) * f);
}

/** Reports (phase, fraction) to `sink` only when the phase or the whole percent changes. */
export function phaseReporter(sink?: ProgressSink): (phase: SyncPhase, fraction: number) => void {
  if (!sink) return () => {};
  let last: SyncProgress | null = null;
  return (phase, fraction) => {
    const percent = percentOf(phase, fraction);
    if (last && last.phase === phase && last.percent === percent) return;
    last = { phase, percent };
    sink(last);
  };
}
