/**
 * 导出报表 in the add-on: for a 经理 or 管理员, a small dialog with a PDF link per report
 * tab (报表, 销售分析), through the Sheets export endpoint. The download runs on the
 * person's own Google sign-in, so the add-on needs no Drive scope; anyone else is told
 * why not, as the service would say.
 */
import * as T from '../../../sheets-templates/tabs.ts';
import { decide } from '../../../shared/permissions.ts';
import { sheetsPdfUrl } from '../../../shared/reportExport.ts';
import type { Spreadsheet } from './gas.ts';
import { identify } from './worklist.ts';

export type ReportLinks =
  { ok: true; links: { tab: string; url: string }[] } | { ok: false; message: string };

const REPORT_TABS = [T.REPORTS.name, T.ANALYSIS.name];

export function reportLinks(ss: Spreadsheet, email: string): ReportLinks {
  const who = identify(ss, email);
  if (!who.ok) return who;
  const allowed = decide(who.person, 'exportReports');
  if (!allowed.ok) return { ok: false, message: allowed.reason };
  const links = REPORT_TABS.flatMap((tab) => {
    const sheet = ss.getSheetByName(tab);
    return sheet ? [{ tab, url: sheetsPdfUrl(ss.getId(), sheet.getSheetId()) }] : [];
  });
  if (links.length === 0)
    return { ok: false, message: '还没有“报表”和“销售分析”：请先点“立即同步”，同步后再导出' };
  return { ok: true, links };
}

const escape = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The dialog's page: a link per tab, opened in a new browser tab. */
export function reportDialogHtml(reply: ReportLinks): string {
  const body = reply.ok
    ? `<p>点击下载（A4 横向，一页宽）：</p><ul>${reply.links
        .map(
          (l) =>
            `<li><a href="${escape(l.url)}" target="_blank" rel="noopener">${escape(l.tab)}.pdf</a></li>`,
        )
        .join('')}</ul>`
    : `<p>${escape(reply.message)}</p>`;
  return `<!doctype html><html><head><meta charset="utf-8"><style>body{font:14px/1.6 sans-serif;margin:12px}a{color:#1a73e8}</style></head><body>${body}</body></html>`;
}
