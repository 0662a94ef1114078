/// <reference types="google-apps-script" />
/**
 * The slice of Apps Script the add-on calls, as views of the official interfaces of
 * @types/google-apps-script: methods are picked from them, and a method that hands back
 * another Apps Script object is narrowed to that object's slice. The checks at the end
 * make the compiler prove every official object satisfies its slice, so a slice cannot
 * drift from Apps Script; the test fakes implement the slices, so they cannot either.
 *
 * Two places say less than the documentation and are widened here:
 * ScriptApp.getIdentityToken() is null without the openid scope, and
 * LockService.getDocumentLock() is null outside a document.
 */

type GS = typeof SpreadsheetApp;
type GRange = GoogleAppsScript.Spreadsheet.Range;
type GSheet = GoogleAppsScript.Spreadsheet.Sheet;
type GSpreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type GProtection = GoogleAppsScript.Spreadsheet.Protection;
type GValidation = GoogleAppsScript.Spreadsheet.DataValidation;
type GValidationBuilder = GoogleAppsScript.Spreadsheet.DataValidationBuilder;
type GRule = GoogleAppsScript.Spreadsheet.ConditionalFormatRule;
type GRuleBuilder = GoogleAppsScript.Spreadsheet.ConditionalFormatRuleBuilder;
type GCondition = GoogleAppsScript.Spreadsheet.BooleanCondition;
type GRangeList = GoogleAppsScript.Spreadsheet.RangeList;
type GRichText = GoogleAppsScript.Spreadsheet.RichTextValue;
type GTextStyle = GoogleAppsScript.Spreadsheet.TextStyle;
type GUi = GoogleAppsScript.Base.Ui;
type GMenu = GoogleAppsScript.Base.Menu;
type GHtmlOutput = GoogleAppsScript.HTML.HtmlOutput;
type GLock = GoogleAppsScript.Lock.Lock;
type GProperties = GoogleAppsScript.Properties.Properties;
type GResponse = GoogleAppsScript.URL_Fetch.HTTPResponse;

export type Cell = string | number | boolean | Date;
export type FontWeight = GoogleAppsScript.Spreadsheet.FontWeight;
export type AuthMode = GoogleAppsScript.Script.AuthMode;
export type FetchParams = GoogleAppsScript.URL_Fetch.URLFetchRequestOptions;

export type DataValidation = Pick<
  GValidation,
  'getCriteriaType' | 'getCriteriaValues' | 'getAllowInvalid'
>;

export interface DataValidationBuilder {
  requireValueInList(values: string[], showDropdown: boolean): DataValidationBuilder;
  requireValueInRange(range: Range, showDropdown: boolean): DataValidationBuilder;
  setAllowInvalid(allowInvalidData: boolean): DataValidationBuilder;
  build(): DataValidation;
}

export type BooleanCondition = Pick<GCondition, 'getCriteriaType' | 'getCriteriaValues'>;

export interface ConditionalFormatRule {
  getBooleanCondition(): BooleanCondition | null;
  getRanges(): Range[];
}

export interface ConditionalFormatRuleBuilder {
  whenTextEqualTo(text: string): ConditionalFormatRuleBuilder;
  setBackground(color: string | null): ConditionalFormatRuleBuilder;
  setRanges(ranges: Range[]): ConditionalFormatRuleBuilder;
  build(): ConditionalFormatRule;
}

/** An account as Apps Script names it (an editor, the owner). */
export type User = Pick<GoogleAppsScript.Base.User, 'getEmail'>;

export interface Protection extends Pick<
  GProtection,
  'getDescription' | 'isWarningOnly' | 'canDomainEdit'
> {
  setDescription(description: string): Protection;
  getEditors(): User[];
  addEditors(emailAddresses: string[]): Protection;
  removeEditors(emailAddresses: string[]): Protection;
  setDomainEdit(editable: boolean): Protection;
  setWarningOnly(warningOnly: boolean): Protection;
  getRange(): Range;
  setRange(range: Range): Protection;
  remove(): void;
}

export type TextStyle = Pick<GTextStyle, 'isBold'>;

export interface RichTextValue extends Pick<GRichText, 'getText'> {
  getTextStyle(): TextStyle;
}

export interface Range extends Pick<
  GRange,
  | 'getRow'
  | 'getColumn'
  | 'getNumRows'
  | 'getNumColumns'
  | 'getA1Notation'
  | 'getNumberFormats'
  | 'getBackgrounds'
  | 'getNotes'
  | 'getFontWeights'
> {
  getSheet(): Sheet;
  getValues(): Cell[][];
  /** null for a cell holding a number, date or boolean */
  getRichTextValues(): (RichTextValue | null)[][];
  setValues(values: Cell[][]): Range;
  setNumberFormats(numberFormats: string[][]): Range;
  getDataValidations(): (DataValidation | null)[][];
  setDataValidation(rule: DataValidation | null): Range;
  setNotes(notes: (string | null)[][]): Range;
  setFontWeights(fontWeights: (FontWeight | null)[][]): Range;
  protect(): Protection;
}

export interface RangeList extends Pick<GRangeList, never> {
  setNumberFormat(numberFormat: string): RangeList;
  setBackground(color: string | null): RangeList;
}

export interface Sheet extends Pick<
  GSheet,
  | 'getName'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getMaxRows'
  | 'getMaxColumns'
  | 'getFrozenRows'
  | 'setFrozenRows'
  | 'getSheetId'
