/**
 * 初始化表格: every tab of the templates created or repaired in place. Nothing a person
 * made is deleted or moved; each step looks first and only changes what differs, so a
 * second run changes nothing. Each tab is read in a few calls (tabState.ts) and each
 * kind of change is one call per tab where Apps Script allows it, because every call
 * reaches the spreadsheet and a workbook of a dozen tabs adds up.
 */
import * as T from '../../../sheets-templates/tabs.ts';
import type { ColumnDef, TabDef } from '../../../sheets-templates/types.ts';
import * as V from '../../../sheets-templates/values.ts';
import { resolveLayout } from '../../../shared/layout.ts';
import type { RawCell } from '../../../shared/cells.ts';
import { readWorkbookSettings, type SheetRow } from '../../../shared/validate/index.ts';
import { cellInput, cellReader, NUMBER_FORMATS } from './cells.ts';
import {
  gas,
  type Cell,
  type DataValidation,
  type FontWeight,
  type Range,
  type Sheet,
  type Spreadsheet,
} from './gas.ts';
import { protectColumns, protectTab } from './protections.ts';
import {
  BLANK,
  blankState,
  columnA1,
  readState,
  runs,
  type Needs,
  type TabState,
} from './tabState.ts';
import { ensureSize } from './write.ts';

export { protectionLabel } from './protections.ts';

/** The shade of sync columns: people see at a glance which columns are not theirs. */
export const SYNC_SHADE = '#eef2f7';

type Colors<L extends readonly string[]> = Readonly<Record<L[number], string>>;

const GOOD = '#d9ead3';
const FAIR = '#fff2cc';
const BAD = '#f4cccc';
const NEW = '#cfe2f3';

/** Cell colours by value; typed against the value lists so a new value cannot be forgotten. */
export const HIGHLIGHTS: readonly {
  tab: TabDef;
  column: string;
  colors: Record<string, string>;
}[] = [
  {
    tab: T.CUSTOMERS,
    column: 'healthLevel',
    colors: { 健康: GOOD, 亚健康: FAIR, 风险: BAD, 新客户: NEW } satisfies Colors<
      typeof V.HEALTH_LEVELS
    >,
  },
  {
    tab: T.TICKETS,
    column: 'slaState',
    colors: { 按时: GOOD, 处理中: FAIR, 响应超时: BAD, 超时: BAD } satisfies Colors<
      typeof V.SLA_STATES
    >,
  },
  {
    tab: T.CALLBACK_PLAN,
    column: 'state',
    colors: { 逾期: BAD, 今日: FAIR, 待办: '#cfe2f3' } satisfies Colors<typeof V.CALLBACK_STATES>,
  },
];

export interface SetupReport {
  tabsCreated: string[];
  headersAdded: number;
  tabsSeeded: string[];
  /** sync tabs a person protected themselves: their protection is left as it is */
  protectionsKept: string[];
  /** setters called: 0 on a workbook already set up */
  changes: number;
}

type Wanted =
  | { kind: 'list'; values: string[]; allowInvalid: boolean }
  | { kind: 'range'; range: Range; allowInvalid: boolean };

/** A sync column on a tab people fill in: shaded, noted and protected. */
const marked = (tab: TabDef, column: ColumnDef): boolean =>
  column.owner === 'sync' && tab.kind !== 'syncTab';

const formatOf = (column: ColumnDef): string | undefined =>
  NUMBER_FORMATS[column.type as keyof typeof NUMBER_FORMATS];

function needsOf(tab: TabDef): Needs {
  const people = tab.columns.filter((c) => c.owner === 'people');
  return {
    notes: tab.columns.some((c) => marked(tab, c)) || people.some((c) => c.hint),
    backgrounds: tab.columns.some((c) => marked(tab, c)),
    formats: tab.columns.some((c) => formatOf(c) !== undefined),
    validations: people.some((c) => c.values || c.valuesFrom),
  };
}

class Setup {
  readonly report: SetupReport = {
    tabsCreated: [],
    headersAdded: 0,
    tabsSeeded: [],
    protectionsKept: [],
    changes: 0,
  };
  private readonly states = new Map<string, TabState>();
  /** 0-based column of each template column, by tab name */
  private readonly columns = new Map<string, ReadonlyMap<string, number>>();
  /** last rows read while seeding, by tab name */
  private readonly lastRows = new Map<string, number>();

  constructor(private readonly ss: Spreadsheet) {}

