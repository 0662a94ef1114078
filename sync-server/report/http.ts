/**
 * GET /api/report?format=pdf|xlsx (local mode): the report of `crm-sync report`, as of
 * now, as a download. Mount after requirePermission('/api/report', 'exportReports'), so
 * only a 经理 or 管理员 gets one; the workbook is only read.
 */
import express, { type Router } from 'express';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatDate, wallTimeOf } from '../../shared/calendar.ts';
import { readWorkbookSettings } from '../../shared/validate/index.ts';
import { HttpError } from '../http/errors.ts';
import type { WorkbookStore } from '../sync/store.ts';
import { reportBook, writeReport, type ReportFormat } from './export.ts';

const TYPES: Readonly<Record<ReportFormat, string>> = {
  pdf: 'application/pdf',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function reportRouter(options: { store: WorkbookStore; clock?: () => number }): Router {
  const router = express.Router();
  router.get('/api/report', async (req, res) => {
    const format = req.query.format ?? 'pdf';
    if (format !== 'pdf' && format !== 'xlsx')
      throw new HttpError(400, 'bad_request', 'format 应为 pdf 或 xlsx');
    const { store } = options;
    const snapshot = await store.exclusive(() => store.read());
    const timeZone = snapshot.timeZone ?? readWorkbookSettings(snapshot.input, []).timeZone;
    const now = wallTimeOf((options.clock ?? Date.now)(), timeZone);
    const book = reportBook(snapshot, now, format);
    const dir = await mkdtemp(join(tmpdir(), 'crm-report-'));
    try {
      const file = join(dir, `report.${format}`);
      await writeReport(book, format, file);
      const name = `销售报表-${formatDate(Math.floor(now / 86_400))}.${format}`;
      res.set({
        'Content-Type': TYPES[format],
        'Content-Disposition': `attachment; filename="report.${format}"; filename*=UTF-8''${encodeURIComponent(name)}`,
        'Cache-Control': 'no-store',
      });
      res.send(await readFile(file));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
  return router;
}
