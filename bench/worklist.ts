/**
 * GET /api/worklist at 100,000 customers through the real server: a sample workbook of
 * that size, served in-process; after the start-up sync, a rep, a 客服 and a 经理 each
 * ask 20 times for the first page of their day, the next page of 逾期 and the largest
 * page. The service answers from the results of its last sync, so no request reads the
 * workbook; the day is built from them by the first request after the sync (timed on its
 * own line); the target is under 200 ms warm. `npm run bench` runs it at 100,000
 * customers; alone: npx tsx bench/worklist.ts [customers]
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { PasswordFile, passwordFileOf } from '../sync-server/auth/passwords.ts';
import { serve } from '../sync-server/cli/commands/serve.ts';
import { init } from '../sync-server/cli/commands/init.ts';
import { wallTimeOf } from '../shared/calendar.ts';

const customers = Number(process.argv[2] ?? 100_000);
const out = join(import.meta.dirname, 'out');
mkdirSync(out, { recursive: true });
const file = join(out, `worklist-${customers}.xlsx`);
if (!existsSync(file)) {
  console.log(`creating ${file} …`);
  await init(
    { file, sample: customers, seed: 1, now: wallTimeOf(Date.now(), 'Asia/Shanghai'), force: true },
    (line) => console.log(line),
  );
}
const passwords = new PasswordFile(passwordFileOf(file));
const PASSWORD = 'bench-password-1';
for (const login of ['zhangwei', 'dengchao', 'huangzq']) await passwords.set(login, PASSWORD);

const t0 = performance.now();
const running = await serve({
  workbook: file,
  port: 0,
  host: '127.0.0.1',
  sampleIfMissing: 0,
  user: 'bench',
  log: () => undefined,
});
console.log(
  `${customers} customers: service started with its first sync in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

/** 20 warm requests of one address; the slowest, the median and the best. */
async function time(cookie: string, path: string) {
  const times: number[] = [];
  let body: { items: unknown[]; total: Record<string, number> } = { items: [], total: {} };
  let bytes = 0;
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    const r = await fetch(`${running.url}${path}`, { headers: { cookie } });
    const text = await r.text();
    times.push(performance.now() - start);
    bytes = text.length;
    body = JSON.parse(text) as typeof body;
  }
  times.sort((a, b) => a - b);
  return { times, body, bytes };
}

let first = true;
for (const login of ['zhangwei', 'dengchao', 'huangzq']) {
  const res = await fetch(`${running.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  // The page as people open it, the next page of the overdue group, and the most one reply carries.
  for (const path of [
    '/api/worklist',
    '/api/worklist?group=overdue&offset=100',
    '/api/worklist?group=overdue&limit=1000',
  ]) {
    if (first) {
      // The day is built when a page first asks after a sync (not by the sync itself).
      const t = performance.now();
      await (await fetch(`${running.url}${path}`, { headers: { cookie } })).text();
      console.log(
        `first GET ${path} after the sync (builds the day): ${(performance.now() - t).toFixed(0)} ms (load ${load()})`,
      );
      first = false;
    }
    const { times, body, bytes } = await time(cookie, path);
    console.log(
      `GET ${path} as ${login}: ${body.items.length} items of ${body.total.overdue} overdue + ${body.total.today} today, ` +
        `${(bytes / 1024).toFixed(0)} KiB; slowest ${times.at(-1)!.toFixed(1)} ms, median ${times[10]!.toFixed(1)} ms, ` +
        `best ${times[0]!.toFixed(1)} ms (load ${load()})`,
    );
  }
}
await running.close();
