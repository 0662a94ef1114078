/** 立即同步: asks the sync service to sync this spreadsheet, as the signed-in person. */
import type { SyncSummaryWire } from '../../../shared/sync/summary.ts';
import { gas, type Spreadsheet } from './gas.ts';
import { errorMessage, NO_SERVICE_MESSAGE, serviceUrl } from './service.ts';

/** The service's summary, as far as the add-on shows it. */
export type SyncSummary = SyncSummaryWire;

export type SyncOutcome = { ok: true; message: string } | { ok: false; message: string };

export function summaryMessage(s: SyncSummary): string {
  const text =
    `读取 ${s.rowsRead} 行，写入 ${s.cellsWritten} 个单元格，` +
    `错误 ${s.errors} 个，警告 ${s.warnings} 个，用时 ${(s.durationMs / 1000).toFixed(1)} 秒`;
  if (s.result === 'success') return `同步完成：${text}`;
  return `同步完成，但有数据问题：${text}。详见“数据问题”工作表`;
}

export function requestSync(ss: Spreadsheet): SyncOutcome {
  const base = serviceUrl();
  if (!base) return { ok: false, message: NO_SERVICE_MESSAGE };
  let status: number;
  let body: string;
  try {
    const res = gas.fetch().fetch(base + '/api/sync', {
      method: 'post',
      contentType: 'application/json',
      payload: JSON.stringify({ spreadsheetId: ss.getId() }),
      // The service checks this token's audience (the script's OAuth client) and email.
      headers: { Authorization: 'Bearer ' + gas.script().getIdentityToken() },
      muteHttpExceptions: true,
    });
    status = res.getResponseCode();
    body = res.getContentText();
  } catch (e) {
    return {
      ok: false,
      message: `无法连接同步服务 ${base}：${e instanceof Error ? e.message : String(e)}`,
    };
  }
  if (status !== 200) return { ok: false, message: errorMessage(status, body) };
  try {
    return { ok: true, message: summaryMessage(JSON.parse(body) as SyncSummary) };
  } catch {
    return { ok: false, message: '同步服务的回答无法识别：请确认地址指向的是同步服务' };
  }
}
