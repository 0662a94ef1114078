/**
 * 预览分层变化 in the add-on: for a 经理 or 管理员, a sidebar of who the current 分层规则
 * would move between tiers, with counts — the same list as `crm-sync preview`, from the
 * open spreadsheet, writing nothing.
 */
import { workbookNow } from '../../../shared/forms/submit.ts';
import { decide } from '../../../shared/permissions.ts';
import { computeRules } from '../../../shared/rules/index.ts';
import { previewTiers, type TierPreview } from '../../../shared/rules/tierPreview.ts';
import { tiersAsRead } from '../../../shared/sync/plan.ts';
import { validateWorkbook } from '../../../shared/validate/index.ts';
import type { Spreadsheet } from './gas.ts';
import { readTabs } from './read.ts';
import { identify, TABS_READ } from './worklist.ts';

export type TierPreviewReply = ({ ok: true } & TierPreview) | { ok: false; message: string };

export function tierPreview(ss: Spreadsheet, email: string, nowMs: number): TierPreviewReply {
  const who = identify(ss, email);
  if (!who.ok) return who;
  const allowed = decide(who.person, 'editConfig');
  if (!allowed.ok) return { ok: false, message: allowed.reason };
  const input = readTabs(ss, TABS_READ);
  const timeZone = ss.getSpreadsheetTimeZone();
  const now = workbookNow(input, nowMs, timeZone);
  const validated = validateWorkbook(input, now, { timeZone });
  const rules = computeRules(validated.dataset, now);
  if (!rules.tiersValid)
    return {
      ok: false,
      message: '分层规则有错误，无法预览：请先点“立即同步”，并修正“数据问题”中列出的分层规则行',
    };
  return {
    ok: true,
    ...previewTiers(validated.dataset.customers, rules.customers, tiersAsRead(input, validated)),
  };
}

const escape = (s: string): string =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** The sidebar: counts per move first, then each customer; at most 500 listed. */
export function tierPreviewHtml(reply: TierPreviewReply): string {
  let body: string;
  if (!reply.ok) body = `<p class="msg">${escape(reply.message)}</p>`;
  else if (reply.moves.length === 0)
    body = `<p>${reply.customers} 个客户的客户分层都不会变化。</p>`;
  else {
    const shown = reply.moves.slice(0, 500);
    body =
      `<p>${reply.customers} 个客户中有 <b>${reply.moves.length}</b> 个的客户分层会变化（仅预览，未写入）：</p>` +
      `<table><thead><tr><th>原分层</th><th>新分层</th><th>客户数</th></tr></thead><tbody>${reply.counts
        .map(
          (c) =>
            `<tr><td>${escape(c.from)}</td><td>${escape(c.to)}</td><td class="n">${c.count}</td></tr>`,
        )
        .join('')}</tbody></table>` +
      `<h2>明细</h2><ul>${shown
        .map(
          (m) =>
            `<li><span class="id">${escape(m.id)}</span> ${escape(m.name)}<br><small>${escape(m.from)} → ${escape(m.to)}</small></li>`,
        )
        .join('')}</ul>` +
      (reply.moves.length > shown.length
        ? `<p><small>另有 ${reply.moves.length - shown.length} 个未列出；完整清单请用 crm-sync preview。</small></p>`
        : '');
  }
  const css =
    'body{font:14px/1.5 "Noto Sans CJK SC",sans-serif;margin:12px;color:#202124}' +
    'table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid #dadce0;padding:4px 6px;text-align:left}' +
    'td.n,th:last-child{text-align:right}h2{font-size:14px;margin:16px 0 4px}ul{list-style:none;padding:0;margin:0}' +
    'li{padding:6px 0;border-bottom:1px solid #f1f3f4}.id{color:#5f6368}.msg{color:#b3261e}';
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><style>${css}</style></head><body>${body}</body></html>`;
}
