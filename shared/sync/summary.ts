/** What a sync answers, as `crm-sync sync --json`, `POST /api/sync` and the add-on's 立即同步 see it. */
export interface SyncSummaryWire {
  result: 'success' | 'partial' | 'failed';
  rowsRead: number;
  cellsWritten: number;
  errors: number;
  warnings: number;
  durationMs: number;
}
