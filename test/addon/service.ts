/**
 * Answers UrlFetchApp requests the way the sync service's Google mode does: POST
 * /api/sync starts a job (202), GET /api/sync/<job> reports it, 404 for a job it does not
 * know. Each job runs for `steps` looks and then ends with `outcome`.
 */
import type { FetchHandler, FetchRequest } from './fakes/services.ts';

export interface Job {
  job: string;
  spreadsheetId: string;
  /** looks left before the job ends */
  steps: number;
  looks: number;
}

export interface ServiceFake {
  handler: FetchHandler;
  /** what a finished job reports */
  summary: Record<string, unknown>;
  /** how jobs end: a summary, or a failure with this error */
  outcome: { kind: 'done' } | { kind: 'failed'; code: string; message: string };
  /** looks a new job stays queued/running for */
  steps: number;
  jobs: Map<string, Job>;
}

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });

export function fakeService(base: string, idToken: string, spreadsheetIds: string[]): ServiceFake {
  let next = 1;
  const fake: ServiceFake = {
    summary: {
      result: 'success',
      rowsRead: 42,
      cellsWritten: 7,
      errors: 0,
      warnings: 1,
      durationMs: 1234,
      idsDeferred: 0,
      timings: { readMs: 100, validateMs: 50, computeMs: 30, writeMs: 200 },
    },
    outcome: { kind: 'done' },
    steps: 2,
    jobs: new Map(),
    handler: (req: FetchRequest) => {
      const path = req.url.startsWith(base) ? req.url.slice(base.length) : req.url;
      if (path === '/healthz' && req.method === 'get') return json(200, { ok: true });
      if (!path.startsWith('/api/sync')) return json(404, notFound('没有这个地址'));
      if (req.headers.Authorization !== `Bearer ${idToken}`)
        return json(401, { error: { code: 'unauthorized', message: '身份令牌无效' } });
      if (path === '/api/sync' && req.method === 'post') {
        const body = JSON.parse(req.payload ?? '{}') as { spreadsheetId?: string };
        if (!body.spreadsheetId || !spreadsheetIds.includes(body.spreadsheetId))
          return json(403, {
            error: { code: 'forbidden', message: '本服务没有配置这个表格，请联系管理员' },
          });
        // A second request while one is queued joins it.
        const open = [...fake.jobs.values()].find(
          (j) => j.spreadsheetId === body.spreadsheetId && j.looks < j.steps,
        );
        const job = open ?? {
          job: `job-${next++}`,
          spreadsheetId: body.spreadsheetId,
          steps: fake.steps,
          looks: 0,
        };
        fake.jobs.set(job.job, job);
        return json(202, { job: job.job, state: 'queued' });
      }
      const m = /^\/api\/sync\/([^/]+)$/.exec(path);
      const job = m && req.method === 'get' ? fake.jobs.get(decodeURIComponent(m[1]!)) : undefined;
      if (!job) return json(404, notFound('没有这个同步任务'));
      job.looks++;
      if (job.looks <= job.steps)
        return json(200, { job: job.job, state: job.looks === 1 ? 'queued' : 'running' });
      if (fake.outcome.kind === 'done')
        return json(200, { job: job.job, state: 'done', summary: fake.summary });
      const { code, message } = fake.outcome;
      return json(200, { job: job.job, state: 'failed', error: { code, message } });
    },
  };
  return fake;
}

const notFound = (message: string) => ({ error: { code: 'not_found', message } });
