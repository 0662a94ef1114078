/**
 * `crm-sync user add|passwd|disable`: people of the 用户 tab and their passwords. The row
 * goes into the workbook (with a 操作日志 row); the password's scrypt hash goes into the
 * 0600 file beside it, never into the workbook.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { AUDIT_LOG, USERS } from '../../../sheets-templates/tabs.ts';
import { ROLES } from '../../../sheets-templates/values.ts';
import { appendAudit, change } from '../../../shared/audit.ts';
import { wallTimeOf } from '../../../shared/calendar.ts';
import { parseEmail } from '../../../shared/cells.ts';
import { headerPlacement, RowWriter } from '../../../shared/forms/submit.ts';
import { viewTab } from '../../../shared/forms/sheet.ts';
import type { CellWrite } from '../../../shared/sync/plan.ts';
import { byLogin, LOGIN_PATTERN, readDirectory } from '../../../shared/users.ts';
import { readWorkbookSettings } from '../../../shared/validate/index.ts';
import { MIN_PASSWORD, PasswordFile, passwordFileOf } from '../../auth/passwords.ts';
import { XlsxFileStore } from '../../local/xlsxStore.ts';
import { EXIT, parseCommandArgs, UsageError, type CliIo, type Command } from '../args.ts';

/** Reads a password without echo from the terminal, or the first line of stdin. */
async function readPassword(fromStdin: boolean, confirm: boolean): Promise<string> {
  if (fromStdin || !process.stdin.isTTY) {
    if (!fromStdin)
      throw new UsageError('标准输入不是终端：请加 --password-stdin 并从标准输入提供密码');
    const chunks: Buffer[] = [];
    for await (const c of process.stdin) chunks.push(c as Buffer);
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  }
  const ask = (prompt: string): Promise<string> =>
    new Promise((ok) => {
      process.stderr.write(prompt);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let text = '';
      const onData = (d: Buffer): void => {
        for (const ch of d.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            stdin.setRawMode(false);
            stdin.pause();
            stdin.off('data', onData);
            process.stderr.write('\n');
            ok(text);
            return;
          }
          if (ch === '\u0003') process.exit(130);
          text = ch === '\u007f' ? text.slice(0, -1) : text + ch;
        }
      };
      stdin.on('data', onData);
    });
  const first = await ask('密码：');
  if (confirm && (await ask('再输入一次：')) !== first)
    throw new UsageError('两次输入的密码不一致');
  return first;
}

async function writeUserCells(
  store: XlsxFileStore,
  build: (input: Awaited<ReturnType<XlsxFileStore['read']>>['input']) => {
    cells: CellWrite[];
    action: '新建' | '修改';
    name: string;
    changes: string[];
  },
): Promise<void> {
  await store.exclusive(async () => {
    const snapshot = await store.read([USERS.name, AUDIT_LOG.name, '参数']);
    const { cells, action, name, changes } = build(snapshot.input);
    const tz = readWorkbookSettings(snapshot.input, []).timeZone;
    const audit = appendAudit(snapshot.input, [
      {
        time: wallTimeOf(Date.now(), tz),
        actor: '命令行',
        action,
        tab: USERS.name,
        id: name,
        changes,
      },
    ]);
    if (!snapshot.input.tabs.has(USERS.name)) {
      // No 用户 tab yet: it is added whole, header and this row.
      const header = USERS.columns.map((c) => c.header);
      const row = USERS.columns.map(
        (_c, i) => cells.find((w) => w.row === 2 && w.col === i)?.value ?? null,
      );
      await store.write(snapshot, {
        cells: audit,
        ids: [],
        newTabs: [{ tab: USERS, rows: [header, row], formats: USERS.columns.map(() => 'text') }],
        rowsRead: 0,
        errors: 0,
        warnings: 0,
      });
      return;
    }
    await store.writeCells([...cells, ...audit]);
  });
}

