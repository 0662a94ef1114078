/**
 * Form-to-computed latency through the real service: serves a workbook on a port, submits
 * 新建客户 and then 记录跟进 for the new customer, and times each until a sync that began
 * after it has finished and the new customer's 客户分层 and 下次回访日期 are in the file.
 * The file is checked by a child process (formProbe.ts), so its reads neither stall the
 * service nor count in its CPU. Then times syncs with nothing changed (POST /api/sync).
 * Prints one JSON line; per form: the save (with the route's own phases from its
 * Server-Timing header), the wait until its sync started, the sync's phases, the total
 * and the service's CPU meanwhile.
 *
 *   tsx bench/formLatency.ts <file.xlsx> <warm|cold> <submissions> <port>
 */
import { fork } from 'node:child_process';
import { PerformanceObserver } from 'node:perf_hooks';
import { join } from 'node:path';
import { serve } from '../sync-server/cli/commands/serve.ts';
import { dateOf, formatDate, formatDateTime, wallTimeOf } from '../shared/calendar.ts';
import { followUpBody, newCustomerBody } from './formBodies.ts';

const wallNow = () => wallTimeOf(Date.now(), 'Asia/Shanghai');

const [file, mode, countText, portText] = process.argv.slice(2);
if (!file || (mode !== 'warm' && mode !== 'cold'))
  throw new Error('usage: formLatency.ts <file.xlsx> <warm|cold> <submissions> <port>');
const count = Number(countText ?? 20);
const TOKEN = 'bench-token-0123456789abcdef';

const probe = fork(join(import.meta.dirname, 'formProbe.ts'), [file], {
  execArgv: ['--import', 'tsx'],
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
});
let asked = 0;
/** Whether the file holds the row's 客户分层 and 下次回访日期, answered by the probe process. */
function computedInFile(row: number): Promise<boolean> {
  const id = ++asked;
  return new Promise((ok, fail) => {
    const answer = (m: { id: number; ok?: boolean; error?: string }) => {
      if (m.id !== id) return;
      probe.off('message', answer);
      if (m.error) fail(new Error(m.error));
      else ok(m.ok === true);
    };
    probe.on('message', answer);
    probe.send({ id, row });
  });
}

/** Time the service spent in garbage collection (the V8 options of the service change it). */
const gc = { ms: 0, count: 0 };
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    gc.ms += e.duration;
    gc.count++;
  }
}).observe({ entryTypes: ['gc'] });

