/**
 * The local service's token file (`.crm-token` beside the workbook). A token is a key to
 * every customer in the workbook, so a file is trusted only when nobody else could have
 * planted or read it: a regular file (not a link), owned by this user, readable by no
 * one else. Anything else is replaced by a fresh token, written to an exclusively
 * created temp file that is then renamed over it.
 */
import { randomBytes } from 'node:crypto';
import { lstat, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const TOKEN_FILE = '.crm-token';
const MIN_LENGTH = 16;

export type TokenFileVerdict = 'ok' | 'missing' | 'link' | 'not-file' | 'owner' | 'mode' | 'short';

export interface TokenFileResult {
  token: string;
  /** why a saved token was not used ('ok': it was; 'missing': there was none) */
  verdict: TokenFileVerdict;
}

const REASON: Record<Exclude<TokenFileVerdict, 'ok' | 'missing'>, string> = {
  link: '是一个链接',
  'not-file': '不是普通文件',
  owner: '属于另一个用户',
  mode: '其他用户可读或可写（权限应为 600）',
  short: '内容不是有效的令牌',
};

export function tokenFileWarning(file: string, verdict: TokenFileVerdict): string | null {
  if (verdict === 'ok' || verdict === 'missing') return null;
  return `令牌文件 ${file} ${REASON[verdict]}，不予使用：已生成新的令牌（旧链接失效，请使用下面打印的新链接）`;
}

async function check(file: string): Promise<{ verdict: TokenFileVerdict; token?: string }> {
  let s;
  try {
    s = await lstat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { verdict: 'missing' };
    throw e;
  }
  if (s.isSymbolicLink()) return { verdict: 'link' };
  if (!s.isFile()) return { verdict: 'not-file' };
  if (typeof process.getuid === 'function' && s.uid !== process.getuid())
    return { verdict: 'owner' };
  if (process.platform !== 'win32' && (s.mode & 0o077) !== 0) return { verdict: 'mode' };
  const token = (await readFile(file, 'utf8')).trim();
  if (token.length < MIN_LENGTH || /\s/.test(token)) return { verdict: 'short' };
  return { verdict: 'ok', token };
}

/** The saved token of the workbook's folder, or a new one put in its place. */
export async function workbookToken(workbook: string): Promise<TokenFileResult> {
  const file = join(dirname(workbook), TOKEN_FILE);
  const found = await check(file);
  if (found.verdict === 'ok') return { token: found.token!, verdict: 'ok' };
  if (found.verdict === 'not-file')
    throw new Error(`${file} 不是普通文件：请移走它，服务会在那里生成新的令牌文件`);
  const token = randomBytes(24).toString('base64url');
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  // 'wx' fails on anything already there, a planted link included; rename replaces the
  // name itself, never writing through a link at the target.
  const handle = await open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(token + '\n');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(temp, file);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
  return { token, verdict: found.verdict };
}
