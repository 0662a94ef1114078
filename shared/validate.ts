/**
 * From raw rows to the typed Dataset: every cell parsed by its template column, every
 * check of docs/workbook.md and docs/rules.md#data-problems turned into a Problem, rows with
 * an 错误 set aside, blank IDs assigned. One pass per tab; one bad row never hides a
 * good one.
 */
import type { ColumnDef, TabDef, WhenCondition } from '../sheets-templates/types.ts';
import * as T from '../sheets-templates/tabs.ts';
import { RESOLVED_TICKET_STATUSES } from '../sheets-templates/values.ts';
import {
  dateOf,
  formatDate,
  type EpochDay,
  type SerialEpoch,
  type WallSeconds,
} from './calendar.ts';
import {
  cellText,
  isBlank,
  parseCreditCode,
  parseDate,
  parseDateTime,
  parseEmail,
  parseInteger,
  parseMoney,
  parseNumber,
  parsePhone,
  SATISFACTION_SCORES,
  type Parsed,
  type RawCell,
} from './cells.ts';
import { resolveLayout, type TabLayout } from './layout.ts';
import type {
  Customer,
  Dataset,
  FollowUp,
  Holiday,
  Order,
  Problem,
  RawTierRule,
  Settings,
  Ticket,
  Visit,
} from './model.ts';
import { readSettings } from './settings.ts';
import { findDuplicateCustomers } from './duplicates.ts';
import { assignIds, type IdAssignment } from './ids.ts';

export interface SheetRow {
  /** 1-based row number in the tab */
  row: number;
  /** cell values by 0-based column index */
  cells: readonly RawCell[];
}

export interface WorkbookInput {
  /** tab name → its rows as read, row 1 (the header) included */
  tabs: ReadonlyMap<string, readonly SheetRow[]>;
  epoch: SerialEpoch;
}

/** A non-empty data row after parsing. */
export interface ParsedRow {
  row: number;
  /** the ID as read ('' when blank) */
  id: string;
  values: Record<string, unknown>;
  hasError: boolean;
}

export interface TabResult {
  layout: TabLayout;
  rows: ParsedRow[];
}

export interface Validated {
  dataset: Dataset;
  problems: Problem[];
  /** per data tab (by key) and config tab that exists */
  tabs: ReadonlyMap<string, TabResult>;
  ids: IdAssignment[];
}

type ProblemSink = (
  row: number,
  column: ColumnDef | null,
  raw: unknown,
  message: string,
  level: Problem['level'],
) => void;

const allowedValues = (column: ColumnDef, settings: Settings): readonly string[] | undefined =>
  column.valuesFrom?.kind === 'setting' && column.valuesFrom.setting === '行业列表'
    ? settings.industries
    : column.values;

/** Parses one cell by its column's type; a blank cell is the column's default or null. */
function parseCell(
  column: ColumnDef,
  raw: RawCell,
  epoch: SerialEpoch,
  settings: Settings,
): Parsed<unknown> | null {
  if (isBlank(raw))
    return column.defaultValue === undefined ? null : { ok: true, value: column.defaultValue };
  switch (column.type) {
    case 'id':
    case 'customerRef':
    case 'text':
    case 'link':
      return { ok: true, value: cellText(raw) };
    case 'enum': {
      const text = cellText(raw);
      const values = allowedValues(column, settings);
      if (!values || values.includes(text)) return { ok: true, value: text };
      return { ok: false, message: `“${text}”不在可选值中，应为：${values.join(' / ')}` };
    }
    case 'date':
      return parseDate(raw, epoch);
    case 'datetime':
      return parseDateTime(raw, epoch);
    case 'money':
      return parseMoney(raw);
    case 'integer':
      return parseInteger(raw, column.min, column.max);
    case 'number':
      return parseNumber(raw);
    case 'phone':
      return parsePhone(raw);
    case 'email':
      return parseEmail(raw);
    case 'creditCode':
      return parseCreditCode(raw);
  }
}

/** Types whose unreadable values are warnings (docs/rules.md#data-problems lists them). */
const SOFT_TYPES = new Set<ColumnDef['type']>(['phone', 'email', 'creditCode']);

