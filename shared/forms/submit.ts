/**
 * A form submission turned into cell writes, against the workbook as just read: the
 * same checks as the page, the references a single record cannot check, a new ID
 * counted on from the largest in the tab, and columns found by their header.
 * Pure, so the local server and the add-on (on its own grid, under LockService) share it.
 */
import type { ColumnDef } from '../../sheets-templates/types.ts';
import * as T from '../../sheets-templates/tabs.ts';
import { dateOf, dayToSerial, secondsToSerial, wallTimeOf, type WallSeconds } from '../calendar.ts';
import { cellText, fenToYuan } from '../cells.ts';
import { customerPrefix, idYear, maxSerials, nextId } from '../ids.ts';
import type { CellFormat, CellValue, CellWrite } from '../sync/plan.ts';
import {
  readWorkbookSettings,
  validateRecord,
  type SheetRow,
  type WorkbookInput,
} from '../validate/index.ts';
import { FORMS, formByKey, type FormDef } from './definitions.ts';
import { customerExists, TARGET_RULES, ticketRouting } from './pickers.ts';
import { checkForm, type FieldProblems } from './schema.ts';
import { cellOf, findById, idIndex, onDerive, rowRecord, viewTab, type TabView } from './sheet.ts';
import { recordFor, type FormEnv, type FormValues } from './values.ts';
import {
  duplicateMessage,
  findWorkbookDuplicates,
  prepareDuplicateKeys,
  type DuplicateHit,
} from './entryDuplicates.ts';

export interface SubmitContext {
  /** wall time in the workbook's time zone */
  now: WallSeconds;
  /** who submits: written to 审核人, offered as 负责人/跟进人/回访人/处理人 */
  user: string;
}

export type Submission =
  | { ok: true; id: string; row: number; cells: CellWrite[] }
  | { ok: false; message: string; problems: FieldProblems; duplicates?: DuplicateHit[] };

/** Forms of 客户 that look for possible duplicates before they save. */
const CHECKS_DUPLICATES: ReadonlySet<string> = new Set(['new-customer', 'edit-customer']);
const DUPLICATE_FIELDS = ['kind', 'name', 'phone', 'email', 'creditCode'] as const;

/** The columns of its own tab a submission of `formKey` must read beside the ID. */
export const duplicateColumnsOf = (formKey: string): readonly string[] =>
  CHECKS_DUPLICATES.has(formKey) ? DUPLICATE_FIELDS : [];

/** The current wall time of a workbook: the spreadsheet's own zone if known, else 参数 时区. */
export function workbookNow(
  input: WorkbookInput,
  instantMs: number,
  timeZone?: string,
): WallSeconds {
  return wallTimeOf(instantMs, timeZone ?? readWorkbookSettings(input, []).timeZone);
}

const refuse = (message: string, problems: FieldProblems = {}): Submission => ({
  ok: false,
  message,
  problems,
});

/** The summary shown above a form whose fields were refused. */
export function refusalMessage(problems: FieldProblems): string {
  const fields = Object.keys(problems).filter((k) => k !== '').length;
  const whole = problems[''];
  if (whole !== undefined && fields === 0) return whole;
  return `有 ${fields} 项需要修改${whole ? '；' + whole : ''}`;
}

/** A parsed value as the cell a sync would write: real dates and numbers, other text as typed. */
export function cellValue(
  column: ColumnDef,
  text: string,
  parsed: unknown,
): { value: CellValue; format: CellFormat } {
  if (text.trim() === '' || parsed === null || parsed === undefined)
    return { value: null, format: 'text' };
  switch (column.type) {
    case 'date':
      return { value: dayToSerial(parsed as number), format: 'date' };
    case 'datetime':
      return { value: secondsToSerial(parsed as number), format: 'datetime' };
    case 'money':
      return { value: fenToYuan(parsed as number), format: 'money' };
    case 'integer':
      return { value: parsed as number, format: 'integer' };
    case 'number':
      return { value: parsed as number, format: 'number' };
    case 'creditCode':
    case 'phone':
      // Saved as a sync reads it: 138-1234-5678 and +86 13812345678 become 13812345678.
      return { value: String(parsed), format: 'text' };
    default:
      // Kept as text even when it looks like a formula: the store writes it as a string.
      return { value: text.trim(), format: 'text' };
  }
}

/** Where headers missing from row 1 go: shared by the rows of one batch so each is added once. */
export interface HeaderPlacement {
  next: number;
  placed: Map<string, number>;
}

export const headerPlacement = (view: TabView): HeaderPlacement => ({
  next: view.layout.headerWidth,
  placed: new Map(),
});

