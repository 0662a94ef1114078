/**
 * A workbook store reads every tab once and carries out a sync plan. The sync itself
 * does not know whether the workbook is a local file or a Google spreadsheet.
 */
import type { CellWrite, SyncPlan } from '../../shared/sync/plan.ts';
import type { SyncEngine } from '../../shared/sync/warmEngine.ts';
import type { WorkbookInput } from '../../shared/validate/index.ts';

export interface Snapshot {
  input: WorkbookInput;
  /** the spreadsheet's own time zone (Google); local files use the 参数 setting */
  timeZone?: string;
  /** what the store needs to tell whether the workbook changed since this read */
  version?: unknown;
  /** validates and computes these rows (a store that keeps rows: redoing only what changed) */
  engine?: SyncEngine;
}

/** The workbook changed between read and write: the sync reads again instead of overwriting. */
export class StaleSnapshotError extends Error {
  override name = 'StaleSnapshotError';
}

export interface WriteOutcome {
  cellsWritten: number;
  /** IDs not written because their row changed since it was read */
  idsDeferred: number;
  /** set when some values could not be put on their rows: what 同步日志 says about it */
  partial?: string;
}

export interface WorkbookStore {
  /** a name for logs and errors, e.g. the file path or spreadsheet ID */
  readonly label: string;
  /** reads every tab, or only the tabs named; `progress` hears the fraction read (0–1) */
  read(tabs?: readonly string[], progress?: (fraction: number) => void): Promise<Snapshot>;
  /** `progress` hears the fraction written (0–1) */
  write(
    snapshot: Snapshot,
    plan: SyncPlan,
    progress?: (fraction: number) => void,
  ): Promise<WriteOutcome>;
  /** writes a few cells (a form's new or edited row); call inside exclusive() after read() */
  writeCells(cells: readonly CellWrite[]): Promise<void>;
  /**
   * true when write() needs only the snapshot's version, not the rows read: the sync may
   * then free each tab's rows as soon as it is done with them
   */
  readonly writesByVersion?: boolean;
  /** true when a failed sync should add a 失败 row to 同步日志 (a spreadsheet others watch) */
  readonly logsFailures?: boolean;
  /** runs `fn` while no other sync or form write touches this workbook */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}