function parseRows(
  tab: TabDef,
  sheet: readonly SheetRow[],
  ctx: { epoch: SerialEpoch; settings: Settings; problems: Problem[] },
  check: (row: ParsedRow, report: ProblemSink) => void,
): TabResult {
  const layout = resolveLayout(tab, sheet[0]?.row === 1 ? sheet[0].cells : [], ctx.problems);
  const rows: ParsedRow[] = [];
  const columns = tab.columns.filter((c) => c.owner === 'people' && layout.indexByKey.has(c.key));
  const indexes = columns.map((c) => layout.indexByKey.get(c.key)!);
  const idKey = tab.idColumn;
  const conditional = tab.columns.filter((c) => typeof c.required === 'object');
  const keys = columns.map((c) => c.key);
  const plainText = columns.map(
    (c) => c.type === 'text' || c.type === 'id' || c.type === 'customerRef' || c.type === 'link',
  );
  // A dropdown's allowed values as a set, looked up once per cell rather than scanned.
  const allowed = columns.map((c) => {
    if (c.type !== 'enum') return undefined;
    const values = allowedValues(c, ctx.settings);
    return values ? new Set(values) : null;
  });
  // One sink per tab, pointed at the row being parsed: a closure per row costs a million
  // allocations on a full workbook.
  let parsed: ParsedRow = { row: 0, id: '', values: {}, hasError: false };
  // Every row's values start as a copy of one object with every key: rows then share a
  // shape, and a column missing from the sheet reads as null rather than undefined.
  const blank: Record<string, unknown> = Object.fromEntries(tab.columns.map((c) => [c.key, null]));
  const report: ProblemSink = (row, column, raw, message, level) => {
    if (level === '错误') parsed.hasError = true;
    ctx.problems.push({
      tab: tab.name,
      row,
      column: column?.header ?? '',
      value: cellText(raw),
      message,
      level,
    });
  };
  for (const r of sheet) {
    if (r.row === 1) continue;
    let empty = true;
    for (const i of indexes) {
      if (!isBlank(r.cells[i])) {
        empty = false;
        break;
      }
    }
    if (empty) continue;
    parsed = { row: r.row, id: '', values: { ...blank }, hasError: false };
    const values = parsed.values;
    for (let k = 0; k < columns.length; k++) {
      const column = columns[k]!;
      const raw = r.cells[indexes[k]!];
      if (raw !== null && raw !== undefined) {
        const set = allowed[k];
        if (plainText[k] || set !== undefined) {
          const text = typeof raw === 'string' ? raw.trim() : cellText(raw);
          if (text !== '' && (set === undefined || set === null || set.has(text))) {
            values[keys[k]!] = text;
            continue;
          }
        }
      }
      const result = parseCell(column, raw, ctx.epoch, ctx.settings);
      if (result === null) {
        values[column.key] = null;
        if (column.required === true && column.type !== 'id')
          report(r.row, column, raw, `“${column.header}”必填`, '错误');
        continue;
      }
      if (result.ok) {
        values[column.key] = result.value;
        continue;
      }
      values[column.key] = null;
      const soft =
        SOFT_TYPES.has(column.type) ||
        (column.type === 'enum' && column.outsideValues === 'warning');
      if (soft && column.type === 'enum') values[column.key] = cellText(raw);
      report(r.row, column, raw, `“${column.header}”${result.message}`, soft ? '警告' : '错误');
    }
    for (const column of conditional) {
      if (values[column.key] != null) continue;
      const when = column.required as WhenCondition;
      if (when.in.includes(String(values[when.column] ?? ''))) {
        report(
          r.row,
          column,
          '',
          `${T.column(tab, when.column).header}为“${String(values[when.column])}”时“${column.header}”必填`,
          '错误',
        );
      }
    }
    if (idKey) parsed.id = String(parsed.values[idKey] ?? '');
    check(parsed, report);
    rows.push(parsed);
  }
  return { layout, rows };
}

const v = <K>(row: ParsedRow, key: string): K => row.values[key] as K;

function futureCheck(tab: TabDef, key: string, today: EpochDay, toDay: (x: number) => EpochDay) {
  const column = T.column(tab, key);
  return (row: ParsedRow, report: ProblemSink): void => {
    const value = v<number | null>(row, key);
    if (value !== null && value !== undefined && toDay(value) > today) {
      report(
        row.row,
        column,
        '',
        `“${column.header}”${formatDate(toDay(value))} 晚于今天：本行暂不参与统计和回访计算`,
        '警告',
      );
    }
  };
}

/**
 * A number per ID, for the million IDs of a large workbook. A Map spends most of a
 * microsecond on each new key at that size, growing its table by rehashing; this table
 * is sized once from the row count and probes linearly.
 */
class IdTable {
  private readonly keys: (string | undefined)[];
  private readonly values: Int32Array;
  private readonly mask: number;

