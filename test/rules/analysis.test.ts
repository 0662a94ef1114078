import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ReportTable } from '../../shared/rules/index.ts';
import { computeRules } from '../../shared/rules/index.ts';
import type { Customer, Dataset, Order } from '../../shared/model.ts';
import { at, builder, day, fen } from './build.ts';

// Today is Wednesday 2024-06-12; the 12 months are 2023-06-13 … 2024-06-12.
const NOW = at('2024-06-12 10:00');

function example(): Dataset {
  const b = builder();
  const e1 = b.customer({ region: '华东' });
  const e2 = b.customer({ region: '华南' });
  b.customer({ region: null, status: '潜在', signedDate: null, intent: 'A' }); // E3, no orders
  const e4 = b.customer({ region: '华东', status: '流失' }); // not counted
  const e5 = b.customer({ region: '华东' }); // only a future order
  b.order(e1, '2024-06-01', { product: '产品A', quantity: 2, amount: fen('1000.10') });
  b.order(e1, '2024-01-15', { product: '产品B', quantity: 1, amount: fen('500.20') });
  b.order(e1, '2023-06-12', { product: '产品A', quantity: 9, amount: fen('999') }); // 12 months ago: out
  b.order(e2, '2024-05-01', { product: '产品A', quantity: 3, amount: fen('0.10') });
  b.order(e2, '2024-05-02', { product: null, quantity: 1, amount: fen('0.20') }); // → 其他
  b.order(e4, '2024-05-01', { product: '产品C', quantity: 1, amount: fen('700') }); // 流失: out
  b.order(e5, '2024-06-13', { product: '产品A', quantity: 1, amount: fen('50') }); // future: out
  return b.build({ settings: { analysisTopCustomers: 2, analysisTopProducts: 1 } });
}

const tables = (d: Dataset = example()) => computeRules(d, NOW).analysis;
const table = (title: string, d?: Dataset): ReportTable =>
  tables(d).find((t) => t.title === title)!;

describe('worked example: 销售分析', () => {
  it('lays out the titled tables with a format per column', () => {
    const all = tables();
    expect(all.map((t) => t.title)).toEqual([
      '客户分布',
      '区域销售',
      '产品销售',
      '客户销售分析',
      '客户价值',
      '问卷汇总',
      '目标达成',
    ]);
    for (const t of all) {
      expect(t.formats).toHaveLength(t.header.length);
      for (const row of t.rows) expect(row).toHaveLength(t.header.length);
    }
  });

  it('客户分布 counts 潜在 and 正式 customers by 区域, blank as 未填', () => {
    // E1, E5 华东; E2 华南; E3 未填; E4 is 流失. 4 customers: 2/4, 1/4, 1/4.
    // 华南 before 未填 on a tie: by the label's characters (华 U+534E < 未 U+672A).
    expect(table('客户分布').rows).toEqual([
      ['华东', 2, 0.5],
      ['华南', 1, 0.25],
      ['未填', 1, 0.25],
      ['合计', 4, 1],
    ]);
  });

  it('区域销售 sums 近12月金额 exactly to the fen', () => {
    // 华东: E1 1000.10 + 500.20 = 1500.30 (the 2023-06-12 order is 12 months ago, out),
    //       E5 0 (its only order is after today) → 1500.30, per customer 1500.30 / 2 = 750.15
    // 华南: E2 0.10 + 0.20 = 0.30 (not 0.30000000000000004)
    // 合计 150060 fen = 1500.60 over 4 customers → 375.15
    expect(table('区域销售').rows).toEqual([
      ['华东', 2, 0.5, 1500.3, 150030 / 150060, 750.15],
      ['华南', 1, 0.25, 0.3, 30 / 150060, 0.3],
      ['未填', 1, 0.25, 0, 0, 0],
      ['合计', 4, 1, 1500.6, 1, 375.15],
    ]);
  });

  it('产品销售 counts orders, 数量 and 销售额 per 产品, blank as 其他', () => {
    // 产品A: E1 (2 pcs, 1000.10) + E2 (3 pcs, 0.10) → 2 orders, 5 pcs, 1000.20
    // 产品B: 1 order, 1 pc, 500.20;  其他: E2's blank product, 1, 1, 0.20
    // 产品C (流失 customer) and the future order are out. 产品B before 其他 (产 < 其).
    expect(table('产品销售').rows).toEqual([
      ['产品A', 2, 5, 1000.2, 100020 / 150060],
      ['产品B', 1, 1, 500.2, 50020 / 150060],
      ['其他', 1, 1, 0.2, 20 / 150060],
      ['合计', 4, 7, 1500.6, 1],
    ]);
  });

  it('客户销售分析 crosses the top customers with the top products, the rest under 其他', () => {
    // 客户销售分析行数 2 → E1 (1500.30), E2 (0.30); 产品数 1 → 产品A (1000.20).
    // E1: 产品A 1000.10, 其他 = 产品B 500.20, 合计 1500.30; E2: 0.10, 0.20, 0.30.
    const t = table('客户销售分析');
    expect(t.header).toEqual(['客户编号', '客户名称', '产品A', '其他', '合计']);
    expect(t.rows).toEqual([
      ['E20240001', '客户1', 1000.1, 500.2, 1500.3],
      ['E20240002', '客户2', 0.1, 0.2, 0.3],
      ['合计', null, 1000.2, 500.4, 1500.6],
    ]);
  });

  it('a share of nothing is blank', () => {
    const b = builder();
    b.customer({ region: '华北' });
    const t = table('产品销售', b.build());
    expect(t.rows).toEqual([['合计', 0, 0, 0, null]]);
    expect(table('区域销售', b.build()).rows[0]).toEqual(['华北', 1, 1, 0, null, 0]);
  });
});

