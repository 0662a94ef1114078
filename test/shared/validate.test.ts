import { describe, expect, it } from 'vitest';
import { CUSTOMERS, ORDERS, TICKETS, VISITS } from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { daysFromCivil, startOfDay } from '../../shared/calendar.ts';
import type { RawCell } from '../../shared/cells.ts';
import {
  validateWorkbook,
  type SheetRow,
  type WorkbookInput,
} from '../../shared/validate/index.ts';
import { customerCells } from '../helpers/customer.ts';

const NOW = startOfDay(daysFromCivil(2024, 6, 15)) + 10 * 3600;

/** A tab as people would fill it: header texts, then rows of {header: value}. */
function tab(
  def: TabDef,
  rows: Record<string, RawCell>[],
  headers = def.columns.map((c) => c.header),
): SheetRow[] {
  return [
    { row: 1, cells: headers },
    ...rows.map((r, i) => ({ row: i + 2, cells: headers.map((h) => r[h] ?? null) })),
  ];
}

const customer = customerCells;

function workbook(tabs: [TabDef, Record<string, RawCell>[]][]): WorkbookInput {
  return { tabs: new Map(tabs.map(([def, rows]) => [def.name, tab(def, rows)])), epoch: 'sheets' };
}

describe('row validation', () => {
  it('accepts a complete customer and reports nothing', () => {
    const v = validateWorkbook(workbook([[CUSTOMERS, [customer()]]]), NOW);
    expect(v.problems).toEqual([]);
    expect(v.dataset.customers).toHaveLength(1);
    expect(v.dataset.customers[0]).toMatchObject({
      id: 'E20240001',
      level: '普通客户',
      phone: '13812345678',
    });
  });

  it('turns every bad cell into a problem naming tab, row, column, value and what is expected, and keeps good rows', () => {
    const v = validateWorkbook(
      workbook([
        [
          CUSTOMERS,
          [
            customer({ 客户编号: 'E20240001' }),
            customer({ 客户编号: 'E20240002', 客户来源: '朋友圈', 建档日期: '2024-13-01' }),
            customer({ 客户编号: 'E20240003', 所属行业: '航天' }),
          ],
        ],
      ]),
      NOW,
    );
    expect(v.problems).toContainEqual({
      tab: '客户',
      row: 3,
      column: '客户来源',
      value: '朋友圈',
      message: expect.stringContaining('展会推广 / 转介绍'),
      level: '错误',
    });
    expect(v.problems).toContainEqual(
      expect.objectContaining({ row: 3, column: '建档日期', level: '错误' }),
    );
    // An industry outside 行业列表 is a warning: the row still counts.
    expect(v.problems).toContainEqual(
      expect.objectContaining({ row: 4, column: '所属行业', level: '警告' }),
    );
    expect(v.dataset.customers.map((c) => c.id)).toEqual(['E20240001', 'E20240003']);
  });

  it('requires a valid phone or email, and only warns about a bad one beside a good one', () => {
    const v = validateWorkbook(
      workbook([
        [
          CUSTOMERS,
          [
            customer({ 客户编号: 'E20240001', 联系电话: '12345', 邮箱: 'a@b.cn' }),
            customer({ 客户编号: 'E20240002', 联系电话: '12345', 邮箱: null }),
          ],
        ],
      ]),
      NOW,
    );
    expect(v.problems.filter((p) => p.row === 2).map((p) => p.level)).toEqual(['警告']);
    expect(v.problems.filter((p) => p.row === 3).map((p) => p.level)).toEqual(['警告', '错误']);
    expect(v.dataset.customers.map((c) => c.id)).toEqual(['E20240001']);
  });

  it('applies conditional requirements: 联系人 for 企业, 签约日期 for 正式, a warning for a lead without grade', () => {
    const v = validateWorkbook(
      workbook([
        [
          CUSTOMERS,
          [
            customer({ 客户编号: 'E20240001', 联系人: null }),
            customer({ 客户编号: 'E20240002', 签约日期: null }),
            customer({ 客户编号: 'E20240003', 客户状态: '潜在', 签约日期: null }),
          ],
        ],
      ]),
      NOW,
    );
    expect(v.problems.map((p) => [p.row, p.column, p.level])).toEqual([
      [2, '联系人', '错误'],
      [3, '签约日期', '错误'],
      [4, '意向等级', '警告'],
    ]);
  });

  it('reports duplicate IDs on every row after the first and counts only the first', () => {
    const v = validateWorkbook(
      workbook([
        [CUSTOMERS, [customer(), customer({ 客户名称: '另一家公司', 联系电话: '13900001111' })]],
        [
          ORDERS,
          [
            { 订单编号: 'O20240001', 客户编号: 'E20240001', 下单日期: '2024-05-01', 金额: 100 },
            { 订单编号: 'O20240001', 客户编号: 'E20240001', 下单日期: '2024-05-02', 金额: 200 },
          ],
        ],
      ]),
      NOW,
    );
    expect(
      v.problems.filter((p) => p.level === '错误').map((p) => [p.tab, p.row, p.column]),
    ).toEqual([
      ['客户', 3, '客户编号'],
      ['订单', 3, '订单编号'],
    ]);
    expect(v.dataset.orders.map((o) => o.amount)).toEqual([10000]);
  });

  it('assigns IDs to blank ID cells from the row year, counting on from the largest serial', () => {
    const v = validateWorkbook(
      workbook([
        [
          CUSTOMERS,
          [
            customer({ 客户编号: 'E20240007' }),
            customer({ 客户编号: null, 客户名称: 'B公司', 联系电话: '13900000001' }),
            customer({
              客户编号: null,
              客户类型: '个人',
              客户名称: '张三',
              联系人: null,
              联系电话: '13900000002',
              建档日期: '2023-04-01',
            }),
            customer({ 客户编号: null, 客户类型: '机构', 客户名称: 'C', 联系电话: '13900000003' }),
          ],
        ],
      ]),
      NOW,
    );
    expect(v.ids.map((a) => [a.row, a.id])).toEqual([
      [3, 'E20240008'],
      [4, 'P20230001'],
    ]);
    expect(v.problems).toContainEqual(
      expect.objectContaining({ row: 5, column: '客户编号', level: '错误' }),
    );
  });

  it('rejects a child of an unknown customer and quietly skips children of a customer with an error', () => {
    const v = validateWorkbook(
      workbook([
        [
          CUSTOMERS,
          [
            customer(),
            customer({ 客户编号: 'E20240002', 客户来源: '???', 联系电话: '13900000009' }),
          ],
        ],
        [
          ORDERS,
          [
            { 订单编号: 'O20240001', 客户编号: 'E20249999', 下单日期: '2024-05-01', 金额: 100 },
            { 订单编号: 'O20240002', 客户编号: 'E20240002', 下单日期: '2024-05-01', 金额: 100 },
            {
              订单编号: 'O20240003',
              客户编号: 'E20240001',
              下单日期: '2024-05-01',
              金额: '¥1,000',
            },
          ],
        ],
      ]),
      NOW,
    );
    const orderProblems = v.problems.filter((p) => p.tab === '订单');
    expect(orderProblems).toEqual([
      expect.objectContaining({ row: 2, column: '客户编号', value: 'E20249999', level: '错误' }),
    ]);
    expect(v.dataset.orders.map((o) => [o.id, o.amount, o.quantity, o.paymentStatus])).toEqual([
      ['O20240003', 100000, 1, '未到期'],
    ]);
  });

  it('checks ticket times and states', () => {
    const base = {
      客户编号: 'E20240001',
      工单类型: '产品质量',
      问题描述: '屏幕坏了',
      紧急程度: '高',
      创建时间: '2024-06-01 09:00',
    };
    const v = validateWorkbook(
      workbook([
        [CUSTOMERS, [customer()]],
        [
          TICKETS,
          [
            { ...base, 工单编号: 'T20240001', 状态: '已解决', 解决时间: '2024-05-31 09:00' },
            {
              ...base,
              工单编号: 'T20240002',
              状态: '处理中',
              解决时间: '2024-06-02 09:00',
              满意度: 4,
            },
            { ...base, 工单编号: 'T20240003', 状态: '已关闭', 解决时间: '2024-06-02 09:00' },
            { ...base, 工单编号: 'T20240004', 状态: '新建', 创建时间: '2024-06-20 09:00' },
          ],
        ],
      ]),
      NOW,
    );
    const byRow = (row: number) =>
      v.problems.filter((p) => p.tab === '工单' && p.row === row).map((p) => [p.column, p.level]);
    expect(byRow(2)).toEqual([
      ['解决时间', '错误'],
      ['首次响应时间', '警告'],
    ]);
    expect(byRow(3)).toEqual([
      ['状态', '警告'],
      ['满意度', '警告'],
    ]);
    expect(byRow(4)).toEqual([['首次响应时间', '警告']]);
    expect(byRow(5)).toEqual([['创建时间', '警告']]);
    expect(v.dataset.tickets.map((t) => t.id)).toEqual(['T20240002', 'T20240003', 'T20240004']);
  });

  it('finds columns by header text in any order, folding full-width brackets', () => {
    const headers = [...TICKETS.columns.map((c) => c.header)]
      .reverse()
      .map((h) => h.replace('(', '（').replace(')', '）'));
    const rows = tab(
      VISITS,
      [
        {
          回访编号: 'V20240001',
          客户编号: 'E20240001',
          回访时间: '2024-06-01 10:00',
          回访方式: '电话',
          回访人: '李明',
          产品满意度: '较好',
        },
      ],
      [...VISITS.columns.map((c) => c.header)].reverse(),
    );
    const input: WorkbookInput = {
      tabs: new Map([
        ['客户', tab(CUSTOMERS, [customer()])],
        ['回访记录', rows],
        ['工单', [{ row: 1, cells: headers }]],
      ]),
      epoch: 'sheets',
    };
    const v = validateWorkbook(input, NOW);
    expect(v.problems).toEqual([]);
    expect(v.dataset.visits[0]).toMatchObject({
      id: 'V20240001',
      productSatisfaction: 4,
      serviceSatisfaction: null,
    });
    expect(v.tabs.get('tickets')!.layout.indexByKey.get('responseHours')).toBe(
      headers.length - 1 - TICKETS.columns.findIndex((c) => c.key === 'responseHours'),
    );
  });

  it('reads settings, reporting an invalid value and using its default', () => {
    const input = workbook([[CUSTOMERS, [customer()]]]);
    (input.tabs as Map<string, SheetRow[]>).set('参数', [
      { row: 1, cells: ['参数', '值', '说明'] },
      { row: 2, cells: ['购买频次下降比例', 0.25] },
      { row: 3, cells: ['首次回访天数', '一周'] },
      { row: 4, cells: ['回访需审核', '否'] },
      { row: 5, cells: ['企业客户编号前缀', 'C'] },
    ]);
    const v = validateWorkbook(input, NOW);
    expect(v.dataset.settings).toMatchObject({
      purchaseDropPercent: 25,
      firstVisitDays: 7,
      visitsNeedReview: false,
      enterprisePrefix: 'C',
    });
    expect(v.problems).toEqual([
      expect.objectContaining({ tab: '参数', row: 3, column: '值', value: '一周', level: '错误' }),
    ]);
  });

  it('warns about possible duplicate customers by phone and normalised company name', () => {
    const v = validateWorkbook(
      workbook([
        [
          CUSTOMERS,
          [
            customer(),
            customer({
              客户编号: 'E20240002',
              客户名称: '杭州云帆科技（有限责任公司）',
              联系电话: '13900000000',
            }),
            customer({
              客户编号: 'E20240003',
              客户名称: '别的公司',
              联系电话: '+86 138 1234 5678',
            }),
          ],
        ],
      ]),
      NOW,
    );
    expect(v.problems.map((p) => [p.row, p.column, p.level])).toEqual([
      [3, '客户名称', '警告'],
      [4, '联系电话', '警告'],
    ]);
  });
});
