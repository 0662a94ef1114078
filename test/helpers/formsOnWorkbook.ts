/**
 * The set-up the form tests over HTTP share: a workbook in a temp folder written from
 * `rows`, the real app with the forms mounted on it (XlsxFileStore, no backups), and the
 * bearer-token POST a form page sends. Started before the file's tests, removed after.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { CellValue } from '../../sync-server/xlsx/reader.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { startApp, TOKEN, type RunningApp } from '../forms/server.ts';
import { readTabs, writeWorkbook, type TabRows } from './workbook.ts';

export interface FormsOnWorkbook {
  /** the temp folder, for more files beside the workbook */
  readonly dir: string;
  readonly file: string;
  readonly url: string;
  readonly app: RunningApp;
  /** a form submission as the page sends it */
  post(form: string, body: unknown): Promise<Response>;
  /** a tab's rows as the product's reader sees them, keyed by header */
  rowsOf(tab: string): Promise<Record<string, CellValue>[]>;
}

export function useFormsOnWorkbook(folderPrefix: string, rows: TabRows): FormsOnWorkbook {
  let dir = '';
  let app: RunningApp | undefined;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), folderPrefix));
    await writeWorkbook(join(dir, 'crm.xlsx'), rows);
    app = await startApp(new XlsxFileStore(join(dir, 'crm.xlsx'), { backups: 0 }));
  }, 60_000);
  afterAll(async () => {
    await app?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });
  const running = (): RunningApp => {
    if (!app) throw new Error('the forms app is used before its beforeAll ran');
    return app;
  };
  const forms: FormsOnWorkbook = {
    get dir() {
      return dir;
    },
    get file() {
      return join(dir, 'crm.xlsx');
    },
    get url() {
      return running().url;
    },
    get app() {
      return running();
    },
    post: (form, body) =>
      fetch(`${running().url}/api/forms/${form}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    rowsOf: async (tab) => [...(await readTabs(forms.file)).get(tab)!.rows.values()],
  };
  return forms;
}
