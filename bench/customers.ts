/**
 * The customers list and customer page at 100,000 customers (~10 child rows each):
 * building the directory after a sync, then warm search as a 经理 (every customer), a
 * 销售 (their own) and a 客服 (phones masked), the customer page, and both endpoints over
 * real HTTP. Run: npx tsx bench/customers.ts [customers]   (part of `npm run bench`)
 */
import type { AddressInfo } from 'node:net';
import { createApp } from '../sync-server/http/app.ts';
import { DirectoryHolder, customerPagesRouter } from '../sync-server/customers/pages.ts';
import type { Person } from '../shared/users.ts';
import { daysFromCivil, startOfDay } from '../shared/calendar.ts';
import { buildDirectory } from '../shared/customer360/directory.ts';
import { CustomerViewer } from '../shared/customer360/access.ts';
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
const person = (name: string, role: Person['role']): Person => ({
  name,
  login: '',
  email: '',
  role,
  department: '',
  active: true,
  row: 0,
});
/** by an ASCII key, since the HTTP part names them in a header */
const PEOPLE: Record<string, Person> = {
  manager: person('bench', '经理'),
  rep: person(sample.owner, '销售'),
  service: person('bench', '客服'),
};

for (const who of Object.values(PEOPLE)) {
  const viewer = new CustomerViewer(who);
  console.log(`  as ${who.role}${who.role === '销售' ? `（${who.name}）` : ''}:`);
  for (const [label, query] of Object.entries(queries)) {
    for (let i = 0; i < 5; i++) searchDirectory(dir, query, viewer);
    const times: number[] = [];
    const cpu: number[] = [];
    let total = 0;
    for (let i = 0; i < 30; i++) {
      t = performance.now();
      const c = process.cpuUsage();
      total = searchDirectory(dir, { ...query, limit: 50 }, viewer).total;
      const used = process.cpuUsage(c);
      times.push(performance.now() - t);
      cpu.push((used.user + used.system) / 1000);
    }
    // CPU time next to wall time: on a shared machine the wall time mostly measures the queue.
    console.log(
      `    search ${label}: median ${percentile(times, 0.5).toFixed(1)} ms (cpu ${percentile(cpu, 0.5).toFixed(1)} ms), p95 ${percentile(times, 0.95).toFixed(1)} ms, ${total} found`,
    );
  }
}
const pages: number[] = [];
const manager = new CustomerViewer(PEOPLE.manager!);
for (let i = 0; i < 200; i++) {
  const e = dir.entries[(i * 7919) % dir.entries.length]!;
  t = performance.now();
  customer360(dir, e.id, manager);
  pages.push(performance.now() - t);
}
console.log(
  `  customer page: median ${percentile(pages, 0.5).toFixed(1)} ms, p95 ${percentile(pages, 0.95).toFixed(1)} ms`,
);

// The endpoints over HTTP, answered from what a sync handed the service.
const holder = new DirectoryHolder(() => Promise.reject(new Error('no sync in the bench')));
holder.observe({ validated, rules, now });
const app = createApp({
  sync: () => Promise.reject(new Error('no sync in the bench')),
  status: () => ({}),
  authenticate: () => undefined,
  routes: [customerPagesRouter({ directory: holder, viewer: (req) => PEOPLE[req.get('x-as')!]! })],
});
const server = app.listen(0, '127.0.0.1');
await new Promise((ok) => server.once('listening', ok));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const get = async (path: string, as: string): Promise<number> => {
  const started = performance.now();
  const res = await fetch(base + path, { headers: { 'x-as': as } });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return performance.now() - started;
};
console.log(
  `  first request after the sync (builds the directory): ${(await get('/api/customer-list?limit=50', 'manager')).toFixed(0)} ms`,
);
const endpoints: Record<string, [string, string]> = {
  'GET /api/customer-list (no query, 50 rows) as 经理': ['/api/customer-list?limit=50', 'manager'],
  'GET /api/customer-list?q=<name> as 经理': [
    `/api/customer-list?q=${encodeURIComponent(name)}`,
    'manager',
  ],
  'GET /api/customer-list?q=<4 digits> as 客服': [
    `/api/customer-list?q=${phone.slice(-4)}`,
    'service',
  ],
  'GET /api/customer-list (own customers) as 销售': ['/api/customer-list?limit=50', 'rep'],
  'GET /api/customer-360/:id as 经理': [`/api/customer-360/${sample.id}`, 'manager'],
};
for (const [label, [path, as]] of Object.entries(endpoints)) {
  for (let i = 0; i < 5; i++) await get(path, as);
  const times: number[] = [];
  for (let i = 0; i < 30; i++) times.push(await get(path, as));
  console.log(
    `  ${label}: median ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms`,
  );
}
server.close();
