/**
 * `crm-sync serve`: the sync service on one local workbook — HTTP API, forms, a first
 * sync at start and a daily one — or, with a config file, on Google spreadsheets.
 * `crm-sync start` (start.ts) is the same on data/crm.xlsx, created with sample data
 * when missing.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { wallTimeOf } from '../../../shared/calendar.ts';
import { readWorkbookSettings } from '../../../shared/validate/index.ts';
import { prepareForms } from '../../../shared/forms/submit.ts';
import { FORMS } from '../../../shared/forms/definitions.ts';
import { AUDIT_LOG } from '../../../sheets-templates/tabs.ts';
import { createApp } from '../../http/app.ts';
import { generatePassword, passwordFileOf, PasswordFile } from '../../auth/passwords.ts';
import { actorOf, Team } from '../../auth/team.ts';
import { requirePermission, sessionRouter, teamRouter } from '../../http/team.ts';
import { WorklistModel } from '../../worklist/model.ts';
import { XlsxFileStore } from '../../local/xlsxStore.ts';
import { TOKEN_FILE, tokenFileWarning, workbookToken } from '../../local/tokenFile.ts';
import { listenOn } from '../../http/listen.ts';
import { editorLockMessage, editorLockOf } from '../../local/officeLock.ts';
import { describeError } from '../../sync/errorText.ts';
import { WorkbookService } from '../../sync/service.ts';
import { idleCollector, type IdleCollector } from '../../sync/idleCollect.ts';
import { init } from './init.ts';
import { userInfo } from 'node:os';
import { EXIT, parseCommandArgs, UsageError, type CliIo, type Command } from '../args.ts';
import { formsRouter } from '../../http/forms.ts';
import type { Logger } from '../../http/logger.ts';
import { importRouter } from '../../import/http.ts';
import { reportRouter } from '../../report/http.ts';
import { customerPagesRouter, DirectoryHolder } from '../../customers/pages.ts';
import { googleApp } from '../../google/app.ts';
import { createGoogleService } from '../../google/service.ts';
import { loadConfig } from '../../google/config.ts';

/** The sheets forms add rows to: big ones are cut into pieces before the first form. */
const FORM_SHEETS: readonly string[] = [
  ...new Set(FORMS.filter((f) => f.mode === 'append').map((f) => f.tab.name)),
  AUDIT_LOG.name,
];

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
  /** the current instant in ms for sign-in, 我的待办 and the syncs (tests pin it) */
  clock?: () => number;
  /** how long a saved form waits before its sync; default 0.1 s (1.5 s when not warm) */
  syncDebounceMs?: number;
  /**
   * Keep the workbook's rows and results between syncs (default true): a sync then
   * reads the file only when someone else saved it, and computes only what changed
   */
  warm?: boolean;
}

/**
 * A warm sync costs little, so a form's sync starts soon. The wait runs from the first
 * form only, and forms saved while a sync runs share the one after it, so forms in quick
 * succession still make one sync.
 */
const WARM_DEBOUNCE_MS = 100;

export interface Running {
  server: Server;
  service: WorkbookService;
  team: Team;
  worklist: WorklistModel;
  url: string;
  formsUrl: string;
  token: string;
  /** passwords made for a new sample workbook, to print once */
  firstPasswords: { login: string; name: string; role: string; password: string }[];
  /** the full collections made while idle (warm local mode), for the benchmarks */
  idleCollections: IdleCollector['stats'];
  close(): Promise<void>;
}