/** Places columns by header; a missing header goes to the right end of row 1, like a sync's. */
export class RowWriter {
  readonly cells: CellWrite[] = [];

  constructor(
    private readonly view: TabView,
    private readonly row: number,
    private readonly rowId: string,
    private readonly headers: HeaderPlacement = headerPlacement(view),
  ) {}

  /** Call in template order so added headers keep the template's order. */
  write(column: ColumnDef, value: CellValue, format: CellFormat): void {
    let col = this.view.layout.indexByKey.get(column.key) ?? this.headers.placed.get(column.key);
    if (col === undefined) {
      col = this.headers.next++;
      this.headers.placed.set(column.key, col);
      this.cells.push({
        tab: this.view.tab.name,
        row: 1,
        col,
        value: column.header,
        format: 'text',
        rowId: '',
        column: column.key,
      });
    }
    this.cells.push({
      tab: this.view.tab.name,
      row: this.row,
      col,
      value,
      format,
      rowId: this.rowId,
      column: column.key,
    });
  }
}

const payloadText = (payload: unknown, key: string): string => {
  if (typeof payload !== 'object' || payload === null) return '';
  const v = (payload as Record<string, unknown>)[key];
  return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
};

/** The person saw the possible duplicates and saves anyway. */
const confirmsDuplicate = (payload: unknown): boolean =>
  typeof payload === 'object' &&
  payload !== null &&
  (payload as Record<string, unknown>).confirmDuplicate === true;

export function applySubmission(
  formKey: string,
  payload: unknown,
  input: WorkbookInput,
  ctx: SubmitContext,
): Submission {
  const form = formByKey(formKey);
  if (!form) return refuse(`没有表单“${formKey}”`);
  const view = viewTab(input, form.tab);
  if (!view.exists)
    return refuse(`工作簿中没有“${form.tab.name}”工作表：请先在“客户管理”菜单中运行“初始化表格”`);
  if (Object.values(form.set).includes('user') && ctx.user.trim() === '')
    return refuse('无法识别当前用户，不能记录审核人：请登录后重试');
  const settings = readWorkbookSettings(input, []);
  const env: FormEnv = {
    settings,
    now: ctx.now,
    user: ctx.user,
    routing: ticketRouting(input),
  };

  const problems: FieldProblems = {};
  let target: { row: SheetRow; id: string; record: Record<string, string> } | undefined;
  if (form.target) {
    const key = form.tab.idColumn!;
    const id = payloadText(payload, key).trim();
    const row = findById(view, id);
    if (id !== '' && !row) {
      problems[key] =
        `${T.column(form.tab, key).header} ${id} 在“${form.tab.name}”表中不存在：` +
        '可能已被删除或改了编号，请重新选择';
    } else if (row) {
      const record = rowRecord(view, row, input.epoch);
      const rule = TARGET_RULES[form.target.kind];
      if (rule.open(record)) target = { row, id, record };
      else problems[key] = rule.closed(id, record);
    }
  }

  const checked = checkForm(form, payload, env, target?.record);
  if (!checked.ok) {
    for (const [k, m] of Object.entries(checked.problems)) problems[k] ??= m;
    return refuse(refusalMessage(problems), problems);
  }
  const values = checked.values;
  for (const f of form.fields) {
    const id = (values[f.key] ?? '').trim();
    if (f.input === 'customer' && id !== '' && !customerExists(input, id))
      problems[f.key] = `客户编号 ${id} 在“客户”表中不存在：应填写已有客户的编号`;
  }
  if (Object.keys(problems).length > 0) return refuse(refusalMessage(problems), problems);

  const record = recordFor(form, values, env, target?.record);
  // An edit that leaves the identifying cells as they were raises nothing new.
  const identityChanged =
    !target ||
    DUPLICATE_FIELDS.some((k) => (record[k] ?? '').trim() !== (target.record[k] ?? '').trim());
  if (CHECKS_DUPLICATES.has(form.key) && identityChanged && !confirmsDuplicate(payload)) {
    const hits = findWorkbookDuplicates(
      {
        id: target?.id ?? '',
        kind: record.kind ?? '',
        name: record.name ?? '',
        phone: record.phone ?? '',
        email: record.email ?? '',
        creditCode: record.creditCode ?? '',
      },
      input,
    );
    if (hits.length > 0)
      return {
        ok: false,
        message: `${duplicateMessage(hits)}：确认不是同一客户后再保存`,
        problems: {},
        duplicates: hits,
      };
  }

  return form.mode === 'append'
    ? append(form, view, values, env)
    : update(form, view, values, env, target!);
}

