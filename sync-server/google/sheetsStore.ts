/**
 * A Google spreadsheet as a workbook store.
 *
 * Requests per sync do not depend on the number of rows: one spreadsheets.get and one
 * values.batchGet to read; to write, one values.batchGet that re-reads row 1 and the ID
 * column of the data tabs being written, at most one spreadsheets.batchUpdate (new sync
 * tabs, grid growth, number formats), one values.batchUpdate per ~2 MB of values, one
 * values.batchGet that re-reads the ID columns to verify, and one values.batchUpdate for
 * the 同步日志 row. Blank IDs add one small write and one re-read ahead of the values.
 *
 * People keep editing while a sync runs, so nothing is written by the row number it had
 * when read (placement.ts), and what was written is checked afterwards (verify.ts): a
 * value that a sort or an inserted row carried onto another customer is written again
 * at its own row, a few rounds at most, and the 同步日志 row says what happened.
 */
import type { CellValue, CellWrite, IdWrite, SyncPlan } from '../../shared/sync/plan.ts';
import type { SheetRow, WorkbookInput } from '../../shared/validate/index.ts';
import { resolveLayout } from '../../shared/layout.ts';
import { SYNC_LOG, TABS } from '../../sheets-templates/tabs.ts';
import { KeyedQueue } from '../sync/keyedQueue.ts';
import type { Snapshot, WorkbookStore, WriteOutcome } from '../sync/store.ts';
import { quoteTab } from './a1.ts';
import {
  blocksOf,
  chunkBlocks,
  DEFAULT_MAX_PAYLOAD_BYTES,
  spansOf,
  widthOf,
  type Block,
} from './batching.ts';
import {
  clientOptionsFromEnv,
  createSheetsApi,
  type SheetsApi,
  type SheetsClientOptions,
  type ValueRange,
} from './client.ts';
import { layoutRequests } from './charts.ts';
import { locate } from './locate.ts';
import {
  groupRows,
  idColumnOf,
  idText,
  isNewRow,
  keyedTab,
  placeIds,
  placeKeyed,
  sheetRows,
  toTarget,
  type IdTarget,
  type KeyedTab,
  type NewColumn,
  type Target,
  type TabNeed,
  type TabNow,
} from './placement.ts';
import { SheetsApiError } from './retry.ts';
import { META_FIELDS, metaOf, structureRequests, type Meta } from './structure.ts';
import { verifyIds, verifyValues, type CorrectValue } from './verify.ts';

export { DEFAULT_MAX_PAYLOAD_BYTES, spansOf };

/** Re-reads and rewrites after a write before the store gives up and says so in 同步日志. */
export const VERIFY_ROUNDS = 3;

/** What the last write did, beyond the WriteOutcome the sync reports. */
export interface WriteReport {
  cellsWritten: number;
  idsDeferred: number;
  /** planned cells not written because their row or column is gone */
  cellsDropped: number;
  /** values.batchUpdate requests sent (one per ~2 MB, plus ID, correction and log writes) */
  valueRequests: number;
  /** bytes of values.batchUpdate bodies */
  valueBytes: number;
  /** values.batchGet re-reads after a write, to verify it */
  verifyReads: number;
  /** rows whose values were found on another row after the write and written again */
  rowsMoved: number;
  /** cells still not on their row after VERIFY_ROUNDS rounds */
  unresolved: number;
  /** IDs of other rows that a new ID overwrote, put back */
  idsRestored: number;
  tabsAdded: string[];
}

export interface GoogleSheetsStoreOptions extends SheetsClientOptions {
  /** a readable name for logs, e.g. the configured spreadsheet name */
  name?: string;
  /** an API to use instead of one made from the other options (tests) */
  api?: SheetsApi;
  maxPayloadBytes?: number;
  /** where retries and dropped cells are reported; default: nowhere */
  log?: (message: string) => void;
}

/** One queue per process: every store object for a spreadsheet waits its turn in it. */
const spreadsheetQueue = new KeyedQueue();

const emptyReport = (): WriteReport => ({
  cellsWritten: 0,
  idsDeferred: 0,
  cellsDropped: 0,
  valueRequests: 0,
  valueBytes: 0,
  verifyReads: 0,
  rowsMoved: 0,
  unresolved: 0,
  idsRestored: 0,
  tabsAdded: [],
});

