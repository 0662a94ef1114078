/**
 * From a tab's raw rows to parsed rows: every cell parsed by its template column, bad
 * cells turned into problems (docs/rules.md#data-problems), required cells checked. One bad row never hides a good one.
 */
import type { ColumnDef, TabDef, WhenCondition } from '../../sheets-templates/types.ts';
import { column as columnOf } from '../../sheets-templates/tabs.ts';
import type { SerialEpoch } from '../calendar.ts';
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
  type Parsed,
  type RawCell,
} from '../cells.ts';
import { resolveLayout } from '../layout.ts';
import type { Problem, Settings } from '../model.ts';
import type {
  ParseContext,
  ParseMemo,
  ParsedEntry,
  ParsedRow,
  ProblemSink,
  RowCheck,
  SheetRow,
  TabResult,
} from './types.ts';

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

export const sameProblem = (a: Problem, b: Problem): boolean =>
  a.tab === b.tab &&
  a.row === b.row &&
  a.column === b.column &&
  a.value === b.value &&
  a.message === b.message &&
  a.level === b.level;

/** True when a row parsed again gives what its earlier entry holds. */
function sameParse(entry: ParsedEntry, parsed: ParsedRow, problems: readonly Problem[]): boolean {
  const was = entry.parsed;
  if (was.row !== parsed.row || was.id !== parsed.id || was.hasError !== parsed.hasError)
    return false;
  if (problems.length !== entry.problems.length) return false;
  for (let i = 0; i < problems.length; i++)
    if (!sameProblem(problems[i]!, entry.problems[i]!)) return false;
  for (const key in parsed.values)
    if (!Object.is(parsed.values[key], was.values[key])) return false;
  return true;
}

/** The problems of a row that has none, shared: most of a million kept parses. */
const NO_PROBLEMS: readonly Problem[] = Object.freeze([]);

/** Types whose unreadable values are warnings (docs/rules.md#data-problems lists them). */
const SOFT_TYPES = new Set<ColumnDef['type']>(['phone', 'email', 'creditCode']);

export function parseRows(
  tab: TabDef,
  sheet: readonly SheetRow[],
  ctx: ParseContext,
  check: RowCheck,
  memo?: ParseMemo,
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
  let parsed: ParsedRow = { row: 0, id: '', values: {}, hasError: false, entry: undefined };
  // Every row's values start as a copy of one object with every key: rows then share a
  // shape, and a column missing from the sheet reads as null rather than undefined. Made
  // by JSON.parse, the object holds every key in itself, and so does each copy; built key
  // by key, the keys past the first few go to a second object per row (a million more
  // objects kept, ~33 bytes a row).
  const blank = JSON.parse(
    JSON.stringify(Object.fromEntries(tab.columns.map((c) => [c.key, null]))),
  ) as Record<string, unknown>;
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
    const kept = memo?.[r.row];
    if (kept !== undefined && kept.source === r) {
      const p = kept.parsed;
      // A row is never changed in place once parsed (a mark replaces it): the entry's own
      // row serves every validation that reuses it, one object for a million rows.
      rows.push(
        p.entry === kept
          ? (p as ParsedRow)
          : { row: p.row, id: p.id, values: p.values, hasError: p.hasError, entry: kept },
      );
      for (const problem of kept.problems) ctx.problems.push(problem);
      continue;
    }
    const firstProblem = ctx.problems.length;
    parsed = { row: r.row, id: '', values: { ...blank }, hasError: false, entry: undefined };
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
          `${columnOf(tab, when.column).header}为“${String(values[when.column])}”时“${column.header}”必填`,
          '错误',
        );
      }
    }
    if (idKey) parsed.id = String(parsed.values[idKey] ?? '');
    check(parsed, report);
    if (memo && parsed.id !== '') {
      const problems =
        ctx.problems.length > firstProblem ? ctx.problems.slice(firstProblem) : NO_PROBLEMS;
      // A row rewritten only in cells the parse does not read (the sync's own columns)
      // keeps its earlier entry, and so its typed row: it is not a change to compute.
      // Otherwise the entry holds this very row: marks replace a row rather than change it.
      parsed.entry =
        kept !== undefined && sameParse(kept, parsed, problems)
          ? { source: r, parsed: kept.parsed, problems: kept.problems, typed: kept.typed }
          : { source: r, parsed, problems, typed: undefined };
      memo[r.row] = parsed.entry;
    }
    rows.push(parsed);
  }
  return { layout, rows };
}
