/**
 * `npm run bench`: builds sample workbooks of 10,000 and 100,000 customers (~10 child rows
 * each) and times a full sync and a second, no-change sync of each from the command line
 * (cold: read, validate, compute, write), phase by phase, with peak memory. Then serves
 * each workbook and times form-to-computed (新建客户 and 记录跟进 until the customer's
 * 客户分层 and 下次回访日期 are in the file) and no-change syncs, with the service warm
 * (rows and results kept) and cold (every sync reads and computes all). Targets at 100k:
 * form-to-computed under 2 s, a warm no-change sync under 1 s, the cold full sync under
 * 1 GiB; the no-change sync writes no cell but its 同步日志 row. Every line states the load
 * average. BENCH_FORMS (default 20) and BENCH_FORMS_COLD (default 3) set how many customers
 * each service run submits; BENCH_EACH=1 prints every form's own line. The in-process
 * harnesses (HARNESSES below) run on each size's workbook first.
 * Last, at the largest size: computeRules alone on the rules' timing dataset (bench/rules.ts:
 * the first run, the optimiser's runs and the warm runs, target under 500 ms warm), GET
 * /api/worklist warm (under 200 ms), and the customers list and page.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

const NOW = '2026-11-20T10:00';
const sizes = (process.env.BENCH_SIZES ?? '10000,100000').split(',').map(Number);
const out = join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });
const bin = join(import.meta.dirname, '..', 'bin', 'crm-sync.js');
const tsx = join(import.meta.dirname, '..', 'node_modules', '.bin', 'tsx');

function timed(cmd: string, args: string[]): { ms: number; stdout: string } {
  const t = performance.now();
  const stdout = execFileSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return { ms: Math.round(performance.now() - t), stdout };
}

const load = (): string =>
  `load ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`;

interface Latency {
  startMs: number;
  /** from start until the work after the first sync (form indexes, sheets cut) is done */
  readyMs: number;
  samples: {
    form: string;
    ms: number;
    saveMs: number;
    route: Record<string, number>;
    waitMs: number;
    syncMs: number;
    cpuMs: number;
    sync?: Record<string, number>;
  }[];
  medianMs: number | null;
  worstMs: number | null;
  noChangeMs: number[];
  noChangeCpuMs: number[];
  noChangeTimings?: Record<string, number>;
  peakRssMb: number;
  /** the service's garbage collection: all of it, and the full collections made while idle */
  gcMs: number;
  idleCollections: { count: number; ms: number; maxMs: number };
}

const median = (ms: readonly number[]): number | string =>
  [...ms].sort((a, b) => a - b)[(ms.length - 1) >> 1] ?? '-';

const phases = (t: Record<string, number> | undefined): string =>
  t
    ? `read ${t.readMs} ms, validate ${t.validateMs} ms, compute+diff ${t.computeMs} ms, write ${t.writeMs} ms`
    : '-';

/** The service on a copy of `file`, warm or cold, timed by formLatency.ts. */
function service(file: string, mode: 'warm' | 'cold', submissions: number): void {
  const copy = file.replace(/\.xlsx$/, `-${mode}.xlsx`);
  execFileSync('cp', [file, copy]);
  const before = load();
  const run = timed(tsx, [
    join(import.meta.dirname, 'formLatency.ts'),
    copy,
    mode,
    String(submissions),
    '0',
  ]);
  const r = JSON.parse(run.stdout) as Latency;
  const by = (form: string) => r.samples.filter((s) => s.form === form).map((s) => s.ms);
  const stats = (ms: number[]) => {
    const sorted = [...ms].sort((a, b) => a - b);
    return `median ${sorted[(sorted.length - 1) >> 1] ?? '-'} ms, worst ${sorted.at(-1) ?? '-'} ms`;
  };
  console.log(
    `  service ${mode} (${before} → ${load()}): first sync ${(r.startMs / 1000).toFixed(1)} s, ready ${(r.readyMs / 1000).toFixed(1)} s; ` +
      `form-to-computed over ${r.samples.length}: ${stats(r.samples.map((s) => s.ms))} ` +
      `(新建客户 ${stats(by('新建客户'))}; 记录跟进 ${stats(by('记录跟进'))}); ` +
      `no-change sync ${r.noChangeMs.join(' / ')} ms (CPU ${r.noChangeCpuMs.join(' / ')} ms; ` +
      `last: ${phases(r.noChangeTimings)}); peak ${r.peakRssMb} MB; garbage collection ${r.gcMs} ms, ` +
      `of it ${r.idleCollections.count} full collections while idle, ${r.idleCollections.ms} ms ` +
      `(longest ${r.idleCollections.maxMs} ms)`,
  );
  // Where a form's time goes: the save (the POST, and of it the store's write), the wait
  // for its sync to start, then the sync's phases.
  const phase = (key: string) => median(r.samples.map((s) => s.sync?.[key] ?? 0));
  const route = (key: string) => median(r.samples.map((s) => s.route[key] ?? 0));
  const unwritten = (s: Latency['samples'][number]) => s.saveMs - (s.route.write ?? 0);
  const saves = r.samples.map(unwritten);
  console.log(
    `    form phases, median of ${r.samples.length}: save ${median(r.samples.map((s) => s.saveMs))} ms ` +
      `(without the store's write ${median(saves)} ms, worst ${Math.max(...saves)} ms: 用户 ${route('people')}, ` +
      `lock ${route('lock')}, read ${route('read')}, checks ${route('check')}, write ${route('write')} ms), ` +
      `wait for the sync ${median(r.samples.map((s) => s.waitMs))} ms, ` +
      `sync read ${phase('readMs')} ms, validate ${phase('validateMs')} ms, compute+diff ${phase('computeMs')} ms, ` +
      `write ${phase('writeMs')} ms; service CPU per form ${median(r.samples.map((s) => s.cpuMs))} ms`,
  );
  if (process.env.BENCH_EACH)
    for (const s of r.samples)
      console.log(
        `      ${s.form}: total ${s.ms} ms = save ${s.saveMs} ms (write ${s.route.write ?? '-'}) + ` +
          `wait ${s.waitMs} ms + sync ${s.syncMs} ms (${phases(s.sync)}); CPU ${s.cpuMs} ms`,
      );
}

