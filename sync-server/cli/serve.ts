/**
 * `crm-sync serve`: the sync service on one local workbook — HTTP API, forms, a first
 * sync at start and a daily one. `crm-sync start` is the same on data/crm.xlsx, created
 * with sample data when missing.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { wallTimeOf } from '../../shared/calendar.ts';
import { readWorkbookSettings } from '../../shared/validate.ts';
import { createApp } from '../http/app.ts';
import { generatePassword, passwordFileOf, PasswordFile } from '../auth/passwords.ts';
import { actorOf, Team } from '../auth/team.ts';
import { requirePermission, sessionRouter, teamRouter } from '../http/team.ts';
import { WorklistModel } from '../worklist/model.ts';
import { XlsxFileStore } from '../local/xlsxStore.ts';
import { WorkbookService } from '../sync/service.ts';
import { init } from './init.ts';
import { formsRouter } from '../http/forms.ts';
import { importRouter } from '../import/http.ts';
import { googleApp } from '../google/app.ts';
import { createGoogleService } from '../google/service.ts';
import { loadConfig } from '../google/config.ts';
import { userInfo } from 'node:os';

const USAGE = 'usage: crm-sync serve [--workbook data/crm.xlsx] [--port 8787] [--host 127.0.0.1]';

export interface ServeOptions {
  workbook: string;
  port: number;
  host: string;
  /** customers of sample data when the workbook is missing (0 = an empty template) */
  sampleIfMissing: number;
  token?: string;
  /** who fills the forms: 审核人 and the default 负责人/跟进人 */
  user: string;
  log: (line: string) => void;
  /** the current instant in ms for sign-in and 我的待办 (tests pin it) */
  clock?: () => number;
  /** how long a saved form waits before its sync; default 1.5 s */
  syncDebounceMs?: number;
}

export interface Running {
  server: Server;
  service: WorkbookService;
  team: Team;
  worklist: WorklistModel;
  url: string;
  formsUrl: string;
  token: string;
  /** passwords made for a new sample workbook, to print once: login → password */
  firstPasswords: { login: string; name: string; role: string; password: string }[];
  close(): Promise<void>;
}

