/**
 * A batch import planned against the workbook as just read: every source row mapped,
 * cleaned and checked exactly as a sync checks it, compared for duplicates with the
 * customers already there and with the rows before it, and turned into the cell writes
 * that add it (a new ID counted on like a form's, below the last row) or fill blank
 * cells of the row it duplicates. Pure: the local service, the CLI and the add-on share it.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type { ColumnDef, TabDef } from '../../sheets-templates/types.ts';
import { dateOf, formatDate, type SerialEpoch, type WallSeconds } from '../calendar.ts';
import { cellText, isBlank, type RawCell } from '../cells.ts';
import { duplicateKeyId, duplicateKeys, normalizeCompanyName } from '../duplicates.ts';
import { cellOf, viewTab } from '../forms/sheet.ts';
import { cellValue, headerPlacement, RowWriter } from '../forms/submit.ts';
import { customerPrefix, idYear, maxSerials, nextId } from '../ids.ts';
import type { Customer, ProblemLevel } from '../model.ts';
import type { CellWrite } from '../sync/plan.ts';
import {
  validateRecords,
  validateWorkbook,
  type SheetRow,
  type WorkbookInput,
} from '../validate/index.ts';
import { cleanCell } from './clean.ts';
import { mapHeaders, type ColumnMapping, type HeaderMapping, type UserMapping } from './mapping.ts';

export type OnDuplicate = 'skip' | 'update' | 'add';
export const ON_DUPLICATE: readonly OnDuplicate[] = ['skip', 'update', 'add'];

/** The rows of a CSV or one sheet of a workbook, as read. */
export interface SourceTable {
  /** non-blank rows with their 1-based row numbers as the source shows them */
  rows: readonly SheetRow[];
  /** how numbers in date cells count (CSV text dates need none) */
  epoch: SerialEpoch;
}

export interface ImportOptions {
  tab: TabDef;
  onDuplicate: OnDuplicate;
  /** wall time in the workbook's time zone */
  now: WallSeconds;
  mapping?: UserMapping;
  /** column key → value for rows where the source gives none (a mapping file's "values") */
  values?: Readonly<Record<string, string>>;
}

export interface ImportProblem {
  sourceRow: number;
  /** the source header, or the template header of a column the source lacks */
  column: string;
  value: string;
  message: string;
  level: ProblemLevel;
}

export interface DuplicateMatch {
  /** an existing customer: its ID ('' when still blank) and workbook row */
  customerId?: string;
  /** the existing customer's (or earlier source row's) 客户名称 */
  name?: string;
  row?: number;
  /** an earlier row of the same source */
  sourceRow?: number;
  reasons: string[];
}

export type RowAction = 'added' | 'updated' | 'skipped' | 'rejected';

export interface ImportDuplicate {
  sourceRow: number;
  matches: DuplicateMatch[];
  reason: string;
  action: RowAction;
}

export interface RowOutcome {
  sourceRow: number;
  action: RowAction;
  /** the customer ID added or updated */
  id?: string;
  /** the workbook row written */
  row?: number;
  /** why it was skipped or rejected, which cells an update filled */
  reason?: string;
}

export interface ImportPlan {
  added: number;
  updated: number;
  skipped: number;
  rejected: number;
  /** rows below the header with nothing in any mapped column */
  blankRows: number;
  mapping: HeaderMapping;
  problems: ImportProblem[];
  duplicates: ImportDuplicate[];
  outcomes: RowOutcome[];
  cells: CellWrite[];
  /** values given to columns where the source had none: the forms' defaults and the mapping's */
  defaults: { key: string; header: string; value: string }[];
}

/** A row the import may fill: an existing customer or one this import adds. */
interface Target {
  row: number;
  id: string;
  /** keys of people columns already holding a value */
  filled: Set<string>;
  sourceRow?: number;
  name: string;
  kind: string;
  creditCode: string;
}

