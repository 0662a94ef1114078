/** read → parse and validate → compute → diff → write → log, for any store. */
import { AUDIT_LOG, SYNC_LOG } from '../../sheets-templates/tabs.ts';
import { planAudit } from '../../shared/audit.ts';
import { wallTimeOf, type WallSeconds } from '../../shared/calendar.ts';
import type { RulesOutput } from '../../shared/rules/index.ts';
import { COLD_ENGINE, type SyncEngine } from '../../shared/sync/warmEngine.ts';
import {
  LOG_FORMATS,
  LOG_KEEP,
  LOG_TRIM_AT,
  logRow,
  tiersAsRead,
  sameCell,
  type CellValue,
  type LogEntry,
  type SyncPlan,
} from '../../shared/sync/plan.ts';
import {
  readWorkbookSettings,
  type SheetRow,
  type Validated,
  type WorkbookInput,
} from '../../shared/validate/index.ts';
import { releasingChildRows } from './releaseRows.ts';
import { phaseReporter, type ProgressSink, type SyncPhase } from './progress.ts';
import type { SyncSummaryWire } from '../../shared/sync/summary.ts';
import { foreignSyncTabsMessage, missingTabsMessage } from '../../shared/sync/workbookShape.ts';
import { DomainError } from './errors.ts';
import { StaleSnapshotError, type Snapshot, type WorkbookStore } from './store.ts';

export type SyncSource = LogEntry['source'];

export interface SyncOptions {
  /**
   * wall time in the workbook's time zone, or a function of that zone (for a --now with
   * an offset); default: the current instant there
   */
  now?: WallSeconds | ((timeZone: string) => WallSeconds);
  source: SyncSource;
  /**
   * Sees the validated rows and the rule results of each sync before the write (the
   * service's 我的待办 and customer pages keep what they need of them). Keeping them costs
   * the write's garbage collections some marking, so only a service that serves them asks.
   */
  observe?: (computed: Computed) => void;
  /** hears the phase and percent as the sync goes (the CLI's progress line, /api/status) */
  progress?: ProgressSink;
}

export interface Computed {
  validated: Validated;
  rules: RulesOutput;
  now: WallSeconds;
}

export interface SyncSummary extends SyncSummaryWire {
  /** IDs left for the next sync because their row changed meanwhile */
  idsDeferred: number;
  /** milliseconds spent reading, parsing+validating, computing+diffing, and writing */
  timings: { readMs: number; validateMs: number; computeMs: number; writeMs: number };
}

/** Adds this sync's 同步日志 row to the plan: appended, or the tab trimmed to the newest rows. */
function planLog(plan: SyncPlan, log: readonly SheetRow[] | undefined, entry: CellValue[]): void {
  const header = SYNC_LOG.columns.map((c) => c.header);
  if (!log) {
    plan.newTabs.push({ tab: SYNC_LOG, rows: [header, entry], formats: LOG_FORMATS });
    plan.logEntry = { row: 2, values: entry };
    return;
  }
  const existing = log.filter((r) => r.row > 1 && r.cells.some((c) => c !== null && c !== ''));
  const last = log.reduce((m, r) => Math.max(m, r.row), 1);
  const write = (row: number, values: readonly CellValue[], width: number): void => {
    const have = log.find((r) => r.row === row)?.cells ?? [];
    for (let col = 0; col < width; col++) {
      const value = values[col] ?? null;
      if (row !== last + 1 && sameCell(have[col], value)) continue;
      plan.cells.push({
        tab: SYNC_LOG.name,
        row,
        col,
        value,
        format: LOG_FORMATS[col] ?? 'text',
        rowId: '',
        column: '',
      });
    }
  };
  if (existing.length + 1 <= LOG_TRIM_AT) {
    write(last + 1, entry, header.length);
    plan.logEntry = { row: last + 1, values: entry };
    return;
  }
  // Past the margin, keep the newest LOG_KEEP rows (this one included) from row 2 down.
  const kept: CellValue[][] = [
    ...existing.slice(existing.length - (LOG_KEEP - 1)).map((r) => [...r.cells] as CellValue[]),
    entry,
  ];
  for (let i = 0; i < kept.length; i++) write(i + 2, kept[i]!, header.length);
  plan.logEntry = { row: kept.length + 1, values: entry };
  for (let row = kept.length + 2; row <= last; row++) write(row, [], header.length);
}

