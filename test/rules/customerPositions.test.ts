import { describe, expect, it } from 'vitest';
import { CUSTOMERS, FOLLOW_UPS, ORDERS, TICKETS, VISITS } from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { daysFromCivil, startOfDay } from '../../shared/calendar.ts';
import type { RawCell } from '../../shared/cells.ts';
import type { Customer, Dataset } from '../../shared/model.ts';
import {
  customerPositions,
  recordCustomerPositions,
  recordLookedUpPositions,
} from '../../shared/rules/customerPositions.ts';
import {
  computeCustomers,
  computeRules,
  rulesContext,
  rulesOutput,
} from '../../shared/rules/index.ts';
import { validateWorkbook, type SheetRow } from '../../shared/validate/index.ts';
import { customerCells } from '../helpers/customer.ts';
import { sections } from './canonical.ts';
import { scenarios } from './generate.ts';

const NOW = startOfDay(daysFromCivil(2024, 6, 15)) + 10 * 3600;

function tab(def: TabDef, rows: Record<string, RawCell>[]): SheetRow[] {
  const headers = def.columns.map((c) => c.header);
  return [
    { row: 1, cells: headers },
    ...rows.map((r, i) => ({ row: i + 2, cells: headers.map((h) => r[h] ?? null) })),
  ];
}

/** A child tab of one row per 客户编号 in `refs`, each with its own ID and `cells`. */
const child = (
  def: TabDef,
  idHeader: string,
  prefix: string,
  refs: readonly string[],
  cells: Record<string, RawCell>,
): [string, SheetRow[]] => [
  def.name,
  tab(
    def,
    refs.map((ref, i) => ({ [idHeader]: `${prefix}2024000${i + 1}`, 客户编号: ref, ...cells })),
  ),
];

/** The same dataset in new arrays: no positions were recorded for them. */
const unrecorded = (d: Dataset): Dataset => ({
  ...d,
  orders: [...d.orders],
  followUps: [...d.followUps],
  tickets: [...d.tickets],
  visits: [...d.visits],
});

describe("validation's positions of the rows' customers", () => {
  it('records each kept child row’s customer as its place among the kept customers', () => {
    // Customers the dataset leaves out (an error, a repeated 客户编号) shift the places of
    // those after them; rows of a left-out or unknown customer are not kept.
    const customers = [
      customerCells({ 客户编号: 'E20240001', 建档日期: '2024-13-01' }),
      customerCells({ 客户编号: 'E20240002' }),
      customerCells({ 客户编号: 'E20240003' }),
      customerCells({ 客户编号: 'E20240002', 客户名称: '重复的客户' }),
      customerCells({ 客户编号: 'P20240004', 客户类型: '个人', 客户名称: '张三' }),
    ];
    const refs = ['P20240004', 'E20240001', 'E20240003', 'E20249999', 'E20240002', 'P20240004'];
    const input = {
      tabs: new Map([
        [CUSTOMERS.name, tab(CUSTOMERS, customers)],
        child(ORDERS, '订单编号', 'O', refs, { 下单日期: '2024-05-01', 金额: 100 }),
        child(FOLLOW_UPS, '跟进编号', 'G', refs, {
          跟进时间: '2024-06-01 10:00',
          跟进方式: '电话',
          沟通内容: '介绍新品',
          跟进人: '李明',
        }),
        child(TICKETS, '工单编号', 'T', [...refs].reverse(), {
          工单类型: '产品质量',
          问题描述: '屏幕坏了',
          紧急程度: '高',
          创建时间: '2024-06-01 09:00',
          状态: '新建',
        }),
        child(VISITS, '回访编号', 'V', refs, {
          回访时间: '2024-06-01 10:00',
          回访方式: '电话',
          回访人: '李明',
        }),
      ]),
      epoch: 'sheets' as const,
    };
    const { dataset } = validateWorkbook(input, NOW);
    expect(dataset.customers.map((c) => c.id)).toEqual(['E20240002', 'E20240003', 'P20240004']);
    const tables = [dataset.orders, dataset.followUps, dataset.tickets, dataset.visits];
    for (const rows of tables) {
      expect(rows.length).toBeGreaterThan(2);
      const at = customerPositions(rows, dataset.customers);
      expect(at).not.toBeNull();
      expect([...at!]).toEqual(
        rows.map((r) => dataset.customers.findIndex((c) => c.id === r.customerId)),
      );
    }
  });

  it('belong to the very arrays they were recorded for', () => {
    const d = scenarios(40)[0]!.dataset;
    const customers = [...d.customers];
    const orders = [...d.orders];
    recordLookedUpPositions({ ...d, customers, orders });
    expect(customerPositions(orders, customers)).not.toBeNull();
    expect(customerPositions([...orders], customers)).toBeNull();
    expect(customerPositions(orders, [...customers])).toBeNull();
    // Positions of another length than the rows are never kept.
    const rows = [...orders];
    recordCustomerPositions(rows, customers, new Int32Array(rows.length - 1));
    expect(customerPositions(rows, customers)).toBeNull();
  });
});

describe('the rules with recorded positions', () => {
  const text = (out: ReturnType<typeof computeRules>): Map<string, string> => sections(out);

  for (const s of scenarios(300)) {
    it(`give what looking every 客户编号 up gives: ${s.name}`, () => {
      const looked = text(computeRules(unrecorded(s.dataset), s.now, { dueCallbacks: true }));
      const d = unrecorded(s.dataset);
      recordLookedUpPositions(d);
      expect(customerPositions(d.orders, d.customers)).not.toBeNull();
      expect(text(computeRules(d, s.now, { dueCallbacks: true }))).toEqual(looked);
      // The warm engine's path: every customer's outcome, then the output by position.
      const context = rulesContext(d, s.now);
      const outcomes = computeCustomers(d, context, undefined, { dueCallbacks: true });
      expect(text(rulesOutput(d, outcomes, context, { dueCallbacks: true }))).toEqual(looked);
    });
  }

  it('take them rather than looking up: positions recorded wrongly change the output', () => {
    const s = scenarios(300)[0]!;
    const d = unrecorded(s.dataset);
    const right = text(computeRules(d, s.now));
    // Every row said to be the first customer's.
    for (const rows of [d.orders, d.followUps, d.tickets, d.visits])
      recordCustomerPositions(rows, d.customers, new Int32Array(rows.length));
    expect(text(computeRules(d, s.now))).not.toEqual(right);
  });

  it('are not taken when a 客户编号 repeats, where a lookup finds the last of them', () => {
    const s = scenarios(300)[0]!;
    const first: Customer = s.dataset.customers[0]!;
    const customers = [...s.dataset.customers, { ...first, row: 9999, name: '同号客户' }];
    const d = unrecorded({ ...s.dataset, customers });
    const looked = text(computeRules(d, s.now));
    // As validation would record them: the first customer of a 客户编号.
    const firstOf = (rows: readonly { customerId: string }[]): Int32Array =>
      Int32Array.from(rows.map((r) => customers.findIndex((c) => c.id === r.customerId)));
    for (const rows of [d.orders, d.followUps, d.tickets, d.visits])
      recordCustomerPositions(rows, customers, firstOf(rows));
    expect(text(computeRules(d, s.now))).toEqual(looked);
  });
});
