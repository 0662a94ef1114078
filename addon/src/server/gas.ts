/**
 * The slice of the Apps Script services the add-on calls, typed by hand so the build
 * needs no @types package and the test fakes can implement exactly this much.
 */

export type Cell = string | number | boolean | Date;

export interface DataValidation {
  getCriteriaType(): string;
  getCriteriaValues(): unknown[];
  getAllowInvalid(): boolean;
  getHelpText(): string | null;
}

export interface DataValidationBuilder {
  requireValueInList(values: string[], showDropdown?: boolean): DataValidationBuilder;
  requireValueInRange(range: Range, showDropdown?: boolean): DataValidationBuilder;
  setAllowInvalid(allow: boolean): DataValidationBuilder;
  setHelpText(text: string): DataValidationBuilder;
  build(): DataValidation;
}

export interface BooleanCondition {
  getCriteriaType(): string;
  getCriteriaValues(): unknown[];
  getBackground(): string | null;
  getFontColor(): string | null;
}

export interface ConditionalFormatRule {
  getBooleanCondition(): BooleanCondition | null;
  getRanges(): Range[];
}

export interface ConditionalFormatRuleBuilder {
  whenTextEqualTo(text: string): ConditionalFormatRuleBuilder;
  setBackground(color: string): ConditionalFormatRuleBuilder;
  setFontColor(color: string): ConditionalFormatRuleBuilder;
  setRanges(ranges: Range[]): ConditionalFormatRuleBuilder;
  build(): ConditionalFormatRule;
}

export interface Protection {
  getDescription(): string;
  setDescription(text: string): Protection;
  isWarningOnly(): boolean;
  setWarningOnly(warningOnly: boolean): Protection;
  getRange(): Range;
  setRange(range: Range): Protection;
}

export interface Range {
  getRow(): number;
  getColumn(): number;
  getNumRows(): number;
  getNumColumns(): number;
  getA1Notation(): string;
  getSheet(): Sheet;
  getValue(): Cell;
  getValues(): Cell[][];
  setValue(value: Cell): Range;
  setValues(values: Cell[][]): Range;
  getNumberFormat(): string;
  setNumberFormat(format: string): Range;
  getDataValidation(): DataValidation | null;
  setDataValidation(rule: DataValidation | null): Range;
  getBackground(): string;
  setBackground(color: string | null): Range;
  getNote(): string;
  setNote(note: string): Range;
  getFontWeight(): string;
  setFontWeight(weight: string): Range;
  protect(): Protection;
}

export interface Sheet {
  getName(): string;
  getRange(row: number, column: number, numRows?: number, numColumns?: number): Range;
  getDataRange(): Range;
  getLastRow(): number;
  getLastColumn(): number;
  getMaxRows(): number;
  getMaxColumns(): number;
  insertRowsAfter(afterPosition: number, howMany: number): Sheet;
  insertColumnsAfter(afterPosition: number, howMany: number): Sheet;
  getFrozenRows(): number;
  setFrozenRows(rows: number): void;
  protect(): Protection;
  getProtections(type: unknown): Protection[];
  getConditionalFormatRules(): ConditionalFormatRule[];
  setConditionalFormatRules(rules: ConditionalFormatRule[]): void;
}

export interface Spreadsheet {
  getId(): string;
  getSpreadsheetTimeZone(): string;
  getSheetByName(name: string): Sheet | null;
  getSheets(): Sheet[];
  insertSheet(name: string, index: number): Sheet;
  toast(message: string, title?: string, timeoutSeconds?: number): void;
}

export interface Menu {
  addItem(caption: string, functionName: string): Menu;
  addSeparator(): Menu;
  addToUi(): void;
}

export interface PromptResponse {
  getResponseText(): string;
  getSelectedButton(): unknown;
}

export interface Ui {
  createMenu(caption: string): Menu;
  showSidebar(output: HtmlOutput): void;
  alert(title: string, prompt: string, buttons: unknown): unknown;
  prompt(title: string, prompt: string, buttons: unknown): PromptResponse;
  ButtonSet: { OK: unknown; OK_CANCEL: unknown };
  Button: { OK: unknown; CANCEL: unknown; CLOSE: unknown };
}

export interface HtmlOutput {
  setTitle(title: string): HtmlOutput;
}

export interface Lock {
  waitLock(timeoutInMillis: number): void;
  releaseLock(): void;
  hasLock(): boolean;
}

export interface Properties {
  getProperty(key: string): string | null;
  setProperty(key: string, value: string): Properties;
}

export interface HttpResponse {
  getResponseCode(): number;
  getContentText(): string;
}

export interface FetchParams {
  method?: 'get' | 'post';
  contentType?: string;
  payload?: string;
  headers?: Record<string, string>;
  muteHttpExceptions?: boolean;
}

declare const SpreadsheetApp: {
  getActiveSpreadsheet(): Spreadsheet;
  getUi(): Ui;
  newDataValidation(): DataValidationBuilder;
  newConditionalFormatRule(): ConditionalFormatRuleBuilder;
  flush(): void;
  ProtectionType: { RANGE: unknown; SHEET: unknown };
  DataValidationCriteria: { VALUE_IN_LIST: unknown; VALUE_IN_RANGE: unknown };
  BooleanCriteria: { TEXT_EQUAL_TO: unknown };
};
declare const HtmlService: { createHtmlOutputFromFile(name: string): HtmlOutput };
declare const LockService: { getDocumentLock(): Lock };
declare const PropertiesService: { getDocumentProperties(): Properties };
declare const UrlFetchApp: { fetch(url: string, params?: FetchParams): HttpResponse };
declare const ScriptApp: { getIdentityToken(): string };
declare const Session: { getActiveUser(): { getEmail(): string } };

/**
 * The services, looked up when called: at load time Apps Script has them, but a
 * module that read them eagerly could not even be imported by the build script.
 */
export const gas = {
  sheets: () => SpreadsheetApp,
  html: () => HtmlService,
  lock: () => LockService,
  properties: () => PropertiesService,
  fetch: () => UrlFetchApp,
  script: () => ScriptApp,
  session: () => Session,
};