  run(): SetupReport {
    const existing = new Map(this.ss.getSheets().map((s) => [s.getName(), s]));
    let count = existing.size;
    // Tabs and headers first: dropdowns of one tab point into others (工单 → 工单路由).
    for (const tab of T.TABS) {
      const sheet = existing.get(tab.name);
      if (sheet) this.tab(tab, sheet, false);
      else {
        this.tab(tab, this.ss.insertSheet(tab.name, count++), true);
        this.report.tabsCreated.push(tab.name);
        this.change();
      }
    }
    let settingsSeeded = false;
    for (const tab of T.CONFIG_TABS)
      if (this.seed(tab) && tab === T.SETTINGS_TAB) settingsSeeded = true;
    const industries = this.industries(settingsSeeded);
    for (const tab of T.TABS) this.decorate(tab, industries);
    for (const h of HIGHLIGHTS) this.highlight(h.tab, h.column, h.colors);
    return this.report;
  }

  private change(n = 1): void {
    this.report.changes += n;
  }

  private tab(tab: TabDef, sheet: Sheet, fresh: boolean): void {
    if (tab.columns.length === 0) {
      this.states.set(tab.name, blankState(tab, sheet, sheet.getMaxRows(), fresh));
      return;
    }
    const state = fresh
      ? blankState(tab, sheet, sheet.getMaxRows())
      : readState(tab, sheet, needsOf(tab));
    this.states.set(tab.name, state);
    const layout = resolveLayout(tab, state.header, []);
    const at = new Map(layout.indexByKey);
    if (layout.missing.length > 0) {
      // Missing headers go to the right end, in template order; people's columns stay put.
      const start = layout.headerWidth;
      ensureSize(sheet, 1, start + layout.missing.length);
      sheet
        .getRange(1, start + 1, 1, layout.missing.length)
        .setValues([layout.missing.map((c) => c.header)]);
      layout.missing.forEach((c, i) => at.set(c.key, start + i));
      this.report.headersAdded += layout.missing.length;
      this.change();
    }
    this.columns.set(tab.name, at);
    if (sheet.getFrozenRows() < 1) {
      sheet.setFrozenRows(1);
      this.change();
    }
  }

  /** Default rows, only into a config tab that has none: a manager's edits always win. */
  private seed(tab: TabDef): boolean {
    const rows = tab.defaultRows ?? [];
    if (rows.length === 0) return false;
    const state = this.states.get(tab.name)!;
    const lastRow = state.fresh ? 1 : state.sheet.getLastRow();
    this.lastRows.set(tab.name, lastRow);
    if (lastRow > 1) return false;
    const at = this.columns.get(tab.name)!;
    const cols = tab.columns.map((c) => at.get(c.key)!);
    const first = Math.min(...cols);
    const width = Math.max(...cols) - first + 1;
    ensureSize(state.sheet, rows.length + 1, first + width);
    // The rows below the header are empty in every column, so one block fills them.
    const block = rows.map((r) => {
      const line: Cell[] = new Array<Cell>(width).fill('');
      cols.forEach((c, i) => (line[c - first] = cellInput(r[i] ?? null)));
      return line;
    });
    state.sheet.getRange(2, first + 1, rows.length, width).setValues(block);
    this.lastRows.set(tab.name, rows.length + 1);
    this.report.tabsSeeded.push(tab.name);
    this.change();
    return true;
  }

  /** 所属行业's list: from 参数 as seeded just now, else as the manager keeps it. */
  private industries(seeded: boolean): readonly string[] {
    const tab = T.SETTINGS_TAB;
    const at = this.columns.get(tab.name)!;
    const width = Math.max(...at.values()) + 1;
    let rows: SheetRow[];
    if (seeded) {
      const line = (values: readonly (string | number | null)[]) => {
        const cells = new Array<string | number | null>(width).fill(null);
        tab.columns.forEach((c, i) => (cells[at.get(c.key)!] = values[i] ?? null));
        return cells;
      };
      rows = [
        { row: 1, cells: line(tab.columns.map((c) => c.header)) },
        ...(tab.defaultRows ?? []).map((r, i) => ({ row: i + 2, cells: line(r) })),
      ];
    } else {
      const sheet = this.states.get(tab.name)!.sheet;
      const last = Math.max(1, this.lastRows.get(tab.name) ?? 1);
      // The zone only matters for a date cell, which 参数 rarely holds.
      let read: ((c: Cell) => RawCell) | undefined;
      const cell = (c: Cell): RawCell =>
        typeof c === 'object'
          ? (read ??= cellReader(this.ss.getSpreadsheetTimeZone()))(c)
          : c === ''
            ? null
            : c;
      rows = sheet
        .getRange(1, 1, last, width)
        .getValues()
        .map((cells, i) => ({ row: i + 1, cells: cells.map(cell) }));
    }
    return readWorkbookSettings({ tabs: new Map([[tab.name, rows]]), epoch: 'sheets' }, [])
      .industries;
  }

