/**
 * Text starting with = + - or @ that a person types into a form is stored as text and
 * with a quote-prefix style, so Excel and WPS keep it text when someone edits the cell,
 * and a later sync keeps it so (item 15). The cell's neighbours keep their own styles.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { newCustomerPayload } from '../forms/fixture.ts';
import { startApp, TOKEN } from '../forms/server.ts';
import { cli, readTabs } from '../helpers/workbook.ts';
import { colName, parts, partOf, templateWorkbook, text } from './make.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-quote-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Cell {
  xml: string;
  xf: string;
}

/** A cell of 客户 as stored, with its cellXfs entry. */
async function stored(file: string, header: string, row: number): Promise<Cell> {
  const p = await parts(file);
  const ref = `${colName(T.CUSTOMERS.columns.findIndex((c) => c.header === header))}${row}`;
  const sheet = text(p, partOf(p, T.CUSTOMERS.name));
  const xml = new RegExp(`<c r="${ref}"[^>]*?(?:/>|>[\\s\\S]*?</c>)`).exec(sheet)?.[0] ?? '';
  const styles = text(p, 'xl/styles.xml');
  const xfs = [
    ...(/<cellXfs[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '').matchAll(/<xf\b[^>]*>/g),
  ].map((m) => m[0]);
  const s = Number(/ s="(\d+)"/.exec(xml)?.[1] ?? 0);
  return { xml, xf: xfs[s] ?? '' };
}

describe('formula-like text gets a quote prefix (item 15)', { timeout: 60_000 }, () => {
  it('a form’s =1+1 is an inline string with a quote-prefix xf, and stays so after a sync', async () => {
    const file = join(dir, 'crm.xlsx');
    await templateWorkbook(file, 5);
    const app = await startApp(new XlsxFileStore(file, { backups: 0 }));
    let row: number;
    try {
      const res = await fetch(`${app.url}/api/forms/new-customer`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(
          newCustomerPayload({ owner: '张伟', createdDate: '2024-06-01', notes: '=1+1' }),
        ),
      });
      expect(res.status).toBe(200);
      row = ((await res.json()) as { row: number }).row;
    } finally {
      await app.close();
    }
    const check = async (): Promise<void> => {
      const note = await stored(file, '备注', row);
      expect(note.xml).toContain('t="inlineStr"');
      expect(note.xml).toContain('<t>=1+1</t>');
      expect(note.xml).not.toContain('<f');
      expect(note.xf).toContain('quotePrefix="1"');
      // Its neighbours keep styles without the prefix.
      for (const header of ['客户名称', '偏好', '建档日期'])
        expect((await stored(file, header, row)).xf).not.toContain('quotePrefix');
      const tabs = await readTabs(file);
      expect(tabs.get(T.CUSTOMERS.name)!.rows.get(row)!['备注']).toBe('=1+1');
    };
    await check();
    expect((await cli(['sync', file, '--now', '2026-11-20T10:00'])).code).toBe(0);
    await check();
  });
});