  constructor(count: number) {
    let size = 16;
    while (size < count * 2) size *= 2;
    this.keys = new Array<string | undefined>(size).fill(undefined);
    this.values = new Int32Array(size);
    this.mask = size - 1;
  }

  private slot(id: string): number {
    let hash = 0x811c9dc5;
    for (let i = 0; i < id.length; i++) hash = Math.imul(hash ^ id.charCodeAt(i), 0x01000193);
    const keys = this.keys;
    let at = hash & this.mask;
    for (;;) {
      const key = keys[at];
      if (key === undefined || key === id) return at;
      at = (at + 1) & this.mask;
    }
  }

  /** The number kept for `id`, or -1. */
  get(id: string): number {
    const at = this.slot(id);
    return this.keys[at] === undefined ? -1 : this.values[at]!;
  }

  /** Keeps `value` for `id` unless it has one already; returns the one it had, or -1. */
  add(id: string, value: number): number {
    const at = this.slot(id);
    if (this.keys[at] !== undefined) return this.values[at]!;
    this.keys[at] = id;
    this.values[at] = value;
    return -1;
  }
}

/** Marks every repeat of an ID as an 错误 so only the first row with it counts. */
function checkDuplicateIds(tab: TabDef, result: TabResult, problems: Problem[]): void {
  const first = new IdTable(result.rows.length);
  const header = T.column(tab, tab.idColumn!).header;
  for (const row of result.rows) {
    if (row.id === '') continue;
    const seen = first.add(row.id, row.row);
    if (seen < 0) continue;
    row.hasError = true;
    problems.push({
      tab: tab.name,
      row: row.row,
      column: header,
      value: row.id,
      message: `编号 ${row.id} 与第 ${seen} 行重复：编号必须唯一，本行不参与计算，请改为新编号或清空后由同步重新分配`,
      level: '错误',
    });
  }
}

type RowCheck = (row: ParsedRow, report: ProblemSink) => void;

/** The checks of each data tab that look at more than one cell of a row. */
function rowChecks(today: EpochDay): ReadonlyMap<string, RowCheck> {
  const customerFuture = futureCheck(T.CUSTOMERS, 'createdDate', today, (d) => d);
  const ticketFuture = futureCheck(T.TICKETS, 'createdAt', today, dateOf);
  const customerCol = (key: string) => T.column(T.CUSTOMERS, key);
  const ticketCol = (key: string) => T.column(T.TICKETS, key);
  return new Map<string, RowCheck>([
    [
      T.CUSTOMERS.key,
      (row, report) => {
        // An invalid phone or email alone is a 警告 (reported by parseRows); with neither
        // valid the customer cannot be reached, which is an 错误.
        if (row.values.phone === null && row.values.email === null) {
          report(
            row.row,
            customerCol('phone'),
            '',
            '联系电话和邮箱都没有有效值：至少填写一个有效的手机/座机号或邮箱',
            '错误',
          );
        }
        if (row.values.status === '潜在' && row.values.intent === null) {
          report(
            row.row,
            customerCol('intent'),
            '',
            '潜在客户未填意向等级（A/B/C）：暂按 C 级安排跟进',
            '警告',
          );
        }
        const signed = v<EpochDay | null>(row, 'signedDate');
        const end = v<EpochDay | null>(row, 'contractEnd');
        if (signed !== null && end !== null && end <= signed) {
          report(
            row.row,
            customerCol('contractEnd'),
            formatDate(end),
            `合同到期日应晚于签约日期 ${formatDate(signed)}`,
            '警告',
          );
        }
        customerFuture(row, report);
      },
    ],
    [T.ORDERS.key, futureCheck(T.ORDERS, 'orderDate', today, (d) => d)],
    [T.FOLLOW_UPS.key, futureCheck(T.FOLLOW_UPS, 'time', today, dateOf)],
    [
      T.TICKETS.key,
      (row, report) => {
        const created = v<number | null>(row, 'createdAt');
        const responded = v<number | null>(row, 'respondedAt');
        const resolved = v<number | null>(row, 'resolvedAt');
        const status = v<string | null>(row, 'status');
        if (created !== null && responded !== null && responded < created)
          report(
            row.row,
            ticketCol('respondedAt'),
            '',
            '首次响应时间早于创建时间：请检查两个时间',
            '错误',
          );
        if (created !== null && resolved !== null && resolved < created)
          report(
            row.row,
            ticketCol('resolvedAt'),
            '',
            '解决时间早于创建时间：请检查两个时间',
            '错误',
          );
        const closedStatus =
          status !== null && (RESOLVED_TICKET_STATUSES as readonly string[]).includes(status);
        if (resolved !== null && status !== null && !closedStatus)
          report(
            row.row,
            ticketCol('status'),
            status,
            `已填解决时间但状态为“${status}”：应为已解决或已关闭；暂按未解决处理`,
            '警告',
          );
        if (resolved === null && closedStatus)
          report(
            row.row,
            ticketCol('resolvedAt'),
            '',
            `状态为“${status}”但未填解决时间：请填写解决时间；暂按未解决处理`,
            '警告',
          );
        if (row.values.satisfaction !== null && !(closedStatus && resolved !== null))
          report(
            row.row,
            ticketCol('satisfaction'),
            String(row.values.satisfaction),
            '工单未解决时不应填写满意度',
            '警告',
          );
        if (closedStatus && resolved !== null && responded === null)
          report(
            row.row,
            ticketCol('respondedAt'),
            '',
            '已解决的工单未填首次响应时间：按解决时间计为响应',
            '警告',
          );
        ticketFuture(row, report);
      },
    ],
    [T.VISITS.key, futureCheck(T.VISITS, 'time', today, dateOf)],
  ]);
}

