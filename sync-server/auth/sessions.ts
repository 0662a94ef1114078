/**
 * Signed-in sessions of local mode, kept in the service's memory: a random ID in an
 * HttpOnly cookie, forgotten after an idle time, and a lock on a login after too many
 * wrong passwords. A restart signs everyone out.
 */
import { randomBytes } from 'node:crypto';

export interface Session {
  id: string;
  login: string;
  lastSeen: number;
}

export interface SessionOptions {
  /** idle time after which a session ends, in ms */
  idleMs: () => number;
  /** the current instant in ms (tests pin it) */
  clock?: () => number;
}

export class SessionStore {
  private readonly sessions = new Map<string, Session>();
  private readonly clock: () => number;

  constructor(private readonly options: SessionOptions) {
    this.clock = options.clock ?? Date.now;
  }

  create(login: string): Session {
    const session = { id: randomBytes(32).toString('base64url'), login, lastSeen: this.clock() };
    this.sessions.set(session.id, session);
    return session;
  }

  /** The live session with this ID, its idle timer restarted; null when none or expired. */
  touch(id: string): Session | null {
    const s = this.sessions.get(id);
    if (!s) return null;
    const now = this.clock();
    if (now - s.lastSeen > this.options.idleMs()) {
      this.sessions.delete(id);
      return null;
    }
    s.lastSeen = now;
    return s;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Signs a person out everywhere (their password changed, or they were disabled). */
  endAll(login: string): void {
    for (const [id, s] of this.sessions) if (s.login === login) this.sessions.delete(id);
  }
}

export const MAX_FAILURES = 5;
export const LOCK_MS = 15 * 60 * 1000;

/** Counts wrong passwords per login; the fifth in a row locks it for 15 minutes. */
export class LoginThrottle {
  private readonly failures = new Map<string, { count: number; lockedUntil: number }>();

  constructor(private readonly clock: () => number = Date.now) {}

  /** ms until the login may try again; 0 when it may now */
  lockedFor(login: string): number {
    const f = this.failures.get(login);
    if (!f) return 0;
    return Math.max(0, f.lockedUntil - this.clock());
  }

  fail(login: string): void {
    const now = this.clock();
    const f = this.failures.get(login) ?? { count: 0, lockedUntil: 0 };
    if (f.lockedUntil !== 0 && f.lockedUntil <= now) {
      f.count = 0;
      f.lockedUntil = 0;
    }
    f.count++;
    if (f.count >= MAX_FAILURES) f.lockedUntil = now + LOCK_MS;
    this.failures.set(login, f);
  }

  succeed(login: string): void {
    this.failures.delete(login);
  }
}
