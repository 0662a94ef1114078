/**
 * A WorkbookStore over grids in memory, for tests that need a store but not a file:
 * each tab is an array of rows, row 1 first. It keeps the store contract strictly
 * (cell writes only while holding exclusive(), IDs only onto unchanged rows) so code
 * that breaks it fails here rather than against a real workbook.
 */
import type { TabDef } from '../../sheets-templates/types.ts';
import type { SerialEpoch } from '../../shared/calendar.ts';
import type { RawCell } from '../../shared/cells.ts';
import type { CellValue, CellWrite, SyncPlan } from '../../shared/sync/plan.ts';
import type { SheetRow } from '../../shared/validate/index.ts';
import type { Snapshot, WorkbookStore, WriteOutcome } from '../../sync-server/sync/store.ts';

export type Grid = RawCell[][];

export interface MemoryStoreOptions {
  label?: string;
  epoch?: SerialEpoch;
  /** a spreadsheet's own time zone, as GoogleSheetsStore reports it */
  timeZone?: string;
}

const blank = (c: RawCell): boolean =>
  c === null || c === undefined || (typeof c === 'string' && c.trim() === '');

export class MemoryStore implements WorkbookStore {
  readonly label: string;
  readonly tabs = new Map<string, Grid>();
  readonly epoch: SerialEpoch;
  readonly timeZone: string | undefined;
  /** the tabs asked for by each read (undefined: all) */
  readonly reads: (readonly string[] | undefined)[] = [];
  /** each writeCells call, in order */
  readonly cellWrites: (readonly CellWrite[])[] = [];
  private tail: Promise<unknown> = Promise.resolve();
  private held = 0;

  constructor(tabs: Record<string, Grid> = {}, options: MemoryStoreOptions = {}) {
    for (const [name, grid] of Object.entries(tabs))
      this.tabs.set(
        name,
        grid.map((r) => [...r]),
      );
    this.label = options.label ?? 'memory';
    this.epoch = options.epoch ?? 'sheets';
    this.timeZone = options.timeZone;
  }

  /** A store whose tabs carry the template headers (or the headers given) and rows by header. */
  static of(
    tabs: readonly (
      [TabDef, Record<string, RawCell>[]] | [TabDef, Record<string, RawCell>[], readonly string[]]
    )[],
    options: MemoryStoreOptions = {},
  ): MemoryStore {
    const grids: Record<string, Grid> = {};
    for (const [tab, rows, headers = tab.columns.map((c) => c.header)] of tabs)
      grids[tab.name] = [[...headers], ...rows.map((r) => headers.map((h) => r[h] ?? null))];
    return new MemoryStore(grids, options);
  }

  async read(tabs?: readonly string[]): Promise<Snapshot> {
    this.reads.push(tabs);
    const out = new Map<string, SheetRow[]>();
    for (const [name, grid] of this.tabs) {
      if (tabs && !tabs.includes(name)) continue;
      const rows: SheetRow[] = [];
      grid.forEach((cells, i) => {
        if (i === 0 || cells.some((c) => !blank(c))) rows.push({ row: i + 1, cells: [...cells] });
      });
      out.set(name, rows);
    }
    const snapshot: Snapshot = { input: { tabs: out, epoch: this.epoch } };
    if (this.timeZone) snapshot.timeZone = this.timeZone;
    return snapshot;
  }

  private set(tab: string, row: number, col: number, value: CellValue): void {
    let grid = this.tabs.get(tab);
    if (!grid) {
      grid = [];
      this.tabs.set(tab, grid);
    }
    while (grid.length < row) grid.push([]);
    const cells = grid[row - 1]!;
    while (cells.length <= col) cells.push(null);
    cells[col] = value;
  }

  private requireHeld(what: string): void {
    if (this.held === 0) throw new Error(`${what} outside exclusive()`);
  }

  async writeCells(cells: readonly CellWrite[]): Promise<void> {
    this.requireHeld('writeCells');
    this.cellWrites.push(cells.map((c) => ({ ...c })));
    for (const c of cells) this.set(c.tab, c.row, c.col, c.value);
  }

  async write(_snapshot: Snapshot, plan: SyncPlan): Promise<WriteOutcome> {
    this.requireHeld('write');
    let cellsWritten = 0;
    let idsDeferred = 0;
    for (const id of plan.ids) {
      const now = this.tabs.get(id.tab)?.[id.row - 1] ?? [];
      const width = Math.max(now.length, id.rowAsRead.length);
      let same = true;
      for (let i = 0; i < width; i++) {
        const a = now[i] ?? null;
        const b = id.rowAsRead[i] ?? null;
        if (a !== b && !(blank(a) && blank(b))) same = false;
      }
      if (!same) {
        idsDeferred++;
        continue;
      }
      this.set(id.tab, id.row, id.col, id.value);
      cellsWritten++;
    }
    for (const c of plan.cells) {
      this.set(c.tab, c.row, c.col, c.value);
      cellsWritten++;
    }
    for (const t of plan.newTabs) {
      this.tabs.set(
        t.tab.name,
        t.rows.map((r) => [...r]),
      );
      cellsWritten += t.rows.reduce((n, r) => n + r.length, 0);
    }
    return { cellsWritten, idsDeferred };
  }

  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.tail.then(async () => {
      this.held++;
      try {
        return await fn();
      } finally {
        this.held--;
      }
    });
    this.tail = run.catch(() => undefined);
    return run;
  }

  /** The rows of a tab below the header, as header → value (by the tab's own row 1). */
  records(tab: string): Record<string, RawCell>[] {
    const [header = [], ...rows] = this.tabs.get(tab) ?? [];
    return rows
      .filter((r) => r.some((c) => !blank(c)))
      .map((r) => Object.fromEntries(header.map((h, i) => [String(h), r[i] ?? null])));
  }

  /** One cell by row number and header text. */
  cell(tab: string, row: number, header: string): RawCell {
    const grid = this.tabs.get(tab) ?? [];
    const col = (grid[0] ?? []).findIndex((h) => h === header);
    return col < 0 ? undefined : (grid[row - 1]?.[col] ?? null);
  }
}