/** The token from CRM_TOKEN, or one generated once and kept beside the workbook. */
async function tokenFor(
  workbook: string,
  given: string | undefined,
  log: (line: string) => void,
): Promise<string> {
  if (given) return given;
  const { token, verdict } = await workbookToken(workbook);
  const warning = tokenFileWarning(join(dirname(workbook), TOKEN_FILE), verdict);
  if (warning) log(warning);
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
        now: wallTimeOf((options.clock ?? Date.now)(), 'Asia/Shanghai'),
        force: false,
      },
      options.log,
    );
  }
  const token = await tokenFor(workbook, options.token, options.log);
  // Refreshed at every sync; /api/status and the pages show it.
  let editorWarning: string | null = null;
  const checkEditor = async (): Promise<void> => {
    const lock = await editorLockOf(workbook);
    editorWarning = lock ? editorLockMessage(lock) : null;
    if (editorWarning) options.log(`注意：${editorWarning}`);
  };
  const warm = options.warm ?? true;
  const store = new XlsxFileStore(workbook, { warm });
  const passwords = new PasswordFile(passwordFileOf(workbook));
  const clock = options.clock ?? Date.now;
  const team = new Team({ store, workbook, passwords, token, soleName: options.user, clock });
  const worklist = new WorklistModel(store, clock);
  // The customer pages keep the last sync's results; a request before any sync waits for one.
  const directory = new DirectoryHolder(() => service.sync('手动'));
  const firstPasswords = created && options.sampleIfMissing > 0 ? await firstSignIns(team) : [];
  if (!LOOPBACK.has(options.host) && !(await team.adminHasPassword()))
    throw new Error(
      `不能在 ${options.host} 上提供服务：“用户”表中还没有设置了密码的在职管理员。` +
        '请先用 crm-sync user add <工作簿> --role 管理员 … 添加管理员并设置密码，或只在 127.0.0.1 上提供服务',
    );
  const collector = idleCollector();
  const service = new WorkbookService(store, {
    log: options.log,
    beforeSync: checkEditor,
    observe: (computed) => {
      worklist.observe(computed);
      directory.observe(computed);
    },
    debounceMs: options.syncDebounceMs ?? (warm ? WARM_DEBOUNCE_MS : 1500),
    // A kept read lets the next form find its indexes made (or carried over) already.
    ...(warm
      ? {
          afterSync: async () => {
            await store.exclusive(async () => prepareForms((await store.read()).input));
            await store.exclusive(() => store.settle());
            for (const tab of FORM_SHEETS) await store.exclusive(() => store.cutForWrites(tab));
            // Inside the lock, so that no form is half saved; a form arriving meanwhile waits.
            await store.exclusive(async () => {
              if (service.quiet) collector.maybeCollect();
            });
          },
        }
      : {}),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  const requestSync = (): void => service.requestSync();
  const logger: Logger = {
    error: (message, error) =>
      options.log(
        `${message}：${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
  };
  const app = createApp({
    logger,
    sync: () => service.sync('手动'),
    status: () => ({ ...service.status(), openInEditor: editorWarning }),
    authenticate: (req) => team.authenticate(req),
    hosts: [options.host],
    before: [sessionRouter(team)],
    routes: [
      teamRouter({ team, worklist }),
      requirePermission('/api/import', 'importRows'),
      requirePermission('/api/report', 'exportReports'),
      formsRouter({
        store,
        requestSync,
        clock,
        user: options.user,
        actor: actorOf,
        directory: () => team.directory(),
        logger,
        openInEditor: async () => {
          const lock = await editorLockOf(workbook);
          return lock ? editorLockMessage(lock) : null;
        },
      }),
      importRouter({
        store,
        requestSync,
        logger,
        clock,
        actorName: (req) => actorOf(req).name,
      }),
      reportRouter({ store, clock }),
      customerPagesRouter({ directory, viewer: actorOf }),
    ],
  });
  // Behind a reverse proxy on this machine, its X-Forwarded-Proto says whether the page is HTTPS.
  app.set('trust proxy', 'loopback');
  const server = await listenOn(app, options.port, options.host);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${options.host}:${port}`;
  const formsUrl = `${url}/forms#token=${token}`;

  // A damaged workbook does not stop the service: the error stays on /api/status and the
  // pages until a sync succeeds, and forms answer with it instead of a crash.
  try {
    await service.sync('手动');
  } catch (e) {
    options.log(
      `工作簿暂时无法同步，服务继续运行（状态和表单页会显示这个错误）：${describeError(e)}`,
    );
  }
  const settings = await store
    .exclusive(async () => readWorkbookSettings((await store.read(['参数'])).input, []))
    .catch(() => readWorkbookSettings({ tabs: new Map(), epoch: 'excel1900' }, []));
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
    idleCollections: collector.stats,
    async close() {
      await service.close();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/** What `serve` and `start` share; `start` only changes the defaults. */
export function serveCommand(name: string, defaults: Partial<ServeOptions> = {}): Command {
  const local = defaults.workbook === undefined;
  return {
    name,
    usage: local
      ? `${name} [--workbook data/crm.xlsx] [--port 8787] [--host 127.0.0.1] | --config crm.config.json`
      : `${name} [--port 8787] [--host 127.0.0.1]`,
    summary: local
      ? 'serve the sync API and the forms for one local workbook (token: CRM_TOKEN or generated), or the Google spreadsheets of a config file'
      : `serve ${defaults.workbook}, creating it with sample data when missing`,
    options: [
      ...(local ? ['--workbook <file>      the local workbook (default data/crm.xlsx)'] : []),
      '--port N               the port (default $PORT or 8787; 0 picks a free one)',
      '--host <address>       the interface (default $HOST, or 127.0.0.1 locally, 0.0.0.0 for Google)',
      ...(local
        ? ['--config <file>        Google mode: the spreadsheets to serve (or CRM_CONFIG)']
        : []),
    ],
    async run(args, io) {
      const { values } = parseCommandArgs(args, {
        port: { type: 'string' },
        host: { type: 'string' },
        ...(local ? { workbook: { type: 'string' }, config: { type: 'string' } } : {}),
      } as const);
      const given = values as { workbook?: string; config?: string; port?: string; host?: string };
      const port = portOf(given.port ?? io.env.PORT ?? '8787');
      const log = (line: string): void => io.stderr(`[${new Date().toISOString()}] ${line}\n`);
      const configFile = local ? (given.config ?? io.env.CRM_CONFIG) : undefined;
      if (configFile !== undefined && given.workbook === undefined)
        return serveGoogle(configFile, port, given.host ?? io.env.HOST ?? '0.0.0.0', log, io);
      const running = await serve({
        workbook: given.workbook ?? defaults.workbook ?? 'data/crm.xlsx',
        port,
        host: given.host ?? io.env.HOST ?? '127.0.0.1',
        sampleIfMissing: defaults.sampleIfMissing ?? 0,
        ...(io.env.CRM_TOKEN ? { token: io.env.CRM_TOKEN } : {}),
        user: io.env.CRM_USER ?? userInfo().username,
        log,
      });
      io.stdout(startBanner(running));
      await io.untilStopped();
      await running.close();
      return EXIT.ok;
    },
  };
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

function portOf(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(port) || port > 65535)
    throw new UsageError(`--port 应为 0–65535 的整数，收到 ${JSON.stringify(text)}`);
  return port;
}

/** Google mode: the spreadsheets of the config file, each add-on call checked by its ID token. */
async function serveGoogle(
  configFile: string,
  port: number,
  host: string,
  log: (line: string) => void,
  io: CliIo,
): Promise<number> {
  const config = await loadConfig(configFile);
  const service = createGoogleService(config, { log, env: io.env });
  const server = await listenOn(googleApp(service), port, host);
  const cron = await service.startCron();
  log(`Google 模式已启动：${host}:${port}，服务 ${config.spreadsheets.length} 个表格`);
  await io.untilStopped();
  await cron.stop();
  await service.close();
  await new Promise<void>((ok) => server.close(() => ok()));
  return EXIT.ok;
}