interface Keyed {
  cells: CellWrite[];
  ids: IdWrite[];
}

/** The plan's data-tab cells placed where their rows and columns are now. */
interface Placed {
  targets: Target[];
  ids: IdTarget[];
  newColumns: NewColumn[];
  spans: Map<string, [number, number][]>;
  dropped: number;
  idsDeferred: number;
}

function place(keyed: ReadonlyMap<string, Keyed>, now: ReadonlyMap<string, TabNow>): Placed {
  const out: Placed = {
    targets: [],
    ids: [],
    newColumns: [],
    spans: new Map(),
    dropped: 0,
    idsDeferred: 0,
  };
  for (const [name, e] of keyed) {
    const tabNow = now.get(name)!;
    const placed = placeKeyed(tabNow, e.cells, 'sync');
    for (const t of placed.targets) out.targets.push(t);
    for (const c of placed.newColumns) out.newColumns.push(c);
    const syncColumns = tabNow.tab.columns
      .filter((c) => c.owner === 'sync')
      .map((c) => tabNow.layout.indexByKey.get(c.key))
      .filter((i): i is number => i !== undefined);
    out.spans.set(name, spansOf([...syncColumns, ...placed.newColumns.map((c) => c.col)]));
    out.dropped += placed.dropped;
    const ids = placeIds(tabNow, e.ids);
    for (const t of ids.targets) out.ids.push(t);
    out.idsDeferred += ids.deferred;
  }
  return out;
}

/**
 * What a data-tab cell should hold for a row: the planned value, else the value as read
 * (unchanged cells are not in the plan); undefined for a row the sync did not read.
 */
function correctValues(snapshot: Snapshot, keyed: ReadonlyMap<string, Keyed>): CorrectValue {
  const planned = new Map<string, CellValue>();
  for (const [name, e] of keyed)
    for (const c of e.cells)
      if (c.rowId !== '') planned.set(`${name}\0${c.rowId}\0${c.column}`, c.value);
  const asRead = new Map<
    string,
    { byId: Map<string, readonly unknown[]>; cols: ReadonlyMap<string, number> }
  >();
  const tabAsRead = (name: string) => {
    let entry = asRead.get(name);
    if (entry) return entry;
    const tab = keyedTab(name)!;
    const rows = snapshot.input.tabs.get(name) ?? [];
    const header = rows[0]?.row === 1 ? rows[0].cells : [];
    const cols = resolveLayout(tab, header, []).indexByKey;
    const idCol = cols.get(tab.idColumn);
    const byId = new Map<string, readonly unknown[]>();
    if (idCol !== undefined)
      for (const r of rows) {
        const id = r.row === 1 ? '' : idText(r.cells[idCol]);
        if (id !== '' && !byId.has(id)) byId.set(id, r.cells);
      }
    asRead.set(name, (entry = { byId, cols }));
    return entry;
  };
  return (tab, id, column) => {
    if (id === '') return undefined;
    const key = `${tab}\0${id}\0${column}`;
    if (planned.has(key)) return planned.get(key);
    const { byId, cols } = tabAsRead(tab);
    const cells = byId.get(id);
    const col = cols.get(column);
    if (!cells || col === undefined) return undefined;
    const raw = cells[col];
    return raw === undefined || raw === '' ? null : (raw as CellValue);
  };
}

export class GoogleSheetsStore implements WorkbookStore {
  readonly label: string;
  readonly logsFailures = true;
  private readonly api: SheetsApi;
  private readonly maxPayloadBytes: number;
  private readonly log: (message: string) => void;
  private readonly metaBySnapshot = new WeakMap<Snapshot, Meta>();
  private lastMeta: Meta | undefined;
  private lastInput: WorkbookInput | undefined;
  /** details of the most recent write() or writeCells() */
  lastWrite: WriteReport | undefined;