  /** Bold headers, notes, shading, formats, dropdowns and protections of one tab. */
  private decorate(tab: TabDef, industries: readonly string[]): void {
    const state = this.states.get(tab.name)!;
    const sheet = state.sheet;
    if (tab.kind === 'syncTab') {
      const outcome = protectTab(sheet, tab, state.fresh);
      this.change(outcome.changes);
      if (outcome.keptForeign) this.report.protectionsKept.push(tab.name);
    }
    if (tab.columns.length === 0) return;
    const at = this.columns.get(tab.name)!;
    const maxRows = sheet.getMaxRows();
    const weights = new Map<number, FontWeight>();
    const notes = new Map<number, string>();
    const shade: number[] = [];
    const formats = new Map<string, string[]>();
    const marks: { col: number; header: string }[] = [];

    for (const column of tab.columns) {
      const i = at.get(column.key)!;
      const col = i + 1;
      if ((state.weights[i] ?? BLANK.weight) !== 'bold') weights.set(i, 'bold');
      const format = formatOf(column);
      if (format && maxRows > 1 && (state.fresh || state.formats[i] !== format))
        formats.set(format, [...(formats.get(format) ?? []), columnA1(col, 2, maxRows)]);
      const note = state.notes[i] ?? BLANK.note;
      if (marked(tab, column)) {
        if (note !== T.SYNC_COLUMN_NOTE) notes.set(i, T.SYNC_COLUMN_NOTE);
        if ((state.backgrounds[i] ?? BLANK.background) !== SYNC_SHADE) shade.push(col);
        marks.push({ col, header: column.header });
        continue;
      }
      if (column.owner === 'sync') continue;
      // A person's own note on a header is theirs to keep.
      if (column.hint && note === '') notes.set(i, column.hint);
      const wanted = this.validation(column, industries);
      if (wanted && maxRows > 1 && !sameValidation(state.validations[i] ?? null, wanted)) {
        const builder = gas.sheets().newDataValidation();
        if (wanted.kind === 'list') builder.requireValueInList(wanted.values, true);
        else builder.requireValueInRange(wanted.range, true);
        sheet
          .getRange(2, col, maxRows - 1, 1)
          .setDataValidation(builder.setAllowInvalid(wanted.allowInvalid).build());
        this.change();
      }
    }

    this.headerRow(state, weights, notes);
    if (shade.length > 0) {
      sheet.getRangeList(shade.map((c) => columnA1(c, 1, maxRows))).setBackground(SYNC_SHADE);
      this.change();
    }
    for (const [format, ranges] of formats) {
      sheet.getRangeList(ranges).setNumberFormat(format);
      this.change();
    }
    if (marks.length > 0) {
      const byCol = new Map(marks.map((m) => [m.col, m.header]));
      const wanted = runs([...byCol.keys()].sort((a, b) => a - b)).map(([a, b]) => ({
        range: sheet.getRange(1, a, maxRows, b - a + 1),
        headers: Array.from({ length: b - a + 1 }, (_, k) => byCol.get(a + k)!),
      }));
      this.change(protectColumns(sheet, tab, wanted, state.fresh));
    }
  }

  /** Header weights and notes, each one write over the columns that change. */
  private headerRow(
    state: TabState,
    weights: ReadonlyMap<number, FontWeight>,
    notes: ReadonlyMap<number, string>,
  ): void {
    const span = (changed: ReadonlyMap<number, unknown>) => {
      const cols = [...changed.keys()];
      const first = Math.min(...cols);
      return { first, width: Math.max(...cols) - first + 1 };
    };
    if (weights.size > 0) {
      const { first, width } = span(weights);
      const line = Array.from(
        { length: width },
        (_, k): FontWeight =>
          weights.get(first + k) ??
          ((state.weights[first + k] ?? BLANK.weight) === 'bold' ? 'bold' : 'normal'),
      );
      state.sheet.getRange(1, first + 1, 1, width).setFontWeights([line]);
      this.change();
    }
    if (notes.size > 0) {
      const { first, width } = span(notes);
      const line = Array.from(
        { length: width },
        (_, k) => notes.get(first + k) ?? state.notes[first + k] ?? BLANK.note,
      );
      state.sheet.getRange(1, first + 1, 1, width).setNotes([line]);
      this.change();
    }
  }