export interface RecordProblem {
  /** the template column key ('' for the whole record) */
  column: string;
  message: string;
  level: Problem['level'];
}

/**
 * One record as a form sends it (column key → raw value), checked with exactly the
 * rules of a sync: the same parsers, required fields and row checks. References to
 * other rows (客户编号, duplicate IDs) are the caller's to check.
 */
export function validateRecord(
  tab: TabDef,
  record: Readonly<Record<string, RawCell>>,
  ctx: { settings: Settings; now: WallSeconds },
): { values: Record<string, unknown>; problems: RecordProblem[] } {
  return validateRecords(tab, [record], ctx)[0]!;
}

/**
 * Many records at once (an import), each answered as validateRecord would: one pass
 * over them as the rows of one sheet, so the header and the checks are set up once.
 */
export function validateRecords(
  tab: TabDef,
  records: readonly Readonly<Record<string, RawCell>>[],
  ctx: { settings: Settings; now: WallSeconds },
): { values: Record<string, unknown>; problems: RecordProblem[] }[] {
  const problems: Problem[] = [];
  const headers = tab.columns.map((c) => c.header);
  const sheet: SheetRow[] = [{ row: 1, cells: headers }];
  records.forEach((record, i) =>
    sheet.push({ row: i + 2, cells: tab.columns.map((c) => record[c.key] ?? null) }),
  );
  const check = rowChecks(dateOf(ctx.now)).get(tab.key) ?? (() => {});
  const result = parseRows(
    tab,
    sheet,
    { epoch: 'sheets', settings: ctx.settings, problems },
    check,
  );
  const out = records.map(() => ({
    values: {} as Record<string, unknown>,
    problems: [] as RecordProblem[],
  }));
  for (const row of result.rows) out[row.row - 2]!.values = row.values;
  const byHeader = new Map(tab.columns.map((c) => [c.header, c.key]));
  for (const p of problems) {
    out[(p.row ?? 0) - 2]?.problems.push({
      column: byHeader.get(p.column) ?? '',
      message: p.message,
      level: p.level,
    });
  }
  return out;
}

/** The 参数 tab of a workbook, read into Settings (problems go to the list given). */
export function readWorkbookSettings(input: WorkbookInput, problems: Problem[]): Settings {
  const rows = input.tabs.get(T.SETTINGS_TAB.name) ?? [];
  const layout = resolveLayout(T.SETTINGS_TAB, rows[0]?.row === 1 ? rows[0].cells : [], problems);
  const nameIdx = layout.indexByKey.get('name');
  const valueIdx = layout.indexByKey.get('value');
  if (nameIdx === undefined || valueIdx === undefined)
    return readSettings([], T.SETTINGS_TAB.name, problems);
  return readSettings(
    rows
      .filter((r) => r.row > 1)
      .map((r) => ({ row: r.row, name: r.cells[nameIdx], value: r.cells[valueIdx] })),
    T.SETTINGS_TAB.name,
    problems,
  );
}