/** How often a sync reads again when someone saved the workbook between its read and its write. */
const ATTEMPTS = 3;

export async function runSync(store: WorkbookStore, options: SyncOptions): Promise<SyncSummary> {
  return store.exclusive(async () => {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return await syncOnce(store, options, started);
      } catch (e) {
        if (e instanceof StaleSnapshotError && attempt < ATTEMPTS) continue;
        if (store.logsFailures) await logFailure(store, options, started, e);
        throw e;
      }
    }
  });
}

/** The longest error text a 失败 row's 说明 carries. */
const FAILURE_NOTE_MAX = 500;

/**
 * A 失败 row in 同步日志, so the people who look at the spreadsheet see that a sync did
 * not finish and why. Best effort: when the spreadsheet cannot be reached either, the
 * error the caller gets is the only report.
 */
async function logFailure(
  store: WorkbookStore,
  options: SyncOptions,
  started: number,
  error: unknown,
): Promise<void> {
  try {
    const snapshot = await store.read([SYNC_LOG.name]);
    const timeZone = snapshot.timeZone ?? 'Asia/Shanghai';
    const now =
      typeof options.now === 'function'
        ? options.now(timeZone)
        : (options.now ?? wallTimeOf(started, timeZone));
    const message = error instanceof Error ? error.message : String(error);
    const plan: SyncPlan = { cells: [], ids: [], newTabs: [], rowsRead: 0, errors: 0, warnings: 0 };
    const entry: LogEntry = {
      startedAt: now,
      source: options.source,
      rowsRead: 0,
      cellsWritten: 0,
      errors: 0,
      warnings: 0,
      durationMs: Date.now() - started,
      result: '失败',
      note: message.length > FAILURE_NOTE_MAX ? `${message.slice(0, FAILURE_NOTE_MAX)}…` : message,
    };
    planLog(plan, snapshot.input.tabs.get(SYNC_LOG.name), logRow(entry));
    await store.write(snapshot, plan);
  } catch {
    // Unreachable as well: the thrown error already says what went wrong.
  }
}

/**
 * Validation and rule results live only in here: once the plan exists they can be
 * collected, so the write's garbage collections do not have to mark them.
 */
function planFor(
  read: { input: WorkbookInput; timeZone?: string; lean: boolean; engine?: SyncEngine },
  now: WallSeconds,
  observe: SyncOptions['observe'],
  report: (phase: SyncPhase, fraction: number) => void,
): { plan: SyncPlan; validatedAt: number } {
  const { input } = read;
  const release = read.lean
    ? releasingChildRows(input.tabs as Map<string, readonly SheetRow[]>)
    : {};
  let rowsTotal = 0;
  for (const rows of input.tabs.values()) rowsTotal += rows.length;
  let rowsParsed = 0;
  report('校验', 0);
  const validated = (read.engine ?? COLD_ENGINE).validate(
    input,
    now,
    read.timeZone ? { timeZone: read.timeZone } : undefined,
    {
      ...release,
      parsed(tab, result) {
        release.parsed?.(tab, result);
        rowsParsed += result.rows.length;
        report('校验', rowsParsed / Math.max(1, rowsTotal));
      },
    },
  );
  const validatedAt = performance.now();
  report('计算', 0);
  const rules = (read.engine ?? COLD_ENGINE).rules(validated.dataset, now, {
    previousTiers: () => tiersAsRead(input, validated),
    dueCallbacks: observe !== undefined,
  });
  report('计算', 0.6);
  observe?.({ validated, rules, now });
  const plan = (read.engine ?? COLD_ENGINE).plan({ input, validated, rules });
  planAudit(plan, input.tabs.get(AUDIT_LOG.name), validated.dataset.settings.auditKeepRows);
  return { plan, validatedAt };
}

