/** The real Express app with the forms mounted, on an ephemeral port of 127.0.0.1. */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { bearerToken, createApp } from '../../sync-server/http/app.ts';
import { formsRouter } from '../../sync-server/http/forms.ts';
import type { WorkbookStore } from '../../sync-server/sync/store.ts';
import { NOW_MS, USER } from './fixture.ts';

export const TOKEN = 'test-token-0123456789abcdef';

export interface RunningApp {
  url: string;
  /** how many times a saved form asked for a sync */
  syncRequests: () => number;
  close(): Promise<void>;
}

export async function startApp(store: WorkbookStore): Promise<RunningApp> {
  let syncs = 0;
  const app = createApp({
    // The form tests never sync; a saved form only asks for one through requestSync.
    sync: () => Promise.reject(new Error('no sync in form tests')),
    status: () => ({ workbook: store.label }),
    authenticate: bearerToken(TOKEN),
    routes: [
      formsRouter({
        store,
        user: USER,
        requestSync: () => {
          syncs++;
        },
        clock: () => NOW_MS,
        searchCacheMs: 0,
      }),
    ],
  });
  const server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    syncRequests: () => syncs,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
