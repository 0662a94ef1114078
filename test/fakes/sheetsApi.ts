/**
 * A local stand-in for the Google Sheets API v4, over real HTTP on 127.0.0.1: the
 * endpoints the store calls, with the API's request and response shapes and its error
 * JSON. State is a grid of values per sheet. Tests reach it through the client's
 * `rootUrl`, inject failures and delays, edit the sheets between two requests (as people
 * would), and count requests and bytes.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatA1, parseA1, type ParsedRange } from './a1.ts';
import {
  applyChartRequest,
  CHART_REQUESTS,
  checkChartRequest,
  emptyChartState,
  type ChartState,
} from './sheetsCharts.ts';

export type FakeValue = string | number | boolean | null;

export type RequestKind =
  | 'spreadsheets.get'
  | 'values.batchGet'
  | 'values.batchUpdate'
  | 'spreadsheets.batchUpdate'
  | 'certs'
  | 'unknown';

export interface FakeSheet {
  sheetId: number;
  title: string;
  index: number;
  rowCount: number;
  columnCount: number;
  frozenRowCount: number;
  /** rows by 0-based index; a row's array may be shorter than the grid */
  cells: FakeValue[][];
  /** cells written as formulas (USER_ENTERED `=…`), as "row,col" (0-based) */
  formulas: Set<string>;
  /** repeatCell / updateCells formats, in the order applied */
  formats: { range: GridRange; format: unknown }[];
}

export interface FakeSpreadsheet {
  spreadsheetId: string;
  title: string;
  timeZone: string;
  locale: string;
  sheets: FakeSheet[];
  /** embedded charts, developer metadata and column widths (sheetsCharts.ts) */
  charts?: ChartState;
}

interface GridRange {
  sheetId?: number;
  startRowIndex?: number;
  endRowIndex?: number;
  startColumnIndex?: number;
  endColumnIndex?: number;
}

export interface RequestRecord {
  n: number;
  method: string;
  kind: RequestKind;
  spreadsheetId: string | undefined;
  url: string;
  status: number;
  /** request body bytes */
  bytesIn: number;
  bytesOut: number;
  /** ranges asked for (batchGet) or written (values.batchUpdate) */
  ranges: number;
  /** the A1 ranges of a values.batchUpdate */
  written: string[];
  /** the kinds of the requests of a spreadsheets.batchUpdate, in order */
  batch?: string[];
  /** when the request arrived (Date.now()) */
  at: number;
}

export interface Fault {
  /** only requests of this kind (default: any) */
  kind?: RequestKind;
  /** only the nth request of that kind (1-based, counted from when the fault was added) */
  nth?: number;
  /** how many matching requests fail (default 1) */
  times?: number;
  /**
   * the HTTP error to answer with; 'reset' drops the connection before the request is
   * handled, 'lost-reply' handles it (the change is applied) and then drops the connection
   */
  status: number | 'reset' | 'lost-reply';
  message?: string;
  retryAfterSeconds?: number;
}

export interface RequestInfo {
  n: number;
  kind: RequestKind;
  method: string;
  spreadsheetId: string | undefined;
  /** how many requests of this kind there have been, this one included */
  nthOfKind: number;
}

export interface LoadOptions {
  title?: string;
  timeZone?: string;
  /** grid size of each sheet; default: the data's size, at least 1000 × 26 */
  rowCount?: number;
  columnCount?: number;
}

/** Tab name → rows: either grids (row 1 first) or `{row, cells}` rows like a WorkbookInput. */
export type GridMap =
  | ReadonlyMap<string, readonly { row: number; cells: readonly unknown[] }[]>
  | Readonly<Record<string, readonly (readonly unknown[])[]>>;

const STATUS_NAMES: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  409: 'ABORTED',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  502: 'UNAVAILABLE',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
};

const DEFAULT_MESSAGES: Record<number, string> = {
  429: "Quota exceeded for quota metric 'Write requests' and limit 'Write requests per minute per user' of service 'sheets.googleapis.com'.",
  500: 'Internal error encountered.',
  503: 'The service is currently unavailable.',
};

/** The workbook cell limit Google enforces. */
const CELL_LIMIT = 10_000_000;

class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

function cellValue(raw: unknown): FakeValue {
  if (raw === undefined || raw === null || raw === '') return null;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return String(raw);
}

export class FakeSheetsApi {
  readonly token: string;
  readonly spreadsheets = new Map<string, FakeSpreadsheet>();
  readonly requests: RequestRecord[] = [];
  /** PEM certificates served at /oauth2/v1/certs (for ID-token verification) */
  certs: Record<string, string> = {};
  /** runs before each request is handled: the place to edit sheets between requests */
  beforeRequest: ((info: RequestInfo) => void | Promise<void>) | undefined;
  /** a delay before each answer, in milliseconds */
  delayMs = 0;
  private faults: (Fault & { seen: number; failed: number })[] = [];
  private nextSheetId = 1;
  private server: Server | undefined;
  private rootUrl = '';

