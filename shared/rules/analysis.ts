/**
 * The 销售分析 tab (docs/rules.md#analysis-销售分析), as titled tables like 报表:
 *
 * 1. 客户分布 — 区域 | 客户数 | 占比
 * 2. 区域销售 — 区域 | 客户数 | 客户占比 | 近12月销售额(元) | 销售额占比 | 户均销售额(元)
 * 3. 产品销售 — 产品 | 订单数 | 销售数量 | 销售额(元) | 销售额占比
 * 4. 客户销售分析 — 客户编号 | 客户名称 | one 销售额 column per top product | 其他 | 合计
 * 5. 客户价值 — 客户分层 | 客户数 | 客户价值合计(元) | 平均客户价值(元)  (valueByTier.ts)
 * 6. 问卷汇总 — 所属行业 | 问卷数 | the four 1–5 means | NPS           (surveySummary.ts)
 * 7. 目标达成 — 指标 | 目标值 | 实际 | 达成                              (targetAttainment.ts)
 *
 * Customers counted are 潜在 and 正式; orders counted are those of the last 12 months of
 * counted customers. Money is summed in fen (integers), so every total is exact; a yuan
 * figure is fen ÷ 100 only when written. Rows are sorted by their first number column
 * descending, then by label, so the order of the input rows never shows; a 合计 row
 * closes every table.
 */
import type { EpochDay } from '../calendar.ts';
import type { Customer, ExperienceSurvey, Order, ServiceTarget } from '../model.ts';
import { byFigure, NO_REGION, OTHER_PRODUCT, share, TOTAL, yuan } from './analysisCells.ts';
import { divRound } from './rational.ts';
import { countedRows, type CountedRows } from './countedRows.ts';
import type { ReportCell, ReportFormat, ReportTable, ServiceTally } from './reports.ts';
import { surveyTable } from './surveySummary.ts';
import { targetTable } from './targetAttainment.ts';
import { topCustomers } from './topCustomers.ts';
import { valueTable, type ValueInput } from './valueByTier.ts';

export interface AnalysisInput {
  today: EpochDay;
  /** the 12-month window's exclusive start: addMonths(today, −12) */
  from12m: EpochDay;
  customers: readonly Customer[];
  orders: readonly Order[];
  /** 近12月金额 in fen, by 客户编号 */
  amount12m: (customerId: string) => number;
  /** the tier a customer counts under (客户价值 table); null when unknown */
  tierOf: (customerId: string) => string | null;
  /** the rule tiers by 优先级, then 默认分层: the 客户价值 table's row order */
  tierOrder: readonly string[];
  /** 客户价值 in fen (正式 only, else null) */
  customerValue: (customerId: string) => number | null;
  /**
   * The same two by position in `customers`, for `counted` rows that know their
   * customers' positions: no lookup by 客户编号
   */
  atPosition?: {
    tierOf: (position: number) => string | null;
    customerValue: (position: number) => number | null;
  };
  /**
   * The customer with a 客户编号, when the caller knows every 客户编号 occurs once: 问卷汇总
   * then looks up the customers who answered instead of visiting every customer
   */
  customerById?: (id: string) => Customer | undefined;
  /** 体验问卷 rows, any dates: 问卷汇总 keeps those of the 12 months */
  surveys: readonly ExperienceSurvey[];
  /** 服务目标 rows in sheet order */
  serviceTargets: readonly ServiceTarget[];
  /** the 服务指标 tally of the last 30 days, 目标达成's 实际 */
  service30: ServiceTally;
  /** the counted rows when the caller has them already (countedRowsAt) */
  counted?: CountedRows;
  /** [客户销售分析行数] */
  topCustomers: number;
  /** [客户销售分析产品数] */
  topProducts: number;
}

interface RegionTally {
  customers: number;
  fen: number;
}

function regionTallies({ customers, amounts }: CountedRows) {
  const regions = new Map<string, RegionTally>();
  for (let i = 0; i < customers.length; i++) {
    const name = customers[i]!.region ?? NO_REGION;
    let t = regions.get(name);
    if (!t) regions.set(name, (t = { customers: 0, fen: 0 }));
    t.customers += 1;
    t.fen += amounts[i]!;
  }
  return regions;
}

function distributionTable(regions: Map<string, RegionTally>, total: number): ReportTable {
  const names = [...regions.keys()].sort(byFigure((n) => regions.get(n)!.customers, String));
  const rows: ReportCell[][] = names.map((n) => [
    n,
    regions.get(n)!.customers,
    share(regions.get(n)!.customers, total),
  ]);
  rows.push([TOTAL, total, share(total, total)]);
  return {
    title: '客户分布',
    header: ['区域', '客户数', '占比'],
    rows,
    formats: ['text', 'integer', 'percent'],
  };
}

function regionSalesTable(regions: Map<string, RegionTally>, total: number): ReportTable {
  let totalFen = 0;
  for (const t of regions.values()) totalFen += t.fen;
  const names = [...regions.keys()].sort(byFigure((n) => regions.get(n)!.customers, String));
  const row = (label: string, t: RegionTally): ReportCell[] => [
    label,
    t.customers,
    share(t.customers, total),
    yuan(t.fen),
    share(t.fen, totalFen),
    t.customers === 0 ? null : divRound(t.fen, t.customers * 100, 2),
  ];
  const rows = names.map((n) => row(n, regions.get(n)!));
  rows.push(row(TOTAL, { customers: total, fen: totalFen }));
  return {
    title: '区域销售',
    header: ['区域', '客户数', '客户占比', '近12月销售额(元)', '销售额占比', '户均销售额(元)'],
    rows,
    formats: ['text', 'integer', 'percent', 'money', 'percent', 'money'],
  };
}

