/**
 * Retries for Google API calls. The client's own retry skips POST (a write might have
 * been applied before the connection broke), but every write the store makes is either
 * idempotent (values.batchUpdate puts the same values in the same cells) or recomputed
 * from fresh metadata before it is tried again (spreadsheets.batchUpdate), so one policy
 * covers every method.
 */

export interface RetryPolicy {
  /** first wait, and the unit of the exponential growth; Google suggests 1 s */
  baseMs: number;
  /** longest single wait; Google suggests 32–64 s */
  capMs: number;
  /** random extra wait of up to this much, so many clients do not retry in step */
  jitterMs: number;
  /** no new attempt starts once this much time has passed since the first one */
  maxElapsedMs: number;
  maxAttempts: number;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseMs: 1000,
  capMs: 32_000,
  jitterMs: 1000,
  maxElapsedMs: 180_000,
  maxAttempts: 8,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  now: Date.now,
};

/** An API call that failed for good: what was called, the HTTP status and Google's reason. */
export class SheetsApiError extends Error {
  constructor(
    message: string,
    readonly operation: string,
    readonly status: number | undefined,
    readonly reason: string | undefined,
    readonly attempts: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SheetsApiError';
  }
}

const RETRIABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);

// Connection-level failures after which the same request may well succeed.
const RETRIABLE_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'TimeoutError',
]);

interface ErrorLike {
  status?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
  response?: { status?: unknown; data?: unknown; headers?: unknown };
}

export function httpStatusOf(error: unknown): number | undefined {
  const e = error as ErrorLike | null;
  if (!e || typeof e !== 'object') return undefined;
  if (typeof e.response?.status === 'number') return e.response.status;
  if (typeof e.status === 'number') return e.status;
  return undefined;
}

function networkCodeOf(error: unknown): string | undefined {
  let e = error as ErrorLike | null;
  for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
    if (typeof e.code === 'string') return e.code;
    e = e.cause as ErrorLike | null;
  }
  return undefined;
}

/** Google's `{error: {message, status}}`, when the response carried one. */
export function apiErrorOf(error: unknown): { message?: string; status?: string } {
  const data = (error as ErrorLike | null)?.response?.data;
  const body = typeof data === 'string' ? safeJson(data) : data;
  const inner = (body as { error?: unknown } | null)?.error;
  if (inner && typeof inner === 'object') {
    const { message, status } = inner as { message?: unknown; status?: unknown };
    return {
      message: typeof message === 'string' ? message : undefined,
      status: typeof status === 'string' ? status : undefined,
    };
  }
  return {};
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

export function isRetriable(error: unknown): boolean {
  const status = httpStatusOf(error);
  if (status !== undefined) return RETRIABLE_STATUS.has(status);
  const code = networkCodeOf(error);
  return code !== undefined && RETRIABLE_CODES.has(code);
}

/** Retry-After in milliseconds, when the server sent one. */
function retryAfterMs(error: unknown): number | undefined {
  const headers = (error as ErrorLike | null)?.response?.headers as
    { get?: (name: string) => string | null } | Record<string, string> | undefined;
  if (!headers) return undefined;
  const raw =
    typeof headers.get === 'function'
      ? headers.get('retry-after')
      : (headers as Record<string, string>)['retry-after'];
  if (!raw) return undefined;
  const seconds = Number(raw);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/** The wait before retry number `attempt` (1 = the first retry). */
export function backoffMs(policy: RetryPolicy, attempt: number, error?: unknown): number {
  const exponential = Math.min(policy.capMs, policy.baseMs * 2 ** (attempt - 1));
  const wait = Math.min(policy.capMs, exponential + policy.random() * policy.jitterMs);
  const asked = error === undefined ? undefined : retryAfterMs(error);
  return asked === undefined ? wait : Math.min(policy.capMs, Math.max(wait, asked));
}

/** A short description of a failure, for logs and error messages. */
export function describeFailure(error: unknown): string {
  const status = httpStatusOf(error);
  const api = apiErrorOf(error);
  if (status !== undefined) {
    const reason = api.status ? ` ${api.status}` : '';
    const message = api.message ?? (error instanceof Error ? error.message : String(error));
    return `HTTP ${status}${reason}: ${message}`;
  }
  const code = networkCodeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return code ? `${code}: ${message}` : message;
}

const CREDENTIALS_TROUBLE =
  /default credentials|GOOGLE_APPLICATION_CREDENTIALS|client_email|private_key|does not exist, or it is not a file|invalid_grant|ENOENT/i;

function adviceFor(status: number | undefined, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (status === undefined && CREDENTIALS_TROUBLE.test(message))
    return '未能取得 Google 凭据：请把 GOOGLE_APPLICATION_CREDENTIALS 设为服务账号密钥（JSON）文件的路径，或用 SHEETS_API_TOKEN 提供访问令牌。';
  switch (status) {
    case 401:
      return '凭据无效或已过期：请检查服务账号密钥（GOOGLE_APPLICATION_CREDENTIALS）或 SHEETS_API_TOKEN。';
    case 403:
      return '没有权限：请把表格共享给服务账号的邮箱（编辑者），并确认已启用 Google Sheets API。';
    case 404:
      return '找不到表格：请检查表格 ID。';
    case 429:
      return '请求过于频繁（配额限制）：请稍后再试。';
    default:
      return status !== undefined && status >= 500 ? 'Google 表格服务暂时不可用：请稍后再试。' : '';
  }
}

/**
 * Runs `call` until it succeeds, fails with an error not worth retrying, or the policy's
 * attempts or time run out. `call` gets the attempt number, so a retry can first refresh
 * what it depends on.
 */
export async function withRetry<T>(
  operation: string,
  call: (attempt: number) => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: (info: { operation: string; attempt: number; waitMs: number; error: unknown }) => void,
): Promise<T> {
  const started = policy.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call(attempt);
    } catch (error) {
      const retriable = isRetriable(error);
      const waitMs = retriable ? backoffMs(policy, attempt, error) : 0;
      const outOfTime = policy.now() - started + waitMs > policy.maxElapsedMs;
      if (!retriable || attempt >= policy.maxAttempts || outOfTime) {
        const status = httpStatusOf(error);
        const gaveUp = retriable ? `，已重试 ${attempt - 1} 次仍失败` : '';
        const advice = adviceFor(status, error);
        throw new SheetsApiError(
          `Google 表格接口 ${operation} 失败${gaveUp}（${describeFailure(error)}）${advice ? '。' + advice : ''}`,
          operation,
          status,
          apiErrorOf(error).status,
          attempt,
          { cause: error },
        );
      }
      onRetry?.({ operation, attempt, waitMs, error });
      await policy.sleep(waitMs);
    }
  }
}