  constructor(options: { token?: string } = {}) {
    this.token = options.token ?? 'fake-sheets-token';
  }

  /** Starts listening on a free port of 127.0.0.1. */
  static async start(options: { token?: string } = {}): Promise<FakeSheetsApi> {
    const fake = new FakeSheetsApi(options);
    await fake.listen();
    return fake;
  }

  async listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    this.rootUrl = `http://127.0.0.1:${port}/`;
  }

  /** What to give the client as `rootUrl` (SHEETS_API_ROOT_URL). */
  get url(): string {
    return this.rootUrl;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  // ─── state ──────────────────────────────────────────────────────────────────────

  /** Creates (or replaces) a spreadsheet whose tabs hold the given rows. */
  load(spreadsheetId: string, tabs: GridMap, options: LoadOptions = {}): FakeSpreadsheet {
    const entries: [string, FakeValue[][]][] =
      tabs instanceof Map
        ? [
            ...(tabs as ReadonlyMap<string, readonly { row: number; cells: readonly unknown[] }[]>),
          ].map(([name, rows]) => {
            const grid: FakeValue[][] = [];
            for (const r of rows) grid[r.row - 1] = r.cells.map(cellValue);
            for (let i = 0; i < grid.length; i++) grid[i] ??= [];
            return [name, grid];
          })
        : Object.entries(tabs as Record<string, readonly (readonly unknown[])[]>).map(
            ([name, rows]) => [name, rows.map((r) => r.map(cellValue))],
          );
    const book: FakeSpreadsheet = {
      spreadsheetId,
      title: options.title ?? spreadsheetId,
      timeZone: options.timeZone ?? 'Asia/Shanghai',
      locale: 'zh_CN',
      sheets: [],
    };
    for (const [title, grid] of entries) this.addSheetTo(book, title, grid, options);
    this.spreadsheets.set(spreadsheetId, book);
    return book;
  }

  private addSheetTo(
    book: FakeSpreadsheet,
    title: string,
    grid: FakeValue[][],
    options: LoadOptions,
  ): FakeSheet {
    const width = grid.reduce((w, r) => Math.max(w, r.length), 0);
    const sheet: FakeSheet = {
      sheetId: this.nextSheetId++,
      title,
      index: book.sheets.length,
      rowCount: Math.max(options.rowCount ?? 1000, grid.length),
      columnCount: Math.max(options.columnCount ?? 26, width),
      frozenRowCount: 0,
      cells: grid,
      formulas: new Set(),
      formats: [],
    };
    book.sheets.push(sheet);
    return sheet;
  }

  book(spreadsheetId: string): FakeSpreadsheet {
    const book = this.spreadsheets.get(spreadsheetId);
    if (!book) throw new Error(`no spreadsheet ${spreadsheetId} in the fake`);
    return book;
  }

  sheet(spreadsheetId: string, title: string): FakeSheet {
    const sheet = this.book(spreadsheetId).sheets.find((s) => s.title === title);
    if (!sheet) throw new Error(`no sheet ${title} in ${spreadsheetId}`);
    return sheet;
  }

  hasSheet(spreadsheetId: string, title: string): boolean {
    return this.book(spreadsheetId).sheets.some((s) => s.title === title);
  }

  /** A sheet's values, row 1 first, blanks as null, trailing blanks cut. */
  grid(spreadsheetId: string, title: string): FakeValue[][] {
    const rows = this.sheet(spreadsheetId, title).cells.map((r) => trimRow(r ?? []));
    while (rows.length > 0 && rows[rows.length - 1]!.length === 0) rows.pop();
    return rows;
  }

  /** The non-empty rows of a sheet, as a store's reader returns them. */
  rows(spreadsheetId: string, title: string): { row: number; cells: FakeValue[] }[] {
    const out: { row: number; cells: FakeValue[] }[] = [];
    this.grid(spreadsheetId, title).forEach((cells, i) => {
      if (cells.length > 0) out.push({ row: i + 1, cells });
    });
    return out;
  }

  /** Every sheet as a WorkbookInput-like map. */
  tabs(spreadsheetId: string): Map<string, { row: number; cells: FakeValue[] }[]> {
    return new Map(
      this.book(spreadsheetId).sheets.map((s) => [s.title, this.rows(spreadsheetId, s.title)]),
    );
  }

  cell(spreadsheetId: string, title: string, row: number, col: number): FakeValue {
    return this.sheet(spreadsheetId, title).cells[row - 1]?.[col] ?? null;
  }

  setCell(spreadsheetId: string, title: string, row: number, col: number, value: FakeValue): void {
    const sheet = this.sheet(spreadsheetId, title);
    const r = (sheet.cells[row - 1] ??= []);
    r[col] = value;
    for (let i = 0; i < sheet.cells.length; i++) sheet.cells[i] ??= [];
  }

  /** Sorts the rows from `fromRow` (1-based) down, as the Sheets UI's sort range does. */
  sortRows(
    spreadsheetId: string,
    title: string,
    compare: (a: readonly FakeValue[], b: readonly FakeValue[]) => number,
    fromRow = 2,
  ): void {
    const sheet = this.sheet(spreadsheetId, title);
    const head = sheet.cells.slice(0, fromRow - 1);
    const body = sheet.cells.slice(fromRow - 1).map((r) => r ?? []);
    // Empty rows stay at the bottom, as in Sheets.
    const filled = body.filter((r) => trimRow(r).length > 0).sort(compare);
    const empty = body.filter((r) => trimRow(r).length === 0);
    sheet.cells = [...head, ...filled, ...empty];
  }

  /** Inserts rows before `atRow` (1-based), growing the grid. */
  insertRows(
    spreadsheetId: string,
    title: string,
    atRow: number,
    rows: readonly FakeValue[][],
  ): void {
    const sheet = this.sheet(spreadsheetId, title);
    while (sheet.cells.length < atRow - 1) sheet.cells.push([]);
    sheet.cells.splice(atRow - 1, 0, ...rows.map((r) => [...r]));
    sheet.rowCount += rows.length;
  }

  /** Deletes `count` rows from `atRow` (1-based), shrinking the grid. */
  deleteRows(spreadsheetId: string, title: string, atRow: number, count = 1): void {
    const sheet = this.sheet(spreadsheetId, title);
    sheet.cells.splice(atRow - 1, count);
    sheet.rowCount = Math.max(1, sheet.rowCount - count);
  }

  // ─── faults and counting ────────────────────────────────────────────────────────

  /** Makes matching requests fail (429, 503, 'reset' …). */
  fail(fault: Fault): void {
    this.faults.push({ ...fault, seen: 0, failed: 0 });
  }

  clearFaults(): void {
    this.faults = [];
  }

  resetCounts(): void {
    this.requests.length = 0;
  }

  count(kind?: RequestKind): number {
    return kind ? this.requests.filter((r) => r.kind === kind).length : this.requests.length;
  }

  bytesIn(kind?: RequestKind): number {
    return this.requests.filter((r) => !kind || r.kind === kind).reduce((n, r) => n + r.bytesIn, 0);
  }

  // ─── HTTP ───────────────────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const route = routeOf(req.method ?? 'GET', url.pathname);
    const record: RequestRecord = {
      n: this.requests.length + 1,
      method: req.method ?? 'GET',
      kind: route.kind,
      spreadsheetId: route.spreadsheetId,
      url: url.pathname + url.search,
      status: 200,
      bytesIn: body.length,
      bytesOut: 0,
      ranges: url.searchParams.getAll('ranges').length,
      written: [],
      at: Date.now(),
    };
    this.requests.push(record);
    const info: RequestInfo = {
      n: record.n,
      kind: route.kind,
      method: record.method,
      spreadsheetId: route.spreadsheetId,
      nthOfKind: this.count(route.kind),
    };
    let loseReply = false;
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      if (loseReply) {
        record.status = 0;
        req.socket.destroy();
        return;
      }
      const text = JSON.stringify(payload);
      record.status = status;
      record.bytesOut = Buffer.byteLength(text);
      res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
      res.end(text);
    };
    const sendError = (code: number, message: string, headers: Record<string, string> = {}) =>
      send(code, { error: { code, message, status: STATUS_NAMES[code] ?? 'UNKNOWN' } }, headers);

    try {
      if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
      if (route.kind === 'certs') {
        send(200, this.certs, { 'cache-control': 'public, max-age=3600' });
        return;
      }
      if (req.headers.authorization !== `Bearer ${this.token}`) {
        sendError(
          401,
          'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
        );
        return;
      }
      const fault = this.takeFault(route.kind);
      if (fault) {
        if (fault.status === 'reset') {
          record.status = 0;
          req.socket.destroy();
          return;
        }
      }
      if (fault && fault.status !== 'lost-reply') {
        const headers: Record<string, string> =
          fault.retryAfterSeconds === undefined
            ? {}
            : { 'retry-after': String(fault.retryAfterSeconds) };
        const status = fault.status as number;
        sendError(
          status,
          fault.message ?? DEFAULT_MESSAGES[status] ?? 'Injected failure.',
          headers,
        );
        return;
      }
      if (fault) loseReply = true;
      await this.beforeRequest?.(info);
      if (route.kind === 'unknown') {
        sendError(404, `The fake does not implement ${req.method} ${url.pathname}`);
        return;
      }
      const book = this.spreadsheets.get(route.spreadsheetId ?? '');
      if (!book) {
        sendError(404, 'Requested entity was not found.');
        return;
      }
      const json = body.length > 0 ? (JSON.parse(body.toString('utf8')) as unknown) : {};
      switch (route.kind) {
        case 'spreadsheets.get':
          send(200, applyFields(spreadsheetResource(book), url.searchParams.get('fields')));
          return;
        case 'values.batchGet':
          send(200, batchGet(book, url.searchParams));
          return;
        case 'values.batchUpdate':
          record.written = ((json as { data?: { range?: string }[] }).data ?? []).map(
            (d) => d.range ?? '',
          );
          record.ranges = record.written.length;
          send(200, valuesBatchUpdate(book, json));
          return;
        case 'spreadsheets.batchUpdate':
          record.batch = ((json as { requests?: object[] }).requests ?? []).map(
            (r) => Object.keys(r)[0] ?? '',
          );
          send(200, this.batchUpdate(book, json));
          return;
      }
    } catch (error) {
      if (error instanceof ApiError) sendError(error.code, error.message);
      else if (error instanceof SyntaxError)
        sendError(400, `Invalid JSON payload received. ${error.message}`);
      else sendError(500, error instanceof Error ? error.message : String(error));
    }
  }

  private takeFault(kind: RequestKind): Fault | undefined {
    for (const fault of this.faults) {
      if (fault.kind && fault.kind !== kind) continue;
      fault.seen++;
      if (fault.nth !== undefined && fault.seen < fault.nth) continue;
      if (fault.failed >= (fault.times ?? 1)) continue;
      fault.failed++;
      return fault;
    }
    return undefined;
  }

  private batchUpdate(book: FakeSpreadsheet, body: unknown): unknown {
    const requests = (body as { requests?: unknown[] }).requests;
    if (!Array.isArray(requests) || requests.length === 0)
      throw new ApiError(400, 'Must specify at least one request.');
    // All or nothing: check every request against a plan of the sheets first.
    const plan = book.sheets.map((s) => ({ ...s }));
    const charts = (book.charts ??= emptyChartState());
    const planned = {
      chartIds: new Set(charts.charts.map((c) => c.chartId)),
      metadataIds: new Set(charts.developerMetadata.map((d) => d.metadataId)),
    };
    const check = (i: number, req: Record<string, unknown>) => {
      const [kind, ...others] = Object.keys(req);
      if (!kind || others.length > 0)
        throw new ApiError(400, `Invalid requests[${i}]: exactly one kind of request expected`);
      const args = req[kind] as Record<string, unknown>;
      const bySheetId = (id: unknown) => {
        const s = plan.find((p) => p.sheetId === id);
        if (!s)
          throw new ApiError(400, `Invalid requests[${i}].${kind}: No grid with id: ${String(id)}`);
        return s;
      };
      switch (kind) {
        case 'addSheet': {
          const props = (args.properties ?? {}) as Record<string, unknown>;
          const title = typeof props.title === 'string' ? props.title : `Sheet${plan.length + 1}`;
          if (plan.some((p) => p.title === title))
            throw new ApiError(
              400,
              `Invalid requests[${i}].addSheet: A sheet with the name "${title}" already exists. Please enter another name.`,
            );
          if (props.sheetId !== undefined && plan.some((p) => p.sheetId === props.sheetId))
            throw new ApiError(
              400,
              `Invalid requests[${i}].addSheet: Sheet with id ${String(props.sheetId)} already exists.`,
            );
          const grid = (props.gridProperties ?? {}) as Record<string, number>;
          plan.push({
            sheetId: typeof props.sheetId === 'number' ? props.sheetId : -1 - plan.length,
            title,
            index: plan.length,
            rowCount: grid.rowCount ?? 1000,
            columnCount: grid.columnCount ?? 26,
            frozenRowCount: grid.frozenRowCount ?? 0,
            cells: [],
            formulas: new Set(),
            formats: [],
          });
          return;
        }
        case 'appendDimension': {
          const s = bySheetId(args.sheetId);
          const length = Number(args.length);
          if (!Number.isInteger(length) || length < 1)
            throw new ApiError(
              400,
              `Invalid requests[${i}].appendDimension: length must be positive`,
            );
          if (args.dimension === 'ROWS') s.rowCount += length;
          else if (args.dimension === 'COLUMNS') s.columnCount += length;
          else
            throw new ApiError(
              400,
              `Invalid requests[${i}].appendDimension: dimension must be ROWS or COLUMNS`,
            );
          return;
        }
        case 'repeatCell': {
          const range = (args.range ?? {}) as GridRange;
          checkGrid(i, kind, bySheetId(range.sheetId), range);
          if (typeof args.fields !== 'string')
            throw new ApiError(400, `Invalid requests[${i}].repeatCell: fields is required`);
          return;
        }
        case 'updateCells': {
          const start = args.start as
            { sheetId?: number; rowIndex?: number; columnIndex?: number } | undefined;
          if (!start)
            throw new ApiError(
              400,
              `Invalid requests[${i}].updateCells: start or range is required`,
            );
          const s = bySheetId(start.sheetId);
          const rows = (args.rows ?? []) as { values?: unknown[] }[];
          const width = rows.reduce((w, r) => Math.max(w, r.values?.length ?? 0), 0);
          checkGrid(i, kind, s, {
            startRowIndex: start.rowIndex ?? 0,
            endRowIndex: (start.rowIndex ?? 0) + rows.length,
            startColumnIndex: start.columnIndex ?? 0,
            endColumnIndex: (start.columnIndex ?? 0) + width,
          });
          return;
        }
        case 'updateSheetProperties': {
          const props = (args.properties ?? {}) as { sheetId?: number };
          bySheetId(props.sheetId);
          return;
        }
        default:
          if (CHART_REQUESTS.has(kind)) {
            checkChartRequest(kind, args, plan, planned, (message) => {
              throw new ApiError(400, `Invalid requests[${i}].${kind}: ${message}`);
            });
            return;
          }
          throw new ApiError(400, `Invalid requests[${i}]: the fake does not implement ${kind}`);
      }
    };
    requests.forEach((r, i) => check(i, r as Record<string, unknown>));
    const total = plan.reduce((n, s) => n + s.rowCount * s.columnCount, 0);
    if (total > CELL_LIMIT)
      throw new ApiError(
        400,
        `This action would increase the number of cells in the workbook above the limit of ${CELL_LIMIT} cells.`,
      );

    const replies: unknown[] = [];
    for (const raw of requests as Record<string, Record<string, unknown>>[]) {
      const [kind] = Object.keys(raw);
      const args = raw[kind!]!;
      const find = (id: unknown) => book.sheets.find((s) => s.sheetId === id)!;
      switch (kind) {
        case 'addSheet': {
          const props = (args.properties ?? {}) as Record<string, unknown>;
          const grid = (props.gridProperties ?? {}) as Record<string, number>;
          const title =
            typeof props.title === 'string' ? props.title : `Sheet${book.sheets.length + 1}`;
          const sheet = this.addSheetTo(book, title, [], {
            rowCount: grid.rowCount ?? 1000,
            columnCount: grid.columnCount ?? 26,
          });
          if (typeof props.sheetId === 'number') sheet.sheetId = props.sheetId;
          else
            while (book.sheets.some((s) => s !== sheet && s.sheetId === sheet.sheetId))
              sheet.sheetId = this.nextSheetId++;
          sheet.frozenRowCount = grid.frozenRowCount ?? 0;
          replies.push({ addSheet: { properties: sheetProperties(sheet) } });
          break;
        }
        case 'appendDimension': {
          const s = find(args.sheetId);
          if (args.dimension === 'ROWS') s.rowCount += Number(args.length);
          else s.columnCount += Number(args.length);
          replies.push({});
          break;
        }
        case 'repeatCell': {
          const range = args.range as GridRange;
          find(range.sheetId).formats.push({
            range,
            format: (args.cell as { userEnteredFormat?: unknown })?.userEnteredFormat,
          });
          replies.push({});
          break;
        }
        case 'updateCells': {
          const start = args.start as { sheetId: number; rowIndex?: number; columnIndex?: number };
          const s = find(start.sheetId);
          const rows = (args.rows ?? []) as {
            values?: { userEnteredValue?: Record<string, unknown>; userEnteredFormat?: unknown }[];
          }[];
          rows.forEach((r, ri) => {
            (r.values ?? []).forEach((v, ci) => {
              const row = (start.rowIndex ?? 0) + ri;
              const col = (start.columnIndex ?? 0) + ci;
              const u = v.userEnteredValue;
              if (!u) return;
              const value = u.stringValue ?? u.numberValue ?? u.boolValue ?? u.formulaValue ?? null;
              setGridCell(s, row, col, cellValue(value));
              if (u.formulaValue !== undefined) s.formulas.add(`${row},${col}`);
            });
          });
          replies.push({});
          break;
        }
        case 'updateSheetProperties': {
          const props = args.properties as {
            sheetId: number;
            title?: string;
            gridProperties?: { frozenRowCount?: number };
          };
          const s = find(props.sheetId);
          if (props.title) s.title = props.title;
          if (props.gridProperties?.frozenRowCount !== undefined)
            s.frozenRowCount = props.gridProperties.frozenRowCount;
          replies.push({});
          break;
        }
        default:
          replies.push(applyChartRequest(kind!, args, charts, () => this.nextSheetId++));
      }
    }
    return { spreadsheetId: book.spreadsheetId, replies };
  }
}