async function add(file: string, args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    name: { type: 'string' },
    login: { type: 'string' },
    role: { type: 'string' },
    dept: { type: 'string' },
    email: { type: 'string' },
    'password-stdin': { type: 'boolean' },
  });
  const name = values.name?.trim() ?? '';
  const login = values.login?.trim() ?? '';
  const role = values.role?.trim() ?? '';
  if (name === '') throw new UsageError('缺少 --name：此人在负责人、跟进人等列中使用的姓名');
  if (!LOGIN_PATTERN.test(login))
    throw new UsageError('--login 应为 2–32 位小写字母、数字、点、下划线或连字符');
  if (!(ROLES as readonly string[]).includes(role))
    throw new UsageError(`--role 应为 ${ROLES.join(' / ')} 之一`);
  const email = values.email?.trim() ?? '';
  if (email !== '' && !parseEmail(email).ok)
    throw new UsageError(`--email “${email}”不是有效的邮箱`);
  const store = new XlsxFileStore(file);
  const password = await readPassword(values['password-stdin'] ?? false, true);
  if (password.length < MIN_PASSWORD) throw new UsageError(`密码至少 ${MIN_PASSWORD} 位`);
  await writeUserCells(store, (input) => {
    const d = readDirectory(input);
    const clash = d.people.find(
      (p) =>
        p.name === name || p.login === login || (email !== '' && p.email === email.toLowerCase()),
    );
    if (clash)
      throw new UsageError(
        `“用户”表第 ${clash.row} 行已有${clash.name === name ? `姓名“${name}”` : clash.login === login ? `登录名“${login}”` : `邮箱“${email}”`}：姓名、登录名和邮箱都应唯一`,
      );
    const view = viewTab(input, USERS);
    const row = view.exists ? view.lastRow + 1 : 2;
    const writer = new RowWriter(view, row, name, headerPlacement(view));
    const record: Record<string, string> = {
      name,
      login,
      email,
      role,
      department: values.dept?.trim() ?? '',
      state: '在职',
    };
    const changes: string[] = [];
    for (const c of USERS.columns) {
      const v = record[c.key] ?? '';
      if (v === '') continue;
      writer.write(c, v, 'text');
      changes.push(change(c.header, '', v));
    }
    return { cells: writer.cells, action: '新建', name, changes };
  });
  await new PasswordFile(passwordFileOf(file)).set(login, password);
  io.stdout(`已添加 ${role} ${name}（登录名 ${login}）并设置密码\n`);
  return EXIT.ok;
}

async function passwd(file: string, args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { 'password-stdin': { type: 'boolean' } });
  const login = positionals[0] ?? '';
  const store = new XlsxFileStore(file);
  const person = await store.exclusive(async () =>
    byLogin(readDirectory((await store.read([USERS.name])).input), login),
  );
  if (!person)
    throw new UsageError(`“用户”表中没有登录名“${login}”：请先用 crm-sync user add 添加`);
  const password = await readPassword(values['password-stdin'] ?? false, true);
  if (password.length < MIN_PASSWORD) throw new UsageError(`密码至少 ${MIN_PASSWORD} 位`);
  await new PasswordFile(passwordFileOf(file)).set(login, password);
  io.stdout(`已为 ${person.name}（${login}）设置新密码\n`);
  return EXIT.ok;
}

async function disable(file: string, args: readonly string[], io: CliIo): Promise<number> {
  const login = args[0] ?? '';
  const store = new XlsxFileStore(file);
  let who = '';
  await writeUserCells(store, (input) => {
    const d = readDirectory(input);
    const person = byLogin(d, login);
    if (!person) throw new UsageError(`“用户”表中没有登录名“${login}”`);
    who = person.name;
    const view = viewTab(input, USERS);
    const writer = new RowWriter(view, person.row, person.name, headerPlacement(view));
    writer.write(
      USERS.columns.find((c) => c.key === 'state')!,
      '停用',
      'text',
    );
    return {
      cells: writer.cells,
      action: '修改',
      name: person.name,
      changes: [change('状态', person.active ? '在职' : '停用', '停用')],
    };
  });
  // A disabled person keeps no password: enabling them again means setting a new one.
  await new PasswordFile(passwordFileOf(file)).remove(login);
  io.stdout(`已停用 ${who}（${login}）：此人不能再登录，正在使用的会话随即失效\n`);
  return EXIT.ok;
}

export const userCommand: Command = {
  name: 'user',
  usage: 'user add|passwd|disable <workbook> …',
  summary: 'add a person to 用户 with a password, set a new password, or disable a person',
  options: [
    'add <workbook> --name 姓名 --login 登录名 --role 销售|客服|经理|管理员 [--dept 部门] [--email 邮箱]',
    'passwd <workbook> <login>',
    'disable <workbook> <login>',
    '--password-stdin       read the password from the first line of stdin instead of asking',
  ],
  async run(args, io) {
    const [sub, workbook, ...rest] = args;
    if (!sub || !['add', 'passwd', 'disable'].includes(sub))
      throw new UsageError('请指定子命令 add、passwd 或 disable');
    if (!workbook) throw new UsageError('请指定工作簿文件');
    const file = resolve(workbook);
    if (!existsSync(file)) throw new Error(`找不到工作簿 ${file}`);
    if (sub === 'add') return add(file, rest, io);
    if (sub === 'passwd') return passwd(file, rest, io);
    return disable(file, rest, io);
  },
};
