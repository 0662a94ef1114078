/**
 * GET /api/worklist at 100,000 customers through the real server: a sample workbook of
 * that size, served in-process; after the start-up sync, a rep, a 客服 and a 经理 each
 * ask for their day 20 times. The service answers from the results of its last sync,
 * so no request reads the workbook. Run: npx tsx bench/worklist.ts [customers]
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

for (const login of ['zhangwei', 'dengchao', 'huangzq']) {
  const res = await fetch(`${running.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const times: number[] = [];
  let items = 0;
  for (let i = 0; i < 20; i++) {
    const start = performance.now();
    const r = await fetch(`${running.url}/api/worklist`, { headers: { cookie } });
    const body = (await r.json()) as { items: unknown[] };
    times.push(performance.now() - start);
    items = body.items.length;
  }
  times.sort((a, b) => a - b);
  console.log(
    `GET /api/worklist as ${login}: ${items} items; first ${times.at(-1)!.toFixed(1)} ms max, median ${times[10]!.toFixed(1)} ms, best ${times[0]!.toFixed(1)} ms (load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')})`,
  );
}
await running.close();