  constructor(
    readonly spreadsheetId: string,
    options: GoogleSheetsStoreOptions = {},
  ) {
    this.label = options.name ? `${options.name} (${spreadsheetId})` : spreadsheetId;
    this.log = options.log ?? (() => undefined);
    this.api =
      options.api ??
      createSheetsApi({
        ...options,
        onRetry:
          options.onRetry ??
          (({ operation, attempt, waitMs, error }) =>
            this.log(
              `${this.label}: ${operation} 第 ${attempt} 次失败，${Math.round(waitMs)} 毫秒后重试（${
                error instanceof Error ? error.message : String(error)
              }）`,
            )),
      });
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return spreadsheetQueue.run(this.spreadsheetId, fn);
  }

  /** The spreadsheet's title, time zone and tabs with their grid sizes. */
  async metadata(): Promise<Meta> {
    return metaOf(await this.api.getSpreadsheet(this.spreadsheetId, META_FIELDS));
  }

  /** Reads the template's tabs that exist (or the ones named), in one values.batchGet. */
  async read(tabs?: readonly string[]): Promise<Snapshot> {
    const meta = await this.metadata();
    const wanted = tabs ?? TABS.map((t) => t.name);
    const names = wanted.filter((name) => meta.sheets.has(name));
    const ranges = names.map(quoteTab);
    const valueRanges =
      ranges.length > 0 ? await this.api.batchGet(this.spreadsheetId, ranges) : [];
    const read = new Map<string, readonly SheetRow[]>();
    names.forEach((name, i) => read.set(name, sheetRows(valueRanges[i]?.values)));
    const input: WorkbookInput = { tabs: read, epoch: 'sheets' };
    const snapshot: Snapshot = meta.timeZone ? { input, timeZone: meta.timeZone } : { input };
    this.metaBySnapshot.set(snapshot, meta);
    this.lastMeta = meta;
    this.lastInput = input;
    return snapshot;
  }

  /**
   * Carries out a sync plan: structure first, then new IDs (written alone and checked),
   * then the values, checked and corrected, then the 同步日志 row saying how it went.
   */
  async write(snapshot: Snapshot, plan: SyncPlan): Promise<WriteOutcome> {
    const meta = this.metaBySnapshot.get(snapshot) ?? (await this.metadata());
    const report = emptyReport();
    this.lastWrite = report;
    const keyed = new Map<string, Keyed>();
    const positional: Target[] = [];
    const entry = (tab: KeyedTab) => {
      let e = keyed.get(tab.name);
      if (!e) keyed.set(tab.name, (e = { cells: [], ids: [] }));
      return e;
    };
    for (const cell of plan.cells) {
      const tab = keyedTab(cell.tab);
      if (tab) entry(tab).cells.push(cell);
      else positional.push(toTarget(cell, cell.row, cell.col));
    }
    for (const id of plan.ids) {
      const tab = keyedTab(id.tab);
      if (tab) entry(tab).ids.push(id);
    }
    const needs = new Map<string, TabNeed>();
    for (const [name, e] of keyed) {
      const tab = keyedTab(name)!;
      needs.set(name, {
        tab,
        whole: e.ids.length > 0,
        idColAsRead: idColumnOf(tab, snapshot.input.tabs.get(name)),
        newRows: new Set(),
      });
    }
    let now = await locate(this.api, this.spreadsheetId, needs, meta);
    let placed = place(keyed, now);
    report.idsDeferred = placed.idsDeferred;

    const isLog = (tab: string) => tab === SYNC_LOG.name;
    const headerRows = new Map<string, CellValue[]>();
    for (const content of plan.newTabs) headerRows.set(content.tab.name, content.rows[0] ?? []);
    const added = await this.addStructure(
      meta,
      [...placed.targets, ...placed.ids, ...positional],
      plan,
      placed.newColumns,
      headerRows,
    );
    report.tabsAdded = added;

    if (placed.ids.length > 0) {
      now = await this.writeIds(needs, now, placed.ids, report);
      placed = {
        ...place(new Map([...keyed].map(([k, e]) => [k, { ...e, ids: [] }])), now),
        ids: placed.ids,
      };
    }
    report.cellsDropped = placed.dropped;
    if (placed.dropped > 0)
      this.log(`${this.label}: ${placed.dropped} 个单元格所在的行或列在同步期间被删除，未写入`);

    const data = [...placed.targets, ...positional.filter((t) => !isLog(t.tab))];
    const dataBlocks = [
      ...blocksOf(data, placed.spans),
      ...tabBlocks(plan.newTabs, added).filter((b) => !isLog(b.tab)),
    ];
    const chunks = chunkBlocks(dataBlocks, this.maxPayloadBytes);
    const logTargets = positional.filter((t) => isLog(t.tab));
    await this.writeChunks(chunks, report, chunks.length + 1);

    let note = '';
    const written = placed.targets.filter((t) => t.rowId !== undefined && t.row > 1);
    if (written.length > 0) {
      const correct = correctValues(snapshot, keyed);
      const verdict = await this.verify(needs, now, written, correct, report);
      if (report.rowsMoved > 0)
        note =
          report.unresolved > 0
            ? `写入期间有 ${report.rowsMoved} 行被移动，其中 ${report.unresolved} 个单元格重写 ${VERIFY_ROUNDS} 次后仍未落在本行，请再同步一次`
            : `写入期间有 ${report.rowsMoved} 行被移动，已在新位置重写`;
      if (verdict.columnsMoved > 0)
        note += `${note ? '；' : ''}写入期间有列被移动，${verdict.columnsMoved} 个单元格已按表头重写`;
    }
    if (report.idsRestored > 0)
      note += `${note ? '；' : ''}${report.idsRestored} 个已有编号被新编号覆盖后已恢复`;

    const logBlocks = [
      ...blocksOf(amendLog(plan, logTargets, note, report.unresolved > 0), new Map()),
      ...tabBlocks(plan.newTabs, added).filter((b) => isLog(b.tab)),
    ];
    await this.writeChunks(chunkBlocks(logBlocks, this.maxPayloadBytes), report, 0);

    report.cellsWritten =
      placed.targets.length +
      placed.ids.length +
      positional.length +
      plan.newTabs.reduce((n, t) => n + t.rows.reduce((m, r) => m + r.length, 0), 0);
    const outcome: WriteOutcome = {
      cellsWritten: report.cellsWritten,
      idsDeferred: report.idsDeferred,
    };
    if (report.unresolved > 0) outcome.partial = note;
    return outcome;
  }

