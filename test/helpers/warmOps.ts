/**
 * Random work on a sample workbook as the service does it: forms (新建客户, 记录跟进)
 * and stray cell writes under the lock, and syncs — for the warm store's tests.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import * as T from '../../sheets-templates/tabs.ts';
import { FOLLOW_UP_METHODS } from '../../sheets-templates/values.ts';
import { daysFromCivil, startOfDay, type WallSeconds } from '../../shared/calendar.ts';
import type { CellValue } from '../../shared/cells.ts';
import { applySubmission } from '../../shared/forms/submit.ts';
import type { WorkbookInput } from '../../shared/validate/index.ts';
import { init } from '../../sync-server/cli/commands/init.ts';
import type { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { peekXlsx } from './xlsxPeek.ts';

export const NOW: WallSeconds = startOfDay(daysFromCivil(2026, 11, 20)) + 10 * 3600;

/** A temp folder with a sample workbook of 25 customers made as of NOW. */
export async function sampleSeed(
  prefix: string,
  seed: number,
): Promise<{ dir: string; seed: string }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  const file = join(dir, 'seed.xlsx');
  await init({ file, sample: 25, seed, now: NOW, force: false }, () => undefined);
  return { dir, seed: file };
}

/** A workbook's tabs as plain data: row numbers and cells, for comparison. */
export function plain(input: WorkbookInput): Record<string, [number, CellValue[]][]> {
  const out: Record<string, [number, CellValue[]][]> = {};
  for (const [name, rows] of input.tabs)
    out[name] = rows.map((r) => [r.row, [...r.cells] as CellValue[]]);
  return out;
}

export type Op =
  | { kind: 'customer'; name: string; phone: number }
  | { kind: 'followUp'; customer: number; method: number; content: string }
  | { kind: 'cell'; tab: number; row: number; col: number; value: CellValue }
  | { kind: 'sync'; day: number };

const text = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom(' 前后空格 ', '', '\uD800孤', '_x0041_', 'a\r\nb', '=1+1', '\u0001'),
);
const value: fc.Arbitrary<CellValue> = fc.oneof(
  text,
  fc.constantFrom(null, true, false, -0, 0.1 + 0.2, 1e21, 45678.5),
  fc.integer({ min: -1000, max: 100000 }),
);

export const ops: fc.Arbitrary<Op[]> = fc.array(
  fc.oneof(
    fc.record({
      kind: fc.constant('customer' as const),
      name: fc.string({ minLength: 1, maxLength: 6 }),
      phone: fc.integer({ min: 0, max: 99_999_999 }),
    }),
    fc.record({
      kind: fc.constant('followUp' as const),
      customer: fc.nat(),
      method: fc.nat({ max: FOLLOW_UP_METHODS.length - 1 }),
      content: fc.string({ minLength: 1, maxLength: 10 }),
    }),
    fc.record({
      kind: fc.constant('cell' as const),
      tab: fc.nat(),
      row: fc.integer({ min: 2, max: 40 }),
      col: fc.integer({ min: 0, max: 30 }),
      value,
    }),
    fc.record({ kind: fc.constant('sync' as const), day: fc.nat({ max: 1 }) }),
  ),
  { minLength: 1, maxLength: 8 },
);

/** Carries out one step as the service would: forms and stray writes under the lock, syncs whole. */
export async function apply(store: XlsxFileStore, op: Op): Promise<void> {
  if (op.kind === 'sync') {
    await runSync(store, { source: '表单', now: NOW + op.day * 86_400 });
    return;
  }
  await store.exclusive(async () => {
    const { input } = await store.read();
    if (op.kind === 'cell') {
      const tabs = [
        T.CUSTOMERS.name,
        T.FOLLOW_UPS.name,
        T.ORDERS.name,
        T.TICKETS.name,
        T.VISITS.name,
        T.SETTINGS_TAB.name,
        T.TIER_RULES.name,
        '备注页',
      ];
      const tab = tabs[op.tab % tabs.length]!;
      if (!input.tabs.has(tab)) return;
      await store.writeCells([{ ...op, tab, rowId: '', column: '' }]);
      return;
    }
    const ids = (input.tabs.get(T.CUSTOMERS.name) ?? [])
      .filter((r) => r.row > 1 && typeof r.cells[0] === 'string')
      .map((r) => r.cells[0] as string);
    const payload =
      op.kind === 'customer'
        ? {
            kind: '个人',
            name: op.name,
            phone: `139${String(op.phone).padStart(8, '0')}`,
            industry: '教育',
            source: '官网咨询',
            status: '潜在',
            intent: 'A',
            owner: '张伟',
            createdDate: '2026-11-20',
          }
        : {
            customerId: ids[op.customer % Math.max(1, ids.length)] ?? 'P20260001',
            time: '2026-11-20 09:30',
            method: FOLLOW_UP_METHODS[op.method],
            content: op.content,
            by: '张伟',
          };
    const form = op.kind === 'customer' ? 'new-customer' : 'follow-up';
    const result = applySubmission(form, payload, input, { now: NOW, user: '张伟' });
    if (result.ok) await store.writeCells(result.cells);
  });
}

/** Every sheet's XML by tab name, the 同步日志 durations blanked: what two syncs must agree on. */
export function sheetData(path: string): Record<string, string> {
  const out: Record<string, string> = {};
  const duration = T.SYNC_LOG.columns.findIndex((c) => c.header === '耗时(毫秒)');
  for (const sheet of peekXlsx(path).sheets) {
    if (sheet.name !== T.SYNC_LOG.name) {
      out[sheet.name] = sheet.xml;
      continue;
    }
    out[sheet.name] = [...sheet.rows]
      .map(([n, cells]) =>
        [n, ...cells.map((c, i) => (i === duration && n > 1 ? '' : c))].join('|'),
      )
      .join('\n');
  }
  return out;
}
