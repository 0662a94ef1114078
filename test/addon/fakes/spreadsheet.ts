/**
 * An in-memory SpreadsheetApp: sheets are real grids with the formatting, validation,
 * protection and conditional-format state the add-on touches, and the quirks that bite
 * in Sheets (getRange past the edge throws, date cells read back as Date objects,
 * strings typed into a cell are parsed unless they start with an apostrophe,
 * Sheet.protect() hands back the sheet's existing protection).
 *
 * Each fake implements the add-on's slice of the official Apps Script interface
 * (addon/src/server/gas.ts), so a call the add-on makes that Apps Script does not have,
 * or a fake that answers differently typed, fails the type check. Methods beyond the
 * slice are test helpers.
 */
import { secondsToSerial, serialToSeconds, wallClock } from '../../../shared/calendar.ts';
import type {
  BooleanCondition,
  Cell,
  ConditionalFormatRule,
  ConditionalFormatRuleBuilder,
  DataValidation,
  DataValidationBuilder,
  FontWeight,
  Protection,
  Range,
  User,
  RangeList,
  RichTextValue,
  Sheet,
  Spreadsheet,
} from '../../../addon/src/server/gas.ts';

export type Value = Cell;
type ProtectionType = GoogleAppsScript.Spreadsheet.ProtectionType;
type ValidationCriteria = GoogleAppsScript.Spreadsheet.DataValidationCriteria;
type BooleanCriteria = GoogleAppsScript.Spreadsheet.BooleanCriteria;

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

const clocks = new Map<string, (ms: number) => number>();
const clockOf = (zone: string) => {
  let clock = clocks.get(zone);
  if (!clock) clocks.set(zone, (clock = wallClock(zone)));
  return clock;
};

/** A serial number's wall time in a zone as the instant Apps Script's Date would hold. */
export function serialToDate(serial: number, timeZone: string): Date {
  const wallMs = serialToSeconds(serial, 'sheets')! * 1000;
  const clock = clockOf(timeZone);
  let instant = wallMs;
  for (let i = 0; i < 3; i++) instant = wallMs - (clock(instant) * 1000 - instant);
  return new Date(instant);
}

export function dateToSerial(d: Date, timeZone: string): number {
  return secondsToSerial(clockOf(timeZone)(d.getTime()));
}

/**
 * Apps Script's enum values are opaque objects whose String() is their name; the fakes
 * use the names, typed as the official enums.
 */
export function enumOf<E>(...names: string[]): E {
  return Object.fromEntries(names.map((n) => [n, n])) as E;
}

export const ENUMS = {
  ProtectionType: enumOf<typeof GoogleAppsScript.Spreadsheet.ProtectionType>('RANGE', 'SHEET'),
  DataValidationCriteria: enumOf<typeof GoogleAppsScript.Spreadsheet.DataValidationCriteria>(
    'VALUE_IN_LIST',
    'VALUE_IN_RANGE',
  ),
  BooleanCriteria: enumOf<typeof GoogleAppsScript.Spreadsheet.BooleanCriteria>('TEXT_EQUAL_TO'),
};

/**
 * Calls a script makes on the spreadsheet, its sheets, ranges and protections, in order.
 * Calls the fakes make among themselves are not counted.
 */
export class CallLog {
  readonly calls: string[] = [];
  private depth = 0;
  /** milliseconds spent inside the fakes, to tell the script's own time from theirs */
  fakeMs = 0;

  wrap<T extends object>(target: T, kind: string): T {
    return new Proxy(target, {
      get: (t, key) => {
        const v: unknown = Reflect.get(t, key, t);
        if (typeof v !== 'function' || typeof key !== 'string') return v;
        return (...args: unknown[]) => {
          if (this.depth > 0) return (v as (...a: unknown[]) => unknown).apply(t, args);
          this.calls.push(`${kind}.${key}`);
          const start = performance.now();
          this.depth++;
          try {
            return (v as (...a: unknown[]) => unknown).apply(t, args);
          } finally {
            this.depth--;
            this.fakeMs += performance.now() - start;
          }
        };
      },
    });
  }
}

/**
 * Calls answered by the object a script already holds: a range's or sheet's own
 * coordinates and name, and the sheet's size and frozen rows, which come with the sheet
 * (one SheetProperties in the Sheets API). Every other call reaches the spreadsheet.
 */
