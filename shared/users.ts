/**
 * The 用户 tab read into a directory of people (docs/team.md § 用户): who may sign in, under
 * which name they act, and in which role. Pure, so the service, the pages and the add-on
 * read the tab the same way. Passwords never live here.
 */
import { USERS } from '../sheets-templates/tabs.ts';
import { ROLES, USER_STATES } from '../sheets-templates/values.ts';
import { cellText, parseEmail } from './cells.ts';
import { cellOf, viewTab } from './forms/sheet.ts';
import type { Problem } from './model.ts';
import type { WorkbookInput } from './validate/index.ts';

export type Role = (typeof ROLES)[number];
export type UserState = (typeof USER_STATES)[number];

export interface Person {
  /** 姓名: the name written to 负责人, 跟进人, 处理人, 回访人, 审核人 */
  name: string;
  /** '' when the row has no 登录名 */
  login: string;
  /** lower case; '' when blank */
  email: string;
  role: Role;
  department: string;
  active: boolean;
  row: number;
}

export interface Directory {
  /** every valid row, active or not, in sheet order */
  people: readonly Person[];
  /** false when the workbook has no 用户 tab or no row in it: one person, as before */
  enabled: boolean;
  problems: Problem[];
}

export const LOGIN_PATTERN = /^[a-z0-9._-]{2,32}$/;

const isRole = (v: string): v is Role => (ROLES as readonly string[]).includes(v);

/** Reads 用户; a bad row is a 数据问题 and takes no part (nobody signs in through it). */
export function readDirectory(input: WorkbookInput): Directory {
  const view = viewTab(input, USERS);
  const problems: Problem[] = [];
  const people: Person[] = [];
  const seen = { name: new Set<string>(), login: new Set<string>(), email: new Set<string>() };
  for (const r of view.rows) {
    const text = (key: string): string => cellText(cellOf(view, r, key)).trim();
    const name = text('name');
    const login = text('login');
    const emailText = text('email');
    const roleText = text('role');
    const stateText = text('state') || '在职';
    const bad = (column: string, value: string, message: string): void => {
      problems.push({ tab: USERS.name, row: r.row, column, value, message, level: '错误' });
    };
    const before = problems.length;
    if (name === '') bad('姓名', '', '姓名不能为空：填写此人在负责人、跟进人等列中使用的姓名');
    else if (seen.name.has(name)) bad('姓名', name, `姓名“${name}”重复：每人一行，姓名应唯一`);
    if (login !== '' && !LOGIN_PATTERN.test(login))
      bad('登录名', login, '登录名应为 2–32 位小写字母、数字、点、下划线或连字符');
    else if (login !== '' && seen.login.has(login))
      bad('登录名', login, `登录名“${login}”重复：每个登录名只能属于一人`);
    let email = '';
    if (emailText !== '') {
      const parsed = parseEmail(emailText);
      if (!parsed.ok) bad('邮箱', emailText, `邮箱无效：${parsed.message}`);
      else {
        email = parsed.value.toLowerCase();
        if (seen.email.has(email)) bad('邮箱', emailText, `邮箱“${emailText}”重复：邮箱应唯一`);
      }
    }
    if (!isRole(roleText))
      bad('角色', roleText, `角色应为 ${ROLES.join(' / ')} 之一${roleText ? '' : '，不能为空'}`);
    if (!(USER_STATES as readonly string[]).includes(stateText))
      bad('状态', stateText, `状态应为 ${USER_STATES.join(' / ')} 之一`);
    if (problems.length > before) continue;
    seen.name.add(name);
    if (login !== '') seen.login.add(login);
    if (email !== '') seen.email.add(email);
    people.push({
      name,
      login,
      email,
      role: roleText as Role,
      department: text('department'),
      active: stateText === '在职',
      row: r.row,
    });
  }
  return { people, enabled: view.exists && view.rows.length > 0, problems };
}

export const byLogin = (d: Directory, login: string): Person | undefined =>
  login === '' ? undefined : d.people.find((p) => p.login === login);

export const byEmail = (d: Directory, email: string): Person | undefined => {
  const e = email.trim().toLowerCase();
  return e === '' ? undefined : d.people.find((p) => p.email === e);
};

export const byName = (d: Directory, name: string): Person | undefined =>
  d.people.find((p) => p.name === name.trim());

/** The people to name when someone cannot get in: the active 管理员. */
export function administrators(d: Directory): Person[] {
  return d.people.filter((p) => p.role === '管理员' && p.active);
}

/** "请联系管理员 王强（wangq@x.com）" — or how to become one, when there is none. */
export function askAdministrator(d: Directory): string {
  const admins = administrators(d);
  if (admins.length === 0) return '请联系表格的所有者在“用户”表中添加您并设为在职';
  const list = admins.map((a) => (a.email ? `${a.name}（${a.email}）` : a.name)).join('、');
  return `请联系管理员 ${list}`;
}

/**
 * Whoever holds the token when the workbook has no 用户 rows: one person, 管理员,
 * acting under the given name (today's behaviour).
 */
export function soleOperator(name: string): Person {
  return { name, login: '', email: '', role: '管理员', department: '', active: true, row: 0 };
}
