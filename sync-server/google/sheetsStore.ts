/**
 * A Google spreadsheet as a workbook store.
 *
 * Requests per sync do not depend on the number of rows: one spreadsheets.get and one
 * values.batchGet to read; to write, one values.batchGet that re-reads row 1 and the ID
 * column of the data tabs being written, at most one spreadsheets.batchUpdate (new sync
 * tabs, grid growth, number formats) and one values.batchUpdate per ~2 MB of values.
 *
 * People keep editing while a sync runs, so nothing is written by the row number it had
 * when read: every data-tab cell goes to the row that holds its row's ID just before the
 * write, and to the column that holds its header then. Rows that vanished lose their
 * cells; a blank ID is filled in only where a row still holds exactly what was read.
 */
import { cellText, type RawCell } from '../../shared/cells.ts';
import { resolveLayout, type TabLayout } from '../../shared/layout.ts';
import type {
  CellFormat,
  CellValue,
  CellWrite,
  IdWrite,
  SyncPlan,
  SyncTabContent,
} from '../../shared/sync/plan.ts';
import type { SheetRow, WorkbookInput } from '../../shared/validate/index.ts';
import { REPORTS, SYNC_LOG, SYNC_TABS, TABS } from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type { Snapshot, WorkbookStore, WriteOutcome } from '../sync/store.ts';
import { columnA1, quoteTab, rectA1, rowA1, rowsFromA1 } from './a1.ts';
import {
  clientOptionsFromEnv,
  createSheetsApi,
  type SheetsApi,
  type SheetsClientOptions,
  type SheetsRequest,
  type ValueRange,
} from './client.ts';
import { SheetsApiError } from './retry.ts';

/** Google's advice for a request body; past it the values go in more than one request. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 2_000_000;

const META_FIELDS =
  'properties(title,timeZone),sheets.properties(sheetId,title,index,gridProperties(rowCount,columnCount))';

// A new tab gets the size of a new sheet in the Sheets UI, or more if its content needs it.
const NEW_SHEET_ROWS = 1000;
const NEW_SHEET_COLUMNS = 26;

interface SheetInfo {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
}

interface Meta {
  title: string;
  timeZone?: string;
  sheets: Map<string, SheetInfo>;
}

/** A value bound for one cell, after its row and column were found again. */
interface Target {
  tab: string;
  row: number;
  col: number;
  value: CellValue;
  format: CellFormat | undefined;
}

/** A cell's new value, or undefined: leave the cell as it is. */
type Slot = CellValue | undefined;

/** A rectangle of values: the unit of a ValueRange. */
interface Block {
  tab: string;
  row: number;
  col: number;
  width: number;
  rows: Slot[][];
}

