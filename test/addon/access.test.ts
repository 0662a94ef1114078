/**
 * 更新权限 and 初始化表格's protections in the vm harness: the config tabs editable by the
 * owner and the active 经理/管理员 of 用户, 用户 by the owner and the active 管理员; a
 * protection someone else made left exactly as it is; who may run it; and calls per tab
 * that do not grow with the number of people.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { built, type Built } from './build.ts';
import { env as makeEnv, type Env } from './env.ts';
import { ENUMS, FakeSpreadsheet, reaching, type FakeProtection } from './fakes/spreadsheet.ts';

let build: Built;

beforeAll(async () => {
  build = await built();
}, 60_000);

const OWNER = 'owner@example.com';
const CONFIG = T.CONFIG_TABS.filter((t) => t !== T.USERS).map((t) => t.name);

type UserRow = [
  name: string,
  login: string,
  email: string,
  role: string,
  dept: string,
  state: string,
];

const TEAM: UserRow[] = [
  ['张伟', 'zhangwei', 'zhangwei@example.com', '销售', '销售部', '在职'],
  ['邓超', 'dengchao', 'dengchao@example.com', '客服', '客服部', '在职'],
  ['黄志强', 'huangzq', 'HuangZQ@example.com', '经理', '客户服务中心', '在职'],
  ['周敏', 'zhoumin', '', '经理', '销售部', '在职'],
  ['王芳', 'wangfang', 'wangfang@example.com', '经理', '销售部', '停用'],
  ['系统管理员', 'admin', 'admin@example.com', '管理员', '信息部', '在职'],
];

/** A spreadsheet set up by its owner, with 用户 filled in, run by `as`. */
function spreadsheet(users: UserRow[] = TEAM): FakeSpreadsheet {
  const ss = new FakeSpreadsheet();
  ss.owner = OWNER;
  ss.actingUser = OWNER;
  const e = makeEnv(build, ss);
  e.user.email = OWNER;
  e.call('initWorkbook');
  ss.sheet(T.USERS.name).fill(users);
  return ss;
}

function as(ss: FakeSpreadsheet, email: string): Env {
  const e = makeEnv(build, ss);
  e.user.email = email;
  ss.actingUser = email;
  return e;
}

const sheetProtection = (ss: FakeSpreadsheet, tab: string) =>
  ss.sheet(tab).getProtections(ENUMS.ProtectionType.SHEET)[0] as FakeProtection | undefined;

const editors = (ss: FakeSpreadsheet, tab: string) =>
  [...(sheetProtection(ss, tab)?.editors ?? [])].sort();