function checkGrid(i: number, kind: string, sheet: FakeSheet, range: GridRange): void {
  const endRow = range.endRowIndex ?? sheet.rowCount;
  const endCol = range.endColumnIndex ?? sheet.columnCount;
  if (
    (range.startRowIndex ?? 0) < 0 ||
    (range.startColumnIndex ?? 0) < 0 ||
    endRow > sheet.rowCount ||
    endCol > sheet.columnCount
  )
    throw new ApiError(
      400,
      `Invalid requests[${i}].${kind}: Range ('${sheet.title}'!R${(range.startRowIndex ?? 0) + 1}C${(range.startColumnIndex ?? 0) + 1}:R${endRow}C${endCol}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
    );
}

function trimRow(row: readonly FakeValue[]): FakeValue[] {
  const out = Array.from(row, (v) => (v === undefined || v === '' ? null : v));
  while (out.length > 0 && out[out.length - 1] === null) out.pop();
  return out;
}

function setGridCell(sheet: FakeSheet, row: number, col: number, value: FakeValue): void {
  while (sheet.cells.length <= row) sheet.cells.push([]);
  const r = sheet.cells[row]!;
  while (r.length < col) r.push(null);
  r[col] = value;
  sheet.formulas.delete(`${row},${col}`);
}

function routeOf(
  method: string,
  path: string,
): { kind: RequestKind; spreadsheetId: string | undefined } {
  if (method === 'GET' && path === '/oauth2/v1/certs')
    return { kind: 'certs', spreadsheetId: undefined };
  const m =
    /^\/v4\/spreadsheets\/([^/:]+)(\/values:batchGet|\/values:batchUpdate|:batchUpdate)?$/.exec(
      path,
    );
  if (!m) return { kind: 'unknown', spreadsheetId: undefined };
  const id = decodeURIComponent(m[1]!);
  const kind: RequestKind | undefined =
    m[2] === undefined
      ? method === 'GET'
        ? 'spreadsheets.get'
        : undefined
      : m[2] === '/values:batchGet'
        ? method === 'GET'
          ? 'values.batchGet'
          : undefined
        : m[2] === '/values:batchUpdate'
          ? method === 'POST'
            ? 'values.batchUpdate'
            : undefined
          : method === 'POST'
            ? 'spreadsheets.batchUpdate'
            : undefined;
  return { kind: kind ?? 'unknown', spreadsheetId: id };
}

function sheetProperties(s: FakeSheet): unknown {
  return {
    sheetId: s.sheetId,
    title: s.title,
    index: s.index,
    sheetType: 'GRID',
    gridProperties: {
      rowCount: s.rowCount,
      columnCount: s.columnCount,
      ...(s.frozenRowCount > 0 ? { frozenRowCount: s.frozenRowCount } : {}),
    },
  };
}

function spreadsheetResource(book: FakeSpreadsheet): unknown {
  return {
    spreadsheetId: book.spreadsheetId,
    properties: {
      title: book.title,
      locale: book.locale,
      autoRecalc: 'ON_CHANGE',
      timeZone: book.timeZone,
      defaultFormat: { verticalAlignment: 'BOTTOM', wrapStrategy: 'OVERFLOW_CELL' },
    },
    sheets: book.sheets.map((s) => {
      const charts = (book.charts?.charts ?? []).filter((c) => c.sheetId === s.sheetId);
      return charts.length > 0
        ? { properties: sheetProperties(s), charts }
        : { properties: sheetProperties(s) };
    }),
    ...(book.charts?.developerMetadata.length
      ? { developerMetadata: book.charts.developerMetadata }
      : {}),
    spreadsheetUrl: `https://docs.google.com/spreadsheets/d/${book.spreadsheetId}/edit`,
  };
}