const REGIONS = ['华东', '华南', '华北', null] as const;
const PRODUCTS = ['产品A', '产品B', '产品C', null] as const;

const worldArb = fc.record({
  customers: fc.array(
    fc.record({
      region: fc.constantFrom(...REGIONS),
      status: fc.constantFrom('潜在', '正式', '流失' as const),
    }),
    { minLength: 0, maxLength: 12 },
  ),
  orders: fc.array(
    fc.record({
      customer: fc.nat(),
      daysAgo: fc.integer({ min: -5, max: 400 }),
      product: fc.constantFrom(...PRODUCTS),
      quantity: fc.integer({ min: 1, max: 5 }),
      fen: fc.integer({ min: 1, max: 10_000_000 }),
    }),
    { maxLength: 30 },
  ),
  seed: fc.nat(),
});

type World = { customers: Customer[]; orders: Order[] };
type WorldInput = typeof worldArb extends fc.Arbitrary<infer T> ? T : never;

function worldOf(w: WorldInput): World {
  const b = builder();
  const customers = w.customers.map((c) => b.customer({ region: c.region, status: c.status }));
  const orders: Order[] = [];
  if (customers.length > 0)
    for (const o of w.orders)
      orders.push(
        b.order(customers[o.customer % customers.length]!, '2024-06-12', {
          date: day('2024-06-12') - o.daysAgo,
          product: o.product,
          quantity: o.quantity,
          amount: o.fen,
        }),
      );
  return { customers, orders };
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed || 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

const datasetOf = (w: World): Dataset => {
  const b = builder();
  const base = b.build();
  return { ...base, customers: w.customers, orders: w.orders };
};

describe('properties: 销售分析', () => {
  it('shares of every share column sum to 1 (or are all blank when there is nothing)', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const all = tables(datasetOf(worldOf(w)));
        for (const t of all) {
          t.formats.forEach((f, col) => {
            if (f !== 'percent') return;
            const body = t.rows.slice(0, -1).map((r) => r[col]);
            const total = t.rows.at(-1)![col];
            if (total === null) {
              expect(body.every((v) => v === null)).toBe(true);
              return;
            }
            const sum = body.reduce<number>((s, v) => s + (v as number), 0);
            expect(Math.abs(sum - 1)).toBeLessThan(1e-9);
          });
        }
      }),
    );
  });

  it('money columns add up to their 合计 to the fen', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        for (const t of tables(datasetOf(worldOf(w)))) {
          if (t.title === '区域销售' || t.title === '产品销售') {
            const col = t.header.findIndex((h) => h.includes('销售额(元)'));
            const fenOf = (v: unknown) => Math.round((v as number) * 100);
            const sum = t.rows.slice(0, -1).reduce((s, r) => s + fenOf(r[col]), 0);
            expect(sum).toBe(fenOf(t.rows.at(-1)![col]));
          }
        }
      }),
    );
  });

  it('the order of the customer and order rows does not matter', () => {
    fc.assert(
      fc.property(worldArb, (w) => {
        const world = worldOf(w);
        const again = {
          customers: shuffled(world.customers, w.seed),
          orders: shuffled(world.orders, w.seed + 7),
        };
        expect(tables(datasetOf(again))).toEqual(tables(datasetOf(world)));
      }),
    );
  });
});
