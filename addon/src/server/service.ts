/**
 * Where the sync service is: a document property set in 设置, else the address the
 * add-on was built for. Apps Script only fetches URLs under the manifest's
 * urlFetchWhitelist, which is fixed at build time, so an address outside it is refused
 * here with a message instead of failing later inside UrlFetchApp.
 */
import { gas } from './gas.ts';

/** Replaced by the build (esbuild define); absent when the module is loaded by Node. */
declare const __CRM_SERVICE_URL__: string | undefined;

export const SERVICE_URL_PROPERTY = 'CRM_SERVICE_URL';
export const PLACEHOLDER_SERVICE_URL = 'https://crm-sync.example.com/';

/** The whitelist prefix of this build, ending in '/'. */
export function builtServiceUrl(): string {
  return typeof __CRM_SERVICE_URL__ === 'string' ? __CRM_SERVICE_URL__ : PLACEHOLDER_SERVICE_URL;
}

export type Checked = { ok: true; url: string } | { ok: false; message: string };

/** Scheme and host compare without case, as DNS does; the path keeps its case. */
const lowerOrigin = (url: string): string =>
  url.replace(/^https:\/\/[^/]+/i, (origin) => origin.toLowerCase());

/** An https origin with an optional path, no query or fragment; returned without a trailing '/'. */
export function checkServiceUrl(text: string, whitelist = builtServiceUrl()): Checked {
  const url = lowerOrigin(text.trim().replace(/\/+$/, ''));
  if (!/^https:\/\/[a-z0-9.-]+(:\d+)?(\/[^\s?#]*)?$/.test(url))
    return {
      ok: false,
      message: `“${text.trim()}”不是有效的服务地址：应以 https:// 开头，如 https://crm.example.com`,
    };
  if (!(url + '/').startsWith(lowerOrigin(whitelist)))
    return {
      ok: false,
      message:
        `加载项只被允许访问 ${whitelist} 下的地址：` +
        '请用 CRM_SERVICE_URL=<服务地址> npm run deploy:addon 重新部署后再设置',
    };
  return { ok: true, url };
}

/** The service URL to call, without a trailing '/', or null when none is usable. */
export function serviceUrl(): string | null {
  const stored = gas.properties().getDocumentProperties().getProperty(SERVICE_URL_PROPERTY);
  if (stored) return stored;
  const built = builtServiceUrl();
  if (built === PLACEHOLDER_SERVICE_URL) return null;
  const checked = checkServiceUrl(built);
  return checked.ok ? checked.url : null;
}

export const NO_SERVICE_MESSAGE = '还没有设置同步服务地址：请在“客户管理 → 设置”中填写';

/** The message of the service's JSON error body, or a fallback naming the HTTP status. */
export function errorMessage(status: number, body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string' && parsed.error.message !== '')
      return parsed.error.message;
  } catch {
    // Not JSON: a proxy's page, say. The status is all there is to show.
  }
  return `同步服务返回 HTTP ${status}`;
}
