/**
 * Validation: from the raw rows of a workbook (or records from a form or an import) to
 * typed rows and the problems of every bad cell, with the checks of
 * docs/rules.md#data-problems. Importers use this module; the parts live beside it.
 */
export type {
  ParseMemo,
  ParsedEntry,
  ParsedRow,
  SheetRow,
  TabResult,
  WorkbookInput,
} from './types.ts';
export { validateWorkbook, type Validated } from './dataset.ts';
export type { TabParse, ValidationLifecycle } from './lifecycle.ts';
export { validateRecord, validateRecords, type RecordProblem } from './records.ts';
export { readWorkbookSettings } from './config.ts';
export { seekRow } from './rowSeek.ts';
