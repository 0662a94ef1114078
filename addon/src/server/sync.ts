/**
 * 立即同步: asks the sync service to start a sync of this spreadsheet, as the signed-in
 * person, and returns at once; a dialog then follows the job with short calls until it
 * ends. A sync of a large workbook outlasts both UrlFetchApp's timeout and Apps Script's
 * six-minute limit, so no single execution ever waits for one.
 */
import * as z from 'zod/mini';
import type { SyncSummaryWire } from '../../../shared/sync/summary.ts';
import { gas, type Spreadsheet } from './gas.ts';
import { errorMessage, NO_SERVICE_MESSAGE, serviceUrl } from './service.ts';

/** The service's summary, as far as the add-on shows it. */
export type SyncSummary = SyncSummaryWire;

/** Where the job being followed is kept, so any dialog of the spreadsheet can follow it. */
export const SYNC_JOB_PROPERTY = 'CRM_SYNC_JOB';

/** What getIdentityToken needs: without them it answers null. */
export const TOKEN_SCOPES = ['openid', 'https://www.googleapis.com/auth/userinfo.email'];

export const NO_TOKEN_MESSAGE =
  '无法取得您的 Google 身份令牌，同步服务无法确认您是谁：请在“扩展程序 → 加载项 → 管理加载项”' +
  '（或 Apps Script 编辑器中运行一次任意函数）重新授权“查看您的电子邮件地址”和“OpenID”后再试';

const SummarySchema = z.object({
  result: z.enum(['success', 'partial', 'failed']),
  rowsRead: z.number(),
  cellsWritten: z.number(),
  errors: z.number(),
  warnings: z.number(),
  durationMs: z.number(),
});

const StartedSchema = z.object({
  job: z.string().check(z.minLength(1)),
  state: z.enum(['queued', 'running']),
});

const JobSchema = z.object({
  job: z.string(),
  state: z.enum(['queued', 'running', 'done', 'failed']),
  summary: z.optional(SummarySchema),
  error: z.optional(z.object({ code: z.optional(z.string()), message: z.string() })),
});

export type SyncStart = { ok: true; job: string; message: string } | { ok: false; message: string };

/** What the dialog shows: `finished` stops its polling. */
export interface SyncStatus {
  job: string | null;
  state: 'queued' | 'running' | 'done' | 'failed' | 'unknown';
  finished: boolean;
  ok: boolean;
  message: string;
}

export function summaryMessage(s: SyncSummary): string {
  const text =
    `读取 ${s.rowsRead} 行，写入 ${s.cellsWritten} 个单元格，` +
    `错误 ${s.errors} 个，警告 ${s.warnings} 个，用时 ${(s.durationMs / 1000).toFixed(1)} 秒`;
  if (s.result === 'success') return `同步完成：${text}`;
  if (s.result === 'failed') return `同步失败：${text}。详见“同步日志”工作表`;
  return `同步完成，但有数据问题：${text}。详见“数据问题”工作表`;
}

const STATE_TEXT = { queued: '同步已排队，等待开始…', running: '正在同步…' } as const;

/**
 * The person's ID token. Without the openid scope Apps Script answers null: then the
 * scopes are asked for (Apps Script shows the authorisation prompt and ends this run),
 * and if they are granted yet no token comes, the person is told what to do.
 */
function identityToken(): string | null {
  const script = gas.script();
  const token = script.getIdentityToken();
  if (token) return token;
  script.requireScopes(script.AuthMode.FULL, TOKEN_SCOPES);
  return script.getIdentityToken() || null;
}

type Answer = { status: number; body: string } | { failed: string };

function call(url: string, token: string, payload?: unknown): Answer {
  try {
    const res = gas.fetch().fetch(url, {
      method: payload === undefined ? 'get' : 'post',
      ...(payload === undefined
        ? {}
        : { contentType: 'application/json', payload: JSON.stringify(payload) }),
      // The service checks this token's audience (the script's OAuth client) and email.
      headers: { Authorization: `Bearer ${token}` },
      muteHttpExceptions: true,
    });
    return { status: res.getResponseCode(), body: res.getContentText() };
  } catch (e) {
    return { failed: e instanceof Error ? e.message : String(e) };
  }
}

function parse<T>(schema: z.ZodMiniType<T>, body: string): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const UNRECOGNISED =
  '同步服务的回答无法识别：请确认地址指向的是同步服务，且服务已更新到支持后台同步的版本';

/** POST /api/sync: 202 with the job to follow. */
export function startSync(ss: Spreadsheet): SyncStart {
  const base = serviceUrl();
  if (!base) return { ok: false, message: NO_SERVICE_MESSAGE };
  const token = identityToken();
  if (!token) return { ok: false, message: NO_TOKEN_MESSAGE };
  const answer = call(base + '/api/sync', token, { spreadsheetId: ss.getId() });
  if ('failed' in answer)
    return { ok: false, message: `无法连接同步服务 ${base}：${answer.failed}` };
  if (answer.status !== 202)
    return {
      ok: false,
      message: answer.status === 200 ? UNRECOGNISED : errorMessage(answer.status, answer.body),
    };
  const started = parse(StartedSchema, answer.body);
  if (!started) return { ok: false, message: UNRECOGNISED };
  gas.properties().getDocumentProperties().setProperty(SYNC_JOB_PROPERTY, started.job);
  return { ok: true, job: started.job, message: STATE_TEXT[started.state] };
}

/** GET /api/sync/<job>: one short look at the job the spreadsheet follows. */
export function syncStatus(): SyncStatus {
  const job = gas.properties().getDocumentProperties().getProperty(SYNC_JOB_PROPERTY);
  const unknown = (message: string): SyncStatus => ({
    job,
    state: 'unknown',
    finished: true,
    ok: false,
    message,
  });
  if (!job) return unknown('还没有开始同步：请点击“客户管理 → 立即同步”');
  const base = serviceUrl();
  if (!base) return unknown(NO_SERVICE_MESSAGE);
  const token = gas.script().getIdentityToken();
  if (!token) return unknown(NO_TOKEN_MESSAGE);
  const answer = call(`${base}/api/sync/${encodeURIComponent(job)}`, token);
  // A dropped connection is not the end of the job: the dialog asks again.
  if ('failed' in answer)
    return {
      job,
      state: 'unknown',
      finished: false,
      ok: false,
      message: `暂时无法连接同步服务：${answer.failed}，稍后自动重试`,
    };
  if (answer.status === 404)
    return unknown('同步服务找不到这次同步（服务可能已重启）：请重新点击“立即同步”');
  if (answer.status !== 200) return unknown(errorMessage(answer.status, answer.body));
  const status = parse(JobSchema, answer.body);
  if (!status) return unknown(UNRECOGNISED);
  if (status.state === 'queued' || status.state === 'running')
    return {
      job,
      state: status.state,
      finished: false,
      ok: true,
      message: STATE_TEXT[status.state],
    };
  if (status.state === 'done' && status.summary)
    return {
      job,
      state: 'done',
      finished: true,
      ok: status.summary.result !== 'failed',
      message: summaryMessage(status.summary),
    };
  return {
    job,
    state: 'failed',
    finished: true,
    ok: false,
    message: `同步失败：${status.error?.message ?? '同步服务没有说明原因'}`,
  };
}
