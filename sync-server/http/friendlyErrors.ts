/**
 * A person who opens an address in a browser gets a page, never raw JSON: an unknown
 * page, or one that failed, says so in words with the way back to the forms and to
 * 我的待办. Scripts calling /api/* keep their JSON errors.
 */
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';

const CSS = `body{font:15px/1.6 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:0;background:#f6f8fa;color:#1f2328}
main{max-width:480px;margin:64px auto;padding:24px;background:#fff;border:1px solid #d0d7de;border-radius:8px}
h1{font-size:20px;margin:0 0 8px}p{margin:0 0 16px;color:#57606a}nav{display:flex;flex-wrap:wrap;gap:12px}a{color:#0969da}`;

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const TITLES: Readonly<Record<number, string>> = {
  403: '没有权限打开此页',
  404: '没有这个页面',
};

/** True when the request is a person's page view rather than an API call. */
export function wantsPage(req: Request): boolean {
  return (
    (req.method === 'GET' || req.method === 'HEAD') &&
    !req.path.startsWith('/api/') &&
    req.path !== '/api' &&
    req.accepts(['json', 'html']) === 'html'
  );
}

/** Answers a page view's error with a page; false when the request wants JSON. */
export function sendFriendlyError(
  req: Request,
  res: Response,
  status: number,
  message: string,
): boolean {
  if (!wantsPage(req)) return false;
  const title = TITLES[status] ?? '页面暂时打不开';
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · 表格客户管理</title><style>${CSS}</style></head>
<body><main><h1>${title}</h1><p>${escapeHtml(message)}</p>
<nav><a href="/">我的待办</a><a href="/forms">全部表单</a><a href="/login">登录</a></nav></main></body></html>
`;
  const styleHash = createHash('sha256').update(CSS, 'utf8').digest('base64');
  res
    .status(status)
    .set({
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': `default-src 'none'; style-src 'sha256-${styleHash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'X-Frame-Options': 'DENY',
    })
    .send(html);
  return true;
}
