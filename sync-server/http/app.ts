/**
 * The sync service's HTTP face: health, sync, status, and (in local mode) the forms.
 * Every /api route needs the bearer token; errors are JSON with a code and a message.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { timingSafeEqual } from 'node:crypto';
import { HttpError } from './errors.ts';
import { sendFriendlyError } from './friendlyErrors.ts';
import { hostAllowlist } from './hostAllowlist.ts';
import { stderrLogger, type Logger } from './logger.ts';
import { DomainError, type DomainErrorKind } from '../sync/errors.ts';
import type { SyncSummary } from '../sync/runSync.ts';

/** An answer with its own status, e.g. 202 for a sync that was started, not awaited. */
export class Answer {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {}
}

export interface AppOptions {
  /** POST /api/sync: the workbook the request names (Google) or the one served (local) */
  sync: (req: Request) => Promise<SyncSummary | Answer>;
  /** GET /api/sync/:job (Google mode): a started sync's state */
  syncJob?: (req: Request, job: string) => Promise<unknown>;
  /** GET /api/status */
  status: (req: Request) => unknown;
  /** checks the Authorization header (the body is parsed already); throws HttpError 401/403 */
  authenticate: (req: Request) => Promise<unknown> | void;
  /** extra routes mounted before the error handler (the forms, in local mode) */
  routes?: Router[];
  /** routes mounted before the /api authentication (sign-in, sign-out, the sign-in page) */
  before?: Router[];
  bodyLimit?: string;
  /** where unexpected errors go; default stderr */
  logger?: Logger;
  /** local mode: the Host names served besides loopback (DNS rebinding); omitted: any */
  hosts?: readonly string[];
}

const STATUS_OF: Record<DomainErrorKind, number> = { not_found: 404, invalid: 400, conflict: 409 };

/** The static bearer token check of local mode, constant-time. */
export function bearerToken(expected: string): (req: Request) => void {
  const want = Buffer.from(expected);
  return (req) => {
    const header = req.get('authorization') ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m)
      throw new HttpError(
        401,
        'unauthorized',
        '缺少访问令牌：请使用启动时打印的链接，或在请求头中带上 Authorization: Bearer <令牌>',
      );
    const got = Buffer.from(m[1]!.trim());
    if (got.length !== want.length || !timingSafeEqual(got, want))
      throw new HttpError(401, 'unauthorized', '访问令牌无效');
  };
}

export function createApp(options: AppOptions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const limit = options.bodyLimit ?? '256kb';
  const logger = options.logger ?? stderrLogger;
  if (options.hosts) app.use(hostAllowlist(options.hosts));
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  // Browsers ask for an icon beside every page; no icon is an answer, not an error.
  app.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });

  for (const r of options.before ?? []) app.use(r);

  const api = express.Router();
  // Parsed first, within the size limit, so authentication can read the spreadsheet ID.
  api.use(express.json({ limit, strict: true }));
  // Express 5 passes a rejected promise to the error handler.
  api.use(async (req, _res, next) => {
    await options.authenticate(req);
    next();
  });

  api.post('/sync', async (req, res) => {
    const out = await options.sync(req);
    if (out instanceof Answer) res.status(out.status).json(out.body);
    else res.json(out);
  });
  const syncJob = options.syncJob;
  if (syncJob)
    api.get('/sync/:job', async (req, res) => {
      res.json(await syncJob(req, String(req.params.job)));
    });
  api.get('/status', (req, res) => {
    res.json(options.status(req));
  });

  app.use('/api', api);
  for (const r of options.routes ?? []) app.use(r);

  app.use((_req, _res, next) => next(new HttpError(404, 'not_found', '没有这个地址')));
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const e = err as { status?: number; type?: string; message?: string };
    if (err instanceof HttpError) {
      if (sendFriendlyError(req, res, err.status, err.message)) return;
      res
        .status(err.status)
        .json({ error: { code: err.code, message: err.message, details: err.details } });
      return;
    }
    if (err instanceof DomainError) {
      res.status(STATUS_OF[err.kind]).json({ error: { code: err.kind, message: err.message } });
      return;
    }
    if (e.type === 'entity.too.large') {
      res
        .status(413)
        .json({ error: { code: 'payload_too_large', message: `请求体超过 ${limit} 上限` } });
      return;
    }
    if (e.type === 'entity.parse.failed') {
      res.status(400).json({ error: { code: 'bad_json', message: '请求体不是有效的 JSON' } });
      return;
    }
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      res.status(e.status).json({ error: { code: 'bad_request', message: '请求无效' } });
      return;
    }
    logger.error(`${req.method} ${req.path} 失败`, err);
    if (sendFriendlyError(req, res, 500, '服务内部错误，请稍后重试；详情见服务日志')) return;
    res.status(500).json({ error: { code: 'internal', message: '服务内部错误，详情见服务日志' } });
  });
  return app;
}