// ─── field masks (the `fields` parameter) ─────────────────────────────────────────

type Mask = Map<string, Mask | null>;

/** Parses `a.b,c(d,e/f)` into a tree; null marks "the whole value". */
export function parseFields(text: string): Mask {
  let i = 0;
  const list = (): Mask => {
    const mask: Mask = new Map();
    for (;;) {
      const path: string[] = [];
      let name = '';
      while (i < text.length && !',()'.includes(text[i]!)) {
        const ch = text[i++]!;
        if (ch === '.' || ch === '/') {
          path.push(name.trim());
          name = '';
        } else name += ch;
      }
      path.push(name.trim());
      let sub: Mask | null = null;
      if (text[i] === '(') {
        i++;
        sub = list();
        if (text[i] !== ')') throw new ApiError(400, `Invalid field selection ${text}`);
        i++;
      }
      let node = mask;
      path.forEach((p, k) => {
        if (!p) throw new ApiError(400, `Invalid field selection ${text}`);
        if (k === path.length - 1) {
          const have = node.get(p);
          node.set(p, have && sub ? mergeMasks(have, sub) : have === null ? null : sub);
        } else {
          let next = node.get(p);
          if (next === null) return;
          if (!next) node.set(p, (next = new Map()));
          node = next;
        }
      });
      if (text[i] === ',') {
        i++;
        continue;
      }
      return mask;
    }
  };
  const mask = list();
  if (i !== text.length) throw new ApiError(400, `Invalid field selection ${text}`);
  return mask;
}

