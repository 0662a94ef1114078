/**
 * `crm-sync sync`: exit 0 when the sync ran (data problems are counted, not fatal),
 * non-zero when it could not. With --json, stdout carries exactly one JSON object.
 */
import { runSync, type SyncSummary } from '../../sync/runSync.ts';
import { EXIT, nowOption, oneFile, parseCommandArgs, type Command } from '../args.ts';
import { workbookStore } from '../workbookArg.ts';
import { XlsxFileStore } from '../../local/xlsxStore.ts';
import { editorLockMessage, editorLockOf } from '../../local/officeLock.ts';
import { collectEagerly } from '../coldSyncHeap.ts';
import { ProgressLine } from '../progressLine.ts';

export function summaryObject(s: SyncSummary): Record<string, unknown> {
  const { result, rowsRead, cellsWritten, errors, warnings, durationMs } = s;
  return { result, rowsRead, cellsWritten, errors, warnings, durationMs };
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

export const syncCommand: Command = {
  name: 'sync',
  usage: 'sync <file.xlsx> | --spreadsheet <id>  [--now YYYY-MM-DDTHH:mm] [--json]',
  summary: 'compute every sync column and tab of a workbook and write them back',
  options: [
    '<file.xlsx>           the local workbook',
    '--spreadsheet <id>    a Google spreadsheet instead (credentials: GOOGLE_APPLICATION_CREDENTIALS)',
    '--now <time>          the sync’s clock, wall time in the workbook’s time zone (default: now)',
    '--json                print one summary object on stdout; log lines go to stderr',
  ],
  jsonFailure: {
    result: 'failed',
    rowsRead: 0,
    cellsWritten: 0,
    errors: 0,
    warnings: 0,
    durationMs: 0,
  },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      now: { type: 'string' },
      json: { type: 'boolean' },
      spreadsheet: { type: 'string' },
    });
    const now = nowOption(values.now);
    const store = workbookStore(oneFile(positionals), values.spreadsheet, io.env);
    if (store instanceof XlsxFileStore) {
      const lock = await editorLockOf(store.path);
      if (lock) io.stderr(`注意：${editorLockMessage(lock)}\n`);
    }
    if (io.ownsProcess) collectEagerly();
    const line = new ProgressLine({ write: io.stderr, isTTY: io.stderrIsTTY === true });
    const summary = await runSync(store, {
      source: '命令行',
      ...(now ? { now } : {}),
      progress: line.update,
    }).finally(() => line.done());
    io.stdout((values.json ? JSON.stringify(summaryObject(summary)) : summaryLine(summary)) + '\n');
    return EXIT.ok;
  },
};
