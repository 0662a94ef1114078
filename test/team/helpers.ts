/** The team fixture served over real HTTP, with every person's password set. */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PasswordFile, passwordFileOf } from '../../sync-server/auth/passwords.ts';
import { serve, type Running } from '../../sync-server/cli/commands/serve.ts';
import { writeWorkbook } from '../helpers/workbook.ts';
import { NOW_MS, PASSWORD, TEAM, USERS } from './fixture.ts';

export interface TeamServer {
  dir: string;
  file: string;
  running: Running;
  /** the pinned clock; tests move it forward */
  clock: { ms: number };
}

export async function startTeam(options: { syncDebounceMs?: number } = {}): Promise<TeamServer> {
  const dir = await mkdtemp(join(tmpdir(), 'crm-team-'));
  const file = join(dir, 'team.xlsx');
  await writeWorkbook(file, TEAM);
  const passwords = new PasswordFile(passwordFileOf(file));
  for (const u of USERS) await passwords.set(u[1]!, PASSWORD);
  const clock = { ms: NOW_MS };
  const running = await serve({
    workbook: file,
    port: 0,
    host: '127.0.0.1',
    sampleIfMissing: 0,
    user: '本机',
    log: () => undefined,
    clock: () => clock.ms,
    syncDebounceMs: options.syncDebounceMs ?? 3_600_000,
  });
  return { dir, file, running, clock };
}

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  headers: Headers;
}

export class Client {
  constructor(
    private readonly url: string,
    public cookie: string | null = null,
    private readonly token: string | null = null,
  ) {}

  async call(method: string, path: string, body?: unknown): Promise<Reply> {
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + path, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = text;
    }
    return { status: res.status, body: json, headers: res.headers };
  }

  get = (path: string): Promise<Reply> => this.call('GET', path);
  post = (path: string, body: unknown): Promise<Reply> => this.call('POST', path, body);
}

export async function signIn(
  url: string,
  login: string,
  password = PASSWORD,
): Promise<Reply & { client: Client }> {
  const client = new Client(url);
  const reply = await client.post('/api/session', { login, password });
  const set = reply.headers.get('set-cookie');
  if (set) client.cookie = set.split(';')[0]!;
  return { ...reply, client };
}
