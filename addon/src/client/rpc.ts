/// <reference lib="dom" />
/**
 * The one place that knows how a form page reaches its server. Inside Google Sheets the
 * add-on's functions are called with google.script.run; anywhere else the page talks to
 * the local sync service over fetch with the bearer token its link carried.
 */
import {
  RPC_FUNCTIONS,
  type CustomerHit,
  type FormOptions,
  type SubmitResponse,
} from '../../../shared/forms/api.ts';
import type { WorklistReply } from '../../../shared/worklistPage.ts';
import type { WorkGroup } from '../../../shared/worklistPage.ts';
import type { Customer360, CustomerListView } from '../../../shared/customer360/view.ts';
import type { DuplicateHit } from '../../../shared/forms/entryDuplicates.ts';

export interface Rpc {
  readonly transport: 'google' | 'http';
  formOptions(form: string, q?: string): Promise<FormOptions>;
  searchCustomers(q: string): Promise<CustomerHit[]>;
  /** payload: field key → text, and `confirmDuplicate: true` to save a possible duplicate */
  submitForm(form: string, payload: Record<string, string | boolean>): Promise<SubmitResponse>;
  /** q, offset and the filters of the customers list */
  customerList(query: Record<string, string>): Promise<CustomerListView>;
  /** null when the last sync saw no such customer */
  customer360(id: string): Promise<Customer360 | null>;
  /** the add-on's 我的待办 (local mode has its own page at /) */
  worklist?(more?: { group: WorkGroup; offset: number }): Promise<WorklistReply>;
  /** the local service's sync status, for the progress line (local mode only) */
  syncStatus?(): Promise<SyncStatusView>;
  /** opens a form's sidebar (add-on), prefilled with the item's customer and row */
  openForm?(form: string, customer?: string, ref?: string): Promise<void>;
}

/** What the progress line reads of GET /api/status. */
export interface SyncStatusView {
  running: boolean;
  progress: { phase: string; percent: number; startedAt: string } | null;
}

export class RpcError extends Error {
  constructor(
    message: string,
    /** the HTTP status, 0 when the server was not reached or the add-on failed */
    readonly status = 0,
    /** on a 401: whether the person never signed in or their session ended */
    readonly signIn?: 'required' | 'expired',
  ) {
    super(message);
    this.name = 'RpcError';
  }
}

/** google.script.run: each with…Handler call returns a runner carrying that handler. */
interface ScriptRunner {
  withSuccessHandler(fn: (value: unknown) => void): ScriptRunner;
  withFailureHandler(fn: (error: unknown) => void): ScriptRunner;
}

interface GoogleScriptHost {
  google?: { script?: { run?: ScriptRunner } };
}

const TOKEN_KEY = 'crm-sync-token';

function googleRpc(run: ScriptRunner): Rpc {
  const call = <T>(name: string, ...args: unknown[]): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const runner = run
        .withSuccessHandler((value) => resolve(value as T))
        .withFailureHandler((error) => {
          const message = error instanceof Error ? error.message : String(error);
          reject(new RpcError(message || '表格服务出错，请稍后重试'));
        }) as unknown as Record<string, (...a: unknown[]) => void>;
      const fn = runner[name];
      if (typeof fn !== 'function') {
        reject(new RpcError(`加载项缺少服务函数 ${name}：请更新加载项`));
        return;
      }
      fn.apply(runner, args);
    });
  return {
    transport: 'google',
    formOptions: (form, q = '') => call(RPC_FUNCTIONS.formOptions, form, q),
    searchCustomers: (q) => call(RPC_FUNCTIONS.searchCustomers, q),
    submitForm: (form, payload) => call(RPC_FUNCTIONS.submitForm, form, payload),
    customerList: (query) => call(RPC_FUNCTIONS.customerList, query),
    customer360: (id) => call(RPC_FUNCTIONS.customer360, id),
    worklist: (more) => (more ? call('myWorklist', more.group, more.offset) : call('myWorklist')),
    openForm: (form, customer = '', ref = '') => call('openFormFromWorklist', form, customer, ref),
  };
}