  /**
   * Writes a form's row: cells of an existing row go to the row holding their `rowId`
   * now; a new row (its cells carry the new ID in the ID column, or have no rowId) goes
   * to the planned row if still empty, else to the first empty row below it. Nothing is
   * written when any cell cannot be placed.
   */
  async writeCells(cells: readonly CellWrite[]): Promise<void> {
    const meta = this.lastMeta ?? (await this.metadata());
    const report = emptyReport();
    this.lastWrite = report;
    const keyed = new Map<string, CellWrite[]>();
    const positional: CellWrite[] = [];
    for (const cell of cells) {
      const tab = keyedTab(cell.tab);
      if (!tab) positional.push(cell);
      else {
        const list = keyed.get(tab.name) ?? [];
        list.push(cell);
        keyed.set(tab.name, list);
      }
    }
    const needs = new Map<string, TabNeed>();
    for (const [name, list] of keyed) {
      const tab = keyedTab(name)!;
      const newRows = new Set<number>();
      for (const group of groupRows(list)) if (isNewRow(tab, group)) newRows.add(group[0]!.row);
      needs.set(name, {
        tab,
        whole: false,
        idColAsRead: idColumnOf(tab, this.lastInput?.tabs.get(name)),
        newRows,
      });
    }
    const now = await locate(this.api, this.spreadsheetId, needs, meta);
    const targets: Target[] = [];
    const problems: string[] = [];
    for (const [name, list] of keyed) {
      const placed = placeKeyed(now.get(name)!, list, 'form');
      for (const t of placed.targets) targets.push(t);
      for (const p of placed.problems) problems.push(p);
    }
    if (problems.length > 0) throw new Error(`未写入表格：${problems.join('；')}。请刷新后重试。`);
    for (const cell of positional) targets.push(toTarget(cell, cell.row, cell.col));
    await this.addStructure(meta, targets, { newTabs: [] }, [], new Map());
    const chunks = chunkBlocks(blocksOf(targets, new Map()), this.maxPayloadBytes);
    await this.writeChunks(chunks, report, chunks.length);
    report.cellsWritten = targets.length;
  }