/** The columns a form writes, in template order. */
function writtenColumns(form: FormDef): ColumnDef[] {
  const keys = new Set([...form.fields.map((f) => f.key), ...Object.keys(form.set)]);
  return form.tab.columns.filter((c) => keys.has(c.key));
}

/** The largest serials of a view's IDs, found once per view (a kept read serves many forms). */
const serialsByView = new WeakMap<TabView, ReadonlyMap<string, number>>();

function serialsOf(view: TabView, idKey: string): ReadonlyMap<string, number> {
  let serials = serialsByView.get(view);
  if (!serials) {
    serials = maxSerials(view.rows.map((r) => idText(view, r, idKey)));
    serialsByView.set(view, serials);
  }
  return serials;
}

const idText = (view: TabView, r: SheetRow, idKey: string) => cellText(cellOf(view, r, idKey));

/**
 * The serials move to the next view with the rows added; they are dropped when a row
 * that held a largest serial is gone (the next largest is then unknown).
 */
onDerive((delta, to) => {
  const before = serialsByView.get(delta.from);
  const idKey = to.tab.idColumn;
  if (!before || !idKey) return;
  const gone = maxSerials(delta.removed.map((r) => idText(to, r, idKey)));
  const added = maxSerials(delta.added.map((r) => idText(to, r, idKey)));
  // A row rewritten with its own ID (a sync's write) leaves its serial where it was.
  for (const [key, serial] of gone)
    if (serial >= (before.get(key) ?? 0) && (added.get(key) ?? 0) < serial) return;
  const serials = new Map(before);
  for (const [key, serial] of added) if (serial > (serials.get(key) ?? 0)) serials.set(key, serial);
  serialsByView.set(to, serials);
});

/**
 * Makes now what the next form would otherwise make on its way: each form tab's view,
 * ID index and largest serials, and 客户's duplicate keys. On a workbook read afresh that
 * is a pass over every row (seconds at 100,000 customers); on a kept read whose rows a
 * write replaced it only carries the indexes over. A service runs it when it is idle.
 */
export function prepareForms(input: WorkbookInput): void {
  for (const form of FORMS) {
    const view = viewTab(input, form.tab);
    if (!view.exists) continue;
    idIndex(view);
    if (form.mode === 'append' && form.tab.idColumn) serialsOf(view, form.tab.idColumn);
  }
  viewTab(input, T.CUSTOMERS);
  viewTab(input, T.AUDIT_LOG);
  prepareDuplicateKeys(input);
}

function append(form: FormDef, view: TabView, values: FormValues, env: FormEnv): Submission {
  const tab = form.tab;
  const idKey = tab.idColumn!;
  const record = recordFor(form, values, env);
  const parsed = validateRecord(tab, record, env).values;
  const prefix = tab.idPrefix ?? customerPrefix(parsed.kind, env.settings);
  if (prefix === null) return refuse('无法生成客户编号：客户类型应为“企业”或“个人”');
  // A copy: nextId counts on in the map it is given.
  const serials = new Map(serialsOf(view, idKey));
  const id = nextId(serials, prefix, idYear(tab, parsed, dateOf(env.now)));
  const row = view.lastRow + 1;
  const writer = new RowWriter(view, row, id);
  const written = new Set(writtenColumns(form));
  for (const column of tab.columns) {
    if (column.key === idKey) {
      writer.write(column, id, 'text');
      continue;
    }
    if (!written.has(column)) continue;
    const cell = cellValue(column, record[column.key] ?? '', parsed[column.key]);
    if (cell.value !== null) writer.write(column, cell.value, cell.format);
  }
  return { ok: true, id, row, cells: writer.cells };
}

function update(
  form: FormDef,
  view: TabView,
  values: FormValues,
  env: FormEnv,
  target: { row: SheetRow; id: string; record: Record<string, string> },
): Submission {
  const tab = form.tab;
  const idKey = tab.idColumn!;
  const record = recordFor(form, values, env, target.record);
  const parsed = validateRecord(tab, record, env).values;
  const before = validateRecord(tab, target.record, env).values;
  const writer = new RowWriter(view, target.row.row, target.id);
  for (const column of writtenColumns(form)) {
    if (column.key === idKey) continue;
    const text = record[column.key] ?? '';
    const old = target.record[column.key] ?? '';
    if (text.trim() === old.trim()) continue;
    const next = cellValue(column, text, parsed[column.key]);
    const now = cellValue(column, old, before[column.key]);
    // The same date or amount typed another way is no change.
    if (next.value !== null && next.value === now.value) continue;
    writer.write(column, next.value, next.format);
  }
  return { ok: true, id: target.id, row: target.row.row, cells: writer.cells };
}
