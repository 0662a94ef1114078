/**
 * A workbook on Excel's 1904 date system (Mac Excel, some LibreOffice files) counts serials
 * from 1904-01-01. Every date the sync or a form writes into it must be a serial of that
 * epoch; a 1900 serial written there shows 4 years and 1 day late (item 12).
 *
 * The test syncs twins: the same sample workbook on the 1900 system and converted to the
 * 1904 system (the flag set and every date cell moved to the new epoch, so both hold the
 * same calendar dates). The dates the sync writes must name the same days in both.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { daysFromCivil, serialToDay } from '../../shared/calendar.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { newCustomerPayload } from '../forms/fixture.ts';
import { startApp, TOKEN } from '../forms/server.ts';
import { cli, readTabs } from '../helpers/workbook.ts';
import { colName, parts, partOf, setText, templateWorkbook, text, writeParts } from './make.ts';

const NOW = ['--now', '2026-11-20T10:00'];
/** 1904-01-01 is serial 1462 in the 1900 system */
const SHIFT = 1462;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-1904-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const isDate = (type: string): boolean => type === 'date' || type === 'datetime';

/** A sample workbook moved to the 1904 system: same calendar dates, new serials. */
async function workbook1904(file: string): Promise<void> {
  await templateWorkbook(file, 5);
  const p = await parts(file);
  const book = text(p, 'xl/workbook.xml');
  expect(book).not.toContain('workbookPr');
  setText(
    p,
    'xl/workbook.xml',
    book.replace('<bookViews>', '<workbookPr date1904="1"/><bookViews>'),
  );
  let moved = 0;
  for (const tab of T.TABS) {
    const columns = tab.columns.flatMap((c, i) => (isDate(c.type) ? [colName(i)] : []));
    if (columns.length === 0 || !text(p, 'xl/workbook.xml').includes(`name="${tab.name}"`))
      continue;
    const part = partOf(p, tab.name);
    const cell = new RegExp(`(<c r="(?:${columns.join('|')})\\d+"[^>]*>)<v>([\\d.]+)</v>`, 'g');
    setText(
      p,
      part,
      text(p, part).replace(cell, (_all, open: string, v: string) => {
        moved++;
        return `${open}<v>${Number(v) - SHIFT}</v>`;
      }),
    );
  }
  // The sample data has dates to move, or the twins prove nothing.
  expect(moved).toBeGreaterThan(5);
  await writeParts(file, p);
}

/** The date columns of a tab, as [row, header, serial] of every number in them. */
async function datesOf(file: string, tab: (typeof T.TABS)[number]): Promise<Map<string, number>> {
  const view = (await readTabs(file)).get(tab.name)!;
  const out = new Map<string, number>();
  for (const [row, values] of view.rows)
    for (const c of tab.columns) {
      const v = values[c.header];
      if (isDate(c.type) && typeof v === 'number') out.set(`${row}:${c.header}`, v);
    }
  return out;
}

describe('a workbook on the 1904 date system (item 12)', { timeout: 60_000 }, () => {
  it('every date the sync writes names the same day as in a 1900-system twin', async () => {
    const twin = join(dir, 'twin1900.xlsx');
    const mac = join(dir, 'mac1904.xlsx');
    await templateWorkbook(twin, 5);
    await workbook1904(mac);
    expect((await cli(['sync', twin, ...NOW])).code).toBe(0);
    const run = await cli(['sync', mac, ...NOW]);
    expect(run.code).toBe(0);

    for (const tab of [T.CUSTOMERS, T.CALLBACK_PLAN]) {
      const expected = await datesOf(twin, tab);
      const written = await datesOf(mac, tab);
      expect([...written.keys()]).toEqual([...expected.keys()]);
      for (const [key, serial] of expected) {
        const got = written.get(key)!;
        expect(got, key).toBeCloseTo(serial - SHIFT, 6);
        expect(serialToDay(got, 'excel1904'), key).toBe(serialToDay(serial, 'excel1900'));
      }
    }
    // The sync did write dates of its own in both tabs.
    const next = [...(await datesOf(mac, T.CUSTOMERS)).keys()].filter((k) =>
      k.endsWith(':下次回访日期'),
    );
    expect(next.length).toBeGreaterThan(0);
    expect((await datesOf(mac, T.CALLBACK_PLAN)).size).toBeGreaterThan(0);
  });

  it('a date typed into a form is stored as a serial of the 1904 system', async () => {
    const mac = join(dir, 'form1904.xlsx');
    await workbook1904(mac);
    const app = await startApp(new XlsxFileStore(mac, { backups: 0 }));
    try {
      const res = await fetch(`${app.url}/api/forms/new-customer`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(newCustomerPayload({ createdDate: '2024-03-01' })),
      });
      expect(res.status).toBe(200);
      const { row } = (await res.json()) as { row: number };
      const saved = (await readTabs(mac)).get(T.CUSTOMERS.name)!.rows.get(row)!;
      // Days since 1904-01-01, not since 1899-12-30.
      expect(saved['建档日期']).toBe(daysFromCivil(2024, 3, 1) - daysFromCivil(1904, 1, 1));
      expect(saved['客户名称']).toBe('上海星河物流有限公司');
    } finally {
      await app.close();
    }
  });
});