const LOCAL = new Set([
  'Sheet.getRange',
  'Sheet.getRangeList',
  'Sheet.getName',
  'Sheet.getMaxRows',
  'Sheet.getMaxColumns',
  'Sheet.getFrozenRows',
  'Spreadsheet.getId',
  'Range.getRow',
  'Range.getColumn',
  'Range.getNumRows',
  'Range.getNumColumns',
  'Range.getA1Notation',
  'Range.getSheet',
]);

export const reaching = (calls: readonly string[]): string[] => calls.filter((c) => !LOCAL.has(c));

const isDateFormat = (f: string) => /[yd]/i.test(f.replace(/"[^"]*"/g, ''));

export function columnLetters(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

const columnNumber = (letters: string): number =>
  [...letters].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0);

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
  grow(lastRow: number, newLast: number): void {
    for (const e of this.entries) if (e.r2 === lastRow) e.r2 = newLast;
  }
  dump(show: (v: T) => unknown): unknown[] {
    return this.entries
      .map((e) => ({ at: `${e.r1},${e.c1}:${e.r2},${e.c2}`, value: show(e.value) }))
      .sort((a, b) => a.at.localeCompare(b.at));
  }
}

const qualifiedA1 = (r: Range) => `${r.getSheet().getName()}!${r.getA1Notation()}`;

export class FakeValidation implements DataValidation {
  constructor(
    readonly type: ValidationCriteria,
    readonly values: unknown[],
    readonly allowInvalid: boolean,
  ) {}
  getCriteriaType = () => this.type;
  getCriteriaValues = () => [...this.values];
  getAllowInvalid = () => this.allowInvalid;
  describe(): unknown {
    return {
      type: this.type,
      values: this.values.map((v) => (v instanceof FakeRange ? qualifiedA1(v) : v)),
      allowInvalid: this.allowInvalid,
    };
  }
}

export class FakeValidationBuilder implements DataValidationBuilder {
  private type: ValidationCriteria | null = null;
  private values: unknown[] = [];
  // Sheets' default: show a warning, do not reject.
  private allowInvalid = true;
  requireValueInList(values: string[], showDropdown = true) {
    this.type = ENUMS.DataValidationCriteria.VALUE_IN_LIST;
    this.values = [[...values], showDropdown];
    return this;
  }
  requireValueInRange(range: Range, showDropdown = true) {
    this.type = ENUMS.DataValidationCriteria.VALUE_IN_RANGE;
    this.values = [range, showDropdown];
    return this;
  }
  setAllowInvalid(allow: boolean) {
    this.allowInvalid = allow;
    return this;
  }
  build() {
    if (this.type === null) throw new Error('Exception: The data validation rule has no criteria.');
    return new FakeValidation(this.type, this.values, this.allowInvalid);
  }
}

export class FakeRule implements ConditionalFormatRule {
  constructor(
    readonly condition: { type: BooleanCriteria; values: unknown[]; background: string | null },
    readonly ranges: Range[],
  ) {}
  getBooleanCondition(): BooleanCondition {
    const c = this.condition;
    return { getCriteriaType: () => c.type, getCriteriaValues: () => [...c.values] };
  }
  getRanges = () => [...this.ranges];
  describe(): unknown {
    return { ...this.condition, ranges: this.ranges.map((r) => r.getA1Notation()) };
  }
}

export class FakeRuleBuilder implements ConditionalFormatRuleBuilder {
  private condition: FakeRule['condition'] | null = null;
  private background: string | null = null;
  private ranges: Range[] = [];
  whenTextEqualTo(text: string) {
    this.condition = {
      type: ENUMS.BooleanCriteria.TEXT_EQUAL_TO,
      values: [text],
      background: null,
    };
    return this;
  }
  setBackground(color: string | null) {
    this.background = color;
    return this;
  }
  setRanges(ranges: Range[]) {
    this.ranges = [...ranges];
    return this;
  }
  build() {
    if (!this.condition)
      throw new Error('Exception: The conditional format rule has no condition.');
    return new FakeRule({ ...this.condition, background: this.background }, this.ranges);
  }
}

/** An account as Apps Script hands it back: answering its email needs no further call. */
export const fakeUser = (email: string): User => ({ getEmail: () => email });