function readStored(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/**
 * The token from the link (#token=… or ?token=…), kept in sessionStorage so other forms
 * of the same tab can use it, and taken out of the address bar so it is not bookmarked,
 * shared or sent on as a referrer.
 */
export function takeToken(): string | null {
  const url = new URL(location.href);
  const hash = new URLSearchParams(url.hash.replace(/^#/, ''));
  const fromUrl = hash.get('token') ?? url.searchParams.get('token');
  if (!fromUrl) return readStored();
  try {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
  } catch {
    // Storage can be off (private mode, sandboxed frames): the token lives in memory then.
  }
  hash.delete('token');
  url.searchParams.delete('token');
  const rest = hash.toString();
  history.replaceState(history.state, '', url.pathname + url.search + (rest ? '#' + rest : ''));
  return fromUrl;
}

interface ErrorBody {
  error?: {
    code?: string;
    message?: string;
    fields?: Record<string, string>;
    duplicates?: DuplicateHit[];
    details?: { signIn?: string };
  };
}

function httpRpc(token: string | null): Rpc {
  const request = async (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    if (token) headers.set('Authorization', `Bearer ${token}`);
    try {
      // The session cookie of a signed-in person goes along; a token link needs none.
      return await fetch(path, { ...init, headers, cache: 'no-store', credentials: 'same-origin' });
    } catch {
      throw new RpcError('无法连接同步服务：请确认它仍在运行，然后重试');
    }
  };
  const body = async (res: Response): Promise<unknown> => {
    try {
      return await res.json();
    } catch {
      return null;
    }
  };
  const fail = (res: Response, data: unknown): RpcError => {
    if (res.status === 401) {
      const why = (data as ErrorBody | null)?.error?.details?.signIn;
      return new RpcError(
        '尚未登录或登录已过期：请在新标签页打开 /login 登录后再试，已填写的内容不会丢失',
        res.status,
        why === 'expired' ? 'expired' : 'required',
      );
    }
    const message = (data as ErrorBody | null)?.error?.message;
    return new RpcError(message || `同步服务出错（HTTP ${res.status}）`, res.status);
  };
  const getJson = async <T>(path: string): Promise<T> => {
    const res = await request(path);
    const data = await body(res);
    if (!res.ok) throw fail(res, data);
    return data as T;
  };
  return {
    transport: 'http',
    customerList: (query) =>
      getJson<CustomerListView>(`/api/customer-list?${new URLSearchParams(query).toString()}`),
    customer360: async (id) => {
      const res = await request(`/api/customer-360/${encodeURIComponent(id)}`);
      const data = await body(res);
      if (res.status === 404) return null;
      if (!res.ok) throw fail(res, data);
      return data as Customer360;
    },
    formOptions: (form, q = '') =>
      getJson<FormOptions>(
        `/api/forms/${encodeURIComponent(form)}/options?q=${encodeURIComponent(q)}`,
      ),
    syncStatus: () => getJson<SyncStatusView>('/api/status'),
    searchCustomers: async (q) =>
      (await getJson<{ customers: CustomerHit[] }>(`/api/customers?q=${encodeURIComponent(q)}`))
        .customers,
    submitForm: async (form, payload) => {
      const res = await request(`/api/forms/${encodeURIComponent(form)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(payload),
      });
      const data = await body(res);
      if (res.ok) {
        const { id, row } = data as { id: string; row: number };
        return { ok: true, id, row };
      }
      const error = (data as ErrorBody | null)?.error;
      if (res.status === 422 && error)
        return { ok: false, message: error.message ?? '', problems: error.fields ?? {} };
      if (res.status === 409 && error?.code === 'possible_duplicate')
        return {
          ok: false,
          message: error.message ?? '',
          problems: {},
          duplicates: error.duplicates ?? [],
        };
      throw fail(res, data);
    },
  };
}

/** Picks the transport once, when the page starts. */
export function connect(): Rpc {
  const run = (globalThis as GoogleScriptHost).google?.script?.run;
  return run ? googleRpc(run) : httpRpc(takeToken());
}
