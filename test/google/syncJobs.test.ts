/**
 * Google mode's sync API over HTTP, run in this process against the fake Sheets API:
 * POST /api/sync starts a job (202) that GET /api/sync/<job> follows, a second request
 * joins the waiting job, ?wait=1 answers with the summary; ID tokens of several add-on
 * client IDs and Cloud Scheduler's OIDC tokens (audience = the service URL) are accepted.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SYNC_LOG } from '../../sheets-templates/tabs.ts';
import { parseConfig } from '../../sync-server/google/config.ts';
import { googleApp } from '../../sync-server/google/app.ts';
import { createGoogleService, type GoogleService } from '../../sync-server/google/service.ts';
import type { SyncJob } from '../../sync-server/sync/runner.ts';
import { FakeSheetsApi } from '../fakes/sheetsApi.ts';
import { FAST_RETRY, loadWorkbook, NOW } from './harness.ts';
import { claimsFor, KID, PEM, sign } from './tokens.ts';
import { buildWorkbook } from './workbook.ts';

const SHARED_CLIENT = '111-shared.apps.googleusercontent.com';
const EAST_CLIENT = '222-east-bound-script.apps.googleusercontent.com';
const SERVICE_URL = 'https://crm-sync-abc123-an.a.run.app';
const EAST = '1SalesEastAbCdEfGhIjKlMnOp';
const NORTH = '1SupportNorthAbCdEfGhIjKl';
const SCHEDULER = 'crm-scheduler@crm-project.iam.gserviceaccount.com';

let fake: FakeSheetsApi;
let service: GoogleService;
let server: Server;
let base = '';

beforeAll(async () => {
  fake = await FakeSheetsApi.start();
  fake.certs = { [KID]: PEM };
  for (const id of [EAST, NORTH])
    loadWorkbook(fake, id, buildWorkbook({ customers: 20, now: NOW }));
  const config = parseConfig({
    spreadsheets: [
      {
        id: EAST,
        name: '华东销售',
        allowed: ['@example.com', SCHEDULER],
        oauthClientIds: [EAST_CLIENT],
      },
      { id: NORTH, name: '华北客服', allowed: ['@example.com'] },
    ],
    oauthClientIds: [SHARED_CLIENT],
    serviceUrl: SERVICE_URL,
  });
  service = createGoogleService(config, {
    env: {
      SHEETS_API_ROOT_URL: fake.url,
      SHEETS_API_TOKEN: fake.token,
      GOOGLE_ID_TOKEN_CERTS_URL: `${fake.url}oauth2/v1/certs`,
    },
    store: { retry: FAST_RETRY },
    log: () => undefined,
  });
  server = googleApp(service).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await service.close();
  await fake.close();
});

const token = (audience = SHARED_CLIENT, email = 'ming.li@example.com') =>
  sign(claimsFor(audience, { email }));

function post(sheet: string, options: { wait?: boolean; bearer?: string } = {}) {
  return fetch(`${base}/api/sync${options.wait ? '?wait=1' : ''}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${options.bearer ?? token()}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ spreadsheetId: sheet }),
  });
}

const get = (job: string, bearer = token()) =>
  fetch(`${base}/api/sync/${job}`, { headers: { authorization: `Bearer ${bearer}` } });

async function until(job: string): Promise<SyncJob> {
  for (;;) {
    const res = await get(job);
    expect(res.status).toBe(200);
    const body = (await res.json()) as SyncJob;
    if (body.state === 'done' || body.state === 'failed') return body;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('POST /api/sync starts a job', () => {
  test('202 with a job ID at once; the job ends done with the summary', async () => {
    const res = await post(EAST);
    expect(res.status).toBe(202);
    const started = (await res.json()) as SyncJob;
    expect(started.job).toEqual(expect.any(String));
    expect(['queued', 'running']).toContain(started.state);
    const end = await until(started.job);
    expect(end).toMatchObject({ job: started.job, state: 'done' });
    expect(end.summary).toMatchObject({ result: 'success', rowsRead: expect.any(Number) });
    expect(Object.keys(end.summary!).sort()).toEqual(
      ['cellsWritten', 'durationMs', 'errors', 'result', 'rowsRead', 'warnings'].sort(),
    );
  });

  test('requests while one runs share one queued job; syncs run one after the other', async () => {
    fake.delayMs = 30;
    const rows = fake.grid(EAST, SYNC_LOG.name).length;
    const answers = await Promise.all([post(EAST), post(EAST), post(EAST), post(EAST)]);
    const jobs = (await Promise.all(answers.map((r) => r.json()))) as SyncJob[];
    expect(answers.map((r) => r.status)).toEqual([202, 202, 202, 202]);
    const ids = new Set(jobs.map((j) => j.job));
    // the first runs; the three that came while it ran wait for one more
    expect(ids.size).toBe(2);
    for (const id of ids) expect((await until(id)).state).toBe('done');
    fake.delayMs = 0;
    expect(fake.grid(EAST, SYNC_LOG.name).length).toBe(rows + 2);
  });

  test('?wait=1 answers 200 with the summary when the sync ends', async () => {
    const res = await post(NORTH, { wait: true });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ result: 'success' });
  });

  test('a failed sync: the job says failed with a code and the store’s message', async () => {
    fake.fail({
      kind: 'spreadsheets.get',
      status: 403,
      message: 'The caller does not have permission',
    });
    const started = (await (await post(NORTH)).json()) as SyncJob;
    const end = await until(started.job);
    expect(end.state).toBe('failed');
    expect(end.error).toMatchObject({
      code: 'sync_failed',
      message: expect.stringMatching(/共享/),
    });
    fake.fail({ kind: 'spreadsheets.get', status: 403, times: 2 });
    const waited = await post(NORTH, { wait: true });
    expect(waited.status).toBe(502);
    fake.clearFaults();
  });

  test('GET of an unknown job is 404; without a token 401; another spreadsheet’s job 404', async () => {
    expect(
      (await get('1SalesEastAbCdEfGhIjKlMnOp.00000000-0000-0000-0000-000000000000')).status,
    ).toBe(404);
    expect((await fetch(`${base}/api/sync/whatever`)).status).toBe(401);
    const started = (await (await post(EAST)).json()) as SyncJob;
    const other = await fetch(`${base}/api/sync/${started.job}?spreadsheetId=${NORTH}`, {
      headers: { authorization: `Bearer ${token()}` },
    });
    expect(other.status).toBe(404);
    await until(started.job);
  });
});

describe('who may ask', () => {
  test('a bound script’s own client ID works for its spreadsheet only', async () => {
    const east = await post(EAST, { wait: true, bearer: token(EAST_CLIENT) });
    expect(east.status).toBe(200);
    const north = await post(NORTH, { bearer: token(EAST_CLIENT) });
    expect(north.status).toBe(403);
    expect(((await north.json()) as { error: { message: string } }).error.message).toMatch(
      /oauthClientIds/,
    );
  });

  test('Cloud Scheduler: an OIDC token for the service URL from an allowed service account', async () => {
    const ok = await post(EAST, { wait: true, bearer: token(SERVICE_URL, SCHEDULER) });
    expect(ok.status).toBe(200);
    const slash = await post(EAST, { wait: true, bearer: token(`${SERVICE_URL}/`, SCHEDULER) });
    expect(slash.status).toBe(200);
    // The same account is not allowed for 华北客服.
    expect((await post(NORTH, { bearer: token(SERVICE_URL, SCHEDULER) })).status).toBe(403);
    // Some other service's URL is not an audience of this one.
    const elsewhere = await post(EAST, { bearer: token('https://other.a.run.app', SCHEDULER) });
    expect(elsewhere.status).toBe(401);
  });

  test('Bearer null (the add-on got no identity token) says what to do', async () => {
    const res = await post(EAST, { bearer: 'null' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/授权/);
  });
});
