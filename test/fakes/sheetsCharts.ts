/**
 * Embedded charts, developer metadata and column widths for the Sheets API fake: the
 * spreadsheets.batchUpdate requests the store sends for them, checked as the API checks
 * them (unknown chart, duplicate chart id, a source range outside the grid), and their
 * state as spreadsheets.get shows it.
 */

export interface FakeChart {
  chartId: number;
  sheetId: number;
  spec: Record<string, unknown>;
  position: Record<string, unknown>;
}

export interface FakeMetadata {
  metadataId: number;
  metadataKey: string;
  metadataValue: string;
  location: Record<string, unknown>;
  visibility: string;
}

export interface ChartState {
  charts: FakeChart[];
  developerMetadata: FakeMetadata[];
  /** pixel widths by sheetId, then column */
  columnWidths: Map<number, Map<number, number>>;
  nextMetadataId: number;
}

export const CHART_REQUESTS = new Set([
  'addChart',
  'updateChartSpec',
  'updateEmbeddedObjectPosition',
  'createDeveloperMetadata',
  'updateDeveloperMetadata',
  'updateDimensionProperties',
]);

export function emptyChartState(): ChartState {
  return { charts: [], developerMetadata: [], columnWidths: new Map(), nextMetadataId: 1000 };
}

type Fail = (message: string) => never;

interface Grid {
  sheetId: number;
  rowCount: number;
  columnCount: number;
}

/** Every source range of a chart spec. */
function sources(spec: Record<string, unknown>): Record<string, number>[] {
  const out: Record<string, number>[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (Array.isArray(o.sources)) out.push(...(o.sources as Record<string, number>[]));
      else Object.values(o).forEach(walk);
    }
  };
  walk(spec);
  return out;
}

/**
 * Checks one request against the planned grid and the charts as they will be after the
 * requests before it (`planned` is updated as they would change it).
 */
export function checkChartRequest(
  kind: string,
  args: Record<string, unknown>,
  grids: readonly Grid[],
  planned: { chartIds: Set<number>; metadataIds: Set<number> },
  fail: Fail,
): void {
  const grid = (id: unknown) =>
    grids.find((g) => g.sheetId === id) ?? fail(`No grid with id: ${String(id)}`);
  const checkSpec = (spec: unknown) => {
    if (!spec || typeof spec !== 'object') fail('spec is required');
    const list = sources(spec as Record<string, unknown>);
    if (list.length === 0) fail('a chart needs source ranges');
    for (const r of list) {
      const g = grid(r.sheetId);
      if ((r.endRowIndex ?? 0) > g.rowCount || (r.endColumnIndex ?? 0) > g.columnCount)
        fail('Range exceeds grid limits.');
    }
  };
  switch (kind) {
    case 'addChart': {
      const chart = (args.chart ?? {}) as Record<string, unknown>;
      const id = chart.chartId;
      if (typeof id === 'number' && planned.chartIds.has(id))
        fail(`An object with id ${id} already exists.`);
      checkSpec(chart.spec);
      const anchor = (chart.position as { overlayPosition?: { anchorCell?: { sheetId?: number } } })
        ?.overlayPosition?.anchorCell;
      grid(anchor?.sheetId);
      if (typeof id === 'number') planned.chartIds.add(id);
      return;
    }
    case 'updateChartSpec':
      if (!planned.chartIds.has(args.chartId as number))
        fail(`No chart with id: ${String(args.chartId)}`);
      checkSpec(args.spec);
      return;
    case 'updateEmbeddedObjectPosition':
      if (!planned.chartIds.has(args.objectId as number))
        fail(`No object with id: ${String(args.objectId)}`);
      if (typeof args.fields !== 'string') fail('fields is required');
      return;
    case 'createDeveloperMetadata': {
      const d = (args.developerMetadata ?? {}) as Record<string, unknown>;
      if (typeof d.metadataKey !== 'string' || !d.location)
        fail('metadataKey and location are required');
      return;
    }
    case 'updateDeveloperMetadata': {
      const filters = (args.dataFilters ?? []) as {
        developerMetadataLookup?: { metadataId?: number };
      }[];
      const id = filters[0]?.developerMetadataLookup?.metadataId;
      if (id === undefined || !planned.metadataIds.has(id))
        fail(`No developer metadata with id: ${String(id)}`);
      return;
    }
    case 'updateDimensionProperties': {
      const range = (args.range ?? {}) as Record<string, unknown>;
      const g = grid(range.sheetId);
      if ((range.endIndex as number) > g.columnCount) fail('Range exceeds grid limits.');
      return;
    }
  }
}

export function applyChartRequest(
  kind: string,
  args: Record<string, unknown>,
  state: ChartState,
  nextId: () => number,
): unknown {
  switch (kind) {
    case 'addChart': {
      const chart = args.chart as Record<string, unknown>;
      const position = chart.position as Record<string, unknown>;
      const anchor = (position.overlayPosition as { anchorCell: { sheetId: number } }).anchorCell;
      const added: FakeChart = {
        chartId: typeof chart.chartId === 'number' ? chart.chartId : nextId(),
        sheetId: anchor.sheetId,
        spec: chart.spec as Record<string, unknown>,
        position,
      };
      state.charts.push(added);
      return { addChart: { chart: added } };
    }
    case 'updateChartSpec': {
      state.charts.find((c) => c.chartId === args.chartId)!.spec = args.spec as Record<
        string,
        unknown
      >;
      return {};
    }
    case 'updateEmbeddedObjectPosition': {
      const c = state.charts.find((x) => x.chartId === args.objectId)!;
      c.position = args.newPosition as Record<string, unknown>;
      return { updateEmbeddedObjectPosition: { position: c.position } };
    }
    case 'createDeveloperMetadata': {
      const d = args.developerMetadata as Record<string, unknown>;
      const made: FakeMetadata = {
        metadataId: state.nextMetadataId++,
        metadataKey: d.metadataKey as string,
        metadataValue: (d.metadataValue as string | undefined) ?? '',
        location: d.location as Record<string, unknown>,
        visibility: (d.visibility as string | undefined) ?? 'DOCUMENT',
      };
      state.developerMetadata.push(made);
      return { createDeveloperMetadata: { developerMetadata: made } };
    }
    case 'updateDeveloperMetadata': {
      const filters = args.dataFilters as { developerMetadataLookup: { metadataId: number } }[];
      const d = state.developerMetadata.find(
        (m) => m.metadataId === filters[0]!.developerMetadataLookup.metadataId,
      )!;
      d.metadataValue = (args.developerMetadata as { metadataValue: string }).metadataValue;
      return { updateDeveloperMetadata: { developerMetadata: [d] } };
    }
    case 'updateDimensionProperties': {
      const range = args.range as { sheetId: number; startIndex: number; endIndex: number };
      const widths = state.columnWidths.get(range.sheetId) ?? new Map<number, number>();
      for (let c = range.startIndex; c < range.endIndex; c++)
        widths.set(c, (args.properties as { pixelSize: number }).pixelSize);
      state.columnWidths.set(range.sheetId, widths);
      return {};
    }
  }
  return {};
}
