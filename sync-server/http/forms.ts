/**
 * The forms of local mode: the pages, and the API they call. Mount the router through
 * createApp's `routes`: the app's /api router runs the bearer-token check (and the JSON
 * body parser with its size limit) on every /api path before a request falls through to
 * these routes, so the API here is never reached unauthenticated. The pages themselves
 * carry no workbook data and are served without a token; the token travels in the
 * link's #fragment, which browsers never send to the server.
 */
import express, { type Request, type Response, type Router } from 'express';
import {
  AUDIT_LOG,
  CUSTOMERS,
  LEAD_ASSIGNMENT,
  TIER_STRATEGIES,
} from '../../sheets-templates/tabs.ts';
import { formOptions } from '../../shared/forms/api.ts';
import { formByKey, type FormDef } from '../../shared/forms/definitions.ts';
import { CUSTOMER_HITS, searchCustomers } from '../../shared/forms/pickers.ts';
import { appendAudit } from '../../shared/audit.ts';
import { soleOperator, type Directory, type Person } from '../../shared/users.ts';
import { ACTOR_FIELDS, isManager } from '../../shared/permissions.ts';
import { guardForm, guardSubmission, maskTarget, targetFilter } from './formGuard.ts';
import { formAudit, visibilityFor } from './formAudit.ts';
import { applySubmission, workbookNow } from '../../shared/forms/submit.ts';
import type { Snapshot, WorkbookStore } from '../sync/store.ts';
import { HttpError } from './errors.ts';
import { stderrLogger, type Logger } from './logger.ts';
import { formPages, type FormPage } from './formPages.ts';

export interface FormsRouterOptions {
  store: WorkbookStore;
  /** asks for a sync soon (the caller debounces); called after every saved form */
  requestSync: () => void;
  /** who fills the forms when nobody signs in (no 用户 rows): one person, 管理员 */
  user: string;
  /** the signed-in person of a request; without it everyone is `user` */
  actor?: (req: Request) => Person;
  /** 用户 as it is now, to check a person a 经理 names */
  directory?: () => Promise<Directory>;
  /** the current instant in ms (tests pin it) */
  clock?: () => number;
  /** how long picker searches reuse one read of the workbook, in ms */
  searchCacheMs?: number; /** where a sync that cannot be scheduled is reported; default stderr */
  logger?: Logger;
  /** local mode: who has the workbook open in an editor, if anyone; forms refuse meanwhile */
  openInEditor?: () => Promise<string | null>;
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

/**
 * Where a form's save spends its time, as a Server-Timing header (people: 用户 read;
 * lock: waiting for a running sync; read, check, write), for the browser's network
 * panel and the latency bench.
 */
class PhaseTimer {
  private last = performance.now();
  private readonly laps: string[] = [];

  lap(name: string): void {
    const now = performance.now();
    this.laps.push(`${name};dur=${(now - this.last).toFixed(1)}`);
    this.last = now;
  }

  header(): string {
    return this.laps.join(', ');
  }
}

/** A page of our own: its CSP, and the headers that keep it from being framed or cached. */
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

const NOBODY: Directory = { people: [], enabled: false, problems: [] };

export function formsRouter(options: FormsRouterOptions): Router {
  const { store, user } = options;
  const sole = soleOperator(user);
  const actorOf = options.actor ?? (() => sole);
  const directory = options.directory ?? (() => Promise.resolve(NOBODY));
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
    const actor = actorOf(req);
    const snapshot = await cache.read([CUSTOMERS.name]);
    res.set('Cache-Control', 'no-store');
    res.json({
      customers: searchCustomers(
        snapshot.input,
        queryText(req.query.q),
        CUSTOMER_HITS,
        visibilityFor(actor),
      ),
    });
  });

  router.get('/api/forms/:form/options', async (req: Request<{ form: string }>, res) => {
    const form = formOf(req.params.form);
    const actor = actorOf(req);
    guardForm(form, actor);
    // 分层策略 and 线索分配 only feed what the page shows and proposes.
    const snapshot = await cache.read([...form.reads, TIER_STRATEGIES.name, LEAD_ASSIGNMENT.name]);
    const keep = targetFilter(form, actor);
    const ctx = snapshot.timeZone
      ? { user: actor.name, timeZone: snapshot.timeZone, keep }
      : { user: actor.name, keep };
    const options = formOptions(form, snapshot.input, ctx, queryText(req.query.q));
    res.set('Cache-Control', 'no-store');
    res.json({
      ...options,
      targets: options.targets.map((t) => maskTarget(t, actor)),
      locked: isManager(actor) ? [] : [...ACTOR_FIELDS[form.key]],
    });
  });

  router.post('/api/forms/:form', async (req: Request<{ form: string }>, res) => {
    const form = formOf(req.params.form);
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body))
      throw new HttpError(400, 'bad_request', '请求体应为 JSON 对象：字段名 → 值');
    const open = await options.openInEditor?.();
    if (open)
      throw new HttpError(
        423,
        'workbook_open',
        `${open}。您填写的内容还在页面上，关闭后再提交即可`,
      );
    const actor = actorOf(req);
    const timing = new PhaseTimer();
    const people = await directory();
    timing.lap('people');
    // Read, check, assign the ID and write under one lock, so two forms (or a form and
    // a sync) cannot both take the same next ID or the same new row.
    const outcome = await store.exclusive(async () => {
      timing.lap('lock');
      const snapshot = await store.read([...form.reads, AUDIT_LOG.name]);
      timing.lap('read');
      const guarded = guardSubmission(
        form,
        body as Record<string, unknown>,
        snapshot.input,
        actor,
        people,
      );
      if (!guarded.ok) return guarded;
      const payload = guarded.payload;
      const now = workbookNow(snapshot.input, clock(), snapshot.timeZone);
      const result = applySubmission(form.key, payload, snapshot.input, { now, user: actor.name });
      if (result.ok) {
        // The form's row and its 操作日志 row go to the file in one write.
        const cells = [
          ...result.cells,
          ...appendAudit(snapshot.input, [
            formAudit(form, result, snapshot.input, actor.name, now),
          ]),
        ];
        timing.lap('check');
        await store.writeCells(cells);
        timing.lap('write');
      }
      return result;
    });
    res.set('Server-Timing', timing.header());
    if (!outcome.ok && outcome.duplicates) {
      res.status(409).json({
        error: {
          code: 'possible_duplicate',
          message: outcome.message,
          duplicates: outcome.duplicates,
        },
      });
      return;
    }
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
