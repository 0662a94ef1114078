/**
 * Who is calling: the add-on sends `Authorization: Bearer <Google ID token>`
 * (ScriptApp.getIdentityToken()), whose audience is its script's OAuth client ID; Cloud
 * Scheduler sends an OIDC token of a service account whose audience is the service's URL.
 * The audience must be one configured for the spreadsheet asked about, and the token's
 * verified email allowed for it.
 */
import type { Request } from 'express';
import { OAuth2Client, type TokenPayload } from 'google-auth-library';
import { HttpError } from '../http/errors.ts';
import {
  audiencesOf,
  findSpreadsheet,
  isAllowed,
  type CrmConfig,
  type SpreadsheetConfig,
} from './config.ts';

export interface Identity {
  email: string;
  /** Google's stable account ID */
  subject: string;
  /** whom the token was issued for: an add-on's client ID or the service's URL */
  audience: string;
}

export interface IdTokenAuthOptions {
  /**
   * Verification keys by key ID (PEM). When given, tokens are checked against these
   * instead of Google's published certificates: for tests and offline use.
   */
  certs?: Record<string, string>;
  /** where to fetch the PEM certificates from (default: Google's) */
  certsUrl?: string;
  /** a client to verify with; default: a new OAuth2Client */
  client?: OAuth2Client;
}

export interface IdTokenAuth {
  /** Verifies a raw ID token; throws HttpError 401. */
  verify(idToken: string): Promise<Identity>;
  /**
   * Checks the request's bearer token and that its account may use the spreadsheet;
   * throws HttpError 401 (no valid token) or 403 (not allowed). The spreadsheet ID is
   * the argument, else the JSON body's, the query's or the X-Spreadsheet-Id header's
   * `spreadsheetId`.
   */
  authenticate(
    req: Request,
    spreadsheetId?: string,
  ): Promise<Identity & { spreadsheet: SpreadsheetConfig }>;
}

const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);

/** Turns the library's verification errors into messages people can act on. */
function explain(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/Wrong recipient|audience/i.test(text))
    return '身份令牌不是发给本服务的（受众 aud 不在配置的 oauthClientIds 或 serviceUrl 中）：请把加载项脚本所在 Cloud 项目的 OAuth 客户端 ID 加入配置';
  if (/too late/i.test(text)) return '身份令牌已过期：请重新打开侧边栏或刷新页面后再试';
  if (/too early/i.test(text)) return '身份令牌尚未生效：请检查服务器时间';
  if (/too far in future/i.test(text)) return '身份令牌有效期过长，不予接受';
  if (/Invalid issuer/i.test(text)) return '身份令牌不是 Google 签发的';
  if (/No pem found|Invalid token signature|signature/i.test(text))
    return '身份令牌的签名无效（未签名、被篡改或不是 Google 的密钥）';
  if (/Wrong number of segments|parse token/i.test(text)) return '身份令牌格式不正确';
  if (/No issue time|No expiration time|invalid format/i.test(text))
    return '身份令牌缺少签发或过期时间';
  if (/certificates/i.test(text)) return '暂时无法获取 Google 的验证证书，请稍后再试';
  return '身份令牌无效';
}

/** The `spreadsheetId` a request is about, wherever the caller put it. */
export function spreadsheetIdOf(req: Request): string | undefined {
  const body = req.body as { spreadsheetId?: unknown } | undefined;
  if (body && typeof body === 'object' && typeof body.spreadsheetId === 'string')
    return body.spreadsheetId;
  const query = req.query?.spreadsheetId;
  if (typeof query === 'string') return query;
  return req.get('x-spreadsheet-id') ?? undefined;
}

export function createIdTokenAuth(
  config: CrmConfig,
  options: IdTokenAuthOptions = {},
): IdTokenAuth {
  const client =
    options.client ??
    new OAuth2Client(
      options.certsUrl ? { endpoints: { oauth2FederatedSignonPemCertsUrl: options.certsUrl } } : {},
    );
  // Any configured audience passes the signature check; the spreadsheet's own list is
  // checked once the request says which spreadsheet it is about.
  const audience = [
    ...new Set([
      ...audiencesOf(config, {}),
      ...config.spreadsheets.flatMap((s) => audiencesOf(config, s)),
    ]),
  ];

  const check = async (idToken: string): Promise<TokenPayload | undefined> => {
    if (options.certs) {
      const ticket = await client.verifySignedJwtWithCertsAsync(
        idToken,
        options.certs,
        audience,
        client.issuers,
      );
      return ticket.getPayload();
    }
    const ticket = await client.verifyIdToken({ idToken, audience });
    return ticket.getPayload();
  };

  const verify = async (idToken: string): Promise<Identity> => {
    let payload: TokenPayload | undefined;
    try {
      payload = await check(idToken);
    } catch (error) {
      throw unauthorized(explain(error));
    }
    if (!payload?.email) throw unauthorized('身份令牌中没有邮箱：加载项需要 userinfo.email 权限');
    if (payload.email_verified !== true)
      throw unauthorized(`账号 ${payload.email} 的邮箱未经 Google 验证`);
    return { email: payload.email.toLowerCase(), subject: payload.sub, audience: payload.aud };
  };

  return {
    verify,
    async authenticate(req, spreadsheetId) {
      const header = req.get('authorization') ?? '';
      const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
      if (!m)
        throw unauthorized(
          '缺少 Google 身份令牌：请求头应为 Authorization: Bearer <ID 令牌>（由表格加载项发送）',
        );
      if (/^(null|undefined)$/i.test(m[1]!))
        throw unauthorized(
          '加载项没有取得 Google 身份令牌：请在表格中重新打开加载项并授权它读取您的邮箱地址，然后再试',
        );
      const identity = await verify(m[1]!);
      const id = spreadsheetId ?? spreadsheetIdOf(req);
      if (!id) throw new HttpError(400, 'bad_request', '请求缺少 spreadsheetId（表格 ID）');
      const sheet = findSpreadsheet(config, id);
      if (!sheet)
        throw new HttpError(403, 'forbidden', `本服务未配置表格 ${id}：请管理员把它加入配置文件`);
      if (!audiencesOf(config, sheet).includes(identity.audience))
        throw new HttpError(
          403,
          'forbidden',
          `身份令牌的受众 ${identity.audience} 未配置给表格“${sheet.name}”：请管理员把该 OAuth 客户端 ID 加入此表格的 oauthClientIds`,
        );
      if (!isAllowed(sheet, identity.email))
        throw new HttpError(
          403,
          'forbidden',
          `账号 ${identity.email} 无权同步表格“${sheet.name}”：请管理员在配置文件的 allowed 中加入该邮箱或其 @域名`,
        );
      return { ...identity, spreadsheet: sheet };
    },
  };
}
