/**
 * The container, without Docker: the Dockerfile's own instructions carried out on this
 * machine — its COPY lines into a temp directory, its RUN lines there (a real
 * `npm ci --omit=dev`), then its CMD with its ENV — and the service answers /healthz.
 * So the image's files, production dependencies and start command are the ones tested.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { FakeSheetsApi } from '../fakes/sheetsApi.ts';

const ROOT = resolve(import.meta.dirname, '../..');

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^(\w+)\s+(.*)$/.exec(full);
    if (m) out.push({ op: m[1]!.toUpperCase(), args: m[2]! });
  }
  return out;
}

/** `A=1 B="x y"` → entries. */
function envPairs(args: string): [string, string][] {
  return [...args.matchAll(/(\w+)=("[^"]*"|\S+)/g)].map((m) => [
    m[1]!,
    m[2]!.replace(/^"|"$/g, ''),
  ]);
}

function freePort(): Promise<number> {
  return new Promise((ok) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
let dir = '';
let child: ChildProcess | undefined;
let fake: FakeSheetsApi | undefined;

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await new Promise((r) => child!.once('exit', r));
  }
  await fake?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the image: Node 20 slim, a non-root user, PORT, a JSON-form CMD', () => {
  const ops = dockerfile.map((i) => i.op);
  expect(dockerfile[0]).toEqual({
    op: 'FROM',
    args: expect.stringMatching(/^node:20[\w.-]*-slim$/),
  });
  const user = dockerfile.filter((i) => i.op === 'USER').at(-1);
  expect(user?.args).toMatch(/^(node|\d{3,})$/);
  expect(ops.indexOf('USER')).toBeLessThan(ops.indexOf('CMD'));
  const env = new Map(dockerfile.filter((i) => i.op === 'ENV').flatMap((i) => envPairs(i.args)));
  expect(env.get('NODE_ENV')).toBe('production');
  expect(env.get('PORT')).toMatch(/^\d+$/);
  expect(
    dockerfile
      .filter((i) => i.op === 'RUN')
      .map((i) => i.args)
      .join(' '),
  ).toMatch(/npm ci --omit=dev/);
  expect(() => JSON.parse(dockerfile.find((i) => i.op === 'CMD')!.args)).not.toThrow();
  // Everything the image copies gets into the build context.
  const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
  for (const copy of dockerfile.filter((i) => i.op === 'COPY'))
    for (const src of copy.args
      .split(/\s+/)
      .slice(0, -1)
      .filter((a) => !a.startsWith('--')))
      expect(ignore).toContain(`!${src.replace(/^\.\//, '')}`);
});

test('its COPY, RUN and CMD run here: production dependencies only, and /healthz answers', async () => {
  dir = mkdtempSync(join(tmpdir(), 'crm-image-'));
  const env: Record<string, string> = {};
  let workdir = dir;
  for (const step of dockerfile) {
    if (step.op === 'ENV') for (const [k, v] of envPairs(step.args)) env[k] = v;
    else if (step.op === 'WORKDIR') workdir = join(dir, step.args);
    else if (step.op === 'COPY') {
      const parts = step.args.split(/\s+/).filter((a) => !a.startsWith('--'));
      const target = parts.at(-1)!;
      const dest = resolve(workdir, target);
      const intoDir = parts.length > 2 || target.endsWith('/') || target === '.';
      for (const src of parts.slice(0, -1)) {
        const to = intoDir ? join(dest, src) : dest;
        cpSync(join(ROOT, src), to, { recursive: true });
      }
    } else if (step.op === 'RUN') {
      execFileSync('sh', ['-c', step.args], {
        cwd: workdir,
        // The registry is reached as the image build would, with a cache of its own: the
        // image's RUN lines must never touch this machine's npm cache.
        env: { ...process.env, ...env, npm_config_cache: join(dir, '.npm-cache') },
        stdio: 'pipe',
        timeout: 400_000,
      });
    }
  }
  // Production dependencies only: none of the tools the tests use.
  expect(existsSync(join(workdir, 'node_modules/tsx'))).toBe(true);
  expect(existsSync(join(workdir, 'node_modules/vitest'))).toBe(false);
  expect(existsSync(join(workdir, 'node_modules/typescript'))).toBe(false);

  fake = await FakeSheetsApi.start();
  const config = join(dir, 'crm.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      spreadsheets: [
        { id: '1SalesEastAbCdEfGhIjKlMnOp', name: '华东销售', allowed: ['@example.com'] },
      ],
      oauthClientIds: ['444-image.apps.googleusercontent.com'],
    }),
  );
  const cmd = JSON.parse(dockerfile.find((i) => i.op === 'CMD')!.args) as string[];
  // The config file a deployment mounts at the path the CMD names.
  const args = cmd
    .slice(1)
    .map((a) => (a === env.CRM_CONFIG || a.endsWith('.config.json') ? config : a));
  const port = await freePort();
  const output: string[] = [];
  child = spawn(cmd[0] === 'node' ? process.execPath : cmd[0]!, args, {
    cwd: workdir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      ...env,
      CRM_CONFIG: config,
      PORT: String(port),
      SHEETS_API_ROOT_URL: fake.url,
      SHEETS_API_TOKEN: fake.token,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const until = Date.now() + 90_000;
  let ok = false;
  while (!ok && Date.now() < until && child.exitCode === null) {
    ok = await fetch(`http://127.0.0.1:${port}/healthz`)
      .then((r) => r.ok)
      .catch(() => false);
    if (!ok) await new Promise((r) => setTimeout(r, 200));
  }
  expect({ ok, output: ok ? '' : output.join('') }).toEqual({ ok: true, output: '' });
  // It listens on all interfaces, as Cloud Run needs (said once the schedules are set).
  const said = Date.now() + 60_000;
  while (!/已启动/.test(output.join('')) && Date.now() < said)
    await new Promise((r) => setTimeout(r, 200));
  expect(output.join('')).toMatch(/已启动：0\.0\.0\.0:\d+/);
}, 600_000);
