/** The workbook a command names: a local `.xlsx` file, or `--spreadsheet <id>`. */
import { existsSync } from 'node:fs';
import { createSheetsStore } from '../google/sheetsStore.ts';
import { XlsxFileStore } from '../local/xlsxStore.ts';
import type { WorkbookStore } from '../sync/store.ts';
import { UsageError } from './args.ts';

/** Credentials (or the Sheets API emulator) for a spreadsheet come from `env`. */
export function workbookStore(
  file: string | undefined,
  spreadsheet: string | undefined,
  env: NodeJS.ProcessEnv,
): WorkbookStore {
  if (spreadsheet !== undefined && file === undefined)
    return createSheetsStore(spreadsheet, {}, env);
  if (file === undefined || spreadsheet !== undefined)
    throw new UsageError('应指定一个工作簿：<file.xlsx> 或 --spreadsheet <id>');
  if (!existsSync(file)) throw new Error(`找不到工作簿 ${file}（可先运行 crm-sync init ${file}）`);
  return new XlsxFileStore(file);
}
