/**
 * An in-memory SpreadsheetApp: sheets are real grids with the formatting, validation,
 * protection and conditional-format state the add-on touches, and the quirks that bite
 * in Sheets (getRange past the edge throws, date cells read back as Date objects,
 * strings typed into a cell are parsed unless they start with an apostrophe).
 */
import { secondsToSerial, serialToSeconds, wallTimeOf } from '../../../shared/calendar.ts';

export type Value = string | number | boolean | Date;

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/** A serial number's wall time in a zone as the instant Apps Script's Date would hold. */
export function serialToDate(serial: number, timeZone: string): Date {
  const wallMs = serialToSeconds(serial, 'sheets')! * 1000;
  let instant = wallMs;
  for (let i = 0; i < 3; i++) instant = wallMs - (wallTimeOf(instant, timeZone) * 1000 - instant);
  return new Date(instant);
}

export function dateToSerial(d: Date, timeZone: string): number {
  return secondsToSerial(wallTimeOf(d.getTime(), timeZone));
}

const isDateFormat = (f: string) => /[yd]/i.test(f.replace(/"[^"]*"/g, ''));

export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

interface Rect {
  r1: number;
  c1: number;
  r2: number;
  c2: number;
}

/** A range-valued attribute: later settings override, and one that covers an older drops it. */
class Layer<T> {
  entries: (Rect & { value: T })[] = [];
  set(rect: Rect, value: T): void {
    this.entries = this.entries.filter(
      (e) => !(e.r1 >= rect.r1 && e.r2 <= rect.r2 && e.c1 >= rect.c1 && e.c2 <= rect.c2),
    );
    this.entries.push({ ...rect, value });
  }
  get(r: number, c: number): T | undefined {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const e = this.entries[i]!;
      if (r >= e.r1 && r <= e.r2 && c >= e.c1 && c <= e.c2) return e.value;
    }
    return undefined;
  }
  /** Rows appended at the bottom take the formatting of the last row, as in Sheets. */
  grow(lastRow: number, newLast: number, lastCol: number, newLastCol: number): void {
    for (const e of this.entries) {
      if (e.r2 === lastRow) e.r2 = newLast;
      if (e.c2 === lastCol) e.c2 = newLastCol;
    }
  }
  dump(show: (v: T) => unknown): unknown[] {
    return this.entries
      .map((e) => ({ at: `${e.r1},${e.c1}:${e.r2},${e.c2}`, value: show(e.value) }))
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}

export const ENUMS = {
  ProtectionType: { RANGE: 'RANGE', SHEET: 'SHEET' },
  DataValidationCriteria: { VALUE_IN_LIST: 'VALUE_IN_LIST', VALUE_IN_RANGE: 'VALUE_IN_RANGE' },
  BooleanCriteria: { TEXT_EQUAL_TO: 'TEXT_EQUAL_TO' },
} as const;

export class FakeValidation {
  constructor(
    readonly type: string,
    readonly values: unknown[],
    readonly allowInvalid: boolean,
    readonly helpText: string | null,
  ) {}
  getCriteriaType = () => this.type;
  getCriteriaValues = () => [...this.values];
  getAllowInvalid = () => this.allowInvalid;
  getHelpText = () => this.helpText;
  describe(): unknown {
    return {
      type: this.type,
      values: this.values.map((v) => (v instanceof FakeRange ? v.qualifiedA1() : v)),
      allowInvalid: this.allowInvalid,
    };
  }
}

export class FakeValidationBuilder {
  private type = '';
  private values: unknown[] = [];
  // Sheets' default: show a warning, do not reject.
  private allowInvalid = true;
  private helpText: string | null = null;
  requireValueInList(values: string[], showDropdown = true) {
    this.type = ENUMS.DataValidationCriteria.VALUE_IN_LIST;
    this.values = [[...values], showDropdown];
    return this;
  }
  requireValueInRange(range: FakeRange, showDropdown = true) {
    this.type = ENUMS.DataValidationCriteria.VALUE_IN_RANGE;
    this.values = [range, showDropdown];
    return this;
  }
  setAllowInvalid(allow: boolean) {
    this.allowInvalid = allow;
    return this;
  }
  setHelpText(text: string) {
    this.helpText = text;
    return this;
  }
  build() {
    if (this.type === '') throw new Error('Exception: The data validation rule has no criteria.');
    return new FakeValidation(this.type, this.values, this.allowInvalid, this.helpText);
  }
}

export class FakeRule {
  constructor(
    readonly condition: { type: string; values: unknown[]; background: string | null },
    readonly ranges: FakeRange[],
  ) {}
  getBooleanCondition() {
    const c = this.condition;
    return {
      getCriteriaType: () => c.type,
      getCriteriaValues: () => [...c.values],
      getBackground: () => c.background,
      getFontColor: () => null,
    };
  }
  getRanges = () => [...this.ranges];
  describe(): unknown {
    return { ...this.condition, ranges: this.ranges.map((r) => r.getA1Notation()) };
  }
}

export class FakeRuleBuilder {
  private condition = { type: '', values: [] as unknown[], background: null as string | null };
  private ranges: FakeRange[] = [];
  whenTextEqualTo(text: string) {
    this.condition = {
      ...this.condition,
      type: ENUMS.BooleanCriteria.TEXT_EQUAL_TO,
      values: [text],
    };
    return this;
  }
  setBackground(color: string) {
    this.condition = { ...this.condition, background: color };
    return this;
  }
  setFontColor() {
    return this;
  }
  setRanges(ranges: FakeRange[]) {
    this.ranges = [...ranges];
    return this;
  }
  build() {
    return new FakeRule({ ...this.condition }, this.ranges);
  }
}

export class FakeProtection {
  private description = '';
  private warningOnly = false;
  constructor(
    private readonly sheet: FakeSheet,
    readonly type: string,
    private range: FakeRange,
  ) {}
  getDescription = () => this.description;
  setDescription(text: string) {
    this.sheet.mutate('Protection.setDescription');
    this.description = text;
    return this;
  }
  isWarningOnly = () => this.warningOnly;
  setWarningOnly(w: boolean) {
    this.sheet.mutate('Protection.setWarningOnly');
    this.warningOnly = w;
    return this;
  }
  getRange = () => this.range;
  setRange(range: FakeRange) {
    this.sheet.mutate('Protection.setRange');
    this.range = range;
    return this;
  }
  remove() {
    this.sheet.mutate('Protection.remove');
    this.sheet.protections = this.sheet.protections.filter((p) => p !== this);
  }
  describe(): unknown {
    return {
      type: this.type,
      range: this.range.getA1Notation(),
      description: this.description,
      warningOnly: this.warningOnly,
    };
  }
}

export class FakeRange {
  constructor(
    readonly sheet: FakeSheet,
    readonly row: number,
    readonly col: number,
    readonly numRows: number,
    readonly numCols: number,
  ) {}
  private get rect(): Rect {
    return {
      r1: this.row,
      c1: this.col,
      r2: this.row + this.numRows - 1,
      c2: this.col + this.numCols - 1,
    };
  }
  private each(fn: (r: number, c: number) => void): void {
    const { r1, r2, c1, c2 } = this.rect;
    for (let r = r1; r <= r2; r++) for (let c = c1; c <= c2; c++) fn(r, c);
  }
  getRow = () => this.row;
  getColumn = () => this.col;
  getNumRows = () => this.numRows;
  getNumColumns = () => this.numCols;
  getSheet = () => this.sheet;
  getA1Notation(): string {
    const { r1, r2, c1, c2 } = this.rect;
    const a = `${columnLetters(c1)}${r1}`;
    return r1 === r2 && c1 === c2 ? a : `${a}:${columnLetters(c2)}${r2}`;
  }
  qualifiedA1 = () => `${this.sheet.getName()}!${this.getA1Notation()}`;

  getValues(): Value[][] {
    const out: Value[][] = [];
    for (let r = this.row; r < this.row + this.numRows; r++) {
      const line: Value[] = [];
      for (let c = this.col; c < this.col + this.numCols; c++) line.push(this.sheet.read(r, c));
      out.push(line);
    }
    return out;
  }
  getValue = () => this.sheet.read(this.row, this.col);
  setValue(v: Value) {
    this.sheet.mutate('Range.setValue');
    this.each((r, c) => this.sheet.write(r, c, v));
    return this;
  }
  setValues(values: Value[][]) {
    if (values.length !== this.numRows || values.some((l) => l.length !== this.numCols))
      throw new Error(
        `Exception: The number of rows or columns in the data does not match the range ${this.getA1Notation()}.`,
      );
    this.sheet.mutate('Range.setValues');
    values.forEach((line, i) =>
      line.forEach((v, j) => this.sheet.write(this.row + i, this.col + j, v)),
    );
    return this;
  }
  getNumberFormat = () => this.sheet.formats.get(this.row, this.col) ?? 'General';
  setNumberFormat(f: string) {
    this.sheet.mutate('Range.setNumberFormat');
    this.sheet.formats.set(this.rect, f);
    return this;
  }
  getDataValidation = () => this.sheet.validations.get(this.row, this.col) ?? null;
  setDataValidation(rule: FakeValidation | null) {
    this.sheet.mutate('Range.setDataValidation');
    this.sheet.validations.set(this.rect, rule);
    return this;
  }
  getBackground = () => this.sheet.backgrounds.get(this.row, this.col) ?? '#ffffff';
  setBackground(color: string | null) {
    this.sheet.mutate('Range.setBackground');
    this.sheet.backgrounds.set(this.rect, color ?? '#ffffff');
    return this;
  }
  getFontWeight = () => this.sheet.weights.get(this.row, this.col) ?? 'normal';
  setFontWeight(w: string) {
    this.sheet.mutate('Range.setFontWeight');
    this.sheet.weights.set(this.rect, w);
    return this;
  }
  getNote = () => this.sheet.notes.get(`${this.row},${this.col}`) ?? '';
  setNote(note: string) {
    this.sheet.mutate('Range.setNote');
    this.each((r, c) => {
      if (note === '') this.sheet.notes.delete(`${r},${c}`);
      else this.sheet.notes.set(`${r},${c}`, note);
    });
    return this;
  }
  protect() {
    this.sheet.mutate('Range.protect');
    const p = new FakeProtection(this.sheet, ENUMS.ProtectionType.RANGE, this);
    this.sheet.protections.push(p);
    return p;
  }
}

export class FakeSheet {
  private cells: Value[][] = [];
  maxRows = 1000;
  maxCols = 26;
  frozenRows = 0;
  readonly formats = new Layer<string>();
  readonly validations = new Layer<FakeValidation | null>();
  readonly backgrounds = new Layer<string>();
  readonly weights = new Layer<string>();
  readonly notes = new Map<string, string>();
  protections: FakeProtection[] = [];
  rules: FakeRule[] = [];

  constructor(
    readonly ss: FakeSpreadsheet,
    private name: string,
  ) {}

  mutate(what: string): void {
    this.ss.mutations.push(`${this.name}: ${what}`);
  }

  /** A stored cell as getValues() hands it out. */
  read(r: number, c: number): Value {
    const v = this.cells[r - 1]?.[c - 1] ?? '';
    if (typeof v === 'number' && isDateFormat(this.formats.get(r, c) ?? ''))
      return serialToDate(v, this.ss.timeZone);
    return v;
  }

  /** What Sheets stores for a value a script sets, parsed as if typed. */
  write(r: number, c: number, v: Value): void {
    let stored: Value = v;
    if (isDate(v)) stored = dateToSerial(v, this.ss.timeZone);
    else if (typeof v === 'string') {
      if (v.startsWith("'")) stored = v.slice(1);
      else if (v.startsWith('=')) stored = '#ERROR!';
      else if (/^[-+]?\d+(\.\d+)?$/.test(v.trim())) stored = Number(v);
      else if (/^(true|false)$/i.test(v)) stored = v.toLowerCase() === 'true';
    }
    (this.cells[r - 1] ??= [])[c - 1] = stored;
  }

  /** Test helper: a cell as stored, without the date conversion of getValues. */
  stored(r: number, c: number): Value {
    return this.cells[r - 1]?.[c - 1] ?? '';
  }

  getName = () => this.name;
  getParent = () => this.ss;
  getMaxRows = () => this.maxRows;
  getMaxColumns = () => this.maxCols;
  getLastRow(): number {
    for (let r = this.cells.length; r >= 1; r--)
      if ((this.cells[r - 1] ?? []).some((v) => v !== '' && v !== undefined)) return r;
    return 0;
  }
  getLastColumn(): number {
    let last = 0;
    for (const line of this.cells)
      (line ?? []).forEach((v, i) => {
        if (v !== '' && v !== undefined) last = Math.max(last, i + 1);
      });
    return last;
  }
  getRange(row: number, col: number, numRows = 1, numCols = 1): FakeRange {
    if (row < 1 || col < 1 || numRows < 1 || numCols < 1)
      throw new Error('Exception: The starting row/column or size of the range is invalid.');
    if (row + numRows - 1 > this.maxRows || col + numCols - 1 > this.maxCols)
      throw new Error(
        'Exception: The coordinates of the range are outside the dimensions of the sheet.',
      );
    return new FakeRange(this, row, col, numRows, numCols);
  }
  getDataRange(): FakeRange {
    return this.getRange(1, 1, Math.max(1, this.getLastRow()), Math.max(1, this.getLastColumn()));
  }
  insertRowsAfter(after: number, howMany: number) {
    if (after !== this.maxRows) throw new Error('fake: rows can only be added at the bottom');
    this.mutate('Sheet.insertRowsAfter');
    for (const layer of [this.formats, this.validations, this.backgrounds, this.weights])
      (layer as Layer<unknown>).grow(this.maxRows, this.maxRows + howMany, -1, -1);
    this.maxRows += howMany;
    return this;
  }
  insertColumnsAfter(after: number, howMany: number) {
    if (after !== this.maxCols) throw new Error('fake: columns can only be added at the right');
    this.mutate('Sheet.insertColumnsAfter');
    this.maxCols += howMany;
    return this;
  }
  getFrozenRows = () => this.frozenRows;
  setFrozenRows(n: number) {
    this.mutate('Sheet.setFrozenRows');
    this.frozenRows = n;
  }
  protect() {
    this.mutate('Sheet.protect');
    const p = new FakeProtection(
      this,
      ENUMS.ProtectionType.SHEET,
      new FakeRange(this, 1, 1, this.maxRows, this.maxCols),
    );
    this.protections.push(p);
    return p;
  }
  getProtections = (type: string) => this.protections.filter((p) => p.type === String(type));
  getConditionalFormatRules = () => [...this.rules];
  setConditionalFormatRules(rules: FakeRule[]) {
    this.mutate('Sheet.setConditionalFormatRules');
    this.rules = [...rules];
  }

  /** Test helper: row 1 as text. */
  headers(): string[] {
    return (this.cells[0] ?? []).map((v) => String(v ?? ''));
  }

  /** Test helper: data rows as header → stored value (blank cells left out). */
  records(): Record<string, Value>[] {
    const header = this.headers();
    const out: Record<string, Value>[] = [];
    for (let r = 2; r <= this.getLastRow(); r++) {
      const rec: Record<string, Value> = {};
      header.forEach((h, i) => {
        const v = this.stored(r, i + 1);
        if (h !== '' && v !== '') rec[h] = v;
      });
      out.push(rec);
    }
    return out;
  }

  dump(): unknown {
    const values = this.cells.map((line) => [...(line ?? [])].map((v) => v ?? ''));
    return {
      name: this.name,
      size: [this.maxRows, this.maxCols],
      frozenRows: this.frozenRows,
      values,
      formats: this.formats.dump((v) => v),
      validations: this.validations.dump((v) => v?.describe() ?? null),
      backgrounds: this.backgrounds.dump((v) => v),
      weights: this.weights.dump((v) => v),
      notes: [...this.notes].sort(([a], [b]) => a.localeCompare(b)),
      protections: this.protections.map((p) => p.describe()),
      rules: this.rules.map((r) => r.describe()),
    };
  }
}

export class FakeSpreadsheet {
  sheets: FakeSheet[] = [];
  readonly mutations: string[] = [];
  readonly toasts: { message: string; title: string }[] = [];
  flushes = 0;

  constructor(
    readonly id = '1FakeSpreadsheetId_abcdefghij',
    readonly timeZone = 'Asia/Shanghai',
    firstSheet = '工作表1',
  ) {
    this.sheets.push(new FakeSheet(this, firstSheet));
  }
  getId = () => this.id;
  getSpreadsheetTimeZone = () => this.timeZone;
  getSheetByName = (name: string) => this.sheets.find((s) => s.getName() === name) ?? null;
  getSheets = () => [...this.sheets];
  getNumSheets = () => this.sheets.length;
  insertSheet(name: string, index = this.sheets.length): FakeSheet {
    if (this.getSheetByName(name))
      throw new Error(
        `Exception: A sheet with the name "${name}" already exists. Please enter another name.`,
      );
    this.mutations.push(`insertSheet ${name}`);
    const sheet = new FakeSheet(this, name);
    this.sheets.splice(index, 0, sheet);
    return sheet;
  }
  toast(message: string, title = '') {
    this.toasts.push({ message, title });
  }
  sheet(name: string): FakeSheet {
    const s = this.getSheetByName(name);
    if (!s) throw new Error(`no sheet ${name}`);
    return s;
  }
  dump(): unknown {
    return this.sheets.map((s) => s.dump());
  }
}
