/**
 * The four Sheets API v4 calls the store makes, each wrapped in the retry policy. Kept
 * behind a small interface so the store's logic does not depend on the client's types.
 */
import { sheets, type sheets_v4 } from '@googleapis/sheets';
import { GoogleAuth } from 'google-auth-library';
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from './retry.ts';

export type ValueRange = sheets_v4.Schema$ValueRange;
export type SheetsRequest = sheets_v4.Schema$Request;
export type SpreadsheetMeta = sheets_v4.Schema$Spreadsheet;

export interface SheetsApi {
  getSpreadsheet(spreadsheetId: string, fields: string): Promise<SpreadsheetMeta>;
  batchGet(spreadsheetId: string, ranges: readonly string[]): Promise<ValueRange[]>;
  /** values.batchUpdate with valueInputOption RAW; returns the number of cells updated */
  batchUpdateValues(spreadsheetId: string, data: readonly ValueRange[]): Promise<number>;
  /**
   * spreadsheets.batchUpdate. Adding a sheet or appending rows is not idempotent: when a
   * response is lost the change may have been applied, so every attempt asks `build` for
   * the requests afresh (attempt > 1: from re-read metadata); no requests, no call.
   */
  batchUpdate(
    spreadsheetId: string,
    build: (attempt: number) => Promise<SheetsRequest[]>,
  ): Promise<sheets_v4.Schema$BatchUpdateSpreadsheetResponse | null>;
}

export const SPREADSHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';

export interface SheetsClientOptions {
  /** send every call here instead of https://sheets.googleapis.com/ (an emulator) */
  rootUrl?: string;
  /** a static bearer token instead of service-account credentials */
  token?: string;
  /** a service-account key file; default: GOOGLE_APPLICATION_CREDENTIALS */
  keyFile?: string;
  /** per-request timeout */
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  onRetry?: Parameters<typeof withRetry>[3];
  /** waits for a slot of the project's request quota before each attempt (quota.ts) */
  throttle?: () => Promise<void>;
}

/** Options from the environment: SHEETS_API_ROOT_URL, SHEETS_API_TOKEN, GOOGLE_APPLICATION_CREDENTIALS. */
export function clientOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): SheetsClientOptions {
  const options: SheetsClientOptions = {};
  if (env.SHEETS_API_ROOT_URL) options.rootUrl = env.SHEETS_API_ROOT_URL;
  if (env.SHEETS_API_TOKEN) options.token = env.SHEETS_API_TOKEN;
  else if (env.GOOGLE_APPLICATION_CREDENTIALS) options.keyFile = env.GOOGLE_APPLICATION_CREDENTIALS;
  return options;
}

export function createSheetsApi(options: SheetsClientOptions = {}): SheetsApi {
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const base: sheets_v4.Options = {
    version: 'v4',
    // Our policy retries every method; the client's own would retry GETs a second time.
    retry: false,
    timeout: options.timeoutMs ?? 120_000,
  };
  if (options.rootUrl) base.rootUrl = options.rootUrl;
  if (options.token) {
    base.headers = { authorization: `Bearer ${options.token}` };
  } else {
    const auth = new GoogleAuth({
      scopes: [SPREADSHEETS_SCOPE],
      ...(options.keyFile ? { keyFile: options.keyFile } : {}),
    });
    base.auth = auth as unknown as sheets_v4.Options['auth'];
  }
  const api = sheets(base);
  const throttle = options.throttle ?? (() => Promise.resolve());
  const run = <T>(operation: string, call: () => Promise<T>): Promise<T> =>
    withRetry(
      operation,
      async () => {
        await throttle();
        return call();
      },
      policy,
      options.onRetry,
    );

  return {
    getSpreadsheet: (spreadsheetId, fields) =>
      run(
        'spreadsheets.get',
        async () => (await api.spreadsheets.get({ spreadsheetId, fields })).data,
      ),
    batchGet: (spreadsheetId, ranges) =>
      run('values.batchGet', async () => {
        const res = await api.spreadsheets.values.batchGet({
          spreadsheetId,
          ranges: [...ranges],
          valueRenderOption: 'UNFORMATTED_VALUE',
          dateTimeRenderOption: 'SERIAL_NUMBER',
          majorDimension: 'ROWS',
        });
        return res.data.valueRanges ?? [];
      }),
    batchUpdateValues: (spreadsheetId, data) =>
      run('values.batchUpdate', async () => {
        const res = await api.spreadsheets.values.batchUpdate({
          spreadsheetId,
          requestBody: { valueInputOption: 'RAW', data: [...data] },
        });
        return res.data.totalUpdatedCells ?? 0;
      }),
    batchUpdate: (spreadsheetId, build) =>
      withRetry(
        'spreadsheets.batchUpdate',
        async (attempt) => {
          const requests = await build(attempt);
          if (requests.length === 0) return null;
          await throttle();
          const res = await api.spreadsheets.batchUpdate({
            spreadsheetId,
            requestBody: { requests },
          });
          return res.data;
        },
        policy,
        options.onRetry,
      ),
  };
}