export function validateWorkbook(
  input: WorkbookInput,
  now: WallSeconds,
  settingsOverride?: Partial<Settings>,
): Validated {
  const problems: Problem[] = [];
  const today = dateOf(now);
  const sheet = (tab: TabDef): readonly SheetRow[] => input.tabs.get(tab.name) ?? [];
  const epoch = input.epoch;

  const settings: Settings = { ...readWorkbookSettings(input, problems), ...settingsOverride };
  const ctx = { epoch, settings, problems };
  const tabs = new Map<string, TabResult>();
  const noCheck = (): void => {};

  const checks = rowChecks(today);
  const parse = (tab: TabDef): TabResult => {
    const result = parseRows(tab, sheet(tab), ctx, checks.get(tab.key) ?? noCheck);
    tabs.set(tab.key, result);
    return result;
  };
  const customers = parse(T.CUSTOMERS);
  const order = parse(T.ORDERS);
  const follow = parse(T.FOLLOW_UPS);
  const ticket = parse(T.TICKETS);
  const visit = parse(T.VISITS);
  const children: [TabDef, TabResult][] = [
    [T.ORDERS, order],
    [T.FOLLOW_UPS, follow],
    [T.TICKETS, ticket],
    [T.VISITS, visit],
  ];

  checkDuplicateIds(T.CUSTOMERS, customers, problems);
  for (const [tab, result] of children) checkDuplicateIds(tab, result, problems);

  const ids = assignIds([[T.CUSTOMERS, customers], ...children], { settings, today, problems });

  // References: a child of a customer row with an error is skipped quietly; a child of
  // no customer at all is an error.
  // 1 for a customer row without errors, 0 for one with.
  const customerState = new IdTable(customers.rows.length);
  for (const row of customers.rows)
    if (row.id !== '') customerState.add(row.id, row.hasError ? 0 : 1);
  const usable = new Map<string, ParsedRow[]>();
  for (const [tab, result] of children) {
    const header = T.column(tab, 'customerId').header;
    const keep: ParsedRow[] = [];
    for (const row of result.rows) {
      const ref = valuesOf<{ customerId: string | null }>(row).customerId;
      if (ref === null) continue;
      const state = customerState.get(ref);
      if (state < 0) {
        row.hasError = true;
        problems.push({
          tab: tab.name,
          row: row.row,
          column: header,
          value: ref,
          message: `客户编号 ${ref} 在“客户”表中不存在：应填写已有客户的编号`,
          level: '错误',
        });
        continue;
      }
      if (state === 1 && !row.hasError) keep.push(row);
    }
    usable.set(tab.key, keep);
  }

  const pick = (key: string) => usable.get(key) ?? [];
  const dataset: Dataset = {
    customers: customers.rows.filter((r) => !r.hasError && r.id !== '').map(toCustomer),
    orders: pick(T.ORDERS.key)
      .filter((r) => r.id !== '')
      .map(toOrder),
    followUps: pick(T.FOLLOW_UPS.key)
      .filter((r) => r.id !== '')
      .map(toFollowUp),
    tickets: pick(T.TICKETS.key)
      .filter((r) => r.id !== '')
      .map(toTicket),
    visits: pick(T.VISITS.key)
      .filter((r) => r.id !== '')
      .map(toVisit),
    holidays: readHolidays(sheet(T.HOLIDAYS), ctx, tabs),
    tierRules: readTierRules(input.tabs.get(T.TIER_RULES.name) ?? [], problems, tabs),
    settings,
  };
  for (const p of findDuplicateCustomers(dataset.customers)) problems.push(p);
  return { dataset, problems, tabs, ids };
}

/**
 * A row's values read by name. Reads written out as `x.name` each keep their own inline
 * cache for the one shape all rows of a tab share, where a helper indexed by key would
 * see every key at one site and fall back to a slow generic lookup. The types are those
 * the columns parse to (unchecked, as any cast is); a blank with a default reads null.
 */
const valuesOf = <T>(r: ParsedRow): Readonly<T> => r.values as unknown as T;

type Defaulted<T, K extends keyof T> = Omit<T, K | 'row' | 'id'> & { [P in K]: T[P] | null };
type CustomerValues = Defaulted<Customer, 'level'>;
type OrderValues = Omit<Defaulted<Order, 'quantity' | 'paymentStatus'>, 'date'> & {
  orderDate: EpochDay;
};
type FollowUpValues = Omit<FollowUp, 'row' | 'id'>;
type TicketValues = Omit<Ticket, 'row' | 'id'>;
type VisitValues = Omit<
  Visit,
  'row' | 'id' | 'productSatisfaction' | 'serviceSatisfaction' | 'reviewResult'
> & {
  reviewResult: Visit['reviewResult'] | null;
  productSatisfaction: string | null;
  serviceSatisfaction: string | null;
};

