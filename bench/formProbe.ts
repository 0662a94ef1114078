/**
 * The file check of the form-latency bench, in a process of its own: reading a 100 MB
 * workbook takes seconds of CPU and memory, which must not stall or be counted against
 * the service the bench measures. Asked over IPC for a row of 客户, answers whether its
 * 客户分层 and 下次回访日期 are in the file.
 */
import { readWorkbook } from '../sync-server/xlsx/reader.ts';
import * as T from '../sheets-templates/tabs.ts';

const file = process.argv[2];
if (!file || !process.send) throw new Error('usage: fork formProbe.ts <file.xlsx> (with IPC)');

const column = (key: string): number => T.CUSTOMERS.columns.findIndex((c) => c.key === key);

async function computed(row: number): Promise<boolean> {
  const book = await readWorkbook(file!, { sheets: (n) => n === T.CUSTOMERS.name });
  const cells = book.sheets[0]?.rows.find((r) => r.row === row)?.cells ?? [];
  return cells[column('tier')] != null && cells[column('nextCallbackDate')] != null;
}

process.on('message', (m: { id: number; row: number }) => {
  computed(m.row).then(
    (ok) => process.send!({ id: m.id, ok }),
    (e: unknown) => process.send!({ id: m.id, error: String(e) }),
  );
});
