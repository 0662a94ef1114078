/** A new workbook from the templates holding given rows, for benchmarks, demos and tests. */
import { writeXlsx } from '../xlsx/writer.ts';
import type { Sample, SampleRow, SampleTabKey } from './sample/index.ts';
import { workbookSheets } from './template.ts';

export type TabRows = Partial<Record<SampleTabKey, SampleRow[]>> & {
  /** rows of config tabs by tab name, in place of their defaults (header excluded) */
  config?: Record<string, (string | number | null)[][]>;
};

/** Writes a new workbook with these rows (text dates are fine: people type them). */
export async function writeWorkbookWithRows(path: string, rows: TabRows): Promise<void> {
  const tab = (key: SampleTabKey) =>
    function* (): Generator<SampleRow> {
      yield* rows[key] ?? [];
    };
  const sample: Sample = {
    customers: tab('customers'),
    orders: tab('orders'),
    followUps: tab('followUps'),
    tickets: tab('tickets'),
    visits: tab('visits'),
    experienceSurveys: tab('experienceSurveys'),
  };
  const sheets = workbookSheets(sample).map((sheet) => {
    const replaced = rows.config?.[sheet.name];
    return replaced ? { ...sheet, rows: replaced } : sheet;
  });
  await writeXlsx(path, sheets);
}