> {
  getRange(row: number, column: number, numRows?: number, numColumns?: number): Range;
  getDataRange(): Range;
  getRangeList(a1Notations: string[]): RangeList;
  insertRowsAfter(afterPosition: number, howMany: number): Sheet;
  insertColumnsAfter(afterPosition: number, howMany: number): Sheet;
  protect(): Protection;
  getProtections(type: GoogleAppsScript.Spreadsheet.ProtectionType): Protection[];
  getConditionalFormatRules(): ConditionalFormatRule[];
  setConditionalFormatRules(rules: ConditionalFormatRule[]): void;
}

export interface Spreadsheet extends Pick<GSpreadsheet, 'getId' | 'getSpreadsheetTimeZone'> {
  /** null for a file in a shared drive, which has no owner */
  getOwner(): User | null;
  getSheetByName(name: string): Sheet | null;
  getSheets(): Sheet[];
  insertSheet(sheetName: string, sheetIndex: number): Sheet;
  toast(msg: string, title: string, timeoutSeconds: number | null): void;
}

export interface Menu extends Pick<GMenu, 'addToUi'> {
  addItem(caption: string, functionName: string): Menu;
  addSeparator(): Menu;
}

export interface HtmlOutput {
  getContent(): string;
  setContent(content: string): HtmlOutput;
  setTitle(title: string): HtmlOutput;
  setWidth(width: number): HtmlOutput;
  setHeight(height: number): HtmlOutput;
}

export interface Ui extends Pick<GUi, 'Button' | 'ButtonSet' | 'alert' | 'prompt'> {
  createMenu(caption: string): Menu;
  createAddonMenu(): Menu;
  showSidebar(userInterface: HtmlOutput): void;
  showModelessDialog(userInterface: HtmlOutput, title: string): void;
}

export type Lock = Pick<GLock, 'waitLock' | 'tryLock' | 'releaseLock' | 'hasLock'>;

export interface Properties extends Pick<GProperties, 'getProperty'> {
  setProperty(key: string, value: string): Properties;
}

export type HttpResponse = Pick<GResponse, 'getResponseCode' | 'getContentText'>;

export interface SpreadsheetService extends Pick<
  GS,
  'flush' | 'ProtectionType' | 'DataValidationCriteria' | 'BooleanCriteria'
> {
  getActiveSpreadsheet(): Spreadsheet;
  getUi(): Ui;
  newDataValidation(): DataValidationBuilder;
  newConditionalFormatRule(): ConditionalFormatRuleBuilder;
}

export interface HtmlService {
  createHtmlOutputFromFile(filename: string): HtmlOutput;
  createHtmlOutput(html: string): HtmlOutput;
}

export interface LockService {
  getDocumentLock(): Lock | null;
}

export interface PropertiesService {
  getDocumentProperties(): Properties;
}

export interface UrlFetchService {
  fetch(url: string, params: FetchParams): HttpResponse;
}

export interface ScriptService extends Pick<typeof ScriptApp, 'AuthMode' | 'requireScopes'> {
  getIdentityToken(): string | null;
}

export interface SessionService {
  getActiveUser(): { getEmail(): string };
}

/** The event of onOpen and onInstall, as far as the add-on reads it. */
export interface OpenEvent {
  authMode?: AuthMode;
}

/** True when T is assignable to U. */
type Satisfies<T, U> = [T] extends [U] ? true : false;
type Proven<T extends true[]> = T;

/** Compile-time only: every official object is usable where the add-on expects its slice. */
export type OfficialTypesSatisfySlices = Proven<
  [
    Satisfies<GRange, Range>,
    Satisfies<GSheet, Sheet>,
    Satisfies<GSpreadsheet, Spreadsheet>,
    Satisfies<GProtection, Protection>,
    Satisfies<GValidation, DataValidation>,
    Satisfies<GValidationBuilder, DataValidationBuilder>,
    Satisfies<GRule, ConditionalFormatRule>,
    Satisfies<GRuleBuilder, ConditionalFormatRuleBuilder>,
    Satisfies<GRangeList, RangeList>,
    Satisfies<GRichText, RichTextValue>,
    Satisfies<GUi, Ui>,
    Satisfies<GMenu, Menu>,
    Satisfies<GHtmlOutput, HtmlOutput>,
    Satisfies<GLock, Lock>,
    Satisfies<GProperties, Properties>,
    Satisfies<GResponse, HttpResponse>,
    Satisfies<GS, SpreadsheetService>,
    Satisfies<typeof HtmlService, HtmlService>,
    Satisfies<typeof LockService, LockService>,
    Satisfies<typeof PropertiesService, PropertiesService>,
    Satisfies<typeof UrlFetchApp, UrlFetchService>,
    Satisfies<typeof ScriptApp, ScriptService>,
    Satisfies<typeof Session, SessionService>,
    Satisfies<GoogleAppsScript.Events.SheetsOnOpen, OpenEvent>,
  ]
>;

/**
 * The services, looked up when called: at load time Apps Script has them, but a
 * module that read them eagerly could not even be imported by the build script.
 */
export const gas = {
  sheets: (): SpreadsheetService => SpreadsheetApp,
  html: (): HtmlService => HtmlService,
  lock: (): LockService => LockService,
  properties: (): PropertiesService => PropertiesService,
  fetch: (): UrlFetchService => UrlFetchApp,
  script: (): ScriptService => ScriptApp,
  session: (): SessionService => Session,
};