  private validation(column: ColumnDef, industries: readonly string[]): Wanted | null {
    const from = column.valuesFrom;
    if (from?.kind === 'configColumn') {
      const sheet = this.states.get(from.tab)!.sheet;
      const col = this.columns.get(from.tab)!.get(from.column)! + 1;
      const range = sheet.getRange(2, col, Math.max(1, sheet.getMaxRows() - 1), 1);
      // 处理部门 is filled from 工单路由 but people may name another department.
      return { kind: 'range', range, allowInvalid: true };
    }
    if (from?.kind === 'setting')
      return {
        kind: 'list',
        values: [...industries],
        allowInvalid: column.outsideValues === 'warning',
      };
    if (column.values) return { kind: 'list', values: [...column.values], allowInvalid: false };
    return null;
  }

  private highlight(tab: TabDef, key: string, colors: Record<string, string>): void {
    const state = this.states.get(tab.name)!;
    const sheet = state.sheet;
    const col = this.columns.get(tab.name)!.get(key)! + 1;
    const range = sheet.getRange(2, col, Math.max(1, sheet.getMaxRows() - 1), 1);
    const rules = state.fresh ? [] : sheet.getConditionalFormatRules();
    const textEqual = String(gas.sheets().BooleanCriteria.TEXT_EQUAL_TO);
    const added = Object.entries(colors)
      .filter(
        ([value]) =>
          // Matched by column, not by extent: the sheet may have grown since.
          !rules.some((r) => {
            const c = r.getBooleanCondition();
            return (
              c !== null &&
              String(c.getCriteriaType()) === textEqual &&
              c.getCriteriaValues()[0] === value &&
              r.getRanges().some((g) => g.getColumn() === col && g.getNumColumns() === 1)
            );
          }),
      )
      .map(([value, color]) =>
        gas
          .sheets()
          .newConditionalFormatRule()
          .whenTextEqualTo(value)
          .setBackground(color)
          .setRanges([range])
          .build(),
      );
    if (added.length === 0) return;
    sheet.setConditionalFormatRules([...rules, ...added]);
    this.change();
  }
}

function sameValidation(have: DataValidation | null, wanted: Wanted): boolean {
  if (!have || have.getAllowInvalid() !== wanted.allowInvalid) return false;
  const criteria = gas.sheets().DataValidationCriteria;
  const [first] = have.getCriteriaValues() as unknown[];
  if (wanted.kind === 'list')
    return (
      String(have.getCriteriaType()) === String(criteria.VALUE_IN_LIST) &&
      Array.isArray(first) &&
      first.length === wanted.values.length &&
      first.every((v, i) => v === wanted.values[i])
    );
  const range = first as Range | undefined;
  return (
    String(have.getCriteriaType()) === String(criteria.VALUE_IN_RANGE) &&
    range !== undefined &&
    range.getSheet().getName() === wanted.range.getSheet().getName() &&
    range.getA1Notation() === wanted.range.getA1Notation()
  );
}

export function setUpWorkbook(ss: Spreadsheet): SetupReport {
  return new Setup(ss).run();
}

export function setupMessage(r: SetupReport): string {
  const kept =
    r.protectionsKept.length > 0
      ? `；${r.protectionsKept.join('、')} 已有他人设置的保护，保持原样未改动`
      : '';
  if (r.changes === 0) return `表格已是最新的模板结构，没有需要修改的地方${kept}`;
  const parts = [
    r.tabsCreated.length > 0 ? `新建工作表 ${r.tabsCreated.length} 个` : '',
    r.headersAdded > 0 ? `补充表头 ${r.headersAdded} 个` : '',
    r.tabsSeeded.length > 0 ? `写入默认配置：${r.tabsSeeded.join('、')}` : '',
  ].filter((p) => p !== '');
  return `初始化完成${parts.length > 0 ? '：' + parts.join('，') : '：已修复下拉列表、格式与保护'}${kept}`;
}