/** What the last write did, beyond the WriteOutcome the sync reports. */
export interface WriteReport {
  cellsWritten: number;
  idsDeferred: number;
  /** planned cells not written because their row or column is gone */
  cellsDropped: number;
  /** values.batchUpdate requests sent (one per ~2 MB) */
  valueRequests: number;
  /** bytes of values.batchUpdate bodies */
  valueBytes: number;
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

const TAB_BY_NAME = new Map(TABS.map((t) => [t.name, t]));

/** Tabs whose rows carry IDs, so cells are placed by ID rather than by row number. */
function keyedTab(name: string): (TabDef & { idColumn: string }) | undefined {
  const tab = TAB_BY_NAME.get(name);
  return tab?.kind === 'data' && tab.idColumn ? (tab as TabDef & { idColumn: string }) : undefined;
}

/** A cell as the sync sees it: the API's empty string is a blank cell. */
function rawOf(value: unknown): RawCell {
  if (value === '' || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  return null;
}

/** A row's cells with blanks as null and no trailing blanks, like the xlsx reader's. */
function rowCells(values: readonly unknown[] | undefined): RawCell[] {
  const cells = (values ?? []).map(rawOf);
  while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
  return cells;
}

function sheetRows(values: readonly (readonly unknown[])[] | null | undefined): SheetRow[] {
  const rows: SheetRow[] = [];
  (values ?? []).forEach((v, i) => {
    const cells = rowCells(v);
    if (cells.length > 0) rows.push({ row: i + 1, cells });
  });
  return rows;
}

/** A row's content as one comparable string: blanks are blanks however they were stored. */
function rowKey(cells: readonly RawCell[]): string {
  return JSON.stringify(rowCells(cells));
}

function idText(raw: unknown): string {
  return cellText(rawOf(raw));
}

/** An in-process lock per spreadsheet, shared by every store object for it. */
const locks = new Map<string, Promise<unknown>>();

function runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const before = locks.get(key) ?? Promise.resolve();
  const run = before.then(fn, fn);
  const tail = run.catch(() => undefined);
  locks.set(key, tail);
  void tail.then(() => {
    if (locks.get(key) === tail) locks.delete(key);
  });
  return run;
}

const NUMBER_FORMATS: Partial<Record<CellFormat, { type: string; pattern: string }>> = {
  date: { type: 'DATE', pattern: 'yyyy-mm-dd' },
  datetime: { type: 'DATE_TIME', pattern: 'yyyy-mm-dd hh:mm' },
  integer: { type: 'NUMBER', pattern: '0' },
  number: { type: 'NUMBER', pattern: '0.0' },
  money: { type: 'NUMBER', pattern: '#,##0.00' },
  percent: { type: 'PERCENT', pattern: '0.0%' },
};

function numberFormatRequest(
  sheetId: number,
  rows: [number, number | undefined],
  cols: [number, number],
  format: CellFormat,
): SheetsRequest | null {
  const numberFormat = NUMBER_FORMATS[format];
  if (!numberFormat) return null;
  return {
    repeatCell: {
      range: {
        sheetId,
        startRowIndex: rows[0],
        ...(rows[1] === undefined ? {} : { endRowIndex: rows[1] }),
        startColumnIndex: cols[0],
        endColumnIndex: cols[1],
      },
      cell: { userEnteredFormat: { numberFormat } },
      fields: 'userEnteredFormat.numberFormat',
    },
  };
}

/** Where a data tab stands just before the write. */
interface TabNow {
  tab: TabDef & { idColumn: string };
  layout: TabLayout;
  idCol: number | undefined;
  /** ID text → the rows holding it, top first */
  rowsById: Map<string, number[]>;
  /** every row (index = row - 1), when the tab was re-read whole for ID assignments */
  rows?: RawCell[][];
  /** for new form rows: the planned row → the first empty row from there down */
  freeRow: Map<number, number>;
}

interface TabNeed {
  tab: TabDef & { idColumn: string };
  /** re-read the whole tab: blank IDs are to be assigned and their rows may have moved */
  whole: boolean;
  /** the ID column's index when read, so the first re-read can fetch just that column */
  idColAsRead: number | undefined;
  /** planned rows of new form rows, to find free rows from */
  newRows: Set<number>;
}

export class GoogleSheetsStore implements WorkbookStore {
  readonly label: string;
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
    return runExclusive(this.spreadsheetId, fn);
  }

