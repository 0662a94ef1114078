/**
 * Google-style ID tokens signed with the tests' own RSA keys (RS256), for the verifier
 * given the public key directly or through the fake's certificate endpoint.
 */
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';

const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const strangerKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
export const KID = 'test-key-1';
export const PEM = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

const b64 = (data: string | Buffer) => Buffer.from(data).toString('base64url');

export function sign(
  claims: Record<string, unknown>,
  options: { key?: KeyObject; kid?: string; alg?: string } = {},
): string {
  const header = { alg: options.alg ?? 'RS256', typ: 'JWT', kid: options.kid ?? KID };
  const body = `${b64(JSON.stringify(header))}.${b64(JSON.stringify(claims))}`;
  if (header.alg === 'none') return `${body}.`;
  const signature = createSign('RSA-SHA256')
    .update(body)
    .sign(options.key ?? keys.privateKey);
  return `${body}.${b64(signature)}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims of a fresh token for `audience` of a verified account. */
export function claimsFor(
  audience: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    iss: 'https://accounts.google.com',
    aud: audience,
    azp: audience,
    sub: '10769150350006150715113082367',
    email: 'ming.li@example.com',
    email_verified: true,
    iat: nowSeconds() - 60,
    exp: nowSeconds() + 3540,
    ...overrides,
  };
}
