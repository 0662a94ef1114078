/** The workbook a command names: a local `.xlsx` file, or `--spreadsheet <id>`. */
import { existsSync } from 'node:fs';
import { createSheetsStore } from '../google/sheetsStore.ts';
import { XlsxFileStore } from '../local/xlsxStore.ts';
import type { WallSeconds } from '../../shared/calendar.ts';
import { workbookNow } from '../../shared/forms/submit.ts';
import { readWorkbookSettings } from '../../shared/validate/index.ts';
import type { Snapshot, WorkbookStore } from '../sync/store.ts';
import { nowOption, UsageError } from './args.ts';

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

/** Options of a command that only reads a workbook as of a moment. */
export const READ_OPTIONS = {
  now: { type: 'string' },
  json: { type: 'boolean' },
  spreadsheet: { type: 'string' },
} as const;

/**
 * Reads the workbook a command names (only `tabs`, when given) and the moment it is read
 * as of: `--now` in the workbook's time zone, else the clock.
 */
export async function readAsOf(
  file: string | undefined,
  values: { now?: string; spreadsheet?: string },
  env: NodeJS.ProcessEnv,
  tabs?: readonly string[],
): Promise<{ snapshot: Snapshot; wall: WallSeconds }> {
  const now = nowOption(values.now);
  const store = workbookStore(file, values.spreadsheet, env);
  const snapshot = await store.exclusive(() => store.read(tabs));
  const timeZone = snapshot.timeZone ?? readWorkbookSettings(snapshot.input, []).timeZone;
  const wall = now ? now(timeZone) : workbookNow(snapshot.input, Date.now(), snapshot.timeZone);
  return { snapshot, wall };
}
