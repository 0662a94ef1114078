/** Figures the timing benches print alike. */
import { loadavg } from 'node:os';

/** The median of `xs` (any order; not changed), the mean of the middle two for an even count. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** The 1, 5 and 15 minute load averages, one decimal each. */
export const loadText = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');
