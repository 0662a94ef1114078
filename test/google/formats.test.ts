/**
 * A value looks the same in Google Sheets and in the xlsx file: the number format the
 * Google store sends for each cell format is the one the xlsx stylesheet gives that
 * format's cells, both taken from shared/formats.ts.
 */
import { describe, expect, test } from 'vitest';
import { FORMAT_PATTERNS, type CellFormat } from '../../shared/formats.ts';
import { CALLBACK_PLAN } from '../../sheets-templates/tabs.ts';
import { sheetsNumberFormat } from '../../sync-server/google/structure.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { styleOf, stylesXml } from '../../sync-server/xlsx/styles.ts';
import { FakeSheetsApi } from '../fakes/sheetsApi.ts';
import { loadWorkbook, NOW, storeFor } from './harness.ts';
import { buildWorkbook } from './workbook.ts';

/** The number-format code of each cellXfs entry of a generated xlsx stylesheet. */
function xlsxCodes(): string[] {
  const xml = stylesXml();
  const custom = new Map<number, string>();
  for (const m of xml.matchAll(/<numFmt numFmtId="(\d+)" formatCode="([^"]*)"/g))
    custom.set(Number(m[1]), m[2]!.replaceAll('&quot;', '"').replaceAll('&amp;', '&'));
  const builtIn = new Map(
    Object.values(FORMAT_PATTERNS)
      .filter((p) => p.builtinId !== undefined)
      .map((p) => [p.builtinId!, p.pattern]),
  );
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(xml)![1]!;
  return [...xfs.matchAll(/<xf\b[^>]*?numFmtId="(\d+)"/g)].map((m) => {
    const id = Number(m[1]);
    return custom.get(id) ?? builtIn.get(id) ?? `#${id}`;
  });
}

const NUMBER_FORMATS: CellFormat[] = ['date', 'datetime', 'integer', 'number', 'money', 'percent'];

describe('number formats', () => {
  test.each(NUMBER_FORMATS)('%s: Google and xlsx use the same pattern', (format) => {
    const google = sheetsNumberFormat(format)!;
    expect(google.pattern).toBe(FORMAT_PATTERNS[format].pattern);
    expect(xlsxCodes()[styleOf(format)]).toBe(google.pattern);
  });

  test('General and Text send no number format', () => {
    expect(sheetsNumberFormat('general')).toBeUndefined();
    expect(sheetsNumberFormat('text')).toBeUndefined();
  });

  test('a sync that adds 回访计划 formats its date column with the shared pattern', async () => {
    const fake = await FakeSheetsApi.start();
    try {
      loadWorkbook(
        fake,
        'formats',
        buildWorkbook({ customers: 10, now: NOW, withoutSyncTabs: true }),
      );
      await runSync(storeFor(fake, 'formats'), { now: NOW, source: '命令行' });
      const sheet = fake.sheet('formats', CALLBACK_PLAN.name);
      const col = CALLBACK_PLAN.columns.findIndex((c) => c.type === 'date');
      const applied = sheet.formats.find((f) => f.range.startColumnIndex === col)?.format as {
        numberFormat?: { pattern: string };
      };
      expect(applied?.numberFormat?.pattern).toBe(FORMAT_PATTERNS.date.pattern);
      expect(xlsxCodes()[styleOf('date')]).toBe(applied?.numberFormat?.pattern);
    } finally {
      await fake.close();
    }
  });
});
