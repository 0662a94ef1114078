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
import { bearerToken, createApp } from '../http/app.ts';
import { XlsxFileStore } from '../local/xlsxStore.ts';
import { WorkbookService } from '../sync/service.ts';
import { init } from './init.ts';
import { formsRouter } from '../http/forms.ts';
import { importRouter } from '../import/http.ts';
import { customerPagesRouter, DirectoryHolder } from '../customers/pages.ts';
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
}

export interface Running {
  server: Server;
  service: WorkbookService;
  url: string;
  formsUrl: string;
  token: string;
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

export async function serve(options: ServeOptions): Promise<Running> {
  const workbook = resolve(options.workbook);
  if (!existsSync(workbook)) {
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
  // The customer pages keep the last sync's results; the first request before any sync waits for one.
  let service: WorkbookService | null = null;
  const directory = new DirectoryHolder(() => service!.sync('手动'));
  service = new WorkbookService(store, { log: options.log, onComputed: directory.update });
  const app = createApp({
    sync: () => service.sync('手动'),
    status: () => service.status(),
    authenticate: bearerToken(token),
    routes: [
      formsRouter({ store, requestSync: () => service.requestSync(), user: options.user }),
      importRouter({ store, requestSync: () => service.requestSync() }),
      customerPagesRouter({ directory, viewer: () => ({ name: options.user }) }),
    ],
  });
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
  const running = await serve({
    workbook: parsed.values.workbook ?? defaults.workbook ?? 'data/crm.xlsx',
    port,
    host: parsed.values.host ?? process.env.HOST ?? '127.0.0.1',
    sampleIfMissing: defaults.sampleIfMissing ?? 0,
    user: process.env.CRM_USER ?? userInfo().username,
    log,
  });
  process.stdout.write(
    `\n表格客户管理已启动：${running.url}\n工作簿：${resolve(running.service.store.label)}\n打开表单：${running.formsUrl}\n批量导入：${running.url}/import#token=${running.token}\n\n`,
  );
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise(() => undefined);
  return 0;
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