export class FakeProtection implements Protection {
  private description = '';
  private warningOnly = false;
  /** As in Sheets: a new protection is editable by the owner and by whoever made it. */
  editors: string[];
  domainEdit = true;
  constructor(
    private readonly sheet: FakeSheet,
    readonly type: ProtectionType,
    private range: Range,
  ) {
    const ss = sheet.ss;
    this.editors = [...new Set([ss.owner, ss.actingUser].filter((e): e is string => !!e))];
    return sheet.ss.log.wrap(this, 'Protection');
  }
  getEditors = () => this.editors.map(fakeUser);
  addEditors(emails: string[]) {
    this.sheet.mutate('Protection.addEditors');
    for (const e of emails) {
      if (!/^[^\s@]+@[^\s@]+$/.test(e)) throw new Error(`Exception: Invalid email: ${e}`);
      if (!this.editors.includes(e.toLowerCase())) this.editors.push(e.toLowerCase());
    }
    return this;
  }
  removeEditors(emails: string[]) {
    this.sheet.mutate('Protection.removeEditors');
    // The owner always stays an editor.
    const gone = new Set(
      emails.map((e) => e.toLowerCase()).filter((e) => e !== this.sheet.ss.owner),
    );
    this.editors = this.editors.filter((e) => !gone.has(e));
    return this;
  }
  canDomainEdit = () => this.domainEdit;
  setDomainEdit(editable: boolean) {
    this.sheet.mutate('Protection.setDomainEdit');
    this.domainEdit = editable;
    return this;
  }
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
  setRange(range: Range) {
    if (this.type === ENUMS.ProtectionType.SHEET)
      throw new Error('Exception: A sheet protection cannot be given a range.');
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

export class FakeRange implements Range {
  constructor(
    readonly sheet: FakeSheet,
    readonly row: number,
    readonly col: number,
    readonly numRows: number,
    readonly numCols: number,
  ) {
    return sheet.ss.log.wrap(this, 'Range');
  }
  get rect(): Rect {
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
  private grid<T>(cell: (r: number, c: number) => T): T[][] {
    const out: T[][] = [];
    for (let r = this.row; r < this.row + this.numRows; r++) {
      const line: T[] = [];
      for (let c = this.col; c < this.col + this.numCols; c++) line.push(cell(r, c));
      out.push(line);
    }
    return out;
  }
  private fits(values: unknown[][]): void {
    if (values.length !== this.numRows || values.some((l) => l.length !== this.numCols))
      throw new Error(
        `Exception: The number of rows or columns in the data does not match the range ${this.getA1Notation()}.`,
      );
  }
  getRow = () => this.row;
  getColumn = () => this.col;
  getNumRows = () => this.numRows;
  getNumColumns = () => this.numCols;
  getSheet = (): FakeSheet => this.sheet;
  getA1Notation(): string {
    const { r1, r2, c1, c2 } = this.rect;
    const a = `${columnLetters(c1)}${r1}`;
    return r1 === r2 && c1 === c2 ? a : `${a}:${columnLetters(c2)}${r2}`;
  }

  getValues = (): Value[][] => this.grid((r, c) => this.sheet.read(r, c));
  getRichTextValues = (): (RichTextValue | null)[][] =>
    this.grid((r, c) => {
      const v = this.sheet.read(r, c);
      if (typeof v !== 'string') return null;
      const bold = (this.sheet.weights.get(r, c) ?? 'normal') === 'bold';
      return { getText: () => v, getTextStyle: () => ({ isBold: () => bold }) };
    });
  setValues(values: Value[][]) {
    this.fits(values);
    this.sheet.mutate('Range.setValues');
    values.forEach((line, i) =>
      line.forEach((v, j) => this.sheet.write(this.row + i, this.col + j, v)),
    );
    return this;
  }
  getNumberFormats = () => this.grid((r, c) => this.sheet.formats.get(r, c) ?? 'General');
  setNumberFormat(f: string) {
    this.sheet.mutate('Range.setNumberFormat');
    this.sheet.formats.set(this.rect, f);
    return this;
  }
  setNumberFormats(formats: string[][]) {
    this.fits(formats);
    this.sheet.mutate('Range.setNumberFormats');
    this.each((r, c) => {
      const f = formats[r - this.row]![c - this.col]!;
      if ((this.sheet.formats.get(r, c) ?? 'General') !== f)
        this.sheet.formats.set({ r1: r, r2: r, c1: c, c2: c }, f);
    });
    return this;
  }
  getDataValidations = () => this.grid((r, c) => this.sheet.validations.get(r, c) ?? null);
  setDataValidation(rule: DataValidation | null) {
    this.sheet.mutate('Range.setDataValidation');
    this.sheet.validations.set(this.rect, rule);
    return this;
  }
  getBackgrounds = () => this.grid((r, c) => this.sheet.backgrounds.get(r, c) ?? '#ffffff');
  setBackground(color: string | null) {
    this.sheet.mutate('Range.setBackground');
    this.sheet.backgrounds.set(this.rect, color ?? '#ffffff');
    return this;
  }
  getFontWeights = () =>
    this.grid((r, c) => (this.sheet.weights.get(r, c) ?? 'normal') as FontWeight);
  setFontWeights(weights: (FontWeight | null)[][]) {
    this.fits(weights);
    this.sheet.mutate('Range.setFontWeights');
    this.each((r, c) => {
      const w = weights[r - this.row]![c - this.col] ?? 'normal';
      if ((this.sheet.weights.get(r, c) ?? 'normal') !== w)
        this.sheet.weights.set({ r1: r, r2: r, c1: c, c2: c }, w);
    });
    return this;
  }
  getNotes = () => this.grid((r, c) => this.sheet.notes.get(`${r},${c}`) ?? '');
  setNotes(notes: (string | null)[][]) {
    this.fits(notes);
    this.sheet.mutate('Range.setNotes');
    this.each((r, c) => this.sheet.setNote(r, c, notes[r - this.row]![c - this.col] ?? ''));
    return this;
  }
  protect() {
    this.sheet.mutate('Range.protect');
    const p = new FakeProtection(this.sheet, ENUMS.ProtectionType.RANGE, this);
    this.sheet.protections.push(p);
    return p;
  }

  // Test helpers: one cell's state, as a person would see it.
  getValue = () => this.sheet.read(this.row, this.col);
  getNumberFormat = () => this.getNumberFormats()[0]![0]!;
  getDataValidation = () => this.sheet.validations.get(this.row, this.col) ?? null;
  getBackground = () => this.getBackgrounds()[0]![0]!;
  getNote = () => this.getNotes()[0]![0]!;
  getFontWeight = () => this.getFontWeights()[0]![0]!;
  setNote(note: string) {
    this.sheet.mutate('Range.setNote');
    this.each((r, c) => this.sheet.setNote(r, c, note));
    return this;
  }
}

export class FakeRangeList implements RangeList {
  constructor(
    private readonly sheet: FakeSheet,
    readonly ranges: FakeRange[],
  ) {
    return sheet.ss.log.wrap(this, 'RangeList');
  }
  setNumberFormat(format: string) {
    this.sheet.mutate('RangeList.setNumberFormat');
    for (const r of this.ranges) this.sheet.formats.set(r.rect, format);
    return this;
  }
  setBackground(color: string | null) {
    this.sheet.mutate('RangeList.setBackground');
    for (const r of this.ranges) this.sheet.backgrounds.set(r.rect, color ?? '#ffffff');
    return this;
  }
}

export class FakeSheet implements Sheet {
  private cells: Value[][] = [];
  maxRows = 1000;
  maxCols = 26;
  frozenRows = 0;
  readonly formats = new Layer<string>();
  readonly validations = new Layer<DataValidation | null>();
  readonly backgrounds = new Layer<string>();
  readonly weights = new Layer<string>();
  readonly notes = new Map<string, string>();
  protections: FakeProtection[] = [];
  rules: ConditionalFormatRule[] = [];
  private static nextId = 1_000;
  private readonly sheetId = FakeSheet.nextId++;

  constructor(
    readonly ss: FakeSpreadsheet,
    private name: string,
  ) {
    return ss.log.wrap(this, 'Sheet');
  }

  mutate(what: string): void {
    this.ss.mutations.push(`${this.name}: ${what}`);
  }

  getSheetId(): number {
    return this.sheetId;
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

  setNote(r: number, c: number, note: string): void {
    if (note === '') this.notes.delete(`${r},${c}`);
    else this.notes.set(`${r},${c}`, note);
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
  /** A1 references like B2:B1000 or C1 (what the add-on passes). */
  getRangeList(a1Notations: string[]): FakeRangeList {
    const ranges = a1Notations.map((a1) => {
      const m = /^([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?$/.exec(a1);
      if (!m) throw new Error(`Exception: Range not found: ${a1}`);
      const [c1, r1] = [columnNumber(m[1]!), Number(m[2])];
      const [c2, r2] = m[3] ? [columnNumber(m[3]), Number(m[4])] : [c1, r1];
      return this.getRange(r1, c1, r2 - r1 + 1, c2 - c1 + 1);
    });
    return new FakeRangeList(this, ranges);
  }
  getDataRange(): FakeRange {
    return this.getRange(1, 1, Math.max(1, this.getLastRow()), Math.max(1, this.getLastColumn()));
  }
  insertRowsAfter(after: number, howMany: number) {
    if (after !== this.maxRows) throw new Error('fake: rows can only be added at the bottom');
    this.mutate('Sheet.insertRowsAfter');
    for (const layer of [this.formats, this.validations, this.backgrounds, this.weights])
      (layer as Layer<unknown>).grow(this.maxRows, this.maxRows + howMany);
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
  /** As in Apps Script: the sheet's protection if it has one, else a new one. */
  protect() {
    const existing = this.protections.find((p) => p.type === ENUMS.ProtectionType.SHEET);
    if (existing) return existing;
    this.mutate('Sheet.protect');
    const p = new FakeProtection(
      this,
      ENUMS.ProtectionType.SHEET,
      new FakeRange(this, 1, 1, this.maxRows, this.maxCols),
    );
    this.protections.push(p);
    return p;
  }
  getProtections = (type: ProtectionType) =>
    this.protections.filter((p) => String(p.type) === String(type));
  getConditionalFormatRules = () => [...this.rules];
  setConditionalFormatRules(rules: ConditionalFormatRule[]) {
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

  /**
   * Test helper: fills rows from row 2 on without counting as script calls, growing the
   * sheet as a person pasting them would, with blank rows to spare below.
   */
  fill(rows: Value[][], spare = 100): void {
    const width = Math.max(...rows.map((r) => r.length));
    const last = this.maxRows;
    if (rows.length + 1 + spare > this.maxRows) this.maxRows = rows.length + 1 + spare;
    for (const layer of [this.formats, this.validations, this.backgrounds, this.weights])
      (layer as Layer<unknown>).grow(last, this.maxRows);
    rows.forEach((line, i) => line.forEach((v, j) => this.write(i + 2, j + 1, v)));
    if (width > this.maxCols) this.maxCols = width;
  }

  dump(): unknown {
    const values = this.cells.map((line) => [...(line ?? [])].map((v) => v ?? ''));
    return {
      name: this.name,
      size: [this.maxRows, this.maxCols],
      frozenRows: this.frozenRows,
      values,
      formats: this.formats.dump((v) => v),
      validations: this.validations.dump((v) => (v instanceof FakeValidation ? v.describe() : v)),
      backgrounds: this.backgrounds.dump((v) => v),
      weights: this.weights.dump((v) => v),
      notes: [...this.notes].sort(([a], [b]) => a.localeCompare(b)),
      protections: this.protections.map((p) => p.describe()),
      rules: this.rules.map((r) => (r instanceof FakeRule ? r.describe() : r)),
    };
  }
}

export class FakeSpreadsheet implements Spreadsheet {
  sheets: FakeSheet[] = [];
  readonly log = new CallLog();
  readonly mutations: string[] = [];
  readonly toasts: { message: string; title: string }[] = [];
  flushes = 0;
  /** the owner's email; null for a file in a shared drive */
  owner: string | null = 'li.ming@example.com';
  /** whoever runs the script (Session's user), who becomes an editor of what they protect */
  actingUser = 'li.ming@example.com';

  constructor(
    readonly id = '1FakeSpreadsheetId_abcdefghij',
    readonly timeZone = 'Asia/Shanghai',
    firstSheet = '工作表1',
  ) {
    this.sheets.push(new FakeSheet(this, firstSheet));
    return this.log.wrap(this, 'Spreadsheet');
  }
  /** every call a script made, in order */
  get calls(): readonly string[] {
    return this.log.calls;
  }
  getId = () => this.id;
  getOwner = () => (this.owner === null ? null : fakeUser(this.owner));
  getSpreadsheetTimeZone = () => this.timeZone;
  getSheetByName = (name: string) => this.sheets.find((s) => s.getName() === name) ?? null;
  getSheets = () => [...this.sheets];
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
