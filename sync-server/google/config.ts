/**
 * The Google mode's configuration file: which spreadsheets this service serves, who may
 * ask it to sync each one, and the audiences of the ID tokens it accepts — the OAuth
 * client IDs of the add-on scripts (each bound script has its own Cloud project, so a
 * spreadsheet may name its own), and the service's URL for Cloud Scheduler's tokens.
 *
 * {
 *   "spreadsheets": [
 *     { "id": "1AbC…", "name": "华东销售", "cron": "0 6 * * *",
 *       "allowed": ["lead@example.com", "@example.com"],
 *       "oauthClientIds": ["5678-def.apps.googleusercontent.com"] }
 *   ],
 *   "oauthClientIds": ["1234-abc.apps.googleusercontent.com"],
 *   "serviceUrl": "https://crm-sync-abc123-an.a.run.app"
 * }
 *
 * The single `oauthClientId` of earlier versions is still accepted.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { validate as validCron } from 'node-cron';
import { z } from 'zod';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DOMAIN =
  /^@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

const allowedEntry = z
  .string({ error: '应为文本 / must be a string' })
  .trim()
  .toLowerCase()
  .refine((s) => EMAIL.test(s) || DOMAIN.test(s), {
    error: (issue) =>
      `“${String(issue.input)}”既不是邮箱也不是以 @ 开头的域名 / is neither an email address nor an @domain (e.g. "user@example.com", "@example.com")`,
  });

const clientId = z
  .string({ error: 'OAuth 客户端 ID 应为文本 / an OAuth client ID must be a string' })
  .trim()
  .regex(/^[A-Za-z0-9._-]+\.apps\.googleusercontent\.com$/, {
    error:
      'OAuth 客户端 ID 应为加载项脚本所在 Cloud 项目的客户端 ID（以 .apps.googleusercontent.com 结尾）/ must be the OAuth client ID of the add-on script’s Cloud project (ending in .apps.googleusercontent.com)',
  });

const clientIds = z.array(clientId, {
  error: 'oauthClientIds 应为列表 / oauthClientIds must be a list',
});

const spreadsheet = z.strictObject(
  {
    id: z
      .string({ error: '缺少表格 ID / spreadsheet id is required' })
      .trim()
      .regex(/^[A-Za-z0-9_-]{10,}$/, {
        error:
          '表格 ID 应为表格网址 /d/ 与 /edit 之间的部分 / must be the part of the spreadsheet URL between /d/ and /edit',
      }),
    name: z
      .string({ error: '缺少名称 / name is required' })
      .trim()
      .min(1, { error: '名称不能为空 / name must not be empty' }),
    cron: z
      .string({ error: 'cron 应为文本 / cron must be a string' })
      .trim()
      .refine((s) => validCron(s), {
        error: (issue) =>
          `“${String(issue.input)}”不是有效的 cron 表达式 / is not a valid cron expression (e.g. "0 6 * * *")`,
      })
      .optional(),
    allowed: z.array(allowedEntry, { error: 'allowed 应为列表 / allowed must be a list' }).min(1, {
      error:
        'allowed 至少要有一个邮箱或 @域名 / allowed needs at least one email address or @domain',
    }),
    /** client IDs of this spreadsheet's own bound script, besides the global ones */
    oauthClientIds: clientIds.optional(),
  },
  { error: '应为对象 / must be an object' },
);

export const configSchema = z
  .strictObject(
    {
      spreadsheets: z
        .array(spreadsheet, { error: 'spreadsheets 应为列表 / spreadsheets must be a list' })
        .min(1, { error: '至少配置一个表格 / configure at least one spreadsheet' }),
      oauthClientId: clientId.optional(),
      oauthClientIds: clientIds.optional(),
      serviceUrl: z
        .url({
          protocol: /^https?$/,
          error:
            'serviceUrl 应为本服务的网址，如 https://crm-sync-abc123-an.a.run.app / must be this service’s URL, e.g. https://crm-sync-abc123-an.a.run.app',
        })
        .optional(),
    },
    { error: '配置应为 JSON 对象 / the config must be a JSON object' },
  )
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.spreadsheets.forEach((s, i) => {
      if (seen.has(s.id))
        ctx.addIssue({
          code: 'custom',
          path: ['spreadsheets', i, 'id'],
          message: `表格 ID ${s.id} 重复 / spreadsheet id ${s.id} appears twice`,
        });
      seen.add(s.id);
      if (audiencesOf(config, s).length === 0)
        ctx.addIssue({
          code: 'custom',
          path: ['spreadsheets', i],
          message:
            '没有可接受的身份令牌受众：请设置 oauthClientIds（加载项的 OAuth 客户端 ID）或 serviceUrl / no ID-token audience: set oauthClientIds (the add-on’s OAuth client IDs) or serviceUrl',
        });
    });
  });

