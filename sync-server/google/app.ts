/**
 * The HTTP app of Google mode: every /api call carries a Google ID token (the add-on's,
 * or Cloud Scheduler's OIDC token). A sync is a job: `POST /api/sync` answers 202 with
 * its ID at once and `GET /api/sync/<job>` follows it, so a long sync never meets Apps
 * Script's UrlFetchApp or 6-minute limits; `POST /api/sync?wait=1` waits and answers
 * with the summary, for scripts and Cloud Scheduler.
 */
import type express from 'express';
import { Answer, createApp } from '../http/app.ts';
import { HttpError } from '../http/errors.ts';
import { publicJob } from '../sync/runner.ts';
import { spreadsheetIdOf } from './idToken.ts';
import type { GoogleService } from './service.ts';

function idOf(req: express.Request): string {
  const id = spreadsheetIdOf(req);
  if (!id) throw new HttpError(400, 'bad_request', '请求缺少 spreadsheetId（表格 ID）');
  return id;
}

const JOB_PATH = /^\/sync\/([^/]+)\/?$/;

/** `?wait=1` (or true/yes): answer when the sync has ended. */
function waits(req: express.Request): boolean {
  const w = req.query.wait;
  return typeof w === 'string' && /^(1|true|yes)$/i.test(w);
}

export function googleApp(service: GoogleService): express.Express {
  const unknownJob = (job: string) =>
    new HttpError(404, 'not_found', `没有同步任务 ${job}（任务结束一小时后不再保留）`);
  return createApp({
    async authenticate(req) {
      // A job's spreadsheet is the one it syncs, unless the caller names one.
      const m = req.method === 'GET' ? JOB_PATH.exec(req.path) : null;
      if (m && !spreadsheetIdOf(req) && bearerOf(req)) {
        await service.auth.verify(bearerOf(req));
        const job = await service.runner.job(decodeURIComponent(m[1]!));
        if (!job) throw unknownJob(m[1]!);
        return service.auth.authenticate(req, job.workbookId);
      }
      return service.auth.authenticate(req);
    },
    async sync(req) {
      const spreadsheetId = idOf(req);
      service.store(spreadsheetId);
      const job = await service.runner.request(spreadsheetId, '手动');
      if (!waits(req)) return new Answer(202, job);
      const end = await service.runner.settled(job.job);
      if (end.state === 'failed')
        throw new HttpError(
          502,
          end.error?.code ?? 'sync_failed',
          end.error?.message ?? '同步失败',
          {
            job: job.job,
          },
        );
      return new Answer(200, end.summary);
    },
    async syncJob(req, jobId) {
      const job = await service.runner.job(jobId);
      const named = spreadsheetIdOf(req);
      if (!job || (named !== undefined && job.workbookId !== named)) throw unknownJob(jobId);
      return publicJob(job);
    },
    status: (req) => service.status(idOf(req)),
  });
}

function bearerOf(req: express.Request): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
  if (!m) return '';
  return m[1]!;
}
