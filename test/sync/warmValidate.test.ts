/**
 * The warm engine's validation brought up to date from changed rows gives what a cold
 * validation of the same rows gives, in the cases where a change reaches rows it did not
 * touch: an earlier row taking a repeated ID (every later holder now repeats that row),
 * the row holding the largest serial cleared while a blank ID waits for one, the first
 * holder of a shared phone changing it (the next one becomes the one the rest repeat),
 * and a child row naming a customer that appears and goes again.
 */
import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import type { CellValue } from '../../shared/cells.ts';
import { WarmEngine } from '../../shared/sync/warmEngine.ts';
import {
  validateWorkbook,
  type ParsedRow,
  type SheetRow,
  type WorkbookInput,
} from '../../shared/validate/index.ts';
import { patchRows } from '../../sync-server/local/warmWorkbook.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { NOW, sampleSeed } from '../helpers/warmOps.ts';

let dir: string;
let seedInput: WorkbookInput;

beforeAll(async () => {
  const made = await sampleSeed('crm-warm-validate-', 23);
  dir = made.dir;
  seedInput = (await new XlsxFileStore(made.seed, { backups: 0 }).read()).input;
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Rows kept as a warm store keeps them, validated warm and cold after every change. */
class Rows {
  tabs = new Map(seedInput.tabs);
  readonly engine: WarmEngine;

  constructor(incrementalShare = 1) {
    this.engine = new WarmEngine({ incrementalShare });
    this.validate();
  }

  input(): WorkbookInput {
    return { tabs: new Map(this.tabs), epoch: seedInput.epoch };
  }

  rows(tab: string): readonly SheetRow[] {
    return this.tabs.get(tab) ?? [];
  }

  col(tab: string, header: string): number {
    return this.rows(tab)[0]!.cells.indexOf(header);
  }

  cell(tab: string, row: number, col: number): CellValue {
    return (this.rows(tab).find((r) => r.row === row)?.cells[col] ?? null) as CellValue;
  }

  write(tab: string, row: number, col: number, value: CellValue): void {
    this.tabs.set(tab, patchRows(this.rows(tab), [{ row, col, value }]));
  }

  clear(tab: string, row: number): void {
    const cells = this.rows(tab).find((r) => r.row === row)!.cells;
    this.tabs.set(
      tab,
      patchRows(
        this.rows(tab),
        cells.map((_, col) => ({ row, col, value: null })),
      ),
    );
  }

  /** Validates warm and cold: the same, and the warm one brought up to date. */
  validate(): void {
    const input = this.input();
    const warm = this.engine.validate(input, NOW);
    const cold = validateWorkbook(input, NOW);
    expect(warm.problems).toEqual(cold.problems);
    expect(warm.ids).toEqual(cold.ids);
    expect(warm.dataset).toEqual(cold.dataset);
    expect([...warm.tabs.keys()].sort()).toEqual([...cold.tabs.keys()].sort());
    // each row as checked, but for the earlier parse a warm one was taken from
    const plain = (rows: readonly ParsedRow[] | undefined) =>
      rows?.map(({ row, id, values, hasError }) => ({ row, id, values, hasError }));
    for (const [key, result] of cold.tabs)
      expect(plain(warm.tabs.get(key)?.rows)).toEqual(plain(result.rows));
  }
}

describe('warm validation from changed rows', { timeout: 120_000 }, () => {
  it('marks every later holder of a repeated ID against the earliest row, as it moves', () => {
    const w = new Rows();
    const tab = T.FOLLOW_UPS.name;
    const id = w.cell(tab, 12, 0);
    w.write(tab, 20, 0, id);
    w.validate();
    expect(w.engine.lastValidationUpdated).toBe(true);
    w.write(tab, 5, 0, id);
    w.validate();
    expect(w.engine.lastValidationUpdated).toBe(true);
    w.write(tab, 5, 0, 'G20269990');
    w.validate();
    w.write(tab, 12, 0, 'G20269991');
    w.validate();
    expect(w.engine.lastValidationUpdated).toBe(true);
  });

  it('counts a blank ID on from the largest serial left when the row holding it is cleared', () => {
    const w = new Rows();
    for (const tab of [T.FOLLOW_UPS.name, T.CUSTOMERS.name]) {
      const rows = w.rows(tab);
      w.write(tab, rows[3]!.row, 0, null);
      w.validate();
      expect(w.engine.lastValidationUpdated).toBe(true);
      // the given ID is not written: the row stays blank while the largest serial goes
      for (let k = 0; k < 3; k++) {
        const last = w.rows(tab)[w.rows(tab).length - 1]!;
        w.clear(tab, last.row);
        w.validate();
        expect(w.engine.lastValidationUpdated).toBe(true);
      }
    }
  });

  it('tells the holders of a shared phone which customer came first, as the first one changes', () => {
    const w = new Rows();
    const tab = T.CUSTOMERS.name;
    const phone = w.col(tab, '联系电话');
    for (const row of [3, 6, 9, 12]) w.write(tab, row, phone, '13912345678');
    w.validate();
    w.write(tab, 3, phone, '13987654321');
    w.validate();
    expect(w.engine.lastValidationUpdated).toBe(true);
    w.clear(tab, 6);
    w.validate();
    w.write(tab, 2, phone, '13912345678');
    w.validate();
    expect(w.engine.lastValidationUpdated).toBe(true);
  });

  it('lets a child row count when the customer it names appears, and marks it when it goes', () => {
    const w = new Rows();
    const customers = T.CUSTOMERS.name;
    const tab = T.ORDERS.name;
    const ref = w.col(tab, '客户编号');
    w.write(tab, 4, ref, 'P20269000');
    w.write(tab, 7, ref, 'P20269000');
    w.validate();
    w.write(customers, 5, 0, 'P20269000');
    w.validate();
    expect(w.engine.lastValidationUpdated).toBe(true);
    // a customer row with an error: its children are left out quietly
    w.write(customers, 5, w.col(customers, '客户类型'), '不知道');
    w.validate();
    w.clear(customers, 5);
    w.validate();
    expect(w.engine.lastValidationUpdated).toBe(true);
  });

  it('takes rows a sync rewrote in its own columns as validated once settled, so the next form is brought up to date', () => {
    for (const settled of [false, true]) {
      const w = new Rows(0.25);
      const tab = T.CUSTOMERS.name;
      const tier = w.col(tab, '客户分层');
      // a sync on a new day rewrites a computed column of every customer
      for (const r of w.rows(tab).slice(1)) w.write(tab, r.row, tier, '重点客户');
      if (settled) w.engine.settle(w.input());
      const follow = T.FOLLOW_UPS.name;
      const last = w.rows(follow)[w.rows(follow).length - 1]!;
      w.write(follow, last.row, w.col(follow, '沟通内容'), '电话沟通，客户同意下周来访');
      w.validate();
      expect(w.engine.lastValidationUpdated).toBe(settled);
    }
  });
});