type DupKeyFields = Pick<Customer, 'kind' | 'name' | 'phone' | 'email' | 'creditCode'>;

const keyFields = (values: Record<string, unknown>): DupKeyFields =>
  ({
    kind: values.kind,
    name: values.name ?? '',
    phone: values.phone ?? null,
    email: values.email ?? null,
    creditCode: values.creditCode ?? null,
  }) as DupKeyFields;

function describe(m: DuplicateMatch): string {
  const name = m.name ? `“${m.name}”` : '';
  const what =
    m.sourceRow !== undefined
      ? `导入文件第 ${m.sourceRow} 行${name}`
      : `${m.customerId ? `客户 ${m.customerId} ` : ''}${name}（工作簿第 ${m.row} 行）`;
  return `与${what}重复（${m.reasons.join('、')}）`;
}

const CONTACT_REASONS = new Set(['联系电话相同', '邮箱相同']);

/**
 * Agents and bookkeepers act for several companies under one phone or e-mail: a match on
 * those alone between two companies whose names clearly differ (neither folded name
 * contains the other) and whose credit codes are not the same is a shared contact, not
 * a duplicate.
 */
function sharedContact(m: DuplicateMatch, t: Target, values: Record<string, unknown>): boolean {
  if (!m.reasons.every((r) => CONTACT_REASONS.has(r))) return false;
  if (t.kind !== '企业' || values.kind !== '企业') return false;
  const a = normalizeCompanyName(t.name);
  const b = normalizeCompanyName(typeof values.name === 'string' ? values.name : '');
  if (!a || !b || a.includes(b) || b.includes(a)) return false;
  const code = typeof values.creditCode === 'string' ? values.creditCode : '';
  return !(code && t.creditCode && code === t.creditCode);
}

/** Rows checked per pass of the shared checks: large enough to set up rarely, small enough to hold. */
const BATCH = 5000;

