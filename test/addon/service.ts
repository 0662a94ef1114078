/** Answers UrlFetchApp requests the way the sync service's Google mode does. */
import type { FetchHandler, FetchRequest } from './fakes/services.ts';

export interface ServiceFake {
  handler: FetchHandler;
  /** what a successful POST /api/sync answers */
  summary: Record<string, unknown>;
}

const json = (status: number, body: unknown) => ({ status, body: JSON.stringify(body) });

export function fakeService(base: string, idToken: string, spreadsheetIds: string[]): ServiceFake {
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
    handler: (req: FetchRequest) => {
      const path = req.url.startsWith(base) ? req.url.slice(base.length) : req.url;
      if (path === '/healthz' && req.method === 'get') return json(200, { ok: true });
      if (path === '/api/sync' && req.method === 'post') {
        if (req.headers.Authorization !== `Bearer ${idToken}`)
          return json(401, { error: { code: 'unauthorized', message: '身份令牌无效' } });
        const body = JSON.parse(req.payload ?? '{}') as { spreadsheetId?: string };
        if (!body.spreadsheetId || !spreadsheetIds.includes(body.spreadsheetId))
          return json(403, {
            error: { code: 'forbidden', message: '本服务没有配置这个表格，请联系管理员' },
          });
        return json(200, fake.summary);
      }
      return json(404, { error: { code: 'not_found', message: '没有这个地址' } });
    },
  };
  return fake;
}