  /**
   * Blank IDs, in their own small write ahead of the values, then the whole tabs re-read:
   * a new ID that landed on a row it was not meant for is taken off, and the ID that row
   * had is put back, before any value is written. Returns the tabs as they are now.
   */
  private async writeIds(
    needs: ReadonlyMap<string, TabNeed>,
    before: Map<string, TabNow>,
    ids: readonly IdTarget[],
    report: WriteReport,
  ): Promise<Map<string, TabNow>> {
    const chunks = chunkBlocks(blocksOf(ids, new Map()), this.maxPayloadBytes);
    await this.writeChunks(chunks, report, 0);
    for (let round = 1; ; round++) {
      const now = await locate(this.api, this.spreadsheetId, fresh(needs, before), undefined);
      report.verifyReads++;
      const verdict = verifyIds(ids, before, now);
      if (verdict.fixes.length === 0 || round >= VERIFY_ROUNDS) {
        report.idsDeferred += verdict.deferred;
        report.unresolved += verdict.fixes.length;
        return now;
      }
      report.idsRestored += verdict.restored;
      await this.writeChunks(
        chunkBlocks(blocksOf(verdict.fixes, new Map()), this.maxPayloadBytes),
        report,
        0,
      );
    }
  }

  /** Re-reads the ID columns after the values and rewrites what moved, a few rounds at most. */
  private async verify(
    needs: ReadonlyMap<string, TabNeed>,
    before: ReadonlyMap<string, TabNow>,
    written: readonly Target[],
    correct: CorrectValue,
    report: WriteReport,
  ): Promise<{ columnsMoved: number }> {
    const state = new Map(written.map((t) => [`${t.tab}\0${t.row}\0${t.col}`, t]));
    const moved = new Set<string>();
    let columnsMoved = 0;
    let previous = before;
    for (let round = 1; ; round++) {
      const now = await locate(
        this.api,
        this.spreadsheetId,
        fresh(needs, previous, false),
        undefined,
      );
      previous = now;
      report.verifyReads++;
      const verdict = verifyValues(state.values(), now, correct);
      if (verdict.fixes.length === 0) break;
      for (const key of verdict.moved) moved.add(key);
      columnsMoved += verdict.columnsMoved;
      if (round >= VERIFY_ROUNDS) {
        report.unresolved += verdict.fixes.length;
        break;
      }
      for (const fix of verdict.fixes) state.set(`${fix.tab}\0${fix.row}\0${fix.col}`, fix);
      const blocks = blocksOf(verdict.fixes, new Map());
      await this.writeChunks(chunkBlocks(blocks, this.maxPayloadBytes), report, 0);
    }
    report.rowsMoved = moved.size;
    if (moved.size > 0)
      this.log(
        `${this.label}: 写入期间有 ${moved.size} 行被移动${report.unresolved > 0 ? `，${report.unresolved} 个单元格未能重写到位` : '，已在新位置重写'}`,
      );
    return { columnsMoved };
  }

  /** New sync tabs, grid growth and number formats, in one spreadsheets.batchUpdate. */
  private async addStructure(
    meta: Meta,
    targets: readonly Target[],
    plan: Pick<SyncPlan, 'newTabs' | 'layouts'>,
    newColumns: readonly NewColumn[],
    headerRows: ReadonlyMap<string, CellValue[]>,
  ): Promise<string[]> {
    let current = meta;
    let added: string[] = [];
    await this.api.batchUpdate(this.spreadsheetId, async (attempt) => {
      if (attempt > 1) current = await this.metadata();
      const built = structureRequests(current, targets, plan.newTabs, newColumns, headerRows);
      added = built.added;
      const ids = new Map([...current.sheets.values()].map((s) => [s.title, s.sheetId]));
      for (const r of built.requests) {
        const p = r.addSheet?.properties;
        if (p?.title && typeof p.sheetId === 'number') ids.set(p.title, p.sheetId);
      }
      return [...built.requests, ...layoutRequests(plan.layouts, (t) => ids.get(t), current)];
    });
    return added;
  }

