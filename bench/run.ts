/**
 * `npm run bench`: builds sample workbooks of 10,000 and 100,000 customers (~10 child rows
 * each) and times a full sync and a second, no-change sync of each, phase by phase, with
 * peak memory. Targets: the 100k sync under 45 s and 1 GiB; the no-change sync writes no
 * cell but its 同步日志 row. Then GET /api/worklist at the largest size, warm (under 200 ms).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
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
      `  ${label}: ${(run.ms / 1000).toFixed(1)} s wall, ${(r.cpuMs / 1000).toFixed(1)} s CPU ` +
        `(read ${t.readMs} ms, validate ${t.validateMs} ms, ` +
        `compute+diff ${t.computeMs} ms, write ${t.writeMs} ms), peak ${r.peakRssMb} MB ` +
        `(by the end of ${byPhase}; target under 1024 MB), ` +
        `${r.rowsRead} rows read, ${r.cellsWritten} cells written, ${r.errors} errors, ${r.warnings} warnings`,
    );
  }
}
// 我的待办 over HTTP at the largest size (bench/worklist.ts).
const largest = Math.max(...sizes);
console.log(`\n我的待办 at ${largest} customers:`);
execFileSync(tsx, [join(import.meta.dirname, 'worklist.ts'), String(largest)], {
  stdio: 'inherit',
});
if (!existsSync(out)) process.exitCode = 1;

// The customers list and customer page, answered from the directory kept after a sync.
execFileSync(tsx, [join(import.meta.dirname, 'customers.ts'), String(Math.max(...sizes))], {
  stdio: 'inherit',
});