const started = performance.now();
const running = await serve({
  workbook: file,
  port: Number(portText ?? 0),
  host: '127.0.0.1',
  sampleIfMissing: 0,
  token: TOKEN,
  user: '张伟',
  log: (line) =>
    process.env.BENCH_LOG && process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  warm: mode === 'warm',
});
const startMs = Math.round(performance.now() - started);
// After its start-up sync the service readies the forms' indexes and cuts the big sheets
// forms add to into pieces; the forms measured here come once that is done.
await running.service.idle();
const readyMs = Math.round(performance.now() - started);
/** the heap in use once ready: the kept workbook, results and indexes, and what awaits collection */
const readyHeapMb = Math.round(process.memoryUsage().heapUsed / 1e6);
/** One request; a status poll whose kept-alive connection the busy server dropped is sent again. */
async function api(path: string, init: RequestInit = {}): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fetch(`${running.url}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      });
    } catch (e) {
      if (init.method === 'POST' || attempt >= 5) throw e;
    }
  }
}

type Timings = Record<string, number>;
interface Sample {
  form: string;
  /** from the POST to the end of the sync that left the row computed in the file */
  ms: number;
  /** the POST: the form's row read, checked and written */
  saveMs: number;
  /** the route's phases (Server-Timing): people, lock, read, check, write */
  route: Timings;
  /** from the POST's answer to the start of the sync that computed it */
  waitMs: number;
  /** that sync, start to end */
  syncMs: number;
  /** CPU of the service (this process) from the POST to that sync's end */
  cpuMs: number;
  /** phases of the sync that computed it */
  sync: Timings | undefined;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface LastSync {
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  timings: Timings;
}

/** Waits for a sync that started after `since` (epoch ms) and leaves `row` computed. */
async function untilComputed(
  since: number,
  savedAt: number,
  row: number,
  cpuFrom: number,
): Promise<Omit<Sample, 'form' | 'saveMs' | 'route'>> {
  let seen = '';
  for (;;) {
    const status = (await (await api('/api/status')).json()) as { lastSync: LastSync | null };
    const last = status.lastSync;
    if (last && last.finishedAt !== seen && Date.parse(last.startedAt) >= since) {
      seen = last.finishedAt;
      const cpu = cpuNow();
      if (await computedInFile(row)) {
        const end = Date.parse(last.finishedAt);
        const begin = Date.parse(last.startedAt);
        return {
          ms: end - since,
          waitMs: Math.max(0, begin - savedAt),
          syncMs: end - begin,
          cpuMs: Math.round(cpu - cpuFrom),
          sync: last.timings,
        };
      }
    }
    await new Promise((ok) => setTimeout(ok, 25));
  }
}

/** `people;dur=1.2, lock;dur=0.1` → { people: 1.2, lock: 0.1 } */
const serverTiming = (header: string | null): Timings =>
  Object.fromEntries(
    (header ?? '')
      .split(',')
      .map((part) => /^\s*([\w-]+);dur=([\d.]+)/.exec(part))
      .filter((m) => m !== null)
      .map((m) => [m[1]!, Math.round(Number(m[2]))]),
  );

async function submit(form: string, body: Record<string, unknown>) {
  const cpu = cpuNow();
  const at = Date.now();
  let res = await api(`/api/forms/${form}`, { method: 'POST', body: JSON.stringify(body) });
  // Saved as a person would: the duplicate check runs; a look-alike of a sample customer
  // (the same phone) is confirmed as the page would after showing it.
  if (res.status === 409)
    res = await api(`/api/forms/${form}`, {
      method: 'POST',
      body: JSON.stringify({ ...body, confirmDuplicate: true }),
    });
  if (!res.ok) throw new Error(`${form}: HTTP ${res.status} ${await res.text()}`);
  const savedAt = Date.now();
  const saveMs = savedAt - at;
  const route = serverTiming(res.headers.get('server-timing'));
  if (process.env.BENCH_LOG)
    process.stderr.write(`${form} saved in ${saveMs} ms ${JSON.stringify(route)}\n`);
  return {
    ...((await res.json()) as { id: string; row: number }),
    at,
    savedAt,
    saveMs,
    route,
    cpu,
  };
}

// The bench's own first request loads its HTTP client (fetch is loaded on first use): made
// here, so that the first form's time is the service's alone.
await (await api('/api/status')).json();

const samples: Sample[] = [];
for (let i = 0; i < count; i++) {
  const customer = await submit(
    'new-customer',
    newCustomerBody(
      `压测客户${process.pid}-${i}`,
      `137${String(process.pid % 10000).padStart(4, '0')}${String(i).padStart(4, '0')}`,
      formatDate(dateOf(wallNow())),
    ),
  );
  samples.push({
    form: '新建客户',
    saveMs: customer.saveMs,
    route: customer.route,
    ...(await untilComputed(customer.at, customer.savedAt, customer.row, customer.cpu)),
  });
  const follow = await submit(
    'follow-up',
    followUpBody(customer.id, formatDateTime(wallNow()), '介绍方案，约下周演示'),
  );
  samples.push({
    form: '记录跟进',
    saveMs: follow.saveMs,
    route: follow.route,
    ...(await untilComputed(follow.at, follow.savedAt, customer.row, follow.cpu)),
  });
}

const noChange: number[] = [];
const noChangeCpu: number[] = [];
for (let i = 0; i < 3; i++) {
  const t = performance.now();
  const cpu = cpuNow();
  const res = await api('/api/sync', { method: 'POST' });
  if (!res.ok) throw new Error(`sync: HTTP ${res.status}`);
  noChange.push(Math.round(performance.now() - t));
  noChangeCpu.push(Math.round(cpuNow() - cpu));
}
const last = running.service.status().lastSync;
await running.close();
probe.disconnect();

const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    mode,
    startMs,
    readyMs,
    readyHeapMb,
    samples,
    medianMs: sorted.length ? sorted[(sorted.length - 1) >> 1] : null,
    worstMs: sorted.at(-1) ?? null,
    noChangeMs: noChange,
    noChangeCpuMs: noChangeCpu,
    noChangeTimings: last?.timings,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    gcMs: Math.round(gc.ms),
    gcCount: gc.count,
    idleCollections: {
      count: running.idleCollections.count,
      ms: Math.round(running.idleCollections.ms),
      // a form saved during one waits for it
      maxMs: Math.round(running.idleCollections.maxMs),
    },
    cpuMs: Math.round(cpuNow()),
    v8Options: process.execArgv.filter((a) => a.startsWith('--max-')),
  }) + '\n',
);