function mergeMasks(a: Mask, b: Mask): Mask {
  const out: Mask = new Map(a);
  for (const [k, v] of b) {
    const have = out.get(k);
    out.set(k, have === null || v === null ? null : have ? mergeMasks(have, v) : v);
  }
  return out;
}

function pick(value: unknown, mask: Mask): unknown {
  if (Array.isArray(value)) return value.map((v) => pick(v, mask));
  if (!value || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, sub] of mask) {
    if (!(key in (value as object))) continue;
    const v = (value as Record<string, unknown>)[key];
    out[key] = sub === null ? v : pick(v, sub);
  }
  return out;
}

export function applyFields(resource: unknown, fields: string | null): unknown {
  if (!fields || fields === '*') return resource;
  return pick(resource, parseFields(fields));
}

// ─── values ───────────────────────────────────────────────────────────────────────

interface Bounds {
  sheet: FakeSheet;
  startRow: number;
  endRow: number;
  startCol: number;
  endCol: number;
}

function resolveRange(book: FakeSpreadsheet, text: string): Bounds {
  const names = book.sheets.map((s) => s.title);
  const parsed: ParsedRange | null = parseA1(text, names);
  const sheet =
    parsed &&
    (parsed.sheet === undefined
      ? book.sheets[0]
      : book.sheets.find((s) => s.title === parsed.sheet));
  if (!parsed || !sheet) throw new ApiError(400, `Unable to parse range: ${text}`);
  const b: Bounds = {
    sheet,
    startRow: parsed.startRow ?? 0,
    endRow: parsed.endRow ?? sheet.rowCount,
    startCol: parsed.startCol ?? 0,
    endCol: parsed.endCol ?? sheet.columnCount,
  };
  if (b.endRow > sheet.rowCount || b.endCol > sheet.columnCount)
    throw new ApiError(
      400,
      `Range (${formatA1(sheet.title, b.startRow, b.endRow, b.startCol, b.endCol)}) exceeds grid limits. Max rows: ${sheet.rowCount}, max columns: ${sheet.columnCount}`,
    );
  return b;
}

