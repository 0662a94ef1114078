/** Fakes of the other Apps Script services the add-on calls, and a vm to run Code.js in. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, Script, type Context } from 'node:vm';
import { ENUMS, FakeRuleBuilder, FakeSpreadsheet, FakeValidationBuilder } from './spreadsheet.ts';

export const BUTTONS = { OK: 'OK', CANCEL: 'CANCEL', CLOSE: 'CLOSE' } as const;
export const BUTTON_SETS = { OK: 'OK', OK_CANCEL: 'OK_CANCEL' } as const;

export class FakeHtmlOutput {
  private title = '';
  constructor(
    readonly file: string,
    readonly content: string,
  ) {}
  setTitle(t: string) {
    this.title = t;
    return this;
  }
  getTitle = () => this.title;
  getContent = () => this.content;
}

export class FakeUi {
  readonly menus: { caption: string; items: (string | { caption: string; fn: string })[] }[] = [];
  readonly sidebars: FakeHtmlOutput[] = [];
  readonly alerts: { title: string; prompt: string }[] = [];
  /** answers for the next prompt() calls, oldest first */
  readonly answers: { text: string; button: string }[] = [];
  readonly ButtonSet = BUTTON_SETS;
  readonly Button = BUTTONS;

  createMenu(caption: string) {
    const items: (string | { caption: string; fn: string })[] = [];
    const menu = {
      addItem: (c: string, fn: string) => (items.push({ caption: c, fn }), menu),
      addSeparator: () => (items.push('---'), menu),
      addToUi: () => {
        this.menus.push({ caption, items });
      },
    };
    return menu;
  }
  showSidebar(out: FakeHtmlOutput) {
    this.sidebars.push(out);
  }
  alert(title: string, prompt = '') {
    this.alerts.push({ title, prompt });
    return BUTTONS.OK;
  }
  prompt(title: string, prompt = '') {
    this.alerts.push({ title, prompt });
    const a = this.answers.shift() ?? { text: '', button: BUTTONS.CANCEL };
    return { getResponseText: () => a.text, getSelectedButton: () => a.button };
  }
}

/**
 * The document lock shared by every execution. A lock object belongs to the execution
 * that asked for it; waitLock gives up (as Apps Script does, after its timeout) while
 * another one holds it. The hooks run one other execution at the two moments that
 * matter: while this one waits for the lock, and while it holds it.
 */
export class LockState {
  holder: FakeLock | null = null;
  whileWaiting: (() => void) | null = null;
  whileHeld: (() => void) | null = null;
  readonly events: string[] = [];
}

export class FakeLock {
  constructor(private readonly state: LockState) {}
  waitLock(timeoutMs: number): void {
    if (this.state.holder === this) return;
    const waiting = this.state.whileWaiting;
    this.state.whileWaiting = null;
    waiting?.();
    if (this.state.holder !== null) {
      this.state.events.push(`timeout after ${timeoutMs}`);
      throw new Error('Lock timeout: another process was holding the lock for too long.');
    }
    this.state.holder = this;
    this.state.events.push('acquired');
    const held = this.state.whileHeld;
    this.state.whileHeld = null;
    held?.();
  }
  tryLock(timeoutMs: number): boolean {
    try {
      this.waitLock(timeoutMs);
      return true;
    } catch {
      return false;
    }
  }
  hasLock = () => this.state.holder === this;
  releaseLock(): void {
    if (this.state.holder === this) {
      this.state.holder = null;
      this.state.events.push('released');
    }
  }
}

export class FakeProperties {
  readonly store = new Map<string, string>();
  getProperty = (k: string) => this.store.get(k) ?? null;
  setProperty(k: string, v: string) {
    this.store.set(k, String(v));
    return this;
  }
  deleteProperty(k: string) {
    this.store.delete(k);
    return this;
  }
  getProperties = () => Object.fromEntries(this.store);
}

export interface FetchRequest {
  url: string;
  method: string;
  contentType?: string;
  payload?: string;
  headers: Record<string, string>;
  muteHttpExceptions: boolean;
}

