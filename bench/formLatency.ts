/**
 * Form-to-computed latency through the real service: serves a workbook on a port, submits
 * 新建客户 and then 记录跟进 for the new customer, and times each until a sync that began
 * after it has finished and the new customer's 客户分层 and 下次回访日期 are in the file.
 * Then times syncs with nothing changed (POST /api/sync). Prints one JSON line.
 *
 *   tsx bench/formLatency.ts <file.xlsx> <warm|cold> <submissions> <port>
 */
import { readWorkbook } from '../sync-server/xlsx/reader.ts';
import { serve } from '../sync-server/cli/commands/serve.ts';
import * as T from '../sheets-templates/tabs.ts';
import { dateOf, formatDate, formatDateTime, wallTimeOf } from '../shared/calendar.ts';

const wallNow = () => wallTimeOf(Date.now(), 'Asia/Shanghai');

const [file, mode, countText, portText] = process.argv.slice(2);
if (!file || (mode !== 'warm' && mode !== 'cold'))
  throw new Error('usage: formLatency.ts <file.xlsx> <warm|cold> <submissions> <port>');
const count = Number(countText ?? 20);
const TOKEN = 'bench-token-0123456789abcdef';

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

const column = (key: string): number => T.CUSTOMERS.columns.findIndex((c) => c.key === key);

/** True when the customer's row in the file has its 客户分层 and 下次回访日期. */
async function computedInFile(row: number): Promise<boolean> {
  const book = await readWorkbook(file!, { sheets: (n) => n === T.CUSTOMERS.name });
  const cells = book.sheets[0]?.rows.find((r) => r.row === row)?.cells ?? [];
  return cells[column('tier')] != null && cells[column('nextCallbackDate')] != null;
}

type Timings = Record<string, number>;
interface Sample {
  form: string;
  /** from the POST to a sync that leaves the row computed in the file */
  ms: number;
  /** the POST: the form's row read, checked and written */
  saveMs: number;
  /** CPU of the service (this process) meanwhile, the checks of the file excepted */
  cpuMs: number;
  /** phases of the sync that computed it */
  sync: Timings | undefined;
}

const cpuNow = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** Waits for a sync that finished after `since` (epoch ms) and leaves `row` computed. */
async function untilComputed(
  since: number,
  row: number,
  cpuFrom: number,
): Promise<{ ms: number; cpuMs: number; sync: Timings | undefined }> {
  let checks = 0;
  for (;;) {
    const status = (await (await api('/api/status')).json()) as {
      lastSync: { finishedAt: string; timings: Timings } | null;
    };
    const finished = status.lastSync ? Date.parse(status.lastSync.finishedAt) : 0;
    if (finished >= since) {
      const at = Date.now();
      const cpu = cpuNow();
      if (await computedInFile(row))
        return {
          ms: at - since,
          cpuMs: Math.round(cpu - cpuFrom - checks),
          sync: status.lastSync?.timings,
        };
      checks += cpuNow() - cpu;
      since = at;
    }
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

async function submit(
  form: string,
  body: Record<string, unknown>,
): Promise<{ id: string; row: number; at: number; saveMs: number; cpu: number }> {
  const cpu = cpuNow();
  const at = Date.now();
  const res = await api(`/api/forms/${form}`, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${form}: HTTP ${res.status} ${await res.text()}`);
  const saveMs = Date.now() - at;
  if (process.env.BENCH_LOG) process.stderr.write(`${form} saved in ${saveMs} ms\n`);
  return { ...((await res.json()) as { id: string; row: number }), at, saveMs, cpu };
}

const samples: Sample[] = [];
for (let i = 0; i < count; i++) {
  const customer = await submit('new-customer', {
    kind: '个人',
    name: `压测客户${process.pid}-${i}`,
    phone: `137${String(process.pid % 10000).padStart(4, '0')}${String(i).padStart(4, '0')}`,
    industry: '教育',
    source: '官网咨询',
    status: '潜在',
    intent: 'A',
    owner: '张伟',
    createdDate: formatDate(dateOf(wallNow())),
    confirmDuplicate: true,
  });
  samples.push({
    form: '新建客户',
    saveMs: customer.saveMs,
    ...(await untilComputed(customer.at, customer.row, customer.cpu)),
  });
  const follow = await submit('follow-up', {
    customerId: customer.id,
    time: formatDateTime(wallNow()),
    method: '电话',
    content: '介绍方案，约下周演示',
    by: '张伟',
  });
  samples.push({
    form: '记录跟进',
    saveMs: follow.saveMs,
    ...(await untilComputed(follow.at, customer.row, follow.cpu)),
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

const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
process.stdout.write(
  JSON.stringify({
    mode,
    startMs,
    samples,
    medianMs: sorted.length ? sorted[(sorted.length - 1) >> 1] : null,
    worstMs: sorted.at(-1) ?? null,
    noChangeMs: noChange,
    noChangeCpuMs: noChangeCpu,
    noChangeTimings: last?.timings,
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  }) + '\n',
);
