/**
 * Values into requests: targets into rectangles (one ValueRange each), rectangles into
 * request bodies of at most a byte limit, so a sync of many rows is a few requests.
 */
import type { CellValue } from '../../shared/sync/plan.ts';
import { SYNC_LOG, SYNC_TABS } from '../../sheets-templates/tabs.ts';
import { rectA1 } from './a1.ts';
import type { ValueRange } from './client.ts';
import type { Target } from './placement.ts';

/** Google's advice for a request body; past it the values go in more than one request. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 2_000_000;

/** A cell's new value, or undefined: leave the cell as it is. */
export type Slot = CellValue | undefined;

/** A rectangle of values: the unit of a ValueRange. */
export interface Block {
  tab: string;
  row: number;
  col: number;
  width: number;
  rows: Slot[][];
}

/** Column spans [from, to) of a tab whose gaps may be bridged: sync columns only. */
export type Spans = ReadonlyMap<string, readonly (readonly [number, number])[]>;

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
export function blocksOf(targets: readonly Target[], spans: Spans): Block[] {
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
export function chunkBlocks(
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

export function widthOf(rows: readonly (readonly unknown[])[]): number {
  let width = 1;
  for (const r of rows) if (r.length > width) width = r.length;
  return width;
}
