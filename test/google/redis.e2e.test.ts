/**
 * Many instances on one Redis: two real service processes (`crm-sync serve --config`)
 * share a real redis-server started here, and the fake Sheets API. Twenty concurrent
 * sync requests for one spreadsheet never overlap (seen in the fake's request log),
 * 同步日志 gains a row per sync actually run, a scheduled sync fires once per schedule,
 * and the Sheets request quota is shared.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SYNC_LOG } from '../../sheets-templates/tabs.ts';
import { redisLimiter } from '../../sync-server/google/quota.ts';
import type { SyncJob } from '../../sync-server/sync/runner.ts';
import { FakeSheetsApi } from '../fakes/sheetsApi.ts';
import { loadWorkbook, NOW } from './harness.ts';
import { claimsFor, KID, PEM, sign } from './tokens.ts';
import { buildWorkbook } from './workbook.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const CLIENT = '333-redis-test.apps.googleusercontent.com';
const EAST = '1SalesEastAbCdEfGhIjKlMnOp';
const TICK = '1EveryTwoSecondsAbCdEfGhIj';

function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

async function waitFor(
  what: string | (() => string),
  check: () => Promise<boolean>,
  ms = 60_000,
): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
}

let dir = '';
let redisProcess: ChildProcess | undefined;
let redisUrl = '';
let fake: FakeSheetsApi;
const services: { child: ChildProcess; base: string; output: string[] }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-redis-'));
  const redisPort = await freePort();
  redisUrl = `redis://127.0.0.1:${redisPort}`;
  redisProcess = spawn(
    'redis-server',
    [
      '--port',
      String(redisPort),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  const missing = await new Promise<Error | null>((ok) => {
    redisProcess!.once('error', ok);
    setTimeout(() => ok(null), 300);
  });
  if (missing)
    throw new Error(
      `redis-server is needed for this test and could not be started (${missing.message}): install Debian's redis-server (.ci/run does)`,
    );
  await waitFor('redis-server', async () => {
    const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
    try {
      await r.connect();
      return (await r.ping()) === 'PONG';
    } finally {
      r.disconnect();
    }
  });

  fake = await FakeSheetsApi.start();
  fake.certs = { [KID]: PEM };
  loadWorkbook(fake, EAST, buildWorkbook({ customers: 30, now: NOW }));
  loadWorkbook(fake, TICK, buildWorkbook({ customers: 5, now: NOW }));
  const config = join(dir, 'crm.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      spreadsheets: [
        { id: EAST, name: '华东销售', allowed: ['@example.com'] },
        { id: TICK, name: '每两秒', allowed: ['@example.com'], cron: '*/2 * * * * *' },
      ],
      oauthClientIds: [CLIENT],
    }),
  );
  for (let i = 0; i < 2; i++) {
    const port = await freePort();
    const output: string[] = [];
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'bin/crm-sync.js'),
        'serve',
        '--config',
        config,
        '--port',
        String(port),
        '--host',
        '127.0.0.1',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          REDIS_URL: redisUrl,
          SHEETS_API_ROOT_URL: fake.url,
          SHEETS_API_TOKEN: fake.token,
          GOOGLE_ID_TOKEN_CERTS_URL: `${fake.url}oauth2/v1/certs`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
    services.push({ child, base: `http://127.0.0.1:${port}`, output });
  }
  // Started: listening, and the schedules registered (which reads each time zone).
  for (const s of services)
    await waitFor(
      () => `service ${s.base}: ${s.output.join('')}`,
      async () => (await fetch(`${s.base}/healthz`)).ok && s.output.join('').includes('已启动'),
    );
}, 150_000);

afterAll(async () => {
  for (const s of services) {
    s.child.kill('SIGTERM');
    await new Promise((r) => (s.child.exitCode === null ? s.child.once('exit', r) : r(null)));
  }
  redisProcess?.kill('SIGTERM');
  if (redisProcess && redisProcess.exitCode === null)
    await new Promise((r) => redisProcess!.once('exit', r));
  await fake?.close();
  rmSync(dir, { recursive: true, force: true });
});

const bearer = () => `Bearer ${sign(claimsFor(CLIENT))}`;

async function requestSync(base: string, sheet: string): Promise<SyncJob> {
  const res = await fetch(`${base}/api/sync`, {
    method: 'POST',
    headers: { authorization: bearer(), 'content-type': 'application/json' },
    body: JSON.stringify({ spreadsheetId: sheet }),
  });
  expect(res.status).toBe(202);
  return (await res.json()) as SyncJob;
}

