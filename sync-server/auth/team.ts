/**
 * Who is calling, in local mode: a session cookie (signed in with a login and password)
 * or the bearer token of scripts (管理员). The people come from the workbook's 用户 tab,
 * read again only when the file changed; a person disabled there loses access at once.
 */
import { timingSafeEqual } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { Request } from 'express';
import { SETTINGS_TAB, USERS } from '../../sheets-templates/tabs.ts';
import { readWorkbookSettings } from '../../shared/validate/index.ts';
import {
  askAdministrator,
  byLogin,
  readDirectory,
  soleOperator,
  type Directory,
  type Person,
} from '../../shared/users.ts';
import { HttpError } from '../http/errors.ts';
import type { WorkbookStore } from '../sync/store.ts';
import { PasswordFile } from './passwords.ts';
import { LoginThrottle, SessionStore, type Session } from './sessions.ts';

export const SESSION_COOKIE = 'crm_session';

export interface TeamOptions {
  store: WorkbookStore;
  /** the workbook file, whose size and mtime say when 用户 must be read again */
  workbook: string;
  passwords: PasswordFile;
  token: string;
  /** who the token acts as while 用户 is empty (one person, as before) */
  soleName: string;
  clock?: () => number;
}

interface Loaded {
  version: string;
  directory: Directory;
  idleMs: number;
}

const actors = new WeakMap<Request, Person>();

/** The person a request was authenticated as (set by Team.authenticate). */
export function actorOf(req: Request): Person {
  const p = actors.get(req);
  if (!p) throw new HttpError(401, 'unauthorized', '请先登录');
  return p;
}

export function cookieValue(req: Request, name: string): string | null {
  const header = req.get('cookie') ?? '';
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name)
      return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

export class Team {
  readonly sessions: SessionStore;
  readonly throttle: LoginThrottle;
  private loaded: Loaded | null = null;
  private loading: Promise<Loaded> | null = null;
  private readonly want: Buffer;

  constructor(private readonly options: TeamOptions) {
    const clock = options.clock ?? Date.now;
    this.sessions = new SessionStore({ idleMs: () => this.loaded?.idleMs ?? 480 * 60_000, clock });
    this.throttle = new LoginThrottle(clock);
    this.want = Buffer.from(options.token);
  }

  get passwords(): PasswordFile {
    return this.options.passwords;
  }

  /** 用户 as the workbook holds it now (read again when the file changed). */
  async directory(): Promise<Directory> {
    return (await this.load()).directory;
  }

  private async load(): Promise<Loaded> {
    const s = await stat(this.options.workbook);
    const version = `${s.size}:${s.mtimeMs}`;
    if (this.loaded?.version === version) return this.loaded;
    this.loading ??= (async () => {
      try {
        const { store } = this.options;
        const snapshot = await store.read([USERS.name, SETTINGS_TAB.name]);
        const settings = readWorkbookSettings(snapshot.input, []);
        this.loaded = {
          version,
          directory: readDirectory(snapshot.input),
          idleMs: settings.sessionTimeoutMinutes * 60_000,
        };
        return this.loaded;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }

  /** The token's person: the first active 管理员 of 用户, or the one operator when 用户 is empty. */
  async tokenPerson(): Promise<Person> {
    // The token is the 管理员's own key: a workbook that cannot be read (damaged, or
    // half-written by an editor) must still let it see /api/status and start a sync.
    const d = await this.directory().catch(() => null);
    if (!d) return soleOperator(this.options.soleName);
    if (!d.enabled) return soleOperator(this.options.soleName);
    const admin = d.people.find((p) => p.role === '管理员' && p.active);
    return admin ?? { ...soleOperator('管理员'), name: '管理员' };
  }

  private tokenMatches(got: string): boolean {
    const b = Buffer.from(got);
    return b.length === this.want.length && timingSafeEqual(b, this.want);
  }

  /** Finds the caller; throws 401 without a valid session or token, 403 when disabled. */
  async authenticate(req: Request): Promise<Person> {
    const header = req.get('authorization');
    let person: Person;
    if (header !== undefined) {
      const m = /^Bearer\s+(.+)$/i.exec(header);
      if (!m || !this.tokenMatches(m[1]!.trim()))
        throw new HttpError(401, 'unauthorized', '访问令牌无效');
      person = await this.tokenPerson();
    } else {
      const id = cookieValue(req, SESSION_COOKIE);
      const session = id ? this.sessions.touch(id) : null;
      if (!session)
        throw new HttpError(
          401,
          'unauthorized',
          id
            ? '登录已过期，请重新登录'
            : '请先登录（或在请求头中带上 Authorization: Bearer <令牌>）',
          // Pages send the person to /login with this, so it can say why.
          { signIn: id ? 'expired' : 'required' },
        );
      person = await this.sessionPerson(session);
    }
    actors.set(req, person);
    return person;
  }

  private async sessionPerson(session: Session): Promise<Person> {
    const d = await this.directory();
    const person = byLogin(d, session.login);
    if (!person) {
      this.sessions.end(session.id);
      throw new HttpError(
        401,
        'unauthorized',
        `账号 ${session.login} 已不在“用户”表中：${askAdministrator(d)}`,
      );
    }
    // A disabled person keeps the cookie but may do nothing until enabled again.
    if (!person.active)
      throw new HttpError(403, 'forbidden', `账号 ${session.login} 已停用：${askAdministrator(d)}`);
    return person;
  }

  /** Checks a login and password; returns the new session or throws 401/429. */
  async signIn(login: string, password: string): Promise<{ session: Session; person: Person }> {
    const locked = this.throttle.lockedFor(login);
    if (locked > 0)
      throw new HttpError(
        429,
        'locked',
        `密码错误次数过多，账号 ${login} 已锁定，请 ${Math.ceil(locked / 60_000)} 分钟后再试`,
      );
    const d = await this.directory();
    const person = byLogin(d, login);
    const ok = await this.options.passwords.verify(login, password);
    if (!ok || !person) {
      this.throttle.fail(login);
      throw new HttpError(401, 'bad_credentials', '登录名或密码错误');
    }
    if (!person.active)
      throw new HttpError(403, 'forbidden', `账号 ${login} 已停用：${askAdministrator(d)}`);
    this.throttle.succeed(login);
    return { session: this.sessions.create(login), person };
  }

  /** True when some active 管理员 can sign in with a password (needed beyond loopback). */
  async adminHasPassword(): Promise<boolean> {
    const d = await this.directory();
    const logins = await this.options.passwords.logins();
    return d.people.some((p) => p.role === '管理员' && p.active && p.login && logins.has(p.login));
  }

  idleMs(): number {
    return this.loaded?.idleMs ?? 480 * 60_000;
  }
}
