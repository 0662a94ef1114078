/** The HTTP layer maps what services throw: domain errors to their status, anything else to 500 and the logger. */
import type { Server } from 'node:http';
import { afterEach, expect, it } from 'vitest';
import { createApp } from '../../sync-server/http/app.ts';
import { WorkbookNotFound } from '../../sync-server/sync/errors.ts';
import type { SyncSummary } from '../../sync-server/sync/runSync.ts';

let server: Server | undefined;
afterEach(async () => {
  await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
  server = undefined;
});

async function serveWith(sync: () => Promise<SyncSummary>, logged: unknown[][]): Promise<string> {
  const app = createApp({
    sync,
    status: () => ({}),
    authenticate: () => undefined,
    logger: { error: (...args) => void logged.push(args) },
  });
  server = await new Promise<Server>((ok) => {
    const s = app.listen(0, '127.0.0.1', () => ok(s));
  });
  const address = server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

it('answers 404 with the message when a service does not know the workbook', async () => {
  const logged: unknown[][] = [];
  const url = await serveWith(
    () => Promise.reject(new WorkbookNotFound('本服务未配置表格 x')),
    logged,
  );
  const res = await fetch(`${url}/api/sync`, { method: 'POST' });
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ error: { code: 'not_found', message: '本服务未配置表格 x' } });
  expect(logged).toEqual([]);
});

it('answers 500 without details for an unexpected error and hands it to the injected logger', async () => {
  const logged: unknown[][] = [];
  const boom = new Error('disk on fire');
  const url = await serveWith(() => Promise.reject(boom), logged);
  const res = await fetch(`${url}/api/sync`, { method: 'POST' });
  expect(res.status).toBe(500);
  expect(JSON.stringify(await res.json())).not.toContain('disk on fire');
  expect(logged).toHaveLength(1);
  expect(logged[0]![1]).toBe(boom);
});
