/**
 * `crm-sync serve` as a real process: a busy port, a planted token file, a damaged
 * workbook, and requests naming a foreign Host.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { chmod, lstat, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/workbook.ts';
import { newCustomerPayload } from '../forms/fixture.ts';
import { templateWorkbook } from './make.ts';

let dir: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-hostile-serve-'));
});
afterAll(async () => {
  for (const c of children) c.kill('SIGTERM');
  await rm(dir, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  /** resolves with the exit code, or null while it runs */
  exited: Promise<number | null>;
}

function start(args: string[], env: NodeJS.ProcessEnv = {}): Started {
  const base = { ...process.env };
  delete base.CRM_TOKEN;
  const child = spawn('node', [BIN, 'serve', ...args], { env: { ...base, ...env } });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function get(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((ok, fail) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', fail);
    req.end();
  });
}

const portOf = (out: string): number => Number(/127\.0\.0\.1:(\d+)/.exec(out)![1]);

describe('serve as a real process (items 1, 2, 10, 15)', () => {
  it('a second serve on a taken port exits 1 and never says it started', async () => {
    const taken: Server = createServer();
    await new Promise<void>((ok) => taken.listen(0, '127.0.0.1', ok));
    const port = (taken.address() as { port: number }).port;
    const file = join(dir, 'busy.xlsx');
    await templateWorkbook(file);
    const s = start(['--workbook', file, '--port', String(port)]);
    const code = await Promise.race([
      s.exited,
      new Promise((r) => setTimeout(() => r('hang'), 45_000)),
    ]);
    taken.close();
    expect(code).toBe(1);
    expect(s.err()).toContain(`端口 ${port} 已被占用`);
    expect(s.out()).not.toContain('已启动');
    expect(s.out()).not.toContain('打开表单');
  }, 60_000);

  it('a planted world-readable token file is replaced by a private one; a link is never followed', async () => {
    const sub = join(dir, 'planted');
    await rm(sub, { recursive: true, force: true });
    await import('node:fs/promises').then((f) => f.mkdir(sub));
    const file = join(sub, 'crm.xlsx');
    await templateWorkbook(file);
    const planted = 'planted-token-known-to-someone-else';
    await writeFile(join(sub, '.crm-token'), planted + '\n');
    await chmod(join(sub, '.crm-token'), 0o644);
    const s = start(['--workbook', file, '--port', '0']);
    await until(() => s.out().includes('打开表单'), 45_000, 'the forms link');
    expect(s.err()).toContain('其他用户可读或可写（权限应为 600），不予使用');
    const saved = (await readFile(join(sub, '.crm-token'), 'utf8')).trim();
    expect(saved).not.toBe(planted);
    expect((await lstat(join(sub, '.crm-token'))).mode & 0o777).toBe(0o600);
    expect(s.out()).toContain(`#token=${saved}`);
    const port = portOf(s.out());
    const denied = await get(port, '/api/status', { authorization: `Bearer ${planted}` });
    expect(denied.status).toBe(401);
    s.child.kill('SIGTERM');
    await s.exited;

    // A link planted in its place: replaced by a file; the link's target is not written.
    const target = join(dir, 'elsewhere.txt');
    await writeFile(target, 'not a token\n');
    await rm(join(sub, '.crm-token'));
    await symlink(target, join(sub, '.crm-token'));
    const again = start(['--workbook', file, '--port', '0']);
    await until(() => again.out().includes('打开表单'), 45_000, 'the forms link');
    expect(again.err()).toContain('是一个链接');
    expect((await lstat(join(sub, '.crm-token'))).isSymbolicLink()).toBe(false);
    expect(await readFile(target, 'utf8')).toBe('not a token\n');
    again.child.kill('SIGTERM');
    await again.exited;
  }, 120_000);

  it('a damaged workbook: the service keeps serving and shows the error; Host allowlist and nosniff hold', async () => {
    const sub = join(dir, 'damaged');
    await import('node:fs/promises').then((f) => f.mkdir(sub, { recursive: true }));
    const file = join(sub, 'crm.xlsx');
    await writeFile(file, Buffer.from('PK\u0003\u0004 this is not a workbook any more'));
    const s = start(['--workbook', file, '--port', '0'], {
      CRM_TOKEN: 'a-token-for-this-test-only',
    });
    await until(() => s.out().includes('打开表单'), 45_000, 'the forms link');
    expect(s.err()).toContain('工作簿暂时无法同步，服务继续运行');
    expect(s.err()).not.toMatch(/\n\s+at /);
    const port = portOf(s.out());
    const auth = { authorization: 'Bearer a-token-for-this-test-only' };
    const status = await get(port, '/api/status', auth);
    expect(status.status).toBe(200);
    expect(status.headers['x-content-type-options']).toBe('nosniff');
    const state = JSON.parse(status.body) as { lastError: { message: string } | null };
    expect(state.lastError?.message).toContain('工作簿文件已损坏或不是有效的 .xlsx');
    const rebound = await get(port, '/api/status', { ...auth, host: 'attacker.example:8787' });
    expect(rebound.status).toBe(421);
    expect(rebound.body).toContain('不接受主机名');
    const local = await get(port, '/healthz', { host: `localhost:${port}` });
    expect(local.status).toBe(200);
    s.child.kill('SIGTERM');
    expect(await s.exited).not.toBeNull();
  }, 90_000);

  it('while LibreOffice has the workbook open a form is refused with 423, naming the person, and the file is untouched', async () => {
    const sub = join(dir, 'opened');
    await import('node:fs/promises').then((f) => f.mkdir(sub, { recursive: true }));
    const file = join(sub, 'crm.xlsx');
    await templateWorkbook(file, 5);
    const lock = join(sub, '.~lock.crm.xlsx#');
    await writeFile(
      lock,
      ',王芳,wang-laptop,27.11.2026 09:30,file:///home/wang/.config/libreoffice/4;',
    );
    const s = start(['--workbook', file, '--port', '0'], {
      CRM_TOKEN: 'a-token-for-this-test-only',
    });
    await until(() => s.out().includes('打开表单'), 45_000, 'the forms link');
    const who = '工作簿正被王芳（wang-laptop） 用 LibreOffice 打开（.~lock.crm.xlsx#）';
    expect(s.out() + s.err()).toContain(who);
    const port = portOf(s.out());
    const auth = { authorization: 'Bearer a-token-for-this-test-only' };
    const status = JSON.parse((await get(port, '/api/status', auth)).body) as {
      openInEditor: string | null;
      running: boolean;
    };
    expect(status.openInEditor).toContain(who);
    expect(status.running).toBe(false);

    const submit = (): Promise<Response> =>
      fetch(`http://127.0.0.1:${port}/api/forms/new-customer`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify(newCustomerPayload({ createdDate: '2026-11-01', owner: '张伟' })),
      });
    const before = await readFile(file);
    const refused = await submit();
    expect(refused.status).toBe(423);
    const { error } = (await refused.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe('workbook_open');
    expect(error.message).toContain(who);
    expect(error.message).toContain('您填写的内容还在页面上，关闭后再提交即可');
    expect((await readFile(file)).equals(before)).toBe(true);

    // Closed in LibreOffice: the same submission is saved.
    await rm(lock);
    const saved = await submit();
    expect(saved.status).toBe(200);
    expect((await readFile(file)).equals(before)).toBe(false);
    s.child.kill('SIGTERM');
    await s.exited;
  }, 90_000);
});