export type CrmConfig = z.infer<typeof configSchema>;
export type SpreadsheetConfig = CrmConfig['spreadsheets'][number];

/** The default daily sync when a spreadsheet has no cron (the 参数 tab's 同步计划 default). */
export const DEFAULT_CRON = '0 6 * * *';

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: readonly string[] = [],
  ) {
    super(issues.length > 0 ? `${message}\n${issues.map((i) => `  - ${i}`).join('\n')}` : message);
    this.name = 'ConfigError';
  }
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(root)';
}

/** Validates parsed JSON; `source` names the file in messages. */
export function parseConfig(json: unknown, source = '配置 / config'): CrmConfig {
  const result = configSchema.safeParse(json);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => {
    const message =
      i.code === 'unrecognized_keys' ? `未知字段 / unknown field: ${i.keys.join(', ')}` : i.message;
    return `${pathText(i.path)}: ${message}`;
  });
  throw new ConfigError(`配置文件有误 / invalid config file: ${source}`, issues);
}

export async function loadConfig(path: string): Promise<CrmConfig> {
  const full = resolve(path);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new ConfigError(
      code === 'ENOENT'
        ? `找不到配置文件 / config file not found: ${full}`
        : `无法读取配置文件 / cannot read config file ${full}: ${(e as Error).message}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(
      `配置文件不是有效的 JSON / config file is not valid JSON: ${full}: ${(e as Error).message}`,
    );
  }
  return parseConfig(json, full);
}

/** The config path: `--config <path>` / `--config=<path>` on the command line, else CRM_CONFIG. */
export function configPath(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--config') {
      const next = argv[i + 1];
      if (!next || next.startsWith('--'))
        throw new ConfigError('--config 后面要跟配置文件路径 / --config needs a file path');
      return next;
    }
    if (arg.startsWith('--config=')) return arg.slice('--config='.length);
  }
  return env.CRM_CONFIG || undefined;
}

/** Loads the config named by the command line or CRM_CONFIG; a clear error when neither is set. */
export async function loadConfigFrom(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): Promise<CrmConfig> {
  const path = configPath(argv, env);
  if (!path)
    throw new ConfigError(
      '未指定配置文件：请设置环境变量 CRM_CONFIG 或使用 --config <文件> / no config file: set CRM_CONFIG or pass --config <file>',
    );
  return loadConfig(path);
}

export function findSpreadsheet(
  config: CrmConfig,
  spreadsheetId: string,
): SpreadsheetConfig | undefined {
  return config.spreadsheets.find((s) => s.id === spreadsheetId);
}

type AudienceSource = Pick<CrmConfig, 'oauthClientId' | 'oauthClientIds' | 'serviceUrl'>;

/** The add-on client IDs whose ID tokens may ask about this spreadsheet. */
export function clientIdsOf(
  config: AudienceSource,
  sheet: Pick<SpreadsheetConfig, 'oauthClientIds'>,
): string[] {
  const ids = [
    ...(config.oauthClientId ? [config.oauthClientId] : []),
    ...(config.oauthClientIds ?? []),
    ...(sheet.oauthClientIds ?? []),
  ];
  return [...new Set(ids)];
}

/**
 * Every audience a token for this spreadsheet may carry: the add-on client IDs, and the
 * service's URL (Cloud Scheduler's OIDC tokens), with and without a trailing slash.
 */
export function audiencesOf(
  config: AudienceSource,
  sheet: Pick<SpreadsheetConfig, 'oauthClientIds'>,
): string[] {
  const url = config.serviceUrl?.replace(/\/+$/, '');
  return [...clientIdsOf(config, sheet), ...(url ? [url, `${url}/`] : [])];
}

/** True when `email` is listed for the spreadsheet, itself or by its domain. */
export function isAllowed(sheet: SpreadsheetConfig, email: string): boolean {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const domain = address.slice(at);
  return sheet.allowed.some((entry) => entry === address || entry === domain);
}