function toCustomer(r: ParsedRow): Customer {
  const x = valuesOf<CustomerValues>(r);
  return {
    row: r.row,
    id: r.id,
    kind: x.kind,
    name: x.name,
    creditCode: x.creditCode,
    contact: x.contact,
    phone: x.phone,
    email: x.email,
    industry: x.industry,
    source: x.source,
    level: x.level ?? '普通客户',
    status: x.status,
    intent: x.intent,
    region: x.region,
    owner: x.owner,
    createdDate: x.createdDate,
    signedDate: x.signedDate,
    contractAmount: x.contractAmount,
    contractEnd: x.contractEnd,
    birthday: x.birthday,
  };
}

function toOrder(r: ParsedRow): Order {
  const x = valuesOf<OrderValues>(r);
  return {
    row: r.row,
    id: r.id,
    customerId: x.customerId,
    date: x.orderDate,
    quantity: x.quantity ?? 1,
    amount: x.amount,
    paymentStatus: x.paymentStatus ?? '未到期',
  };
}

function toFollowUp(r: ParsedRow): FollowUp {
  const x = valuesOf<FollowUpValues>(r);
  return { row: r.row, id: r.id, customerId: x.customerId, time: x.time, planDate: x.planDate };
}

function toTicket(r: ParsedRow): Ticket {
  const x = valuesOf<TicketValues>(r);
  return {
    row: r.row,
    id: r.id,
    customerId: x.customerId,
    type: x.type,
    urgency: x.urgency,
    createdAt: x.createdAt,
    respondedAt: x.respondedAt,
    resolvedAt: x.resolvedAt,
    status: x.status,
    department: x.department,
    handler: x.handler,
    satisfaction: x.satisfaction,
  };
}

const satisfactionScore = (word: unknown): number | null =>
  typeof word === 'string' ? (SATISFACTION_SCORES[word] ?? null) : null;

function toVisit(r: ParsedRow): Visit {
  const x = valuesOf<VisitValues>(r);
  return {
    row: r.row,
    id: r.id,
    customerId: x.customerId,
    time: x.time,
    productSatisfaction: satisfactionScore(x.productSatisfaction),
    serviceSatisfaction: satisfactionScore(x.serviceSatisfaction),
    by: x.by,
    reviewer: x.reviewer,
    reviewDate: x.reviewDate,
    reviewResult: x.reviewResult ?? '通过',
    reviewComment: x.reviewComment ?? null,
  };
}

function readHolidays(
  sheet: readonly SheetRow[],
  ctx: { epoch: SerialEpoch; settings: Settings; problems: Problem[] },
  tabs: Map<string, TabResult>,
): Holiday[] {
  const result = parseRows(T.HOLIDAYS, sheet, ctx, () => {});
  tabs.set(T.HOLIDAYS.key, result);
  return result.rows
    .filter((r) => !r.hasError)
    .map((r) => ({ date: v(r, 'date'), kind: v(r, 'kind') }));
}

/** 分层规则 rows go to the tier rules as typed; their checks live with the rules. */
function readTierRules(
  sheet: readonly SheetRow[],
  problems: Problem[],
  tabs: Map<string, TabResult>,
): RawTierRule[] {
  // A missing tab means its defaults; an empty one means no rules.
  if (sheet.length === 0) {
    sheet = [
      { row: 1, cells: T.TIER_RULES.columns.map((c) => c.header) },
      ...(T.TIER_RULES.defaultRows ?? []).map((cells, i) => ({ row: i + 2, cells })),
    ];
  }
  const layout = resolveLayout(T.TIER_RULES, sheet[0]?.row === 1 ? sheet[0].cells : [], problems);
  tabs.set(T.TIER_RULES.key, { layout, rows: [] });
  const at = (r: SheetRow, key: string): RawCell => {
    const i = layout.indexByKey.get(key);
    return i === undefined ? null : (r.cells[i] ?? null);
  };
  const rules: RawTierRule[] = [];
  for (const r of sheet) {
    if (r.row === 1) continue;
    const rule = {
      row: r.row,
      priority: at(r, 'priority'),
      tier: at(r, 'tier'),
      metric: at(r, 'metric'),
      operator: at(r, 'operator'),
      threshold: at(r, 'threshold'),
    };
    if ([rule.priority, rule.tier, rule.metric, rule.operator, rule.threshold].every(isBlank))
      continue;
    rules.push(rule);
  }
  return rules;
}
