/**
 * The forms of local mode: the pages, and the API they call. Mount the router through
 * createApp's `routes`: the app's /api router runs the bearer-token check (and the JSON
 * body parser with its size limit) on every /api path before a request falls through to
 * these routes, so the API here is never reached unauthenticated. The pages themselves
 * carry no workbook data and are served without a token; the token travels in the
 * link's #fragment, which browsers never send to the server.
 */
import express, { type Request, type Response, type Router } from 'express';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { formOptions } from '../../shared/forms/api.ts';
import { formByKey, type FormDef } from '../../shared/forms/definitions.ts';
import { searchCustomers } from '../../shared/forms/pickers.ts';
import { applySubmission, workbookNow } from '../../shared/forms/submit.ts';
import type { Snapshot, WorkbookStore } from '../sync/store.ts';
import { HttpError } from './errors.ts';
import { stderrLogger, type Logger } from './logger.ts';
import { formPages, type FormPage } from './formPages.ts';

export interface FormsRouterOptions {
  store: WorkbookStore;
  /** asks for a sync soon (the caller debounces); called after every saved form */
  requestSync: () => void;
  /** who fills the forms in local mode: 审核人 and the default 负责人/跟进人/回访人/处理人 */
  user: string;
  /** the current instant in ms (tests pin it) */
  clock?: () => number;
  /** how long picker searches reuse one read of the workbook, in ms */
  searchCacheMs?: number; /** where a sync that cannot be scheduled is reported; default stderr */
  logger?: Logger;
}

const MAX_QUERY = 100;

const queryText = (q: unknown): string => (typeof q === 'string' ? q.slice(0, MAX_QUERY) : '');

function formOf(key: string | undefined): FormDef {
  const form = formByKey(key ?? '');
  if (!form) throw new HttpError(404, 'unknown_form', `没有表单“${key ?? ''}”`);
  return form;
}

/**
 * Searching reads the workbook; a person typing into a picker asks several times a
 * second, so one read serves them for a moment. Any saved form drops it.
 */
class ReadCache {
  private readonly entries = new Map<string, { at: number; snapshot: Promise<Snapshot> }>();

  constructor(
    private readonly store: WorkbookStore,
    private readonly ttlMs: number,
    private readonly clock: () => number,
  ) {}

  read(tabs: readonly string[]): Promise<Snapshot> {
    const key = tabs.join('\u0000');
    const now = this.clock();
    const hit = this.entries.get(key);
    if (hit && now - hit.at < this.ttlMs) return hit.snapshot;
    const snapshot = this.store.read(tabs);
    this.entries.set(key, { at: now, snapshot });
    snapshot.catch(() => {
      if (this.entries.get(key)?.snapshot === snapshot) this.entries.delete(key);
    });
    return snapshot;
  }

  clear(): void {
    this.entries.clear();
  }
}

export function sendPage(res: Response, page: FormPage): void {
  res
    .status(200)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': page.csp,
      'Cache-Control': 'no-store',
      'Referrer-Policy': 'no-referrer',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    })
    .send(page.html);
}

export function formsRouter(options: FormsRouterOptions): Router {
  const { store, user } = options;
  const clock = options.clock ?? Date.now;
  const cache = new ReadCache(store, options.searchCacheMs ?? 3000, clock);
  const router = express.Router();

  router.get('/forms', async (_req, res) => {
    sendPage(res, (await formPages()).index);
  });

  router.get('/forms/:form', async (req: Request<{ form: string }>, res) => {
    const form = formOf(req.params.form);
    sendPage(res, (await formPages()).forms.get(form.key)!);
  });

  router.get('/api/customers', async (req, res) => {
    const snapshot = await cache.read([CUSTOMERS.name]);
    res.set('Cache-Control', 'no-store');
    res.json({ customers: searchCustomers(snapshot.input, queryText(req.query.q)) });
  });

  router.get('/api/forms/:form/options', async (req: Request<{ form: string }>, res) => {
    const form = formOf(req.params.form);
    const snapshot = await cache.read(form.reads);
    const ctx = snapshot.timeZone ? { user, timeZone: snapshot.timeZone } : { user };
    res.set('Cache-Control', 'no-store');
    res.json(formOptions(form, snapshot.input, ctx, queryText(req.query.q)));
  });

  router.post('/api/forms/:form', async (req: Request<{ form: string }>, res) => {
    const form = formOf(req.params.form);
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new HttpError(400, 'bad_request', '请求体应为 JSON 对象：字段名 → 值');
    // Read, check, assign the ID and write under one lock, so two forms (or a form and
    // a sync) cannot both take the same next ID or the same new row.
    const outcome = await store.exclusive(async () => {
      const snapshot = await store.read(form.reads);
      const now = workbookNow(snapshot.input, clock(), snapshot.timeZone);
      const result = applySubmission(form.key, body, snapshot.input, { now, user });
      if (result.ok) await store.writeCells(result.cells);
      return result;
    });
    if (!outcome.ok) {
      res.status(422).json({
        error: { code: 'invalid', message: outcome.message, fields: outcome.problems },
      });
      return;
    }
    cache.clear();
    res.json({ id: outcome.id, row: outcome.row });
    try {
      options.requestSync();
    } catch (e) {
      // The row is saved; a sync that cannot be scheduled now runs with the next one.
      (options.logger ?? stderrLogger).error('同步未能排期，将随下一次同步进行', e);
    }
  });

  return router;
}
