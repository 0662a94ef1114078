/**
 * Tabs of the open spreadsheet as the shared code reads a workbook, read sparingly: a
 * sidebar call must cost the same few calls whether 客户 has a hundred rows or ten
 * thousand, so only the columns a call needs are read, in as few ranges as they allow.
 */
import type { TabDef } from '../../../sheets-templates/types.ts';
import { cellText, type RawCell } from '../../../shared/cells.ts';
import { resolveLayout } from '../../../shared/layout.ts';
import type { SheetRow, WorkbookInput } from '../../../shared/validate/index.ts';
import { cellReader } from './cells.ts';
import type { Cell, Sheet, Spreadsheet } from './gas.ts';
import { runs } from './tabState.ts';

/** Columns this close together are read as one range: a call costs more than a few cells. */
const MERGE_GAP = 2;

export interface ColumnsRead {
  sheet: Sheet;
  /** row 1 and each row below it up to the last, holding only the columns asked for */
  rows: SheetRow[];
  /** 0-based column of each template column found */
  at: ReadonlyMap<string, number>;
  lastRow: number;
  width: number;
}

export class SheetReader {
  readonly timeZone: string;
  private readonly cell: (value: Cell) => RawCell;
  private byName: Map<string, Sheet> | undefined;

  constructor(private readonly ss: Spreadsheet) {
    this.timeZone = ss.getSpreadsheetTimeZone();
    this.cell = cellReader(this.timeZone);
  }

  /** One getSheets() for every tab a call looks up. */
  sheet(name: string): Sheet | null {
    this.byName ??= new Map(this.ss.getSheets().map((s) => [s.getName(), s]));
    return this.byName.get(name) ?? null;
  }

  /** Every row of a small tab (the config tabs), or undefined when it is missing. */
  whole(name: string): SheetRow[] | undefined {
    const sheet = this.sheet(name);
    if (!sheet) return undefined;
    return this.rows(sheet.getDataRange().getValues(), 1);
  }

  /** Row 1 in full, and of the rows below only the template columns named. */
  columns(tab: TabDef, keys: readonly string[]): ColumnsRead | undefined {
    const sheet = this.sheet(tab.name);
    if (!sheet) return undefined;
    const width = sheet.getMaxColumns();
    const header = sheet.getRange(1, 1, 1, width).getValues()[0] ?? [];
    const headerRow = this.rows([header], 1)[0]!;
    const at = resolveLayout(tab, headerRow.cells, []).indexByKey;
    const lastRow = sheet.getLastRow();
    const rows: SheetRow[] = [headerRow];
    if (lastRow < 2) return { sheet, rows, at, lastRow: Math.max(1, lastRow), width };

    const cells: RawCell[][] = Array.from({ length: lastRow - 1 }, () => new Array(width));
    const wanted = [...new Set(keys.map((k) => at.get(k)).filter((i) => i !== undefined))];
    const spans: [number, number][] = [];
    for (const [a, b] of runs(wanted.sort((x, y) => x - y))) {
      const last = spans.at(-1);
      if (last && a - last[1] - 1 <= MERGE_GAP) last[1] = b;
      else spans.push([a, b]);
    }
    for (const [a, b] of spans) {
      const grid = sheet.getRange(2, a + 1, lastRow - 1, b - a + 1).getValues();
      grid.forEach((line, r) => {
        const out = cells[r]!;
        for (const i of wanted) if (i >= a && i <= b) out[i] = this.cell(line[i - a]!);
      });
    }
    cells.forEach((c, r) => rows.push({ row: r + 2, cells: c }));
    return { sheet, rows, at, lastRow, width };
  }

  /** One row in full, put in place of what `read` held of it. */
  fullRow(read: ColumnsRead, row: number): void {
    if (row < 1 || row > read.lastRow) return;
    const line = read.sheet.getRange(row, 1, 1, read.width).getValues()[0] ?? [];
    const full = this.rows([line], row)[0]!;
    const i = read.rows.findIndex((r) => r.row === row);
    if (i >= 0) read.rows[i] = full;
    else read.rows.push(full);
  }

  private rows(values: Cell[][], firstRow: number): SheetRow[] {
    return values.map((line, i) => ({ row: firstRow + i, cells: line.map(this.cell) }));
  }
}

/** The first row whose ID cell holds `id`, as the shared code's findById picks it. */
export function rowOfId(read: ColumnsRead, key: string, id: string): number | undefined {
  const i = read.at.get(key);
  if (i === undefined || id === '') return undefined;
  return read.rows.find((r) => r.row > 1 && cellText(r.cells[i] ?? null) === id)?.row;
}

export function workbookInput(
  tabs: Iterable<[string, readonly SheetRow[] | undefined]>,
): WorkbookInput {
  const map = new Map<string, readonly SheetRow[]>();
  for (const [name, rows] of tabs) if (rows) map.set(name, rows);
  return { tabs: map, epoch: 'sheets' };
}

/** The named tabs that exist, every row of their data range; missing tabs stay missing. */
export function readTabs(ss: Spreadsheet, names: Iterable<string>): WorkbookInput {
  const reader = new SheetReader(ss);
  return workbookInput([...new Set(names)].map((name) => [name, reader.whole(name)]));
}
