/**
 * The warm store keeps the rows it read and applies its own writes to them: after any
 * mix of form writes, stray cell writes and syncs they equal a cold read of the file,
 * cell for cell; a save behind its back is seen, down to one of the same size and time.
 */
import { copyFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { FOLLOW_UP_METHODS } from '../../sheets-templates/values.ts';
import { daysFromCivil, startOfDay, type WallSeconds } from '../../shared/calendar.ts';
import type { CellValue } from '../../shared/cells.ts';
import { applySubmission } from '../../shared/forms/submit.ts';
import type { WorkbookInput } from '../../shared/validate/index.ts';
import { init } from '../../sync-server/cli/commands/init.ts';
import { identityOf, stillSame } from '../../sync-server/local/fileIdentity.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';

const NOW: WallSeconds = startOfDay(daysFromCivil(2026, 11, 20)) + 10 * 3600;
let dir: string;
let seed: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-warm-'));
  seed = join(dir, 'seed.xlsx');
  await init({ file: seed, sample: 25, seed: 7, now: NOW, force: false }, () => undefined);
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

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
  | { kind: 'sync' };

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
    fc.constant({ kind: 'sync' as const }),
  ),
  { minLength: 1, maxLength: 8 },
);

/** Carries out one step as the service would: forms and stray writes under the lock, syncs whole. */
export async function apply(store: XlsxFileStore, op: Op): Promise<void> {
  if (op.kind === 'sync') {
    await runSync(store, { source: '表单', now: NOW });
    return;
  }
  await store.exclusive(async () => {
    const { input } = await store.read();
    if (op.kind === 'cell') {
      const tabs = [T.CUSTOMERS.name, T.FOLLOW_UPS.name, T.ORDERS.name, '备注页'];
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

describe('warm workbook store', { timeout: 240_000 }, () => {
  it('keeps rows equal to a cold read of the file after random form writes, cell writes and syncs', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(ops, async (steps) => {
        const file = join(dir, `model-${run++}.xlsx`);
        await copyFile(seed, file);
        const store = new XlsxFileStore(file, { backups: 0, warm: true });
        await runSync(store, { source: '手动', now: NOW });
        for (const step of steps) await apply(store, step);
        const warm = await store.exclusive(() => store.read());
        const cold = await new XlsxFileStore(file).read();
        expect(plain(warm.input)).toEqual(plain(cold.input));
        await rm(file, { force: true });
      }),
      { numRuns: 6 },
    );
  });

  it('reads the file again when it was saved behind its back', async () => {
    const file = join(dir, 'behind.xlsx');
    await copyFile(seed, file);
    const store = new XlsxFileStore(file, { backups: 0, warm: true });
    const first = await store.read();
    const other = new XlsxFileStore(file, { backups: 0 });
    await other.exclusive(async () => {
      await other.read();
      await other.writeCells([
        { tab: T.CUSTOMERS.name, row: 2, col: 2, value: '改过的名字', rowId: '', column: '' },
      ]);
    });
    const again = await store.read();
    expect(again.input.tabs.get(T.CUSTOMERS.name)![1]!.cells[2]).toBe('改过的名字');
    expect(first.input.tabs.get(T.CUSTOMERS.name)![1]!.cells[2]).not.toBe('改过的名字');
  });

  it('checks the bytes when every stat field matches', async () => {
    const file = join(dir, 'bytes.xlsx');
    await writeFile(file, 'abcdef');
    const identity = (await identityOf(file))!;
    expect(await stillSame(file, identity)).toBe(true);
    // The same stat with other bytes: a save of the same size within one timestamp tick.
    expect(await stillSame(file, { ...identity, crc: identity.crc ^ 1 })).toBe(false);
    await writeFile(file, 'abcdeg');
    expect(await stillSame(file, identity)).toBe(false);
    expect((await stat(file)).size).toBe(6);
  });
});