export type FetchHandler = (req: FetchRequest) => { status: number; body: string };

export class FakeUrlFetch {
  readonly requests: FetchRequest[] = [];
  constructor(
    private readonly whitelist: readonly string[],
    public handler: FetchHandler,
  ) {}
  fetch(url: string, params: Record<string, unknown> = {}) {
    // Apps Script refuses URLs outside the manifest's urlFetchWhitelist before sending.
    if (!this.whitelist.some((prefix) => url.startsWith(prefix)))
      throw new Error(
        `Exception: Script does not have permission to access ${url}: add it to urlFetchWhitelist`,
      );
    const req: FetchRequest = {
      url,
      method: String(params.method ?? 'get').toLowerCase(),
      headers: { ...((params.headers as Record<string, string>) ?? {}) },
      muteHttpExceptions: params.muteHttpExceptions === true,
    };
    if (params.contentType !== undefined) req.contentType = String(params.contentType);
    if (params.payload !== undefined) req.payload = String(params.payload);
    this.requests.push(req);
    const res = this.handler(req);
    if (!req.muteHttpExceptions && res.status >= 400)
      throw new Error(`Exception: Request failed for ${url} returned code ${res.status}`);
    return { getResponseCode: () => res.status, getContentText: () => res.body };
  }
}

export interface AppsScriptOptions {
  /** the files of addon/dist (for HtmlService) */
  dist: string;
  whitelist: readonly string[];
  user?: string;
  idToken?: string;
  ss?: FakeSpreadsheet;
  fetch?: FetchHandler;
}

export interface AppsScript {
  ss: FakeSpreadsheet;
  ui: FakeUi;
  lock: LockState;
  properties: FakeProperties;
  urlFetch: FakeUrlFetch;
  user: { email: string };
  idToken: string;
  globals: Record<string, unknown>;
}

export function fakeAppsScript(o: AppsScriptOptions): AppsScript {
  const ss = o.ss ?? new FakeSpreadsheet();
  const ui = new FakeUi();
  const lock = new LockState();
  const properties = new FakeProperties();
  const urlFetch = new FakeUrlFetch(
    o.whitelist,
    o.fetch ??
      (() => ({ status: 404, body: '{"error":{"code":"not_found","message":"没有这个地址"}}' })),
  );
  const user = { email: o.user ?? 'li.ming@example.com' };
  const idToken = o.idToken ?? 'eyJhbGciOiJSUzI1NiJ9.fake-id-token.sig';
  const globals: Record<string, unknown> = {
    SpreadsheetApp: {
      getActiveSpreadsheet: () => ss,
      getUi: () => ui,
      newDataValidation: () => new FakeValidationBuilder(),
      newConditionalFormatRule: () => new FakeRuleBuilder(),
      flush: () => {
        ss.flushes++;
      },
      ...ENUMS,
    },
    HtmlService: {
      createHtmlOutputFromFile(name: string) {
        let content: string;
        try {
          content = readFileSync(join(o.dist, `${name}.html`), 'utf8');
        } catch {
          throw new Error(`Exception: No HTML file named ${name} was found.`);
        }
        return new FakeHtmlOutput(name, content);
      },
    },
    LockService: { getDocumentLock: () => new FakeLock(lock) },
    PropertiesService: { getDocumentProperties: () => properties },
    UrlFetchApp: urlFetch,
    ScriptApp: { getIdentityToken: () => idToken },
    Session: {
      getActiveUser: () => ({ getEmail: () => user.email }),
      getEffectiveUser: () => ({ getEmail: () => user.email }),
    },
  };
  return { ss, ui, lock, properties, urlFetch, user, idToken, globals };
}

/** Code.js run as Apps Script runs it: one classic script in a fresh global scope. */
export function loadBundle(code: string, globals: Record<string, unknown>): Context {
  const context = createContext({ ...globals, console });
  new Script(code, { filename: 'Code.js' }).runInContext(context);
  return context;
}
