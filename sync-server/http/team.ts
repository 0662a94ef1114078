/**
 * Signing in and out, who am I, and 我的待办 over HTTP (docs/team.md § The HTTP contract).
 * `sessionRouter` is mounted before the /api authentication (signing in needs none);
 * `teamRouter` after it, so every route there knows its caller.
 */
import express, { type Request, type Router } from 'express';
import { z } from 'zod';
import { daysFromCivil } from '../../shared/calendar.ts';
import { decide, type Action } from '../../shared/permissions.ts';
import { worklistPage } from '../../shared/worklistPage.ts';
import { SESSION_COOKIE, actorOf, cookieValue, type Team } from '../auth/team.ts';
import type { WorklistModel } from '../worklist/model.ts';
import { pageParams } from '../worklist/pageParams.ts';
import { HttpError } from './errors.ts';
import { sendPage } from './forms.ts';
import { SIGN_IN_PAGE, WORKLIST_PAGE } from './teamPages.ts';

const signInSchema = z.object({
  login: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(1024),
});

function sessionCookie(req: Request, value: string, clear = false): string {
  const parts = [
    `${SESSION_COOKIE}=${clear ? '' : encodeURIComponent(value)}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
  ];
  // Secure when the page came over HTTPS (directly, or through a proxy that says so).
  if (req.secure) parts.push('Secure');
  if (clear) parts.push('Max-Age=0');
  return parts.join('; ');
}

export function sessionRouter(team: Team): Router {
  const router = express.Router();
  router.get('/login', (_req, res) => sendPage(res, SIGN_IN_PAGE));

  router.post('/api/session', express.json({ limit: '8kb' }), async (req, res) => {
    const parsed = signInSchema.safeParse(req.body);
    if (!parsed.success)
      throw new HttpError(400, 'bad_request', '请求体应为 {"login": "登录名", "password": "密码"}');
    const { session, person } = await team.signIn(parsed.data.login, parsed.data.password);
    res.set('Set-Cookie', sessionCookie(req, session.id));
    res.set('Cache-Control', 'no-store');
    res.json({ name: person.name, login: person.login, role: person.role });
  });

  router.delete('/api/session', (req, res) => {
    const id = cookieValue(req, SESSION_COOKIE);
    if (id) team.sessions.end(id);
    res.set('Set-Cookie', sessionCookie(req, '', true));
    res.status(204).end();
  });
  return router;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dateParam(q: unknown): number | null {
  if (q === undefined) return null;
  const m = typeof q === 'string' ? DATE.exec(q) : null;
  if (!m) throw new HttpError(400, 'bad_request', 'date 应为 YYYY-MM-DD 格式的日期');
  const day = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  return day;
}

/** Refuses an /api route to a role that may not, before the route runs. */
export function requirePermission(path: string, action: Action): Router {
  const router = express.Router();
  router.use(path, (req, _res, next) => {
    const d = decide(actorOf(req), action);
    next(d.ok ? undefined : new HttpError(403, 'forbidden', d.reason));
  });
  return router;
}

export function teamRouter(options: { team: Team; worklist: WorklistModel }): Router {
  const { worklist } = options;
  const router = express.Router();

  router.get('/', (_req, res) => sendPage(res, WORKLIST_PAGE));

  router.get('/api/me', (req, res) => {
    const me = actorOf(req);
    res.set('Cache-Control', 'no-store');
    res.json({ name: me.name, login: me.login, role: me.role });
  });

  router.get('/api/worklist', async (req, res) => {
    const me = actorOf(req);
    const page = pageParams(req.query);
    const date = dateParam(req.query.date) ?? worklist.today();
    const source = await worklist.source(date);
    const now = worklist.now();
    const today = Math.floor(now / 86_400);
    // Ticket flags are judged now for today, and at this time of day for another day.
    const at = date === today ? now : now + (date - today) * 86_400;
    res.set('Cache-Control', 'no-store');
    res.json(worklistPage(source, me, at, page));
  });
  return router;
}