  /** The spreadsheet's title, time zone and tabs with their grid sizes. */
  async metadata(): Promise<Meta> {
    const data = await this.api.getSpreadsheet(this.spreadsheetId, META_FIELDS);
    const sheets = new Map<string, SheetInfo>();
    for (const s of data.sheets ?? []) {
      const p = s.properties;
      if (!p?.title || typeof p.sheetId !== 'number') continue;
      sheets.set(p.title, {
        sheetId: p.sheetId,
        title: p.title,
        rowCount: p.gridProperties?.rowCount ?? 0,
        columnCount: p.gridProperties?.columnCount ?? 0,
      });
    }
    const meta: Meta = { title: data.properties?.title ?? '', sheets };
    if (data.properties?.timeZone) meta.timeZone = data.properties.timeZone;
    return meta;
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

  async write(snapshot: Snapshot, plan: SyncPlan): Promise<WriteOutcome> {
    const meta = this.metaBySnapshot.get(snapshot) ?? (await this.metadata());
    const keyed = new Map<string, { cells: CellWrite[]; ids: IdWrite[] }>();
    const positional: CellWrite[] = [];
    const entry = (tab: TabDef & { idColumn: string }) => {
      let e = keyed.get(tab.name);
      if (!e) keyed.set(tab.name, (e = { cells: [], ids: [] }));
      return e;
    };
    for (const cell of plan.cells) {
      const tab = keyedTab(cell.tab);
      if (tab) entry(tab).cells.push(cell);
      else positional.push(cell);
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
    const now = await this.locate(needs);

    const targets: Target[] = [];
    let dropped = 0;
    let idsDeferred = 0;
    const newColumns: { tab: string; col: number; format: CellFormat | undefined }[] = [];
    const spans = new Map<string, [number, number][]>();
    for (const [name, e] of keyed) {
      const tabNow = now.get(name)!;
      const placed = placeKeyed(tabNow, e.cells, 'sync');
      for (const x of placed.targets) targets.push(x);
      for (const x of placed.newColumns) newColumns.push(x);
      const syncColumns = tabNow.tab.columns
        .filter((c) => c.owner === 'sync')
        .map((c) => tabNow.layout.indexByKey.get(c.key))
        .filter((i): i is number => i !== undefined);
      spans.set(name, spansOf([...syncColumns, ...placed.newColumns.map((c) => c.col)]));
      dropped += placed.dropped;
      const ids = placeIds(tabNow, e.ids);
      for (const x of ids.targets) targets.push(x);
      idsDeferred += ids.deferred;
    }
    for (const cell of positional) targets.push(toTarget(cell, cell.row, cell.col));
    if (dropped > 0)
      this.log(`${this.label}: ${dropped} 个单元格所在的行或列在同步期间被删除，未写入`);

    const report = await this.apply(meta, targets, plan.newTabs, newColumns, spans);
    report.cellsDropped = dropped;
    report.idsDeferred = idsDeferred;
    this.lastWrite = report;
    return { cellsWritten: report.cellsWritten, idsDeferred };
  }

  /**
   * Writes a form's row: cells of an existing row go to the row holding their `rowId`
   * now; a new row (its cells carry the new ID in the ID column, or have no rowId) goes
   * to the planned row if still empty, else to the first empty row below it. Nothing is
   * written when any cell cannot be placed.
   */
  async writeCells(cells: readonly CellWrite[]): Promise<void> {
    const meta = this.lastMeta ?? (await this.metadata());
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
    const now = await this.locate(needs, meta);
    const targets: Target[] = [];
    const problems: string[] = [];
    for (const [name, list] of keyed) {
      const placed = placeKeyed(now.get(name)!, list, 'form');
      for (const x of placed.targets) targets.push(x);
      for (const x of placed.problems) problems.push(x);
    }
    if (problems.length > 0) throw new Error(`未写入表格：${problems.join('；')}。请刷新后重试。`);
    for (const cell of positional) targets.push(toTarget(cell, cell.row, cell.col));
    const report = await this.apply(meta, targets, [], [], new Map());
    this.lastWrite = report;
  }

  /** Re-reads row 1 and the ID column (or the whole tab) of each tab, in one batchGet. */
  private async locate(needs: Map<string, TabNeed>, meta?: Meta): Promise<Map<string, TabNow>> {
    const result = new Map<string, TabNow>();
    if (needs.size === 0) return result;
    const ranges: string[] = [];
    const slots: { name: string; kind: 'whole' | 'header' | 'ids' | 'free'; row?: number }[] = [];
    const ask = (range: string, slot: (typeof slots)[number]) => {
      ranges.push(range);
      slots.push(slot);
    };
    const columnCount = (name: string) =>
      (meta ?? this.lastMeta)?.sheets.get(name)?.columnCount ?? NEW_SHEET_COLUMNS;
    const rowCount = (name: string) =>
      (meta ?? this.lastMeta)?.sheets.get(name)?.rowCount ?? Number.POSITIVE_INFINITY;
    for (const [name, need] of needs) {
      if (need.whole) ask(quoteTab(name), { name, kind: 'whole' });
      else {
        ask(rowA1(name, 1), { name, kind: 'header' });
        if (need.idColAsRead !== undefined)
          ask(columnA1(name, need.idColAsRead), { name, kind: 'ids' });
      }
      for (const row of need.newRows)
        if (row <= rowCount(name))
          ask(rowsFromA1(name, row, columnCount(name)), { name, kind: 'free', row });
    }
    const got = await this.api.batchGet(this.spreadsheetId, ranges);

    const header = new Map<string, readonly unknown[]>();
    const idValues = new Map<string, { col: number; values: readonly (readonly unknown[])[] }>();
    const whole = new Map<string, RawCell[][]>();
    const free = new Map<string, Map<number, number>>();
    slots.forEach((slot, i) => {
      const values = got[i]?.values ?? [];
      const need = needs.get(slot.name)!;
      if (slot.kind === 'whole') {
        whole.set(slot.name, values.map(rowCells));
        header.set(slot.name, values[0] ?? []);
      } else if (slot.kind === 'header') header.set(slot.name, values[0] ?? []);
      else if (slot.kind === 'ids') idValues.set(slot.name, { col: need.idColAsRead!, values });
      else {
        const m = free.get(slot.name) ?? new Map<number, number>();
        let offset = values.findIndex((v) => rowCells(v).length === 0);
        if (offset < 0) offset = values.length;
        m.set(slot.row!, slot.row! + offset);
        free.set(slot.name, m);
      }
    });

    // A column moved between the read and now: fetch the ID column where it is now.
    const again: string[] = [];
    const againNames: { name: string; col: number }[] = [];
    for (const [name, need] of needs) {
      const layout = resolveLayout(need.tab, rowCells(header.get(name)), []);
      const idCol = layout.indexByKey.get(need.tab.idColumn);
      if (need.whole || idCol === undefined || idValues.get(name)?.col === idCol) continue;
      again.push(columnA1(name, idCol));
      againNames.push({ name, col: idCol });
    }
    if (again.length > 0) {
      const more = await this.api.batchGet(this.spreadsheetId, again);
      againNames.forEach(({ name, col }, i) =>
        idValues.set(name, { col, values: more[i]?.values ?? [] }),
      );
    }

    for (const [name, need] of needs) {
      const layout = resolveLayout(need.tab, rowCells(header.get(name)), []);
      const idCol = layout.indexByKey.get(need.tab.idColumn);
      const rowsById = new Map<string, number[]>();
      const add = (raw: unknown, row: number) => {
        const id = idText(raw);
        if (row === 1 || id === '') return;
        const list = rowsById.get(id);
        if (list) list.push(row);
        else rowsById.set(id, [row]);
      };
      const rows = whole.get(name);
      if (idCol !== undefined) {
        if (rows) rows.forEach((cells, i) => add(cells[idCol], i + 1));
        else idValues.get(name)?.values.forEach((v, i) => add(v[0], i + 1));
      }
      const tabNow: TabNow = {
        tab: need.tab,
        layout,
        idCol,
        rowsById,
        freeRow: free.get(name) ?? new Map(),
      };
      if (rows) tabNow.rows = rows;
      for (const row of need.newRows) if (!tabNow.freeRow.has(row)) tabNow.freeRow.set(row, row);
      result.set(name, tabNow);
    }
    return result;
  }

  /** Adds what is missing to the grid, then writes the values, 同步日志 last. */
  private async apply(
    meta: Meta,
    targets: readonly Target[],
    newTabs: readonly SyncTabContent[],
    newColumns: readonly { tab: string; col: number; format: CellFormat | undefined }[],
    spans: Spans,
  ): Promise<WriteReport> {
    const report: WriteReport = {
      cellsWritten: 0,
      idsDeferred: 0,
      cellsDropped: 0,
      valueRequests: 0,
      valueBytes: 0,
      tabsAdded: [],
    };
    const blocks = blocksOf(targets, spans);
    const headerRows = new Map<string, CellValue[]>();
    for (const content of newTabs) {
      const [first = [], ...rest] = content.rows;
      headerRows.set(content.tab.name, first);
      if (rest.length > 0)
        blocks.push({
          tab: content.tab.name,
          row: 2,
          col: 0,
          width: widthOf(rest),
          rows: rest,
        });
      report.cellsWritten += content.rows.reduce((n, r) => n + r.length, 0);
    }
    report.cellsWritten += targets.length;

    let current = meta;
    let added: string[] = [];
    await this.api.batchUpdate(this.spreadsheetId, async (attempt) => {
      if (attempt > 1) current = await this.metadata();
      const built = structureRequests(current, targets, newTabs, newColumns, headerRows);
      added = built.added;
      return built.requests;
    });
    report.tabsAdded = added;
    // Header rows of tabs that already existed (someone added one meanwhile) are values.
    for (const content of newTabs) {
      if (added.includes(content.tab.name)) continue;
      const header = headerRows.get(content.tab.name) ?? [];
      if (header.length > 0)
        blocks.push({
          tab: content.tab.name,
          row: 1,
          col: 0,
          width: header.length,
          rows: [header],
        });
    }

    const chunks = chunkBlocks(blocks, this.maxPayloadBytes);
    for (const [i, chunk] of chunks.entries()) {
      try {
        await this.api.batchUpdateValues(this.spreadsheetId, chunk.data);
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        const partly =
          i === 0
            ? '本次计算结果未写入'
            : `已写入 ${i}/${chunks.length} 批，其余未写入（已写入的单元格各在正确的行上）`;
        throw new SheetsApiError(
          `同步未完成：写入 Google 表格“${this.label}”失败，${partly}；同步日志未记录本次同步，请稍后重新同步。${detail}`,
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
    return report;
  }
}

function idColumnOf(
  tab: TabDef & { idColumn: string },
  rows: readonly SheetRow[] | undefined,
): number | undefined {
  const header = rows?.[0]?.row === 1 ? rows[0].cells : [];
  return resolveLayout(tab, header, []).indexByKey.get(tab.idColumn);
}

function widthOf(rows: readonly (readonly unknown[])[]): number {
  let width = 1;
  for (const r of rows) if (r.length > width) width = r.length;
  return width;
}

function toTarget(cell: CellWrite, row: number, col: number): Target {
  return { tab: cell.tab, row, col, value: cell.value, format: cell.format };
}

/** Cells of one planned row together, in the order they came. */
function groupRows(cells: readonly CellWrite[]): CellWrite[][] {
  const groups = new Map<string, CellWrite[]>();
  for (const cell of cells) {
    const key = `${cell.row}\u0000${cell.rowId}`;
    const g = groups.get(key) ?? [];
    g.push(cell);
    groups.set(key, g);
  }
  return [...groups.values()];
}

/** A form's new row: no ID yet, or it writes its own new ID into the ID column. */
function isNewRow(tab: TabDef & { idColumn: string }, group: readonly CellWrite[]): boolean {
  const first = group[0]!;
  if (first.row === 1) return false;
  if (first.rowId === '') return true;
  return group.some((c) => c.column === tab.idColumn && cellText(c.value) === first.rowId);
}

/**
 * Places the cells of one data tab by ID and header. In 'sync' mode a cell whose row or
 * column is gone is dropped; in 'form' mode it is reported, since a form's row is
 * written whole or not at all.
 */
function placeKeyed(
  now: TabNow,
  cells: readonly CellWrite[],
  mode: 'sync' | 'form',
): {
  targets: Target[];
  newColumns: { tab: string; col: number; format: CellFormat | undefined }[];
  dropped: number;
  problems: string[];
} {
  const targets: Target[] = [];
  const problems: string[] = [];
  const newColumns: { tab: string; col: number; format: CellFormat | undefined }[] = [];
  let dropped = 0;
  const added = new Map<string, number>();
  let nextCol = now.layout.headerWidth;
  const headers = cells.filter((c) => c.row === 1).sort((a, b) => a.col - b.col);
  for (const cell of headers) {
    if (now.layout.indexByKey.has(cell.column) || added.has(cell.column)) continue;
    added.set(cell.column, nextCol);
    targets.push(toTarget(cell, 1, nextCol));
    const def = now.tab.columns.find((c) => c.key === cell.column);
    newColumns.push({
      tab: now.tab.name,
      col: nextCol,
      format: def ? formatOfColumn(def) : undefined,
    });
    nextCol++;
  }
  const columnOf = (key: string) => now.layout.indexByKey.get(key) ?? added.get(key);
  for (const group of groupRows(cells.filter((c) => c.row !== 1))) {
    const first = group[0]!;
    let row: number | undefined;
    const holding = first.rowId === '' ? undefined : now.rowsById.get(first.rowId);
    if (mode === 'form' && isNewRow(now.tab, group)) {
      // Someone else's row took this ID meanwhile: never write over it.
      if (holding) {
        problems.push(`“${now.tab.name}”中的编号 ${first.rowId} 已被其他行占用`);
        dropped += group.length;
        continue;
      }
      row = now.freeRow.get(first.row);
    } else if (holding) row = holding.includes(first.row) ? first.row : holding[0];
    if (row === undefined) {
      if (mode === 'form')
        problems.push(`“${now.tab.name}”中编号为 ${first.rowId || '（空）'} 的行已不存在`);
      dropped += group.length;
      continue;
    }
    for (const cell of group) {
      const col = columnOf(cell.column);
      if (col === undefined) {
        if (mode === 'form') problems.push(`“${now.tab.name}”缺少列 ${cell.column}`);
        dropped++;
        continue;
      }
      targets.push(toTarget(cell, row, col));
    }
  }
  return { targets, newColumns, dropped, problems };
}

function formatOfColumn(c: TabDef['columns'][number]): CellFormat | undefined {
  switch (c.type) {
    case 'date':
    case 'datetime':
    case 'integer':
    case 'number':
    case 'money':
      return c.type;
    default:
      return undefined;
  }
}

/**
 * Finds the row each new ID belongs to: the planned row if it still holds exactly what
 * was read, else another row holding exactly that (a sort moved it). IDs that already
 * appear in the tab, or whose row changed, wait for the next sync.
 */
function placeIds(now: TabNow, ids: readonly IdWrite[]): { targets: Target[]; deferred: number } {
  const targets: Target[] = [];
  let deferred = 0;
  const rows = now.rows ?? [];
  const used = new Set<number>();
  let byContent: Map<string, number[]> | undefined;
  const candidates = (key: string): number[] => {
    if (!byContent) {
      byContent = new Map();
      rows.forEach((cells, i) => {
        if (i === 0) return;
        if (now.idCol !== undefined && idText(cells[now.idCol]) !== '') return;
        const k = rowKey(cells);
        const list = byContent!.get(k);
        if (list) list.push(i + 1);
        else byContent!.set(k, [i + 1]);
      });
    }
    return byContent.get(key) ?? [];
  };
  for (const id of ids) {
    if (now.idCol === undefined || now.rowsById.has(id.value === null ? '' : cellText(id.value))) {
      deferred++;
      continue;
    }
    const key = rowKey(id.rowAsRead);
    let row: number | undefined;
    const planned = rows[id.row - 1];
    if (planned && !used.has(id.row) && rowKey(planned) === key) row = id.row;
    else row = candidates(key).find((r) => !used.has(r));
    if (row === undefined) {
      deferred++;
      continue;
    }
    used.add(row);
    targets.push({ tab: id.tab, row, col: now.idCol, value: id.value, format: id.format });
  }
  return { targets, deferred };
}

/** Column spans [from, to) of a tab whose gaps may be bridged: sync columns only. */
type Spans = ReadonlyMap<string, readonly (readonly [number, number])[]>;

/** Maximal runs of consecutive column indexes. */
export function spansOf(columns: Iterable<number>): [number, number][] {
  const sorted = [...new Set(columns)].sort((a, b) => a - b);
  const spans: [number, number][] = [];
  for (const c of sorted) {
    const last = spans[spans.length - 1];
    if (last && last[1] === c) last[1] = c + 1;
    else spans.push([c, c + 1]);
  }
  return spans;
}

const SYNC_TAB_NAMES = new Set(SYNC_TABS.map((t) => t.name));

/**
 * Cells into rectangles, so a sync of many rows is a few ValueRanges rather than one per
 * row. Within a sync-owned span a gap is bridged with a null (which the API leaves as
 * it is) and a row is padded to the whole span, so consecutive rows share a shape and
 * merge; a person's column is never part of a rectangle it has no value for.
 */
function blocksOf(targets: readonly Target[], spans: Spans): Block[] {
  const sorted = [...targets].sort((a, b) =>
    a.tab === b.tab ? a.row - b.row || a.col - b.col : a.tab < b.tab ? -1 : 1,
  );
  const spanOf = (tab: string, col: number): readonly [number, number] | undefined => {
    if (SYNC_TAB_NAMES.has(tab)) return [0, Number.POSITIVE_INFINITY];
    return spans.get(tab)?.find(([from, to]) => from <= col && col < to);
  };
  const runs: { tab: string; row: number; col: number; values: Slot[] }[] = [];
  for (const t of sorted) {
    const last = runs[runs.length - 1];
    if (last && last.tab === t.tab && last.row === t.row) {
      const end = last.col + last.values.length;
      // The same cell twice: the later write wins, as it would in the sheet.
      if (t.col < end) {
        last.values[t.col - last.col] = t.value;
        continue;
      }
      const span = spanOf(t.tab, end - 1);
      if (t.col === end || (span && t.col < span[1])) {
        while (last.col + last.values.length < t.col) last.values.push(undefined);
        last.values.push(t.value);
        continue;
      }
    }
    runs.push({ tab: t.tab, row: t.row, col: t.col, values: [t.value] });
  }
  for (const run of runs) {
    if (SYNC_TAB_NAMES.has(run.tab)) continue;
    const span = spanOf(run.tab, run.col);
    if (!span || run.col + run.values.length > span[1]) continue;
    while (run.col > span[0]) {
      run.col--;
      run.values.unshift(undefined);
    }
    while (run.col + run.values.length < span[1]) run.values.push(undefined);
  }
  const blocks: Block[] = [];
  const open = new Map<string, Block>();
  for (const run of runs) {
    const key = `${run.tab}\u0000${run.col}\u0000${run.values.length}`;
    const block = open.get(key);
    if (block && block.row + block.rows.length === run.row) {
      block.rows.push(run.values);
      continue;
    }
    const fresh: Block = {
      tab: run.tab,
      row: run.row,
      col: run.col,
      width: run.values.length,
      rows: [run.values],
    };
    open.set(key, fresh);
    blocks.push(fresh);
  }
  return blocks;
}

/** What the API takes: blank is ''; null leaves the cell as it is. */
function apiValue(value: Slot): string | number | boolean | null {
  if (value === undefined) return null;
  if (value === null) return '';
  if (typeof value === 'number' && !Number.isFinite(value)) return '';
  return value;
}

function valueRange(block: Block): ValueRange {
  return {
    range: rectA1(block.tab, block.row, block.col, block.rows.length, block.width),
    majorDimension: 'ROWS',
    values: block.rows.map((r) => r.map(apiValue)),
  };
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Packs blocks into request bodies of at most `limit` bytes, splitting tall blocks by
 * rows. 同步日志 goes last, so its row appears only once everything else is written.
 */
function chunkBlocks(
  blocks: readonly Block[],
  limit: number,
): { data: ValueRange[]; bytes: number }[] {
  const ordered = [
    ...blocks.filter((b) => b.tab !== SYNC_LOG.name),
    ...blocks.filter((b) => b.tab === SYNC_LOG.name),
  ];
  const overhead = utf8Length(JSON.stringify({ valueInputOption: 'RAW', data: [] }));
  const pieces: { range: ValueRange; bytes: number }[] = [];
  for (const block of ordered) {
    const whole = valueRange(block);
    const bytes = utf8Length(JSON.stringify(whole)) + 1;
    if (bytes + overhead <= limit || block.rows.length === 1) {
      pieces.push({ range: whole, bytes });
      continue;
    }
    let start = 0;
    let size = 0;
    const rowBytes = block.rows.map((r) => utf8Length(JSON.stringify(r.map(apiValue))) + 1);
    const rangeBytes = 200;
    for (let i = 0; i < block.rows.length; i++) {
      if (i > start && size + rowBytes[i]! + rangeBytes + overhead > limit) {
        const part = { ...block, row: block.row + start, rows: block.rows.slice(start, i) };
        pieces.push({ range: valueRange(part), bytes: size + rangeBytes });
        start = i;
        size = 0;
      }
      size += rowBytes[i]!;
    }
    const part = { ...block, row: block.row + start, rows: block.rows.slice(start) };
    pieces.push({ range: valueRange(part), bytes: size + rangeBytes });
  }
  const chunks: { data: ValueRange[]; bytes: number }[] = [];
  let current: { data: ValueRange[]; bytes: number } | undefined;
  for (const piece of pieces) {
    if (!current || (current.data.length > 0 && current.bytes + piece.bytes > limit)) {
      current = { data: [], bytes: overhead };
      chunks.push(current);
    }
    current.data.push(piece.range);
    current.bytes += piece.bytes;
  }
  return chunks;
}

/**
 * The spreadsheets.batchUpdate requests the values need first: new sync tabs (with their
 * header row, so a tab never exists without one), more rows or columns where writes go
 * past a sheet's grid, and number formats where a cell's format is not the default.
 */
function structureRequests(
  meta: Meta,
  targets: readonly Target[],
  newTabs: readonly SyncTabContent[],
  newColumns: readonly { tab: string; col: number; format: CellFormat | undefined }[],
  headerRows: ReadonlyMap<string, CellValue[]>,
): { requests: SheetsRequest[]; added: string[] } {
  const requests: SheetsRequest[] = [];
  const formats: SheetsRequest[] = [];
  const added: string[] = [];
  const usedIds = new Set([...meta.sheets.values()].map((s) => s.sheetId));
  const sheets = new Map(meta.sheets);
  let nextIndex = meta.sheets.size;
  const extent = new Map<string, { rows: number; cols: number }>();
  const grow = (tab: string, row: number, col: number) => {
    const e = extent.get(tab) ?? { rows: 0, cols: 0 };
    e.rows = Math.max(e.rows, row);
    e.cols = Math.max(e.cols, col + 1);
    extent.set(tab, e);
  };
  for (const t of targets) grow(t.tab, t.row, t.col);

  for (const content of newTabs) {
    const name = content.tab.name;
    const height = content.rows.length;
    const width = widthOf(content.rows);
    grow(name, height, width - 1);
    if (sheets.has(name)) continue;
    let sheetId = 0;
    do sheetId = 1 + Math.floor(Math.random() * 2_000_000_000);
    while (usedIds.has(sheetId));
    usedIds.add(sheetId);
    const info: SheetInfo = {
      sheetId,
      title: name,
      rowCount: Math.max(NEW_SHEET_ROWS, height),
      columnCount: Math.max(NEW_SHEET_COLUMNS, width),
    };
    sheets.set(name, info);
    added.push(name);
    const isReports = content.tab === REPORTS;
    requests.push({
      addSheet: {
        properties: {
          sheetId,
          title: name,
          index: nextIndex++,
          gridProperties: {
            rowCount: info.rowCount,
            columnCount: info.columnCount,
            ...(isReports ? {} : { frozenRowCount: 1 }),
          },
        },
      },
    });
    const header = headerRows.get(name) ?? [];
    if (header.length > 0)
      requests.push({
        updateCells: {
          start: { sheetId, rowIndex: 0, columnIndex: 0 },
          rows: [{ values: header.map((v) => ({ userEnteredValue: cellData(v) })) }],
          fields: 'userEnteredValue',
        },
      });
    if (isReports) {
      content.rows.forEach((row, r) => {
        const rowFormats = (content.formats[r] as CellFormat[] | undefined) ?? [];
        runsOf(rowFormats.slice(0, row.length)).forEach(([from, to, f]) => {
          const req = numberFormatRequest(sheetId, [r, r + 1], [from, to], f);
          if (req) formats.push(req);
        });
      });
    } else {
      formats.push({
        repeatCell: {
          range: { sheetId, startRowIndex: 0, endRowIndex: 1 },
          cell: { userEnteredFormat: { textFormat: { bold: true } } },
          fields: 'userEnteredFormat.textFormat.bold',
        },
      });
      content.formats.forEach((f, c) => {
        const req = numberFormatRequest(sheetId, [1, undefined], [c, c + 1], f as CellFormat);
        if (req) formats.push(req);
      });
    }
  }

  for (const [name, e] of extent) {
    const info = sheets.get(name);
    if (!info || added.includes(name)) continue;
    if (e.rows > info.rowCount) {
      requests.push({
        appendDimension: {
          sheetId: info.sheetId,
          dimension: 'ROWS',
          length: e.rows - info.rowCount,
        },
      });
    }
    if (e.cols > info.columnCount) {
      requests.push({
        appendDimension: {
          sheetId: info.sheetId,
          dimension: 'COLUMNS',
          length: e.cols - info.columnCount,
        },
      });
    }
  }

  // A column the sync just added takes its column's number format.
  for (const c of newColumns) {
    const info = sheets.get(c.tab);
    if (!info || !c.format) continue;
    const req = numberFormatRequest(info.sheetId, [1, undefined], [c.col, c.col + 1], c.format);
    if (req) formats.push(req);
  }
  // 报表 is rewritten with a format per cell; cells of sync tabs keep their column's.
  const reports = sheets.get(REPORTS.name);
  if (reports && !added.includes(REPORTS.name)) {
    const byRow = new Map<number, CellFormat[]>();
    for (const t of targets) {
      if (t.tab !== REPORTS.name || !t.format || t.format === 'text') continue;
      const row = byRow.get(t.row) ?? [];
      row[t.col] = t.format;
      byRow.set(t.row, row);
    }
    for (const [row, rowFormats] of byRow)
      for (const [from, to, f] of runsOf(rowFormats)) {
        const req = numberFormatRequest(reports.sheetId, [row - 1, row], [from, to], f);
        if (req) formats.push(req);
      }
  }
  return { requests: [...requests, ...formats], added };
}

function cellData(v: CellValue): Record<string, unknown> {
  if (typeof v === 'number' && Number.isFinite(v)) return { numberValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  return { stringValue: v === null || typeof v === 'number' ? '' : v };
}

/** Consecutive equal formats of a row (holes skipped): [from, to (exclusive), format]. */
function runsOf(formats: readonly (CellFormat | undefined)[]): [number, number, CellFormat][] {
  const runs: [number, number, CellFormat][] = [];
  formats.forEach((f, i) => {
    if (f === undefined) return;
    const last = runs[runs.length - 1];
    if (last && last[2] === f && last[1] === i) last[1] = i + 1;
    else runs.push([i, i + 1, f]);
  });
  return runs;
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