export function planImport(
  source: SourceTable,
  input: WorkbookInput,
  options: ImportOptions,
): ImportPlan {
  const tab = options.tab;
  if (tab.key !== T.CUSTOMERS.key) throw new Error(`暂只支持导入“${T.CUSTOMERS.name}”表`);
  const idKey = tab.idColumn!;
  const mapping = mapHeaders(tab, source.rows, options.mapping);
  const view = viewTab(input, tab);

  // The workbook's customers as the sync parses them, for settings and duplicate keys.
  const only = new Map<string, readonly SheetRow[]>();
  for (const name of [tab.name, T.SETTINGS_TAB.name]) {
    const rows = input.tabs.get(name);
    if (rows) only.set(name, rows);
  }
  const validated = validateWorkbook({ tabs: only, epoch: input.epoch }, options.now);
  const settings = validated.dataset.settings;
  const parsedByRow = new Map(
    (validated.tabs.get(tab.key)?.rows ?? []).map((r) => [r.row, r.values] as const),
  );

  const targets = new Map<number, Target>();
  const index = new Map<string, Target>();
  const today = dateOf(options.now);
  const ids: string[] = [];
  const people = tab.columns.filter((c) => c.owner === 'people' && c.key !== idKey);
  for (const r of view.rows) {
    const id = cellText(cellOf(view, r, idKey));
    ids.push(id);
    const filled = new Set(
      people.filter((c) => !isBlank(cellOf(view, r, c.key))).map((c) => c.key),
    );
    const values = parsedByRow.get(r.row);
    const text = (k: string): string => cellText(values?.[k] ?? cellOf(view, r, k));
    const target: Target = {
      row: r.row,
      id,
      filled,
      name: text('name'),
      kind: text('kind'),
      creditCode: text('creditCode'),
    };
    targets.set(r.row, target);
    if (!values) continue;
    for (const key of duplicateKeys(keyFields(values))) {
      const k = duplicateKeyId(key);
      if (!index.has(k)) index.set(k, target);
    }
  }
  const serials = maxSerials(ids);
  let lastRow = view.lastRow;
  const headers = headerPlacement(view);

  const plan: ImportPlan = {
    added: 0,
    updated: 0,
    skipped: 0,
    rejected: 0,
    blankRows: 0,
    mapping,
    problems: [],
    duplicates: [],
    outcomes: [],
    cells: [],
    defaults: [],
  };
  // A source whose header names no column is refused whole by unusableSourceMessage.
  const byKey = new Map<string, ColumnMapping>(mapping.columns.map((c) => [c.key, c]));
  // The forms' defaults (建档日期 today, 客户等级 普通客户), then the mapping file's values.
  const defaults = new Map<string, string>([
    ['createdDate', formatDate(today)],
    ['level', '普通客户'],
    ...Object.entries(options.values ?? {}),
  ]);
  for (const [key, value] of defaults) {
    if (value === '') continue;
    const column = tab.columns.find((c) => c.key === key);
    if (column) plan.defaults.push({ key, header: column.header, value });
  }
  mapping.missing = mapping.missing.filter((c) => !defaults.get(c.key));
  const fed = tab.columns
    .filter((c) => byKey.has(c.key) || defaults.get(c.key))
    .map((c) => ({ column: c, index: byKey.get(c.key)?.index ?? -1 }));
  const supplied = new Set(fed.map((f) => f.column.key));

  // Cleaned records of the non-blank rows, checked in batches: one pass of the shared
  // checks per batch instead of a header and rule set per row.
  const pending: { src: SheetRow; record: Record<string, RawCell> }[] = [];
  for (const src of source.rows) {
    if (src.row <= mapping.headerRow) continue;
    const record: Record<string, RawCell> = {};
    let empty = true;
    for (const { column, index: i } of fed) {
      const cleaned = i < 0 ? null : cleanCell(column, src.cells[i] ?? null, source.epoch);
      record[column.key] = cleaned;
      if (!isBlank(cleaned)) empty = false;
    }
    if (!empty)
      for (const { column } of fed)
        if (isBlank(record[column.key]) && defaults.get(column.key))
          record[column.key] = defaults.get(column.key)!;
    if (empty) plan.blankRows++;
    else pending.push({ src, record });
  }

  for (let start = 0; start < pending.length; start += BATCH) {
    const batch = pending.slice(start, start + BATCH);
    const results = validateRecords(
      tab,
      batch.map((p) => p.record),
      { settings, now: options.now },
    );
    batch.forEach(({ src, record }, b) => step(src, record, results[b]!));
  }
  return plan;

  function step(
    src: SheetRow,
    record: Record<string, RawCell>,
    checked: ReturnType<typeof validateRecords>[number],
  ): void {
    const errors: string[] = [];
    for (const p of checked.problems) {
      const m = byKey.get(p.column);
      plan.problems.push({
        sourceRow: src.row,
        column: m ? m.source : p.column === '' ? '' : T.column(tab, p.column).header,
        value: m ? cellText(src.cells[m.index]) : '',
        message: p.message,
        level: p.level,
      });
      if (p.level === '错误') errors.push(p.message);
    }
    if (errors.length > 0) {
      plan.rejected++;
      plan.outcomes.push({ sourceRow: src.row, action: 'rejected', reason: errors.join('；') });
      return;
    }
    const values = checked.values;
    const keys = duplicateKeys(keyFields(values));

    // Matches in order of the keys, each target once with all its reasons.
    const matched = new Map<Target, DuplicateMatch>();
    for (const key of keys) {
      const t = index.get(duplicateKeyId(key));
      if (!t) continue;
      const m = matched.get(t);
      if (m) m.reasons.push(key.reason);
      else
        matched.set(
          t,
          t.sourceRow !== undefined
            ? { sourceRow: t.sourceRow, name: t.name, reasons: [key.reason] }
            : { customerId: t.id, row: t.row, name: t.name, reasons: [key.reason] },
        );
    }
    const register = (t: Target): void => {
      for (const key of keys) {
        const k = duplicateKeyId(key);
        if (!index.has(k)) index.set(k, t);
      }
    };
    const write = (t: Target, column: ColumnDef, w: RowWriter): void => {
      const cell = cellValue(column, cellText(record[column.key]), values[column.key]);
      if (cell.value === null) return;
      w.write(column, cell.value, cell.format);
      t.filled.add(column.key);
    };

    const add = (): void => {
      const prefix = customerPrefix(values.kind, settings);
      if (prefix === null) {
        // validateRecord already refuses a kind without a prefix; kept so no row is lost.
        plan.rejected++;
        plan.outcomes.push({
          sourceRow: src.row,
          action: 'rejected',
          reason: '无法生成客户编号：客户类型应为“企业”或“个人”',
        });
        return;
      }
      const id = nextId(serials, prefix, idYear(tab, values, today));
      const t: Target = {
        row: ++lastRow,
        id,
        filled: new Set(),
        sourceRow: src.row,
        name: cellText(values.name),
        kind: cellText(values.kind),
        creditCode: cellText(values.creditCode),
      };
      const w = new RowWriter(view, t.row, id, headers);
      for (const column of tab.columns) {
        if (column.key === idKey) w.write(column, id, 'text');
        else if (supplied.has(column.key)) write(t, column, w);
      }
      for (const c of w.cells) plan.cells.push(c);
      plan.added++;
      plan.outcomes.push({ sourceRow: src.row, action: 'added', id, row: t.row });
      register(t);
    };

    if (matched.size === 0) {
      add();
      return;
    }
    if ([...matched].every(([t, m]) => sharedContact(m, t, values))) {
      add();
      const with_ = [...matched.values()]
        .map((m) =>
          describe(m)
            .replace(/^与/, '')
            .replace(/重复（/, '（'),
        )
        .join('；');
      plan.problems.push({
        sourceRow: src.row,
        column: '',
        value: '',
        message: `共用联系方式：与${with_}，但公司名称不同，已作为新客户导入；如是同一客户请合并`,
        level: '警告',
      });
      return;
    }
    const matches = [...matched.values()];
    const reason = matches.map(describe).join('；');
    const dup: ImportDuplicate = { sourceRow: src.row, matches, reason, action: 'skipped' };
    plan.duplicates.push(dup);
    if (options.onDuplicate === 'add') {
      add();
      dup.action = plan.outcomes[plan.outcomes.length - 1]!.action;
      plan.problems.push({
        sourceRow: src.row,
        column: '',
        value: '',
        message: `可能${reason}：已按要求仍然导入，请确认后合并或修改`,
        level: '警告',
      });
      return;
    }
    if (options.onDuplicate === 'update') {
      const t = [...matched.keys()][0]!;
      const w = new RowWriter(view, t.row, t.id, headers);
      const filledNow: string[] = [];
      for (const column of people) {
        if (t.filled.has(column.key) || !(byKey.has(column.key) || options.values?.[column.key]))
          continue;
        write(t, column, w);
        if (t.filled.has(column.key)) filledNow.push(column.header);
      }
      if (filledNow.length > 0) {
        for (const c of w.cells) plan.cells.push(c);
        plan.updated++;
        dup.action = 'updated';
        plan.outcomes.push({
          sourceRow: src.row,
          action: 'updated',
          id: t.id,
          row: t.row,
          reason: `${reason}：补填了空白的${filledNow.join('、')}`,
        });
        register(t);
        return;
      }
      plan.skipped++;
      plan.outcomes.push({
        sourceRow: src.row,
        action: 'skipped',
        reason: `${reason}：没有可补填的空白单元格`,
      });
      return;
    }
    plan.skipped++;
    plan.outcomes.push({ sourceRow: src.row, action: 'skipped', reason });
  }
}
