/**
 * 初始化表格: every tab of the templates created or repaired in place. Nothing a person
 * made is deleted or moved; each step looks first and only changes what differs, so a
 * second run changes nothing.
 */
import * as T from '../../../sheets-templates/tabs.ts';
import type { ColumnDef, TabDef } from '../../../sheets-templates/types.ts';
import * as V from '../../../sheets-templates/values.ts';
import { resolveLayout } from '../../../shared/layout.ts';
import { readWorkbookSettings } from '../../../shared/validate/index.ts';
import { cellInput, NUMBER_FORMATS } from './cells.ts';
import { gas, type Range, type Sheet, type Spreadsheet } from './gas.ts';
import { readTabs } from './read.ts';
import { ensureSize } from './write.ts';

/** The shade of sync columns: people see at a glance which columns are not theirs. */
export const SYNC_SHADE = '#eef2f7';

/** Marks our own protections, so a rerun finds them among the ones people added. */
export const protectionLabel = (tab: TabDef, column?: ColumnDef): string =>
  column
    ? `${T.SYNC_COLUMN_NOTE}（${tab.name}·${column.header}）`
    : `${T.SYNC_COLUMN_NOTE}（${tab.name}）`;

type Colors<L extends readonly string[]> = Readonly<Record<L[number], string>>;

const GOOD = '#d9ead3';
const FAIR = '#fff2cc';
const BAD = '#f4cccc';