interface ProductTally {
  orders: number;
  quantity: number;
  fen: number;
}

function productTallies(orders: readonly Order[]): Map<string, ProductTally> {
  const products = new Map<string, ProductTally>();
  for (let k = 0; k < orders.length; k++) {
    const o = orders[k]!;
    const name = o.product ?? OTHER_PRODUCT;
    let t = products.get(name);
    if (!t) products.set(name, (t = { orders: 0, quantity: 0, fen: 0 }));
    t.orders += 1;
    t.quantity += o.quantity;
    t.fen += o.amount;
  }
  return products;
}

function productTable(products: Map<string, ProductTally>): ReportTable {
  const total: ProductTally = { orders: 0, quantity: 0, fen: 0 };
  for (const t of products.values()) {
    total.orders += t.orders;
    total.quantity += t.quantity;
    total.fen += t.fen;
  }
  const names = [...products.keys()].sort(byFigure((n) => products.get(n)!.orders, String));
  const row = (label: string, t: ProductTally): ReportCell[] => [
    label,
    t.orders,
    t.quantity,
    yuan(t.fen),
    share(t.fen, total.fen),
  ];
  const rows = names.map((n) => row(n, products.get(n)!));
  rows.push(row(TOTAL, total));
  return {
    title: '产品销售',
    header: ['产品', '订单数', '销售数量', '销售额(元)', '销售额占比'],
    rows,
    formats: ['text', 'integer', 'integer', 'money', 'percent'],
  };
}

/**
 * The top customers by 近12月金额 (ties by 客户编号) across the top products by 销售额
 * (ties by name); every other product's sales go to 其他, so each row's 合计 is the
 * customer's counted sales and the 合计 row is the top customers' total.
 */
function customerSalesTable(
  input: AnalysisInput,
  counted: CountedRows,
  products: Map<string, ProductTally>,
): ReportTable {
  const { customers, orders, customerOf } = counted;
  const top = topCustomers(customers, counted.amounts, input.topCustomers);
  const topProducts = [...products.keys()]
    .filter((p) => p !== OTHER_PRODUCT)
    .sort(byFigure((p) => products.get(p)!.fen, String))
    .slice(0, Math.max(0, input.topProducts));
  const column = new Map(topProducts.map((p, i) => [p, i]));
  const width = topProducts.length + 2; // products, 其他, 合计
  // One line per 客户编号, found by the position the orders' 客户编号 resolve to.
  // Typed lines: a plain array of 0s turned to doubles by the first sum changed its kind
  // on every computation, and threw away this function's optimised code each time.
  const lines: Float64Array[] = [];
  const lineAt = new Int32Array(customers.length).fill(-1);
  const lineOf = counted.canonical;
  for (const p of top) {
    lineAt[lineOf(p)] = lines.length;
    lines.push(new Float64Array(width));
  }
  for (let j = 0; j < orders.length; j++) {
    const k = lineAt[customerOf[j]!]!;
    if (k < 0) continue;
    const o = orders[j]!;
    const line = lines[k]!;
    const at = column.get(o.product ?? OTHER_PRODUCT) ?? topProducts.length;
    line[at] = line[at]! + o.amount;
    line[width - 1] = line[width - 1]! + o.amount;
  }
  const sums = new Float64Array(width);
  const rows: ReportCell[][] = top.map((p) => {
    const c = customers[p]!;
    const line = lines[lineAt[lineOf(p)]!]!;
    for (let i = 0; i < width; i++) sums[i] = sums[i]! + line[i]!;
    return [c.id, c.name, ...Array.from(line, yuan)];
  });
  rows.push([TOTAL, null, ...Array.from(sums, yuan)]);
  return {
    title: '客户销售分析',
    header: ['客户编号', '客户名称', ...topProducts, OTHER_PRODUCT, TOTAL],
    rows,
    formats: ['text', 'text', ...new Array<ReportFormat>(width).fill('money')],
  };
}

/** 客户价值 and tier of each counted customer, by position when both sides know it. */
function valueLookups(input: AnalysisInput, rows: CountedRows): ValueInput {
  const { customers, positions } = rows;
  const at = input.atPosition;
  if (positions === null || at === undefined)
    return {
      tierOrder: input.tierOrder,
      tierOf: (p) => input.tierOf(customers[p]!.id),
      customerValue: (p) => input.customerValue(customers[p]!.id),
    };
  return {
    tierOrder: input.tierOrder,
    tierOf: (p) => at.tierOf(positions[p]!),
    customerValue: (p) => at.customerValue(positions[p]!),
  };
}

export function buildAnalysis(input: AnalysisInput): ReportTable[] {
  const rows = input.counted ?? countedRows(input.customers, input.orders, input, input.amount12m);
  const customers = rows.customers;
  const regions = regionTallies(rows);
  const products = productTallies(rows.orders);
  return [
    distributionTable(regions, customers.length),
    regionSalesTable(regions, customers.length),
    productTable(products),
    customerSalesTable(input, rows, products),
    valueTable(customers, valueLookups(input, rows)),
    surveyTable(input.customers, input.surveys, input, input.customerById),
    targetTable(input.serviceTargets, input.service30),
  ];
}
