/**
 * Times computeRules on a synthetic workbook of 100,000 customers and about 1,000,000
 * child rows: the first run (code not yet optimised by the engine) and warm runs.
 * Run: npx tsx bench/rules.ts [customers]   (add --expose-gc via NODE_OPTIONS to
 * collect the dataset's own garbage before each run)
 */
import { computeRules } from '../shared/rules/index.ts';
import { BENCH_NOW, benchDataset } from './rulesDataset.ts';

const customers = Number(process.argv[2] ?? 100_000);
const dataset = benchDataset(customers);
const rows =
  dataset.orders.length + dataset.followUps.length + dataset.tickets.length + dataset.visits.length;
console.log(`${dataset.customers.length} customers, ${rows} child rows`);
const times: number[] = [];
const cpuTimes: number[] = [];
const collect = (globalThis as { gc?: () => void }).gc;
for (let run = 0; run < 6; run++) {
  collect?.();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const out = computeRules(dataset, BENCH_NOW);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  times.push(ms);
  cpuTimes.push(cpuMs);
  // CPU time as well as wall time: on a shared machine the wall clock includes waiting.
  console.log(
    `run ${run + 1}${run === 0 ? ' (first)' : ''}: ${ms.toFixed(0)} ms wall, ${cpuMs.toFixed(0)} ms CPU ` +
      `(${out.customers.size} customers, ${out.tickets.size} tickets, ${out.callbackPlan.length} callbacks)`,
  );
}
const warm = times.slice(1).sort((a, b) => a - b);
console.log(
  `first ${times[0]!.toFixed(0)} ms; warm median ${warm[Math.floor(warm.length / 2)]!.toFixed(0)} ms, ` +
    `best ${warm[0]!.toFixed(0)} ms (best CPU ${Math.min(...cpuTimes.slice(1)).toFixed(0)} ms)`,
);
