/**
 * `crm-sync sync <file.xlsx> [--now …] [--json]`: exit 0 when the sync ran (data problems
 * are counted, not fatal), non-zero when it could not. With --json, stdout carries exactly
 * one JSON object and every log line goes to stderr.
 */
import { parseArgs } from 'node:util';
import { existsSync } from 'node:fs';
import { XlsxFileStore } from '../local/xlsxStore.ts';
import { createSheetsStore } from '../google/sheetsStore.ts';
import { runSync, type SyncSummary } from '../sync/runSync.ts';
import type { WorkbookStore } from '../sync/store.ts';
import { parseWallTime } from './init.ts';

const USAGE =
  'usage: crm-sync sync <file.xlsx> | --spreadsheet <id>  [--now YYYY-MM-DDTHH:mm] [--json]';

export function summaryJson(s: SyncSummary): string {
  const { result, rowsRead, cellsWritten, errors, warnings, durationMs } = s;
  return JSON.stringify({ result, rowsRead, cellsWritten, errors, warnings, durationMs });
}

export function summaryLine(s: SyncSummary): string {
  const verdict =
    s.result === 'success'
      ? '同步成功'
      : s.result === 'partial'
        ? '同步完成（有错误行未参与计算）'
        : '同步失败';
  return `${verdict}：读取 ${s.rowsRead} 行，写入 ${s.cellsWritten} 个单元格，${s.errors} 个错误，${s.warnings} 个警告，用时 ${s.durationMs} 毫秒`;
}

/** Runs one sync for the CLI and prints its outcome; returns the exit code. */
export async function syncForCli(
  store: WorkbookStore,
  nowText: string | undefined,
  json: boolean,
): Promise<number> {
  let now: ((tz: string) => number) | undefined;
  if (nowText !== undefined) {
    if (parseWallTime(nowText, 'UTC') === null) {
      process.stderr.write(
        `crm-sync sync: --now 应为 YYYY-MM-DDTHH:mm，收到 ${JSON.stringify(nowText)}\n`,
      );
      return 2;
    }
    now = (tz) => parseWallTime(nowText, tz)!;
  }
  try {
    const summary = await runSync(store, { source: '命令行', ...(now ? { now } : {}) });
    if (json) process.stdout.write(summaryJson(summary) + '\n');
    else process.stdout.write(summaryLine(summary) + '\n');
    return 0;
  } catch (e) {
    const message = (e as Error).message;
    process.stderr.write(`crm-sync sync: ${message}\n`);
    if (json) {
      process.stdout.write(
        JSON.stringify({
          result: 'failed',
          rowsRead: 0,
          cellsWritten: 0,
          errors: 0,
          warnings: 0,
          durationMs: 0,
          message,
        }) + '\n',
      );
    }
    return 1;
  }
}

export async function runSyncCommand(args: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        now: { type: 'string' },
        json: { type: 'boolean', default: false },
        spreadsheet: { type: 'string' },
      },
    });
  } catch (e) {
    process.stderr.write(`crm-sync sync: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const [file, ...rest] = parsed.positionals;
  const json = parsed.values.json === true;
  const spreadsheet = parsed.values.spreadsheet;
  if (spreadsheet !== undefined && !file) {
    // Credentials (or the emulator variables) come from the environment; the time zone
    // from the spreadsheet itself.
    let store;
    try {
      store = createSheetsStore(spreadsheet);
    } catch (e) {
      process.stderr.write(`crm-sync sync: ${(e as Error).message}\n`);
      return 1;
    }
    return syncForCli(store, parsed.values.now, json);
  }
  if (!file || rest.length > 0 || spreadsheet !== undefined) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (!existsSync(file)) {
    process.stderr.write(`crm-sync sync: 找不到工作簿 ${file}（可先运行 crm-sync init ${file}）\n`);
    return 1;
  }
  return syncForCli(new XlsxFileStore(file), parsed.values.now, json);
}
