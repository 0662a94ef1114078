/**
 * A form's look at a tab made from the last look and the rows that changed since (what a
 * kept workbook hands the route after each write) answers exactly as a look at every row:
 * the rows, the last row, each ID's first row, the next ID and the possible duplicates.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as T from '../../sheets-templates/tabs.ts';
import { cellText, isBlank, type CellValue } from '../../shared/cells.ts';
import {
  findEntryDuplicates,
  findWorkbookDuplicates,
  type DuplicateProbe,
} from '../../shared/forms/entryDuplicates.ts';
import { findById, viewTab } from '../../shared/forms/sheet.ts';
import { applySubmission } from '../../shared/forms/submit.ts';
import { maxSerials } from '../../shared/ids.ts';
import type { SheetRow, WorkbookInput } from '../../shared/validate/index.ts';
import { patchRows } from '../../sync-server/local/warmWorkbook.ts';
import type { CellPatch } from '../../sync-server/xlsx/patcher.ts';
import { NOW, USER, newCustomerPayload } from './fixture.ts';

const COLUMNS = T.CUSTOMERS.columns;
const col = (key: string): number => COLUMNS.findIndex((c) => c.key === key);
const HEADER: SheetRow = { row: 1, cells: COLUMNS.map((c) => c.header) };

const ids = fc.constantFrom('E20240001', 'E20240002', 'P20240003', 'E20240009', 'P20240010', '');
const phones = fc.constantFrom('13800001111', '13800002222', '021-66668888', '', '138 0000 1111');
const names = fc.constantFrom('上海瑞丰', '上海瑞丰有限公司', '北京星河', '张三', '  ');
const kinds = fc.constantFrom('企业', '个人');

/** One write: a row's cells set (a new row past the end when `row` is large), or blanked. */
const patchArb = fc.record({
  row: fc.integer({ min: 2, max: 14 }),
  blank: fc.boolean(),
  id: ids,
  phone: phones,
  name: names,
  kind: kinds,
});

type PatchStep = typeof patchArb extends fc.Arbitrary<infer V> ? V : never;

function patchesOf(p: PatchStep): CellPatch[] {
  const cells: [string, CellValue][] = p.blank
    ? COLUMNS.map((c) => [c.key, null])
    : [
        ['customerId', p.id],
        ['kind', p.kind],
        ['name', p.name],
        ['phone', p.phone],
      ];
  return cells.map(([key, value]) => ({ row: p.row, col: col(key), value, numFmt: undefined }));
}

/** The same answers from every row, without any kept view. */
function fromScratch(sheet: readonly SheetRow[]) {
  const rows = sheet.filter((r) => r.row > 1 && r.cells.some((c) => !isBlank(c)));
  const text = (r: SheetRow, key: string) => cellText(r.cells[col(key)] ?? null);
  const probes: DuplicateProbe[] = rows.map((r) => ({
    id: text(r, 'customerId'),
    kind: text(r, 'kind'),
    name: text(r, 'name'),
    phone: text(r, 'phone'),
    email: text(r, 'email'),
    creditCode: text(r, 'creditCode'),
  }));
  return { rows, probes, idOf: (r: SheetRow) => text(r, 'customerId') };
}

describe('views kept between forms', () => {
  it('give the answers of a look at every row after any sequence of writes', () => {
    fc.assert(
      fc.property(
        fc.array(patchArb, { minLength: 1, maxLength: 8 }),
        fc.array(fc.array(patchArb, { minLength: 1, maxLength: 4 }), {
          minLength: 1,
          maxLength: 8,
        }),
        (start, writes) => {
          let sheet: SheetRow[] = patchRows([HEADER], start.flatMap(patchesOf));
          const input = (): WorkbookInput => ({
            tabs: new Map([[T.CUSTOMERS.name, sheet]]),
            epoch: 'excel1900',
          });
          for (const write of [[], ...writes]) {
            sheet = patchRows(sheet, write.flatMap(patchesOf));
            const view = viewTab(input(), T.CUSTOMERS);
            const expected = fromScratch(sheet);
            expect(view.rows).toEqual(expected.rows);
            expect(view.lastRow).toBe(expected.rows.at(-1)?.row ?? 1);
            for (const id of ['E20240001', 'E20240002', 'P20240003', 'E20240009', 'P20240010'])
              expect(findById(view, id)).toBe(expected.rows.find((r) => expected.idOf(r) === id));
            for (const probe of [
              {
                id: '',
                kind: '企业',
                name: '上海瑞丰',
                phone: '13800001111',
                email: '',
                creditCode: '',
              },
              {
                id: 'E20240001',
                kind: '个人',
                name: '张三',
                phone: '13800002222',
                email: '',
                creditCode: '',
              },
            ])
              expect(findWorkbookDuplicates(probe, input())).toEqual(
                findEntryDuplicates(probe, expected.probes),
              );
            const serials = maxSerials(expected.rows.map(expected.idOf));
            const next = applySubmission(
              'new-customer',
              { ...newCustomerPayload(), confirmDuplicate: true },
              input(),
              { now: NOW, user: USER },
            );
            if (!next.ok) throw new Error(next.message);
            expect(next.ok && next.id).toBe(
              `E2024${String((serials.get('E2024') ?? 0) + 1).padStart(4, '0')}`,
            );
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
