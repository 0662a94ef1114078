/** The HTTP app of Google mode: every /api call carries the add-on's Google ID token. */
import type express from 'express';
import { createApp } from '../http/app.ts';
import { HttpError } from '../http/errors.ts';
import { spreadsheetIdOf } from './idToken.ts';
import type { GoogleService } from './service.ts';

function idOf(req: express.Request): string {
  const id = spreadsheetIdOf(req);
  if (!id) throw new HttpError(400, 'bad_request', '请求缺少 spreadsheetId（表格 ID）');
  return id;
}

export function googleApp(service: GoogleService): express.Express {
  return createApp({
    authenticate: (req) => service.auth.authenticate(req),
    sync: (req) => service.sync(idOf(req), '手动'),
    status: (req) => service.status(idOf(req)),
  });
}
