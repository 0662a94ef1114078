/**
 * The heap policy of a process that runs one cold sync and exits. The sync lets go of
 * each tab's rows as soon as it is done with them (sync/releaseRows.ts), but by default
 * V8 lets its heap grow to several times what was live at the last full collection
 * before it collects again, so what was let go would still count in the peak: at
 * 100,000 customers the process would pass 1.4 GB with under 700 MB live. Collecting
 * once the heap has grown 30% past the live data keeps the peak near what is live, for
 * a few more collections of a heap that is mostly garbage by then. Only once the rows
 * are read: while reading, nearly all that is allocated stays live, and collecting more
 * often there would only mark the same rows again (seconds of CPU at that size).
 */
import { setFlagsFromString } from 'node:v8';
import type { ProgressSink } from '../sync/progress.ts';

/** How far past the live data the heap may grow before a full collection, in percent. */
const HEAP_GROWTH_PERCENT = 30;

function collectEagerly(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWTH_PERCENT}`);
}

/** Passes progress on to `sink`, and switches to eager collection once the read is over. */
export function collectingEagerlyAfterRead(sink: ProgressSink): ProgressSink {
  let switched = false;
  return (progress) => {
    if (!switched && progress.phase !== '读取') {
      switched = true;
      collectEagerly();
    }
    sink(progress);
  };
}
