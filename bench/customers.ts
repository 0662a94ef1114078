/**
 * The customers list and customer page at 100,000 customers (~10 child rows each):
 * building the directory after a sync, then warm search and customer-page latency.
 * Run: npx tsx bench/customers.ts [customers]   (part of `npm run bench`)
 */
import { daysFromCivil, startOfDay } from '../shared/calendar.ts';
import { buildDirectory } from '../shared/customer360/directory.ts';
import { CustomerViewer } from '../shared/customer360/access.ts';
import { soleOperator } from '../shared/users.ts';
import { searchDirectory } from '../shared/customer360/search.ts';
import { customer360 } from '../shared/customer360/view.ts';
import { computeRules } from '../shared/rules/index.ts';
import { validateWorkbook } from '../shared/validate/index.ts';
import { sampleInput } from '../sync-server/workbook/sample/input.ts';

const n = Number(process.argv[2] ?? 100_000);
const now = startOfDay(daysFromCivil(2026, 11, 20)) + 10 * 3600;
const validated = validateWorkbook(sampleInput({ customers: n, now, seed: 1 }), now);
const rules = computeRules(validated.dataset, now);
let t = performance.now();
const cpu0 = process.cpuUsage();
const dir = buildDirectory(validated, rules, now);
const buildCpu = process.cpuUsage(cpu0);
const buildMs = performance.now() - t;

const sample = dir.entries[Math.floor(dir.entries.length / 2)]!;
const name = String(sample.values.name ?? '');
const phone = String(sample.values.phone ?? '');
const queries: Record<string, { q?: string; filters?: Record<string, string> }> = {
  ID: { q: sample.id },
  'name (folded, full-width brackets)': { q: name.replace(/有限公司$/, '（有限责任公司）') },
  'name fragment (2 chars)': { q: name.slice(2, 4) },
  'phone, 4 digits': { q: phone.slice(-4) },
  'phone, 7 digits': { q: phone.slice(3, 10) },
  owner: { q: sample.owner },
  'filters only (负责人 + 客户状态)': { filters: { owner: sample.owner, status: '正式' } },
  'no match': { q: '不存在的客户名称' },
};

const percentile = (xs: number[], p: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

console.log(
  `\ncustomer pages, ${dir.entries.length} customers: directory built in ${buildMs.toFixed(0)} ms (cpu ${((buildCpu.user + buildCpu.system) / 1000).toFixed(0)} ms), heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`,
);
for (const [label, query] of Object.entries(queries)) {
  for (let i = 0; i < 5; i++) searchDirectory(dir, query);
  const times: number[] = [];
  const cpu: number[] = [];
  let total = 0;
  for (let i = 0; i < 30; i++) {
    t = performance.now();
    const c = process.cpuUsage();
    total = searchDirectory(dir, { ...query, limit: 50 }).total;
    const used = process.cpuUsage(c);
    times.push(performance.now() - t);
    cpu.push((used.user + used.system) / 1000);
  }
  // CPU time next to wall time: on a shared machine the wall time mostly measures the queue.
  console.log(
    `  search ${label}: median ${percentile(times, 0.5).toFixed(1)} ms (cpu ${percentile(cpu, 0.5).toFixed(1)} ms), p95 ${percentile(times, 0.95).toFixed(1)} ms, ${total} found`,
  );
}
const pages: number[] = [];
for (let i = 0; i < 200; i++) {
  const e = dir.entries[(i * 7919) % dir.entries.length]!;
  t = performance.now();
  customer360(dir, e.id, new CustomerViewer(soleOperator('bench')));
  pages.push(performance.now() - t);
}
console.log(
  `  customer page: median ${percentile(pages, 0.5).toFixed(1)} ms, p95 ${percentile(pages, 0.95).toFixed(1)} ms`,
);