/** The token from CRM_TOKEN, or one generated once and kept beside the workbook. */
async function tokenFor(workbook: string, given?: string): Promise<string> {
  if (given) return given;
  const file = join(dirname(workbook), '.crm-token');
  if (existsSync(file)) {
    const saved = (await readFile(file, 'utf8')).trim();
    if (saved.length >= 16) return saved;
  }
  const token = randomBytes(24).toString('base64url');
  await writeFile(file, token + '\n', { mode: 0o600 });
  return token;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost', '[::1]']);

export async function serve(options: ServeOptions): Promise<Running> {
  const workbook = resolve(options.workbook);
  const created = !existsSync(workbook);
  if (created) {
    await mkdir(dirname(workbook), { recursive: true });
    await init(
      {
        file: workbook,
        sample: options.sampleIfMissing,
        seed: 1,
        now: wallTimeOf(Date.now(), 'Asia/Shanghai'),
        force: false,
      },
      options.log,
    );
  }
  const token = await tokenFor(workbook, options.token ?? process.env.CRM_TOKEN);
  const store = new XlsxFileStore(workbook);
  const passwords = new PasswordFile(passwordFileOf(workbook));
  const clock = options.clock ?? Date.now;
  const team = new Team({ store, workbook, passwords, token, soleName: options.user, clock });
  const worklist = new WorklistModel(store, clock);
  const firstPasswords = created && options.sampleIfMissing > 0 ? await firstSignIns(team) : [];
  if (!LOOPBACK.has(options.host) && !(await team.adminHasPassword()))
    throw new Error(
      `不能在 ${options.host} 上提供服务：“用户”表中还没有设置了密码的在职管理员。` +
        '请先用 crm-sync user add <工作簿> --role 管理员 … 添加管理员并设置密码，或只在 127.0.0.1 上提供服务',
    );
  const service = new WorkbookService(store, {
    log: options.log,
    observe: worklist.observe,
    ...(options.syncDebounceMs === undefined ? {} : { debounceMs: options.syncDebounceMs }),
  });
  const requestSync = (): void => service.requestSync();
  const app = createApp({
    sync: () => service.sync('手动'),
    status: () => service.status(),
    authenticate: (req) => team.authenticate(req),
    before: [sessionRouter(team)],
    routes: [
      teamRouter({ team, worklist }),
      requirePermission('/api/import', 'import'),
      formsRouter({
        store,
        requestSync,
        clock,
        user: options.user,
        actor: actorOf,
        directory: () => team.directory(),
      }),
      importRouter({ store, requestSync, actorName: (req) => actorOf(req).name }),
    ],
  });
  // Behind a reverse proxy on this machine, its X-Forwarded-Proto says whether the page is HTTPS.
  app.set('trust proxy', 'loopback');
  const server = await new Promise<Server>((ok, fail) => {
    const s = app.listen(options.port, options.host, () => ok(s));
    s.once('error', fail);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host}:${port}`;
  const formsUrl = `${url}/forms#token=${token}`;

  await service.sync('手动');
  const settings = await store.exclusive(async () =>
    readWorkbookSettings((await store.read(['参数'])).input, []),
  );
  try {
    service.startCron(settings.syncCron, settings.timeZone);
  } catch (e) {
    options.log(`定时同步未启动：${(e as Error).message}`);
  }
  return {
    server,
    service,
    url,
    formsUrl,
    token,
    team,
    worklist,
    firstPasswords,
    async close() {
      await service.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

export async function runServe(
  args: readonly string[],
  defaults: Partial<ServeOptions> = {},
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        workbook: { type: 'string' },
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
      },
    });
  } catch (e) {
    process.stderr.write(`crm-sync serve: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const port = Number(parsed.values.port ?? process.env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`crm-sync serve: --port 应为 0–65535 的整数\n`);
    return 2;
  }
  const log = (line: string): void => {
    process.stderr.write(`[${new Date().toISOString()}] ${line}\n`);
  };
  const configFile = parsed.values.config ?? process.env.CRM_CONFIG;
  if (
    configFile !== undefined &&
    parsed.values.workbook === undefined &&
    defaults.workbook === undefined
  ) {
    return serveGoogle(configFile, port, parsed.values.host ?? process.env.HOST ?? '0.0.0.0', log);
  }
  let running: Running;
  try {
    running = await serve({
      workbook: parsed.values.workbook ?? defaults.workbook ?? 'data/crm.xlsx',
      port,
      host: parsed.values.host ?? process.env.HOST ?? '127.0.0.1',
      sampleIfMissing: defaults.sampleIfMissing ?? 0,
      user: process.env.CRM_USER ?? userInfo().username,
      log,
    });
  } catch (e) {
    process.stderr.write(`crm-sync serve: ${(e as Error).message}\n`);
    return 1;
  }
  process.stdout.write(startBanner(running));
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => undefined);
  return 0;
}

/** What `npm start` prints: where to sign in, and the first passwords of a new sample workbook. */
function startBanner(running: Running): string {
  const lines = [
    '',
    `表格客户管理已启动：${running.url}`,
    `工作簿：${resolve(running.service.store.label)}`,
    `登录（我的待办）：${running.url}/login`,
  ];
  if (running.firstPasswords.length > 0) {
    lines.push('首次登录的密码（只显示这一次，登录后请用 crm-sync user passwd 修改）：');
    for (const p of running.firstPasswords)
      lines.push(`  ${p.role} ${p.name}：登录名 ${p.login}，密码 ${p.password}`);
  }
  lines.push(
    `脚本访问（管理员令牌，见 .crm-token）：打开表单 ${running.formsUrl}`,
    `批量导入：${running.url}/import#token=${running.token}`,
    '',
    '',
  );
  return lines.join('\n');
}

/**
 * A new sample workbook: passwords for its 管理员 and for one 销售, so a newcomer can
 * sign in at once and see a rep's day.
 */
async function firstSignIns(team: Team): Promise<Running['firstPasswords']> {
  if ((await team.passwords.logins()).size > 0) return [];
  const d = await team.directory();
  const admin = d.people.find((p) => p.role === '管理员' && p.active && p.login);
  const rep = d.people.find((p) => p.role === '销售' && p.active && p.login);
  const out: Running['firstPasswords'] = [];
  for (const p of [admin, rep]) {
    if (!p) continue;
    const password = generatePassword();
    await team.passwords.set(p.login, password);
    out.push({ login: p.login, name: p.name, role: p.role, password });
  }
  return out;
}

/** Google mode: the spreadsheets of the config file, each add-on call checked by its ID token. */
async function serveGoogle(
  configFile: string,
  port: number,
  host: string,
  log: (line: string) => void,
): Promise<number> {
  let config;
  try {
    config = await loadConfig(configFile);
  } catch (e) {
    process.stderr.write(`crm-sync serve: ${(e as Error).message}\n`);
    return 1;
  }
  const service = createGoogleService(config, { log });
  const server = googleApp(service).listen(port, host);
  await new Promise((ok, fail) => {
    server.once('listening', ok);
    server.once('error', fail);
  });
  const cron = await service.startCron();
  log(`Google 模式已启动：${host}:${port}，服务 ${config.spreadsheets.length} 个表格`);
  const stop = (): void => {
    void cron.stop().then(() => server.close(() => process.exit(0)));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => undefined);
  return 0;
}