  /**
   * One values.batchUpdate per chunk. `total` > 0 numbers the chunks of a split write in
   * the error message, so a person knows part of it landed.
   */
  private async writeChunks(
    chunks: readonly { data: ValueRange[]; bytes: number }[],
    report: WriteReport,
    total: number,
  ): Promise<void> {
    for (const [i, chunk] of chunks.entries()) {
      try {
        await this.api.batchUpdateValues(this.spreadsheetId, chunk.data);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        const partly =
          report.valueRequests === 0
            ? '本次计算结果未写入'
            : total > 0 && i > 0
              ? `已写入 ${i}/${total} 批，其余未写入（已写入的单元格各在正确的行上）`
              : '部分结果已写入（已写入的单元格各在正确的行上）';
        throw new SheetsApiError(
          `同步未完成：写入 Google 表格“${this.label}”失败，${partly}，请稍后重新同步。${detail}`,
          'values.batchUpdate',
          error instanceof SheetsApiError ? error.status : undefined,
          error instanceof SheetsApiError ? error.reason : undefined,
          error instanceof SheetsApiError ? error.attempts : 1,
          { cause: error },
        );
      }
      report.valueRequests++;
      report.valueBytes += chunk.bytes;
    }
  }
}

/** Sync tabs' rows below the header, and header rows of tabs someone added meanwhile. */
function tabBlocks(newTabs: SyncPlan['newTabs'], added: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (const content of newTabs) {
    const [header = [], ...rest] = content.rows;
    const name = content.tab.name;
    if (rest.length > 0)
      blocks.push({ tab: name, row: 2, col: 0, width: widthOf(rest), rows: rest });
    if (!added.includes(name) && header.length > 0)
      blocks.push({ tab: name, row: 1, col: 0, width: header.length, rows: [header] });
  }
  return blocks;
}

/** The same tabs to re-read, with the ID column where it was found last (header + IDs only). */
function fresh(
  needs: ReadonlyMap<string, TabNeed>,
  last: ReadonlyMap<string, TabNow> | undefined,
  keepWhole = true,
): Map<string, TabNeed> {
  const out = new Map<string, TabNeed>();
  for (const [name, need] of needs)
    out.set(name, {
      ...need,
      whole: keepWhole && need.whole,
      idColAsRead: last?.get(name)?.idCol ?? need.idColAsRead,
      newRows: new Set(),
    });
  return out;
}

const RESULT_COL = SYNC_LOG.columns.findIndex((c) => c.key === 'result');
const NOTE_COL = SYNC_LOG.columns.findIndex((c) => c.key === 'note');

/** This sync's 同步日志 row with what verification found: a note, and 部分成功 if unresolved. */
function amendLog(
  plan: SyncPlan,
  logTargets: readonly Target[],
  note: string,
  partial: boolean,
): Target[] {
  const out = [...logTargets];
  const entry = plan.logEntry;
  if (!entry || note === '') return out;
  const values = [...entry.values];
  if (partial) values[RESULT_COL] = '部分成功';
  const before = values[NOTE_COL];
  values[NOTE_COL] = before === null || before === '' ? note : `${String(before)}；${note}`;
  const content = plan.newTabs.find((t) => t.tab === SYNC_LOG);
  if (content) {
    content.rows[entry.row - 1] = values;
    return out;
  }
  for (const col of [RESULT_COL, NOTE_COL]) {
    const i = out.findIndex((t) => t.row === entry.row && t.col === col);
    const target: Target = {
      tab: SYNC_LOG.name,
      row: entry.row,
      col,
      value: values[col] ?? null,
      format: 'text',
    };
    if (i >= 0) out[i] = target;
    else out.push(target);
  }
  return out;
}

/**
 * A store for one spreadsheet. With SHEETS_API_ROOT_URL set every call goes there (an
 * emulator); with SHEETS_API_TOKEN that bearer token is sent instead of the service
 * account of GOOGLE_APPLICATION_CREDENTIALS. Options given here win over the environment.
 */
export function createSheetsStore(
  spreadsheetId: string,
  options: GoogleSheetsStoreOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): GoogleSheetsStore {
  return new GoogleSheetsStore(spreadsheetId, { ...clientOptionsFromEnv(env), ...options });
}