function render(value: FakeValue, valueRender: string): unknown {
  if (value === null) return '';
  if (valueRender === 'FORMATTED_VALUE') {
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    return String(value);
  }
  return value;
}

function batchGet(book: FakeSpreadsheet, params: URLSearchParams): unknown {
  const valueRender = params.get('valueRenderOption') ?? 'FORMATTED_VALUE';
  const dateRender = params.get('dateTimeRenderOption') ?? 'SERIAL_NUMBER';
  const major = params.get('majorDimension') ?? 'ROWS';
  if (!['FORMATTED_VALUE', 'UNFORMATTED_VALUE', 'FORMULA'].includes(valueRender))
    throw new ApiError(400, `Invalid value at 'value_render_option' (${valueRender})`);
  if (!['SERIAL_NUMBER', 'FORMATTED_STRING'].includes(dateRender))
    throw new ApiError(400, `Invalid value at 'date_time_render_option' (${dateRender})`);
  if (!['ROWS', 'COLUMNS'].includes(major))
    throw new ApiError(400, `Invalid value at 'major_dimension' (${major})`);
  const ranges = params.getAll('ranges');
  if (ranges.length === 0) return { spreadsheetId: book.spreadsheetId };
  const valueRanges = ranges.map((text) => {
    const b = resolveRange(book, text);
    let rows: unknown[][] = [];
    for (let r = b.startRow; r < b.endRow && r < b.sheet.cells.length; r++) {
      const src = b.sheet.cells[r] ?? [];
      const out: unknown[] = [];
      for (let c = b.startCol; c < b.endCol && c < src.length; c++)
        out.push(render(src[c] ?? null, valueRender));
      while (out.length > 0 && out[out.length - 1] === '') out.pop();
      rows.push(out);
    }
    while (rows.length > 0 && rows[rows.length - 1]!.length === 0) rows.pop();
    if (major === 'COLUMNS') {
      const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
      const cols: unknown[][] = [];
      for (let c = 0; c < width; c++) {
        const col = rows.map((r) => (r[c] === undefined ? '' : r[c]));
        while (col.length > 0 && col[col.length - 1] === '') col.pop();
        cols.push(col);
      }
      rows = cols;
    }
    const range = formatA1(b.sheet.title, b.startRow, b.endRow, b.startCol, b.endCol);
    return rows.length > 0
      ? { range, majorDimension: major, values: rows }
      : { range, majorDimension: major };
  });
  return { spreadsheetId: book.spreadsheetId, valueRanges };
}

