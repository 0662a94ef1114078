/**
 * The add-on's Google ID tokens, verified offline: the test makes its own RSA keys and
 * signs RS256 tokens with them; the verifier gets the public keys either directly or
 * from the fake's certificate endpoint (the path OAuth2Client.verifyIdToken takes).
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseConfig, type CrmConfig } from '../../sync-server/google/config.ts';
import { createIdTokenAuth, type IdTokenAuth } from '../../sync-server/google/idToken.ts';
import { createApp } from '../../sync-server/http/app.ts';
import { HttpError } from '../../sync-server/http/errors.ts';
import type { SyncSummary } from '../../sync-server/sync/runSync.ts';
import { FakeSheetsApi } from '../fakes/sheetsApi.ts';
import { claimsFor, KID, nowSeconds, PEM, sign, strangerKeys } from './tokens.ts';

const CLIENT_ID = '123456789-addon.apps.googleusercontent.com';
const claims = (overrides: Record<string, unknown> = {}) => claimsFor(CLIENT_ID, overrides);
const SHEET = '1SalesEastAbCdEfGhIjKlMnOp';
const OTHER_SHEET = '1SupportNorthAbCdEfGhIjKl';

const config: CrmConfig = parseConfig({
  oauthClientId: CLIENT_ID,
  spreadsheets: [
    { id: SHEET, name: '华东销售', allowed: ['lead@partner.cn', '@example.com'] },
    { id: OTHER_SHEET, name: '华北客服', allowed: ['boss@example.org'] },
  ],
});

const pem = PEM;

/** An Express request with only what authenticate() reads. */
function request(token: string | undefined, spreadsheetId?: string): express.Request {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return {
    body: spreadsheetId === undefined ? undefined : { spreadsheetId },
    query: {},
    get: (name: string) => headers[name.toLowerCase()],
  } as unknown as express.Request;
}

async function failure(p: Promise<unknown>): Promise<HttpError> {
  const e = await p.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(HttpError);
  return e as HttpError;
}

const auth: IdTokenAuth = createIdTokenAuth(config, { certs: { [KID]: pem } });

describe('ID tokens with the keys given', () => {
  test('a valid token of an allowed account is served', async () => {
    const who = await auth.authenticate(request(sign(claims()), SHEET));
    expect(who.email).toBe('ming.li@example.com');
    expect(who.spreadsheet.name).toBe('华东销售');
    const exact = await auth.authenticate(
      request(sign(claims({ email: 'Lead@Partner.cn' })), SHEET),
    );
    expect(exact.email).toBe('lead@partner.cn');
  });

  test('no token → 401 saying what to send', async () => {
    const e = await failure(auth.authenticate(request(undefined, SHEET)));
    expect(e.status).toBe(401);
    expect(e.message).toMatch(/Authorization: Bearer/);
  });

  test('another audience → 401', async () => {
    const e = await failure(
      auth.authenticate(
        request(sign(claims({ aud: 'someone-else.apps.googleusercontent.com' })), SHEET),
      ),
    );
    expect(e.status).toBe(401);
    expect(e.message).toMatch(/受众/);
  });

  test('expired → 401', async () => {
    const e = await failure(
      auth.authenticate(
        request(sign(claims({ iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })), SHEET),
      ),
    );
    expect(e.status).toBe(401);
    expect(e.message).toMatch(/已过期/);
  });

  test('unsigned, or signed with another key → 401', async () => {
    const unsigned = await failure(
      auth.authenticate(request(sign(claims(), { alg: 'none', kid: '' }), SHEET)),
    );
    expect(unsigned.status).toBe(401);
    expect(unsigned.message).toMatch(/签名无效/);
    const forged = await failure(
      auth.authenticate(request(sign(claims(), { key: strangerKeys.privateKey }), SHEET)),
    );
    expect(forged.status).toBe(401);
    expect(forged.message).toMatch(/签名无效/);
    const garbage = await failure(auth.authenticate(request('not-a-jwt', SHEET)));
    expect(garbage.status).toBe(401);
    expect(garbage.message).toMatch(/格式不正确/);
  });

  test('another issuer, or an unverified email → 401', async () => {
    const issuer = await failure(
      auth.authenticate(request(sign(claims({ iss: 'https://evil.example' })), SHEET)),
    );
    expect(issuer.status).toBe(401);
    expect(issuer.message).toMatch(/不是 Google 签发/);
    const unverified = await failure(
      auth.authenticate(request(sign(claims({ email_verified: false })), SHEET)),
    );
    expect(unverified.status).toBe(401);
    expect(unverified.message).toMatch(/未经 Google 验证/);
  });

  test('an account not allowed for that spreadsheet → 403 naming it', async () => {
    const e = await failure(auth.authenticate(request(sign(claims()), OTHER_SHEET)));
    expect(e.status).toBe(403);
    expect(e.message).toMatch(/ming\.li@example\.com 无权同步表格“华北客服”/);
    const lookalike = await failure(
      auth.authenticate(request(sign(claims({ email: 'x@notexample.com' })), SHEET)),
    );
    expect(lookalike.status).toBe(403);
  });

  test('a spreadsheet this service does not serve → 403', async () => {
    const e = await failure(auth.authenticate(request(sign(claims()), '1UnknownSheetAbCdEfGhIj')));
    expect(e.status).toBe(403);
    expect(e.message).toMatch(/未配置表格/);
  });
});

describe('ID tokens through OAuth2Client.verifyIdToken and an HTTP app', () => {
  let fake: FakeSheetsApi;
  let server: ReturnType<express.Express['listen']>;
  let base = '';

  beforeAll(async () => {
    fake = await FakeSheetsApi.start();
    fake.certs = { [KID]: pem };
    const viaCerts = createIdTokenAuth(config, { certsUrl: `${fake.url}oauth2/v1/certs` });
    const app = createApp({
      // Only authentication is under test here; the sync itself is not run.
      sync: async () => ({ result: 'success' }) as SyncSummary,
      status: () => ({ lastSync: null, running: false, workbook: SHEET }),
      authenticate: async (req) => {
        await viaCerts.authenticate(req);
      },
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await fake.close();
  });

  const post = (token: string, sheet: string) =>
    fetch(`${base}/api/sync`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'x-spreadsheet-id': sheet,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ spreadsheetId: sheet }),
    });

  test('valid → 200; wrong audience, expired, forged → 401; not allowed → 403', async () => {
    expect((await post(sign(claims()), SHEET)).status).toBe(200);
    expect(fake.count('certs')).toBe(1);

    const wrongAudience = await post(sign(claims({ aud: 'x.apps.googleusercontent.com' })), SHEET);
    expect(wrongAudience.status).toBe(401);
    expect(((await wrongAudience.json()) as { error: { message: string } }).error.message).toMatch(
      /受众/,
    );

    const expired = await post(
      sign(claims({ iat: nowSeconds() - 9000, exp: nowSeconds() - 3600 })),
      SHEET,
    );
    expect(expired.status).toBe(401);

    const forged = await post(sign(claims(), { key: strangerKeys.privateKey }), SHEET);
    expect(forged.status).toBe(401);
    const body = (await forged.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unauthorized');
    expect(body.error.message).not.toMatch(/at |\.ts:/);

    const notAllowed = await post(sign(claims()), OTHER_SHEET);
    expect(notAllowed.status).toBe(403);
    // Certificates are cached per their max-age, not fetched per request.
    expect(fake.count('certs')).toBe(1);
  });
});