/** Cell colours by value; typed against the value lists so a new value cannot be forgotten. */
export const HIGHLIGHTS: readonly {
  tab: TabDef;
  column: string;
  colors: Record<string, string>;
}[] = [
  {
    tab: T.CUSTOMERS,
    column: 'healthLevel',
    colors: { 健康: GOOD, 亚健康: FAIR, 风险: BAD } satisfies Colors<typeof V.HEALTH_LEVELS>,
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
  /** setters called: 0 on a workbook already set up */
  changes: number;
}

type Wanted =
  | { kind: 'list'; values: string[]; allowInvalid: boolean }
  | { kind: 'range'; range: Range; allowInvalid: boolean };

class Setup {
  readonly report: SetupReport = { tabsCreated: [], headersAdded: 0, tabsSeeded: [], changes: 0 };
  private readonly sheets = new Map<string, Sheet>();
  /** 0-based column of each template column, by tab name */
  private readonly columns = new Map<string, ReadonlyMap<string, number>>();

  constructor(private readonly ss: Spreadsheet) {}

  run(): SetupReport {
    // Tabs and headers first: dropdowns of one tab point into others (工单 → 工单路由).
    for (const tab of T.TABS) this.tab(tab);
    for (const tab of T.CONFIG_TABS) this.seed(tab);
    const industries = readWorkbookSettings(
      readTabs(this.ss, [T.SETTINGS_TAB.name]),
      [],
    ).industries;
    for (const tab of T.TABS) {
      const sheet = this.sheets.get(tab.name)!;
      if (tab.kind === 'syncTab') this.protectSheet(sheet, tab);
      for (const column of tab.columns) this.column(sheet, tab, column, industries);
    }
    for (const h of HIGHLIGHTS) this.highlight(h.tab, h.column, h.colors);
    return this.report;
  }

  private change(): void {
    this.report.changes++;
  }

  private tab(tab: TabDef): void {
    let sheet = this.ss.getSheetByName(tab.name);
    if (!sheet) {
      sheet = this.ss.insertSheet(tab.name, this.ss.getSheets().length);
      this.report.tabsCreated.push(tab.name);
      this.change();
    }
    this.sheets.set(tab.name, sheet);
    if (tab.columns.length === 0) return;

    const width = sheet.getLastColumn();
    const header = width > 0 ? sheet.getRange(1, 1, 1, width).getValues()[0]! : [];
    const layout = resolveLayout(
      tab,
      header.map((c) => (typeof c === 'string' ? c : String(c))),
      [],
    );
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
  private seed(tab: TabDef): void {
    const rows = tab.defaultRows ?? [];
    const sheet = this.sheets.get(tab.name)!;
    if (rows.length === 0 || sheet.getLastRow() > 1) return;
    ensureSize(sheet, rows.length + 1, 1);
    const at = this.columns.get(tab.name)!;
    tab.columns.forEach((column, i) => {
      sheet
        .getRange(2, at.get(column.key)! + 1, rows.length, 1)
        .setValues(rows.map((r) => [cellInput(r[i] ?? null)]));
    });
    this.report.tabsSeeded.push(tab.name);
    this.change();
  }

  private column(sheet: Sheet, tab: TabDef, column: ColumnDef, industries: readonly string[]) {
    const col = this.columns.get(tab.name)!.get(column.key)! + 1;
    const maxRows = sheet.getMaxRows();
    const head = sheet.getRange(1, col);
    const body = maxRows > 1 ? sheet.getRange(2, col, maxRows - 1, 1) : null;

    if (head.getFontWeight() !== 'bold') {
      head.setFontWeight('bold');
      this.change();
    }
    const format = NUMBER_FORMATS[column.type as keyof typeof NUMBER_FORMATS];
    if (format && body && body.getNumberFormat() !== format) {
      body.setNumberFormat(format);
      this.change();
    }

    if (column.owner === 'sync') {
      if (tab.kind === 'syncTab') return;
      if (head.getNote() !== T.SYNC_COLUMN_NOTE) {
        head.setNote(T.SYNC_COLUMN_NOTE);
        this.change();
      }
      const whole = sheet.getRange(1, col, maxRows, 1);
      if (head.getBackground() !== SYNC_SHADE) {
        whole.setBackground(SYNC_SHADE);
        this.change();
      }
      this.protectRange(sheet, whole, protectionLabel(tab, column));
      return;
    }

    // A person's own note on a header is theirs to keep.
    if (column.hint && head.getNote() === '') {
      head.setNote(column.hint);
      this.change();
    }
    const wanted = this.validation(column, industries);
    if (wanted && body && !sameValidation(body, wanted)) {
      const builder = gas.sheets().newDataValidation();
      if (wanted.kind === 'list') builder.requireValueInList(wanted.values, true);
      else builder.requireValueInRange(wanted.range, true);
      body.setDataValidation(builder.setAllowInvalid(wanted.allowInvalid).build());
      this.change();
    }
  }

  private validation(column: ColumnDef, industries: readonly string[]): Wanted | null {
    const from = column.valuesFrom;
    if (from?.kind === 'configColumn') {
      const source = T.TABS.find((t) => t.name === from.tab)!;
      const sheet = this.sheets.get(source.name)!;
      const col = this.columns.get(source.name)!.get(from.column)! + 1;
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

  private protectRange(sheet: Sheet, range: Range, label: string): void {
    const type = gas.sheets().ProtectionType.RANGE;
    const found = sheet.getProtections(type).find((p) => p.getDescription() === label);
    if (!found) {
      range.protect().setDescription(label).setWarningOnly(true);
      this.change();
      return;
    }
    if (found.getRange().getA1Notation() !== range.getA1Notation()) {
      found.setRange(range);
      this.change();
    }
    if (!found.isWarningOnly()) {
      found.setWarningOnly(true);
      this.change();
    }
  }

  private protectSheet(sheet: Sheet, tab: TabDef): void {
    const label = protectionLabel(tab);
    const type = gas.sheets().ProtectionType.SHEET;
    const found = sheet.getProtections(type).find((p) => p.getDescription() === label);
    if (!found) {
      sheet.protect().setDescription(label).setWarningOnly(true);
      this.change();
    } else if (!found.isWarningOnly()) {
      found.setWarningOnly(true);
      this.change();
    }
  }

  private highlight(tab: TabDef, key: string, colors: Record<string, string>): void {
    const sheet = this.sheets.get(tab.name)!;
    const col = this.columns.get(tab.name)!.get(key)! + 1;
    const range = sheet.getRange(2, col, Math.max(1, sheet.getMaxRows() - 1), 1);
    const rules = sheet.getConditionalFormatRules();
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

function sameValidation(body: Range, wanted: Wanted): boolean {
  const have = body.getDataValidation();
  if (!have || have.getAllowInvalid() !== wanted.allowInvalid) return false;
  const criteria = gas.sheets().DataValidationCriteria;
  const [first] = have.getCriteriaValues();
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
  if (r.changes === 0) return '表格已是最新的模板结构，没有需要修改的地方';
  const parts = [
    r.tabsCreated.length > 0 ? `新建工作表 ${r.tabsCreated.length} 个` : '',
    r.headersAdded > 0 ? `补充表头 ${r.headersAdded} 个` : '',
    r.tabsSeeded.length > 0 ? `写入默认配置：${r.tabsSeeded.join('、')}` : '',
  ].filter((p) => p !== '');
  return `初始化完成${parts.length > 0 ? '：' + parts.join('，') : '：已修复下拉列表、格式与保护'}`;
}