/**
 * Reads the workbook. For a store that writes by version alone, and a sync nobody
 * observes, the rows go into the sync's own map, which validation empties of the child
 * tabs as it goes, and the snapshot kept for the write holds none of them.
 */
async function readForSync(
  store: WorkbookStore,
  options: SyncOptions,
  report: (phase: SyncPhase, fraction: number) => void,
): Promise<{ snapshot: Snapshot; input: WorkbookInput; lean: boolean }> {
  report('读取', 0);
  const read = await store.read(undefined, (fraction) => report('读取', fraction));
  const lean = store.writesByVersion === true && options.observe === undefined;
  if (!lean) return { snapshot: read, input: read.input, lean };
  const { epoch } = read.input;
  return {
    snapshot: { ...read, input: { tabs: new Map(), epoch } },
    input: { tabs: new Map(read.input.tabs), epoch },
    lean,
  };
}

async function syncOnce(
  store: WorkbookStore,
  options: SyncOptions,
  started: number,
): Promise<SyncSummary> {
  const t0 = performance.now();
  const report = phaseReporter(options.progress);
  const { snapshot, input, lean } = await readForSync(store, options, report);
  const t1 = performance.now();
  const shapeProblem = missingTabsMessage([...input.tabs.keys()]) ?? foreignSyncTabsMessage(input);
  if (shapeProblem) throw new DomainError('conflict', shapeProblem);
  const timeZone = snapshot.timeZone ?? readWorkbookSettings(input, []).timeZone;
  const now =
    typeof options.now === 'function'
      ? options.now(timeZone)
      : (options.now ?? wallTimeOf(started, timeZone));
  const { plan, validatedAt: t2 } = planFor(
    {
      input,
      lean,
      ...(snapshot.timeZone ? { timeZone: snapshot.timeZone } : {}),
      ...(snapshot.engine ? { engine: snapshot.engine } : {}),
    },
    now,
    options.observe,
    report,
  );
  const result: SyncSummary['result'] = plan.errors > 0 ? 'partial' : 'success';
  const logCells = SYNC_LOG.columns.length;
  const cellsPlanned =
    plan.cells.length +
    plan.ids.length +
    plan.newTabs.reduce((n, t) => n + t.rows.reduce((m, r) => m + r.length, 0), 0) +
    logCells;
  const entry: LogEntry = {
    startedAt: now,
    source: options.source,
    rowsRead: plan.rowsRead,
    cellsWritten: cellsPlanned,
    errors: plan.errors,
    warnings: plan.warnings,
    durationMs: Date.now() - started,
    result: result === 'success' ? '成功' : '部分成功',
    note: plan.errors > 0 ? `${plan.errors} 个错误行未参与计算，详见“数据问题”` : '',
  };
  planLog(plan, input.tabs.get(SYNC_LOG.name), logRow(entry));
  const t3 = performance.now();
  report('写入', 0);
  const outcome = await store.write(snapshot, plan, (fraction) => report('写入', fraction));
  const t4 = performance.now();
  return {
    result: outcome.partial ? 'partial' : result,
    rowsRead: plan.rowsRead,
    // The count 同步日志 records: the log row is part of the write, so it cannot wait for
    // the writer's own count, and the two must not disagree.
    cellsWritten: cellsPlanned,
    errors: plan.errors,
    warnings: plan.warnings,
    durationMs: Date.now() - started,
    idsDeferred: outcome.idsDeferred,
    timings: {
      readMs: Math.round(t1 - t0),
      validateMs: Math.round(t2 - t1),
      computeMs: Math.round(t3 - t2),
      writeMs: Math.round(t4 - t3),
    },
  };
}