function userEntered(value: unknown): { value: FakeValue; formula: boolean } {
  if (typeof value !== 'string') return { value: cellValue(value), formula: false };
  if (value.startsWith('=')) return { value, formula: true };
  if (value.startsWith("'")) return { value: value.slice(1), formula: false };
  if (/^-?\d+(\.\d+)?$/.test(value.trim())) return { value: Number(value), formula: false };
  if (/^(true|false)$/i.test(value.trim()))
    return { value: value.trim().toUpperCase() === 'TRUE', formula: false };
  return { value: cellValue(value), formula: false };
}

function valuesBatchUpdate(book: FakeSpreadsheet, body: unknown): unknown {
  const { valueInputOption, data } = body as { valueInputOption?: unknown; data?: unknown };
  if (valueInputOption === undefined)
    throw new ApiError(400, "'valueInputOption' is required but not specified");
  if (valueInputOption !== 'RAW' && valueInputOption !== 'USER_ENTERED')
    throw new ApiError(400, `Invalid value at 'value_input_option' (${String(valueInputOption)})`);
  if (!Array.isArray(data)) throw new ApiError(400, "Invalid value at 'data'");
  // Check every range before writing any, as the API applies all or nothing.
  const writes = data.map(
    (vr: { range?: string; majorDimension?: string; values?: unknown[][] }) => {
      if (typeof vr.range !== 'string')
        throw new ApiError(400, 'A range is required for every ValueRange.');
      const b = resolveRange(book, vr.range);
      let rows = vr.values ?? [];
      if (vr.majorDimension === 'COLUMNS') {
        const height = rows.reduce((h, c) => Math.max(h, c.length), 0);
        rows = Array.from({ length: height }, (_, r) => rows.map((c) => c[r]));
      }
      const single = b.endRow - b.startRow === 1 && b.endCol - b.startCol === 1;
      const height = rows.length;
      const width = rows.reduce((w, r) => Math.max(w, r.length), 0);
      if (!single && height > b.endRow - b.startRow)
        throw new ApiError(
          400,
          `Requested writing within range [${vr.range}], but tried writing to row [${b.startRow + height}]`,
        );
      if (!single && width > b.endCol - b.startCol)
        throw new ApiError(
          400,
          `Requested writing within range [${vr.range}], but tried writing to column [${b.startCol + width}]`,
        );
      if (b.startRow + height > b.sheet.rowCount || b.startCol + width > b.sheet.columnCount)
        throw new ApiError(
          400,
          `Range (${vr.range}) exceeds grid limits. Max rows: ${b.sheet.rowCount}, max columns: ${b.sheet.columnCount}`,
        );
      return { b, rows, range: vr.range };
    },
  );
  const responses: unknown[] = [];
  const touchedSheets = new Set<FakeSheet>();
  let totalCells = 0;
  let totalRows = 0;
  let totalColumns = 0;
  for (const { b, rows } of writes) {
    let cells = 0;
    let width = 0;
    rows.forEach((row, r) => {
      (row ?? []).forEach((v, c) => {
        if (v === null || v === undefined) return;
        const entered =
          valueInputOption === 'RAW' ? { value: cellValue(v), formula: false } : userEntered(v);
        setGridCell(b.sheet, b.startRow + r, b.startCol + c, entered.value);
        if (entered.formula) b.sheet.formulas.add(`${b.startRow + r},${b.startCol + c}`);
        cells++;
      });
      width = Math.max(width, row?.length ?? 0);
    });
    touchedSheets.add(b.sheet);
    totalCells += cells;
    totalRows += rows.length;
    totalColumns += width;
    responses.push({
      spreadsheetId: book.spreadsheetId,
      updatedRange: formatA1(
        b.sheet.title,
        b.startRow,
        b.startRow + Math.max(rows.length, 1),
        b.startCol,
        b.startCol + Math.max(width, 1),
      ),
      updatedRows: rows.length,
      updatedColumns: width,
      updatedCells: cells,
    });
  }
  return {
    spreadsheetId: book.spreadsheetId,
    totalUpdatedRows: totalRows,
    totalUpdatedColumns: totalColumns,
    totalUpdatedCells: totalCells,
    totalUpdatedSheets: touchedSheets.size,
    responses,
  };
}
