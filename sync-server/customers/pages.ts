/**
 * The customers list and the customer page of the service: answered from the directory
 * of the last sync, kept in memory and replaced by each sync, never by reading the
 * workbook per request. Mount through createApp's `routes` (the /api router finds the
 * caller first); each answer holds only the customers the caller may see, phones as
 * they may see them. The pages carry no workbook data and are served to anyone.
 */
import express, { type Request, type Response, type Router } from 'express';
import { sendPage } from '../http/forms.ts';
import { z } from 'zod';
import { CustomerViewer } from '../../shared/customer360/access.ts';
import type { Actor } from '../../shared/permissions.ts';
import { buildDirectory, type CustomerDirectory } from '../../shared/customer360/directory.ts';
import { customer360, customerList } from '../../shared/customer360/view.ts';
import type { Computed } from '../sync/runSync.ts';
import { HttpError } from '../http/errors.ts';
import { formPages } from '../http/formPages.ts';

/** Holds the directory of the last sync; the first request before any sync waits for one. */
export class DirectoryHolder {
  private current: CustomerDirectory | null = null;
  /** the last sync's results, turned into a directory when a page first asks */
  private computed: Computed | null = null;
  private pending: Promise<unknown> | null = null;

  constructor(private readonly syncNow: () => Promise<unknown>) {}

  /** SyncOptions.observe: only keeps the results, so the sync is not held up */
  readonly observe = (computed: Computed): void => {
    this.computed = computed;
    this.current = null;
  };

  async get(): Promise<CustomerDirectory> {
    if (!this.current && !this.computed) {
      this.pending ??= this.syncNow().finally(() => {
        this.pending = null;
      });
      await this.pending;
    }
    if (!this.current && this.computed) {
      const { validated, rules, now } = this.computed;
      this.current = buildDirectory(validated, rules, now);
    }
    if (!this.current) throw new HttpError(503, 'not_synced', '还没有同步结果：请稍后刷新');
    return this.current;
  }
}

export interface CustomerPagesOptions {
  directory: DirectoryHolder;
  /** who is asking: the signed-in person, or the token's */
  viewer: (req: Request) => Actor;
}

const FILTER = z.string().trim().max(100).optional();
const LIST_QUERY = z.object({
  q: z.string().max(100).optional(),
  owner: FILTER,
  tier: FILTER,
  healthLevel: FILTER,
  region: FILTER,
  status: FILTER,
  offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
const ID = z.string().trim().min(1).max(40);

export function customerPagesRouter(options: CustomerPagesOptions): Router {
  const router = express.Router();

  const page = async (_req: Request, res: Response): Promise<void> => {
    sendPage(res, (await formPages()).customers);
  };
  router.get('/customers', page);
  router.get('/customers/:id', page);

  router.get('/api/customer-list', async (req, res) => {
    const parsed = LIST_QUERY.safeParse(req.query);
    if (!parsed.success)
      throw new HttpError(
        400,
        'bad_query',
        '查询参数无效：q 与筛选值最长 100 字，offset/limit 为整数',
      );
    const { q, offset, limit, ...filters } = parsed.data;
    const viewer = new CustomerViewer(options.viewer(req));
    const dir = await options.directory.get();
    res.set('Cache-Control', 'no-store');
    res.json(
      customerList(
        dir,
        {
          q: q ?? '',
          filters,
          ...(offset === undefined ? {} : { offset }),
          ...(limit === undefined ? {} : { limit }),
        },
        viewer,
      ),
    );
  });

  router.get('/api/customer-360/:id', async (req: Request<{ id: string }>, res) => {
    const id = ID.safeParse(req.params.id);
    if (!id.success) throw new HttpError(400, 'bad_id', '客户编号无效');
    const viewer = new CustomerViewer(options.viewer(req));
    const dir = await options.directory.get();
    const entry = dir.byId.get(id.data);
    const refusal = entry ? viewer.refusal(entry.owner, entry.id) : null;
    if (refusal !== null) throw new HttpError(403, 'forbidden', refusal);
    const view = customer360(dir, id.data, viewer);
    if (!view)
      throw new HttpError(
        404,
        'no_customer',
        `没有客户 ${id.data}（以最近一次同步为准；新建的客户在下次同步后出现）`,
      );
    res.set('Cache-Control', 'no-store');
    res.json(view);
  });
  return router;
}
