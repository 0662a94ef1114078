/**
 * Fakes of the other Apps Script services the add-on calls, and a vm to run Code.js in.
 * Each implements the add-on's slice of the official interface (addon/src/server/gas.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, Script, type Context } from 'node:vm';
import type {
  FetchParams,
  HtmlOutput,
  HtmlService,
  Lock,
  LockService,
  Menu,
  Properties,
  PropertiesService,
  ScriptService,
  SessionService,
  SpreadsheetService,
  Ui,
  UrlFetchService,
} from '../../../addon/src/server/gas.ts';
import {
  ENUMS,
  enumOf,
  FakeRuleBuilder,
  FakeSpreadsheet,
  FakeValidationBuilder,
} from './spreadsheet.ts';

type Button = GoogleAppsScript.Base.Button;
type ButtonSet = GoogleAppsScript.Base.ButtonSet;
type AuthMode = GoogleAppsScript.Script.AuthMode;

export const BUTTONS = enumOf<typeof GoogleAppsScript.Base.Button>('OK', 'CANCEL', 'CLOSE');
export const BUTTON_SETS = enumOf<typeof GoogleAppsScript.Base.ButtonSet>('OK', 'OK_CANCEL');
export const AUTH_MODES = enumOf<typeof GoogleAppsScript.Script.AuthMode>(
  'NONE',
  'CUSTOM_FUNCTION',
  'LIMITED',
  'FULL',
);

export class FakeHtmlOutput implements HtmlOutput {
  private title = '';
  size: [number, number] | null = null;
  constructor(
    readonly file: string,
    private content: string,
  ) {}
  setContent(c: string) {
    this.content = c;
    return this;
  }
  setTitle(t: string) {
    this.title = t;
    return this;
  }
  setWidth(w: number) {
    this.size = [w, this.size?.[1] ?? 0];
    return this;
  }
  setHeight(h: number) {
    this.size = [this.size?.[0] ?? 0, h];
    return this;
  }
  getTitle = () => this.title;
  getContent = () => this.content;
}

type MenuItem = string | { caption: string; fn: string };

export class FakeUi implements Ui {
  readonly menus: { caption: string; addon: boolean; items: MenuItem[] }[] = [];
  readonly sidebars: FakeHtmlOutput[] = [];
  readonly dialogs: { page: FakeHtmlOutput; title: string }[] = [];
  readonly alerts: { title: string; prompt: string }[] = [];
  /** answers for the next prompt() calls, oldest first */
  readonly answers: { text: string; button: Button }[] = [];
  readonly ButtonSet = BUTTON_SETS;
  readonly Button = BUTTONS;

  private menu(caption: string, addon: boolean): Menu {
    const items: MenuItem[] = [];
    const menu: Menu = {
      addItem: (c: string, fn: string) => (items.push({ caption: c, fn }), menu),
      addSeparator: () => (items.push('---'), menu),
      addToUi: () => {
        this.menus.push({ caption, addon, items });
      },
    };
    return menu;
  }
  createMenu = (caption: string) => this.menu(caption, false);
  /** Apps Script names an add-on's menu after the add-on. */
  createAddonMenu = () => this.menu('(add-on)', true);
  showSidebar(out: HtmlOutput) {
    this.sidebars.push(out as FakeHtmlOutput);
  }
  showModelessDialog(out: HtmlOutput, title: string) {
    this.dialogs.push({ page: out as FakeHtmlOutput, title });
  }
  alert(...args: [string] | [string, ButtonSet] | [string, string, ButtonSet]): Button {
    const [title, prompt] = typeof args[1] === 'string' ? [args[0], args[1]] : ['', args[0]];
    this.alerts.push({ title, prompt });
    return BUTTONS.OK;
  }
  prompt(...args: [string] | [string, ButtonSet] | [string, string, ButtonSet]) {
    const [title, prompt] = typeof args[1] === 'string' ? [args[0], args[1]] : ['', args[0]];
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
  /** false: getDocumentLock() answers null, as outside a document */
  available = true;
  holder: FakeLock | null = null;
  whileWaiting: (() => void) | null = null;
  whileHeld: (() => void) | null = null;
  readonly events: string[] = [];
}

export class FakeLock implements Lock {
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

export class FakeProperties implements Properties {
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

export class FakeUrlFetch implements UrlFetchService {
  readonly requests: FetchRequest[] = [];
  constructor(
    private readonly whitelist: readonly string[],
    public handler: FetchHandler,
  ) {}
  fetch(url: string, params: FetchParams = {}) {
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

/**
 * ScriptApp's identity: getIdentityToken() is null until openid is granted. What
 * requireScopes does then: 'prompt' ends the run as Apps Script does when it shows the
 * consent screen, 'grant' stands for a person who already consented.
 */
export interface Identity {
  token: string | null;
  onRequire: 'prompt' | 'grant' | 'nothing';
  requested: { mode: AuthMode; scopes: string[] }[];
}

export interface AppsScript {
  ss: FakeSpreadsheet;
  ui: FakeUi;
  lock: LockState;
  properties: FakeProperties;
  urlFetch: FakeUrlFetch;
  user: { email: string };
  identity: Identity;
  idToken: string;
  globals: Globals;
}

/** The services Code.js finds as globals, typed as the add-on sees them. */
export interface Globals {
  SpreadsheetApp: SpreadsheetService;
  HtmlService: HtmlService;
  LockService: LockService;
  PropertiesService: PropertiesService;
  UrlFetchApp: UrlFetchService;
  ScriptApp: ScriptService;
  Session: SessionService;
}

export const AUTHORIZATION_REQUIRED = 'Authorization is required to perform that action.';

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
  // Whoever runs the script becomes an editor of the protections it makes.
  ss.actingUser = user.email;
  const idToken = o.idToken ?? 'eyJhbGciOiJSUzI1NiJ9.fake-id-token.sig';
  const identity: Identity = { token: idToken, onRequire: 'prompt', requested: [] };
  const globals: Globals = {
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
      createHtmlOutput(html: string) {
        return new FakeHtmlOutput('', html);
      },
    },
    // Null where Apps Script has no document to lock.
    LockService: { getDocumentLock: () => (lock.available ? new FakeLock(lock) : null) },
    PropertiesService: { getDocumentProperties: () => properties },
    UrlFetchApp: urlFetch,
    ScriptApp: {
      AuthMode: AUTH_MODES,
      getIdentityToken: () => identity.token,
      requireScopes(mode: AuthMode, scopes: string[]) {
        identity.requested.push({ mode, scopes: [...scopes] });
        if (identity.onRequire === 'prompt') throw new Error(AUTHORIZATION_REQUIRED);
        if (identity.onRequire === 'grant') identity.token = idToken;
      },
    },
    Session: { getActiveUser: () => ({ getEmail: () => user.email }) },
  };
  return { ss, ui, lock, properties, urlFetch, user, identity, idToken, globals };
}

/** Code.js run as Apps Script runs it: one classic script in a fresh global scope. */
/** `extra` stands in for script globals such as a Date with its clock stopped. */
export function loadBundle(
  code: string,
  globals: Partial<Globals>,
  extra: Record<string, unknown> = {},
): Context {
  const context = createContext({ ...globals, ...extra, console });
  new Script(code, { filename: 'Code.js' }).runInContext(context);
  return context;
}