async function settle(base: string, job: string): Promise<SyncJob> {
  for (;;) {
    const res = await fetch(`${base}/api/sync/${job}`, { headers: { authorization: bearer() } });
    expect(res.status).toBe(200);
    const body = (await res.json()) as SyncJob;
    if (body.state === 'done' || body.state === 'failed') return body;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The spreadsheet's requests in order, cut into syncs: each starts with its spreadsheets.get. */
function syncsIn(sheet: string, from: number): { kinds: string[]; overlapped: boolean }[] {
  const syncs: { kinds: string[]; overlapped: boolean }[] = [];
  let open: { kinds: string[]; overlapped: boolean } | undefined;
  for (const r of fake.requests.filter((x) => x.spreadsheetId === sheet && x.n > from)) {
    if (r.kind === 'spreadsheets.get') {
      // A new sync began before the last one wrote its 同步日志 row: they overlap.
      if (open && !open.kinds.includes('log')) open.overlapped = true;
      open = { kinds: [], overlapped: false };
      syncs.push(open);
    }
    open?.kinds.push(r.written.some((w) => w.includes(SYNC_LOG.name)) ? 'log' : r.kind);
  }
  return syncs;
}

describe('two service processes on one Redis', () => {
  test('20 concurrent requests: syncs one at a time, a 同步日志 row per sync run', async () => {
    const rows = fake.grid(EAST, SYNC_LOG.name).length;
    const from = fake.requests.length;
    fake.delayMs = 20;
    const jobs = await Promise.all(
      Array.from({ length: 20 }, (_, i) => requestSync(services[i % 2]!.base, EAST)),
    );
    const ids = [...new Set(jobs.map((j) => j.job))];
    for (const id of ids) expect((await settle(services[0]!.base, id)).state).toBe('done');
    fake.delayMs = 0;

    const syncs = syncsIn(EAST, from);
    expect(syncs.filter((s) => s.overlapped)).toEqual([]);
    // Joining: far fewer syncs than requests, one per distinct job.
    expect(syncs.length).toBe(ids.length);
    expect(syncs.length).toBeLessThan(20);
    expect(fake.grid(EAST, SYNC_LOG.name).length).toBe(rows + syncs.length);
    // Both processes took part in answering.
    const seen = await Promise.all(
      ids.map(
        async (id) =>
          (
            await fetch(`${services[1]!.base}/api/sync/${id}`, {
              headers: { authorization: bearer() },
            })
          ).status,
      ),
    );
    expect(seen.every((s) => s === 200)).toBe(true);
  }, 60_000);

  test('a scheduled sync fires once per schedule, not once per instance', async () => {
    const scheduled = () => fake.grid(TICK, SYNC_LOG.name).filter((r) => r[1] === '定时').length;
    await waitFor('the first scheduled sync', async () => scheduled() > 0);
    const before = scheduled();
    const from = fake.requests.length;
    const started = Date.now();
    await new Promise((r) => setTimeout(r, 7_000));
    const fired = scheduled() - before;
    const slots = Math.floor(Date.now() / 2000) - Math.floor(started / 2000);
    // Once per instance would be about twice the slots.
    expect(fired).toBeGreaterThanOrEqual(slots - 1);
    expect(fired).toBeLessThanOrEqual(slots + 1);
    expect(syncsIn(TICK, from).some((s) => s.overlapped)).toBe(false);
  }, 30_000);
});

describe('the Sheets request quota in Redis', () => {
  test('two limiters sharing a window let through no more than the limit per window', async () => {
    const a = new Redis(redisUrl);
    const b = new Redis(redisUrl);
    try {
      const windowMs = 1_000;
      const limiters = [a, b].map((r) => redisLimiter(r, 5, { prefix: 'quota-test', windowMs }));
      const times: number[] = [];
      await waitFor('the start of a window', async () => Date.now() % windowMs < 100);
      const started = Date.now();
      await Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          await limiters[i % 2]!.acquire();
          times.push(Date.now());
        }),
      );
      const perWindow = new Map<number, number>();
      for (const t of times) {
        const w = Math.floor(t / windowMs);
        perWindow.set(w, (perWindow.get(w) ?? 0) + 1);
      }
      expect(Math.max(...perWindow.values())).toBeLessThanOrEqual(5);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2 * windowMs - 150);
    } finally {
      a.disconnect();
      b.disconnect();
    }
  }, 15_000);
});
