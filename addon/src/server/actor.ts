/**
 * Who the Google account is, for the sidebars: its email matched to 用户.邮箱. While 用户
 * has nobody, the spreadsheet is one person's, as before, and the account acts as
 * itself; once it has people, an unknown or 停用 account (or one Google does not name)
 * is refused with a message naming a 管理员 to ask.
 */
import * as T from '../../../sheets-templates/tabs.ts';
import {
  askAdministrator,
  byEmail,
  readDirectory,
  type Directory,
  type Person,
} from '../../../shared/users.ts';
import type { SheetRow } from '../../../shared/validate/index.ts';
import { workbookInput } from './read.ts';

export type Acting =
  | { ok: true; person: Person; directory: Directory }
  /** 用户 has nobody: the account acts under its email, with no role checks */
  | { ok: true; person: null; directory: Directory }
  | { ok: false; message: string };

export const directoryOf = (users: SheetRow[] | undefined): Directory =>
  readDirectory(workbookInput([[T.USERS.name, users]]));

/** The person of 用户 behind `email`, or why there is none. */
export function personOf(
  directory: Directory,
  email: string,
): { ok: true; person: Person } | { ok: false; message: string } {
  const ask = askAdministrator(directory);
  if (email.trim() === '')
    return {
      ok: false,
      message:
        'Google 没有提供您的账号邮箱（不同域的账号或未授权时会这样），无法确定您是谁：' +
        `请确认已登录并授权本加载项；仍不行时${ask}，把您的邮箱加入“用户”表`,
    };
  const person = byEmail(directory, email);
  if (!person) return { ok: false, message: `账号 ${email} 不在“用户”表中：${ask}` };
  if (!person.active)
    return { ok: false, message: `账号 ${email}（${person.name}）已停用：${ask}` };
  return { ok: true, person };
}

export function actingAs(users: SheetRow[] | undefined, email: string): Acting {
  const directory = directoryOf(users);
  if (!directory.enabled) return { ok: true, person: null, directory };
  const found = personOf(directory, email);
  return found.ok ? { ok: true, person: found.person, directory } : found;
}
