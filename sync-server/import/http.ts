/**
 * The import page and its API in local mode. Mount through createApp's `routes`: the
 * app's /api router checks the bearer token on every /api path first. The file comes
 * as the raw request body, under its own size limit; the app's JSON parser leaves
 * such bodies alone.
 */
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { wallTimeOf } from '../../shared/calendar.ts';
import { ON_DUPLICATE, type OnDuplicate } from '../../shared/import/plan.ts';
import { HttpError } from '../http/errors.ts';
import { stderrLogger, type Logger } from '../http/logger.ts';
import type { WorkbookStore } from '../sync/store.ts';
import { IMPORT_PAGE } from './page.ts';
import { reportLine, reportObject, runImport } from './run.ts';
import { importTemplateCsv, importTemplateXlsx } from './template.ts';
import { readSourceBytes, SourceError } from './source.ts';

export interface ImportRouterOptions {
  store: WorkbookStore;
  /** asks for a sync soon; called after an import that wrote something */
  requestSync: () => void;
  /** the current instant in ms (tests pin it) */
  clock?: () => number;
  /** largest upload in bytes; default 20 MB */
  maxBytes?: number;
  /** where a sync that cannot be scheduled is reported; default stderr */
  logger?: Logger;
  /** the signed-in person's 姓名, for 操作日志 */
  actorName?: (req: Request) => string;
}

const MB = 1024 * 1024;

export function importRouter(options: ImportRouterOptions): Router {
  const { store } = options;
  const maxBytes = options.maxBytes ?? 20 * MB;
  const router = express.Router();
  const raw = express.raw({ type: () => true, limit: maxBytes });

  router.get('/import', (_req, res) => {
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': IMPORT_PAGE.csp,
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
      })
      .send(IMPORT_PAGE.html);
  });

  router.get('/import/template.csv', (_req, res) => {
    res
      .status(200)
      .set({
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="customers-template.csv"; filename*=UTF-8''${encodeURIComponent('客户导入模板.csv')}`,
        'Cache-Control': 'no-store',
      })
      .send(importTemplateCsv());
  });

  router.get('/import/template.xlsx', async (_req, res) => {
    const bytes = await importTemplateXlsx();
    res
      .status(200)
      .set({
        'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        'Content-Disposition': `attachment; filename="customers-template.xlsx"; filename*=UTF-8''${encodeURIComponent('客户导入模板.xlsx')}`,
        'Cache-Control': 'no-store',
      })
      .send(bytes);
  });

  router.post(
    '/api/import',
    (req: Request, res: Response, next: NextFunction) => {
      raw(req, res, (err?: unknown) => {
        if ((err as { type?: string } | undefined)?.type === 'entity.too.large')
          next(
            new HttpError(
              413,
              'payload_too_large',
              `导入文件超过 ${Math.round(maxBytes / MB)} MB 上限`,
            ),
          );
        else next(err);
      });
    },
    async (req, res) => {
      const dryRun = req.query.dryRun !== '0';
      const onDuplicate = (req.query.onDuplicate ?? 'skip') as OnDuplicate;
      if (!ON_DUPLICATE.includes(onDuplicate))
        throw new HttpError(400, 'bad_request', 'onDuplicate 应为 skip、update 或 add');
      const body: unknown = req.body;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw new HttpError(400, 'bad_request', '请求体应为导入文件（CSV 或 xlsx）的原始内容');
      const sheet = typeof req.query.sheet === 'string' ? req.query.sheet : undefined;
      let source;
      try {
        source = await readSourceBytes(body, sheet);
      } catch (e) {
        if (e instanceof SourceError) throw new HttpError(400, 'bad_file', e.message);
        throw e;
      }
      const clock = options.clock;
      const report = await runImport(store, source, {
        onDuplicate,
        dryRun,
        ...(options.actorName ? { actor: options.actorName(req) } : {}),
        ...(clock ? { now: (tz: string) => wallTimeOf(clock(), tz) } : {}),
      }).catch((e: unknown) => {
        throw e instanceof SourceError ? new HttpError(400, 'bad_file', e.message) : e;
      });
      res.set('Cache-Control', 'no-store');
      if (!dryRun && report.plan.added + report.plan.updated === 0) {
        // Nothing was written: say so as a refusal, never as a finished import.
        res.status(422).json({
          error: {
            code: 'nothing_to_import',
            message: `没有可导入的行，未写入任何内容：${reportLine(report)}`,
            details: reportObject(report),
          },
        });
        return;
      }
      res.json(reportObject(report));
      if (!dryRun && report.plan.cells.length > 0) {
        try {
          options.requestSync();
        } catch (e) {
          // The rows are saved; a sync that cannot be scheduled now runs with the next one.
          (options.logger ?? stderrLogger).error('同步未能排期，将随下一次同步进行', e);
        }
      }
    },
  );
  return router;
}
