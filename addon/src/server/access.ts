/**
 * 更新权限 (and the end of 初始化表格): real protections from 用户 (docs/team.md § Google
 * mode identity). The config tabs may be edited by the owner and the active 经理/管理员,
 * 用户 by the owner and the active 管理员; everyone else sees them read-only. Only a
 * protection this made (known by its description) is ever changed: a tab someone else
 * protected keeps that protection and its editors exactly as they are.
 *
 * Each tab costs the same few calls however many people 用户 lists: its protections, one
 * description, the editors, and one write per kind of change (editors added, editors
 * removed, the domain's right to edit).
 */
import * as T from '../../../sheets-templates/tabs.ts';
import type { TabDef } from '../../../sheets-templates/types.ts';
import {
  askAdministrator,
  byEmail,
  readDirectory,
  type Directory,
  type Role,
} from '../../../shared/users.ts';
import { gas, type Spreadsheet } from './gas.ts';
import { readTabs } from './read.ts';

const MARK = '客户管理权限';

/** The description that marks our protection of a tab. */
export const accessLabel = (tab: TabDef, roles: readonly Role[]): string =>
  `${MARK}（${tab.name}）：仅表格所有者与${roles.join('、')}可编辑，名单来自“用户”表`;

const isOwn = (tab: TabDef, description: string): boolean =>
  description.startsWith(`${MARK}（${tab.name}）`);

/** The tabs protected, and which roles besides the owner may edit each. */
export function accessPlan(): { tab: TabDef; roles: Role[] }[] {
  return [
    ...T.CONFIG_TABS.filter((t) => t !== T.USERS).map((tab) => ({
      tab,
      roles: ['经理', '管理员'] as Role[],
    })),
    { tab: T.USERS, roles: ['管理员'] },
  ];
}

export interface AccessReport {
  ok: true;
  /** tabs whose protection was made or whose editors changed */
  updated: string[];
  /** tabs protected by someone else: left exactly as they are */
  kept: string[];
  /** tabs not in the spreadsheet (初始化表格 makes them) */
  missing: string[];
  /** people of the roles who have no 邮箱 in 用户, so cannot be editors */
  noEmail: string[];
  changes: number;
}

export type AccessOutcome = AccessReport | { ok: false; message: string };

/**
 * Who may set protections: the owner, or an active 管理员 of 用户. Apps Script would
 * refuse anyone else halfway, after some tabs had changed.
 */
function mayRun(d: Directory, owner: string, email: string): string | null {
  const me = email.trim().toLowerCase();
  if (me !== '' && me === owner) return null;
  const ask = askAdministrator(d);
  if (me === '')
    return (
      'Google 没有提供您的账号邮箱（不同域的账号或未授权时会这样），无法确认您可以设置权限：' +
      `请确认已登录并授权本加载项；仍不行时${ask}`
    );
  const person = byEmail(d, me);
  if (!person) return `账号 ${email} 不在“用户”表中，不能设置权限：${ask}`;
  if (!person.active) return `账号 ${email}（${person.name}）已停用，不能设置权限：${ask}`;
  if (person.role !== '管理员')
    return `${person.name}（${person.role}）不能设置权限：只有表格所有者或管理员可以更新权限，${ask}`;
  return null;
}

export function updateAccess(ss: Spreadsheet, email: string): AccessOutcome {
  const directory = readDirectory(readTabs(ss, [T.USERS.name]));
  const owner = ss.getOwner()?.getEmail().toLowerCase() ?? '';
  const refused = mayRun(directory, owner, email);
  if (refused) return { ok: false, message: refused };
  const report: AccessReport = {
    ok: true,
    updated: [],
    kept: [],
    missing: [],
    noEmail: [],
    changes: 0,
  };
  const noEmail = new Set<string>();
  const sheets = new Map(ss.getSheets().map((s) => [s.getName(), s]));
  for (const { tab, roles } of accessPlan()) {
    const people = directory.people.filter((p) => p.active && roles.includes(p.role));
    for (const p of people) if (p.email === '') noEmail.add(`${p.name}（${p.role}）`);
    const editors = new Set(people.map((p) => p.email).filter((e) => e !== ''));
    if (owner !== '') editors.add(owner);
    const sheet = sheets.get(tab.name);
    if (!sheet) {
      report.missing.push(tab.name);
      continue;
    }
    // A sheet holds one sheet protection; Sheet.protect() hands back an existing one.
    const existing = sheet.getProtections(gas.sheets().ProtectionType.SHEET)[0];
    const description = existing?.getDescription();
    if (description !== undefined && !isOwn(tab, description)) {
      report.kept.push(tab.name);
      continue;
    }
    let changes = 0;
    const label = accessLabel(tab, roles);
    const protection = existing ?? sheet.protect();
    if (description !== label) {
      protection.setDescription(label);
      changes++;
    }
    const now = new Set(protection.getEditors().map((u) => u.getEmail().toLowerCase()));
    const add = [...editors].filter((e) => !now.has(e));
    const remove = [...now].filter((e) => !editors.has(e) && e !== owner);
    // Added before others are removed, so whoever runs this never locks themself out midway.
    if (add.length > 0) {
      protection.addEditors(add);
      changes++;
    }
    if (remove.length > 0) {
      protection.removeEditors(remove);
      changes++;
    }
    if (protection.canDomainEdit()) {
      protection.setDomainEdit(false);
      changes++;
    }
    if (changes > 0) report.updated.push(tab.name);
    report.changes += changes;
  }
  report.noEmail = [...noEmail];
  return report;
}

/** What changed; '' when nothing did and nothing needs saying (`quiet`, after 初始化表格). */
export function accessMessage(outcome: AccessOutcome, quiet = false): string {
  if (!outcome.ok) return outcome.message;
  const parts: string[] = [];
  if (outcome.updated.length > 0)
    parts.push(
      `已更新 ${outcome.updated.join('、')} 的保护：配置表仅所有者与经理、管理员可编辑，“用户”表仅所有者与管理员可编辑`,
    );
  else if (!quiet) parts.push('权限已与“用户”表一致，没有需要修改的地方');
  if (outcome.kept.length > 0)
    parts.push(`${outcome.kept.join('、')} 已有他人设置的保护，保持原样未改动`);
  if (outcome.missing.length > 0)
    parts.push(`缺少工作表 ${outcome.missing.join('、')}：请先运行“初始化表格”`);
  if (outcome.noEmail.length > 0)
    parts.push(`${outcome.noEmail.join('、')} 在“用户”表中没有邮箱，未能加为编辑者`);
  return parts.join('；');
}