describe('更新权限', () => {
  it('lets the owner and active 经理/管理员 edit config tabs, and only the owner and 管理员 edit 用户', () => {
    const ss = spreadsheet();
    const e = as(ss, OWNER);
    e.call('updatePermissions');
    for (const tab of CONFIG) {
      expect(editors(ss, tab), tab).toEqual(['admin@example.com', 'huangzq@example.com', OWNER]);
      const p = sheetProtection(ss, tab)!;
      expect(p.isWarningOnly()).toBe(false);
      expect(p.canDomainEdit()).toBe(false);
      expect(p.getDescription()).toMatch(new RegExp(`^客户管理权限（${tab}）`));
    }
    expect(editors(ss, T.USERS.name)).toEqual(['admin@example.com', OWNER]);
    const message = ss.toasts.at(-1)!.message;
    expect(message.startsWith(`已更新 ${[...CONFIG, T.USERS.name].join('、')} 的保护`)).toBe(true);
    // A 经理 without 邮箱 cannot be an editor, and is named.
    expect(message).toMatch(/周敏（经理） 在“用户”表中没有邮箱/);
  });

  it('follows 用户: a 经理 set to 停用 loses edit rights, a new 管理员 gains them; a rerun changes nothing', () => {
    const ss = spreadsheet();
    as(ss, OWNER).call('updatePermissions');
    const changed = TEAM.map((r): UserRow =>
      r[0] === '黄志强' ? ([...r.slice(0, 5), '停用'] as UserRow) : r,
    );
    ss.sheet(T.USERS.name).fill([
      ...changed,
      ['新管理员', 'newadmin', 'new@example.com', '管理员', '', '在职'],
    ]);
    as(ss, 'admin@example.com').call('updatePermissions');
    expect(editors(ss, '参数')).toEqual(['admin@example.com', 'new@example.com', OWNER]);
    expect(editors(ss, T.USERS.name)).toEqual(['admin@example.com', 'new@example.com', OWNER]);
    const mutations = ss.mutations.length;
    as(ss, 'admin@example.com').call('updatePermissions');
    expect(ss.mutations.slice(mutations)).toEqual([]);
    expect(ss.toasts.at(-1)!.message).toMatch(/^权限已与“用户”表一致/);
  });

  it("leaves a manager's own protection of a config tab and its editors exactly as they were", () => {
    const ss = spreadsheet();
    ss.actingUser = 'huangzq@example.com';
    const theirs = ss.sheet('分层规则').protect().setDescription('黄志强：分层规则只有我能改');
    theirs.removeEditors([OWNER]);
    theirs.addEditors(['zhangwei@example.com']);
    const before = JSON.stringify([theirs.describe(), [...theirs.editors], theirs.domainEdit]);
    // and a range of 参数 someone protected
    const range = ss.sheet('参数').getRange(2, 1, 3, 2).protect().setDescription('经理：关键参数');
    const rangeBefore = JSON.stringify([range.describe(), [...range.editors]]);
    as(ss, OWNER).call('updatePermissions');
    expect(JSON.stringify([theirs.describe(), [...theirs.editors], theirs.domainEdit])).toBe(
      before,
    );
    expect(ss.sheet('分层规则').getProtections(ENUMS.ProtectionType.SHEET)).toHaveLength(1);
    expect(JSON.stringify([range.describe(), [...range.editors]])).toBe(rangeBefore);
    expect(ss.toasts.at(-1)!.message).toMatch(/分层规则 已有他人设置的保护，保持原样未改动/);
    expect(editors(ss, '参数')).toEqual(['admin@example.com', 'huangzq@example.com', OWNER]);
  });

  it('refuses anyone but the owner and active 管理员, naming the 管理员 to ask, and changes nothing', () => {
    const ss = spreadsheet();
    const cases: [string, RegExp][] = [
      ['stranger@example.org', /账号 stranger@example.org 不在“用户”表中/],
      ['wangfang@example.com', /已停用/],
      ['huangzq@example.com', /黄志强（经理）不能设置权限/],
      ['', /Google 没有提供您的账号邮箱/],
    ];
    for (const [email, why] of cases) {
      const e = as(ss, email);
      const mutations = ss.mutations.length;
      e.call('updatePermissions');
      expect(ss.mutations.slice(mutations), email).toEqual([]);
      const alert = e.ui.alerts.at(-1)!;
      expect(alert.title).toBe('无法更新权限');
      expect(alert.prompt, email).toMatch(why);
      expect(alert.prompt, email).toMatch(/请联系管理员 系统管理员（admin@example.com）/);
    }
  });

  it('on a new spreadsheet, 初始化表格 run by its owner protects the config tabs for the owner alone', () => {
    const ss = new FakeSpreadsheet();
    ss.owner = OWNER;
    const e = as(ss, OWNER);
    e.call('initWorkbook');
    for (const tab of [...CONFIG, T.USERS.name]) expect(editors(ss, tab), tab).toEqual([OWNER]);
    expect(ss.toasts.at(-1)!.message).toMatch(/^初始化完成.*已更新 分层规则/);
  });

  it('初始化表格 by someone who may not set protections still sets up the tabs and says why', () => {
    const ss = spreadsheet();
    const e = as(ss, 'huangzq@example.com');
    e.call('initWorkbook');
    expect(ss.toasts.at(-1)!.message).toMatch(/权限未更新：黄志强（经理）不能设置权限/);
  });

  it('costs the same calls per tab with 3 people or 60', () => {
    const calls = (users: UserRow[]) => {
      const ss = spreadsheet(users);
      const e = as(ss, OWNER);
      const count = () => {
        const start = ss.calls.length;
        e.call('updatePermissions');
        return reaching(ss.calls.slice(start)).length;
      };
      return { first: count(), rerun: count() };
    };
    const few = calls(TEAM.slice(2, 6));
    const many = calls([
      ...TEAM,
      ...Array.from({ length: 60 }, (_, i): UserRow => [
        `经理${i}`,
        `m${i}`,
        `m${i}@example.com`,
        i % 2 ? '经理' : '管理员',
        '',
        '在职',
      ]),
    ]);
    console.log(
      `更新权限 calls: 4 people ${JSON.stringify(few)}, 66 people ${JSON.stringify(many)}`,
    );
    expect(many).toEqual(few);
    // Per protected tab: its protections, description, editors, domain right, and up to
    // three writes; and a few reads of 用户 and the owner, and the toast.
    const tabs = CONFIG.length + 1;
    expect(few.rerun).toBeLessThanOrEqual(4 * tabs + 7);
    expect(few.first).toBeLessThanOrEqual(7 * tabs + 7);
  });
});
