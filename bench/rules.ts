/**
 * Times computeRules on a synthetic workbook of 100,000 customers and about 1,000,000
 * child rows, run after run in one process: the first run (code not yet optimised by the
 * engine), the next two (the optimiser compiles the passes, which run once per
 * computation, while they run, and drops code whose assumptions the second run breaks),
 * then the warm runs. Each run's garbage collection pauses are counted apart: the
 * scavenges that copy the results the run keeps, and now and then a full collection of
 * the earlier runs' results, which marks the whole dataset. After each run, the plain
 * pass of plainPass.ts over the same rows is timed as a yardstick of the machine's speed
 * in that minute, and computeRules ÷ that pass is reported beside the times. The dataset
 * comes as validation leaves it, each child row's customer found once (customerPositions.ts);
 * six more runs on the same rows in new arrays, which carry no such record, time the rules
 * looking every 客户编号 up, as they do on a dataset made any other way.
 * Run: npx tsx bench/rules.ts [customers] [runs]   (runs: 10 unless given, at least 5)
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import { computeRules } from '../shared/rules/index.ts';
import { dateOf } from '../shared/calendar.ts';
import { plainPass } from './plainPass.ts';
import { BENCH_NOW, benchDataset } from './rulesDataset.ts';
import { loadText as load, median } from './stats.ts';

const customers = Number(process.argv[2] ?? 100_000);
const runs = Math.max(5, Number(process.argv[3] ?? 10));
/** Runs 2 and 3 are the optimiser's; the warm figures are from the fourth run on. */
const FIRST_WARM = 3;

const dataset = benchDataset(customers);
const rows =
  dataset.orders.length + dataset.followUps.length + dataset.tickets.length + dataset.visits.length;
console.log(`${dataset.customers.length} customers, ${rows} child rows (load ${load()})`);

const pauses: PerformanceEntry[] = [];
const observer = new PerformanceObserver((list) => pauses.push(...list.getEntries()));
observer.observe({ entryTypes: ['gc'] });
const kindOf = (e: PerformanceEntry): number | undefined =>
  (e as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
const isScavenge = (e: PerformanceEntry): boolean =>
  kindOf(e) === constants.NODE_PERFORMANCE_GC_MINOR;
// A full collection's pause, and its incremental marking steps; weak callbacks are neither.
const isFull = (e: PerformanceEntry): boolean =>
  kindOf(e) === constants.NODE_PERFORMANCE_GC_MAJOR ||
  kindOf(e) === constants.NODE_PERFORMANCE_GC_INCREMENTAL;
const sum = (list: PerformanceEntry[]): number => list.reduce((s, e) => s + e.duration, 0);

interface Run {
  wallMs: number;
  cpuMs: number;
  scavengeMs: number;
  fullMs: number;
  plainMs: number;
}
const timed: Run[] = [];
for (let run = 0; run < runs; run++) {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const out = computeRules(dataset, BENCH_NOW);
  const end = performance.now();
  const used = process.cpuUsage(cpu);
  // The observer is told of pauses after the run, on the event loop.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const inRun = pauses.filter((e) => e.startTime >= start && e.startTime < end);
  const plainStart = performance.now();
  const checksum = plainPass(dataset, dateOf(BENCH_NOW));
  const plainMs = performance.now() - plainStart;
  if (!Number.isFinite(checksum)) throw new Error('the plain pass summed to no number');
  const r: Run = {
    wallMs: end - start,
    // CPU includes the garbage collector's helper threads: on two cores, more than the wall.
    cpuMs: (used.user + used.system) / 1000,
    scavengeMs: sum(inRun.filter(isScavenge)),
    fullMs: sum(inRun.filter(isFull)),
    plainMs,
  };
  timed.push(r);
  const label = run === 0 ? ' (first)' : run < FIRST_WARM ? ' (optimising)' : '';
  console.log(
    `run ${run + 1}${label}: ${r.wallMs.toFixed(0)} ms wall, ${r.cpuMs.toFixed(0)} ms CPU, ` +
      `GC pauses ${r.scavengeMs.toFixed(0)} ms scavenging` +
      (r.fullMs > 0 ? ` + ${r.fullMs.toFixed(0)} ms full collection` : '') +
      `; plain pass ${r.plainMs.toFixed(0)} ms` +
      ` (${out.customers.size} customers, ${out.tickets.size} tickets, ${out.callbackPlan.length} callbacks)`,
  );
}
observer.disconnect();

const warm = timed.slice(FIRST_WARM);
const sorted = (f: (r: Run) => number): number[] => warm.map(f).sort((a, b) => a - b);
const walls = sorted((r) => r.wallMs);
const withoutGc = sorted((r) => r.wallMs - r.scavengeMs - r.fullMs);
const ratios = sorted((r) => r.wallMs / r.plainMs);
const fulls = warm.filter((r) => r.fullMs > 0).length;
const optimising = timed
  .slice(1, FIRST_WARM)
  .map((r) => r.wallMs.toFixed(0))
  .join(' and ');
console.log(
  `first ${timed[0]!.wallMs.toFixed(0)} ms, optimising ${optimising} ms; ` +
    `warm (runs ${FIRST_WARM + 1}–${runs}) median ${median(walls).toFixed(0)} ms, ` +
    `best ${walls[0]!.toFixed(0)}, worst ${walls[walls.length - 1]!.toFixed(0)} ms (target under 500); ` +
    `without GC pauses median ${median(withoutGc).toFixed(0)} ms; ` +
    `${fulls} of ${warm.length} warm runs held a full collection (load ${load()})`,
);
// The same rows in new arrays: no positions were recorded for them.
const copy = {
  ...dataset,
  orders: [...dataset.orders],
  followUps: [...dataset.followUps],
  tickets: [...dataset.tickets],
  visits: [...dataset.visits],
};
const lookedUp: number[] = [];
for (let run = 0; run < 6; run++) {
  const start = performance.now();
  computeRules(copy, BENCH_NOW);
  if (run >= 2) lookedUp.push(performance.now() - start);
}
console.log(
  `plain pass over the same rows (plainPass.ts), warm median ${median(sorted((r) => r.plainMs)).toFixed(0)} ms; ` +
    `computeRules ÷ plain pass, run by run: median ${median(ratios).toFixed(2)}, ` +
    `${ratios[0]!.toFixed(2)}–${ratios[ratios.length - 1]!.toFixed(2)}`,
);
console.log(
  `without validation's positions (every 客户编号 looked up), runs 3–6: median ` +
    `${median(lookedUp).toFixed(0)} ms, ${Math.min(...lookedUp).toFixed(0)}–${Math.max(...lookedUp).toFixed(0)} (load ${load()})`,
);