/**
 * In-process harnesses of the warm service's parts, each run on every size's workbook
 * (`tsx bench/<name> <file.xlsx>`, printing its own lines): the form route's checks
 * without the write (formRoute.ts), the store's writes (warmWrite.ts) and the warm sync's
 * validate and compute (warmCore.ts). A harness not present is skipped; a new one is
 * added to this list.
 */
const HARNESSES = ['formRoute.ts', 'warmWrite.ts', 'warmCore.ts'];

function harnesses(file: string): void {
  for (const name of HARNESSES) {
    const path = join(import.meta.dirname, name);
    if (!existsSync(path)) continue;
    const copy = file.replace(/\.xlsx$/, `-${name.replace(/\.ts$/, '')}.xlsx`);
    execFileSync('cp', [file, copy]);
    console.log(`  ${name} (${load()}):`);
    execFileSync(tsx, [path, copy], { stdio: 'inherit' });
  }
}

const forms = Number(process.env.BENCH_FORMS ?? 20);
const formsCold = Number(process.env.BENCH_FORMS_COLD ?? 3);

for (const n of sizes) {
  const file = join(out, `bench-${n}.xlsx`);
  const made = timed('node', [
    bin,
    'init',
    file,
    '--sample',
    String(n),
    '--seed',
    '1',
    '--now',
    NOW,
    '--force',
  ]);
  console.log(
    `\n${n} customers: init ${(made.ms / 1000).toFixed(1)} s, ${(statSync(file).size / 1e6).toFixed(1)} MB`,
  );
  for (const label of ['full sync', 'no-change sync']) {
    const run = timed(tsx, [join(import.meta.dirname, 'syncOnce.ts'), file, NOW]);
    const r = JSON.parse(run.stdout) as {
      rowsRead: number;
      cellsWritten: number;
      errors: number;
      warnings: number;
      peakRssMb: number;
      cpuMs: number;
      peakRssByPhaseMb: Record<string, number>;
      timings: Record<string, number>;
    };
    const t = r.timings;
    const byPhase = Object.entries(r.peakRssByPhaseMb)
      .map(([phase, mb]) => `${phase} ${mb}`)
      .join(', ');
    console.log(
      `  ${label} (CLI, ${load()}): ${(run.ms / 1000).toFixed(1)} s wall, ${(r.cpuMs / 1000).toFixed(1)} s CPU ` +
        `(read ${t.readMs} ms, validate ${t.validateMs} ms, ` +
        `compute+diff ${t.computeMs} ms, write ${t.writeMs} ms), peak ${r.peakRssMb} MB ` +
        `(by the end of ${byPhase}; target under 1024 MB), ` +
        `${r.rowsRead} rows read, ${r.cellsWritten} cells written, ${r.errors} errors, ${r.warnings} warnings`,
    );
  }
  harnesses(file);
  if (forms > 0) service(file, 'warm', forms);
  if (formsCold > 0) service(file, 'cold', formsCold);
}
const largest = Math.max(...sizes);
// The rules alone, with as many customers as the largest workbook (bench/rules.ts).
console.log(`\ncomputeRules at ${largest} customers:`);
execFileSync(tsx, [join(import.meta.dirname, 'rules.ts'), String(largest)], { stdio: 'inherit' });

// 我的待办 over HTTP at the largest size (bench/worklist.ts).
console.log(`\n我的待办 at ${largest} customers:`);
execFileSync(tsx, [join(import.meta.dirname, 'worklist.ts'), String(largest)], {
  stdio: 'inherit',
});
if (!existsSync(out)) process.exitCode = 1;

// The customers list and customer page, answered from the directory kept after a sync.
execFileSync(tsx, [join(import.meta.dirname, 'customers.ts'), String(Math.max(...sizes))], {
  stdio: 'inherit',
});
