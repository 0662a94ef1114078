/**
 * The rows 销售分析 counts (docs/rules.md#analysis-销售分析): 潜在 and 正式 customers,
 * and their orders dated in the last 12 months, each order with its customer's position
 * so that the tables sum by position instead of looking a 客户编号 up again per order.
 */
import type { EpochDay } from '../calendar.ts';
import type { Customer, Order } from '../model.ts';
import { IdIndex } from './idIndex.ts';

export interface CountedRows {
  /** 潜在 and 正式 customers, in input order */
  customers: Customer[];
  /** 近12月金额 of customers[i], in fen */
  amounts: Float64Array;
  /** orders in (from12m, today] of a counted customer, in input order */
  orders: Order[];
  /**
   * orders[j]'s customer: the position of the last counted customer with its 客户编号,
   * as a lookup by 客户编号 would find it
   */
  customerOf: Int32Array;
  /** the position customers[p]'s 客户编号 resolves to: the last customer with it */
  canonical: (p: number) => number;
  /** customers[p]'s position in the whole customer list, when every 客户编号 occurs once */
  positions: Int32Array | null;
}

export const isCounted = (c: Customer): boolean => c.status === '潜在' || c.status === '正式';

export function countedRows(
  all: readonly Customer[],
  allOrders: readonly Order[],
  window: { from12m: EpochDay; today: EpochDay },
  amount12m: (customerId: string) => number,
): CountedRows {
  const customers = all.filter(isCounted);
  const amounts = new Float64Array(customers.length);
  for (let i = 0; i < customers.length; i++) amounts[i] = amount12m(customers[i]!.id);
  const index = new IdIndex(customers.map((c) => c.id));
  const orders: Order[] = [];
  const at: number[] = [];
  const { from12m, today } = window;
  for (const o of allOrders) {
    // The dates first: they are plain numbers, the ID a text to look up.
    if (o.date <= from12m || o.date > today) continue;
    const i = index.get(o.customerId);
    if (i < 0) continue;
    orders.push(o);
    at.push(i);
  }
  return {
    customers,
    amounts,
    orders,
    customerOf: Int32Array.from(at),
    canonical: (p) => index.get(customers[p]!.id),
    positions: null,
  };
}

/**
 * The same rows when every 客户编号 occurs once and each windowed order's customer
 * position in `all` is known (`orderAt`, −1 outside the window): no lookup by text.
 */
export function countedRowsAt(
  all: readonly Customer[],
  amountAt: (position: number) => number,
  allOrders: readonly Order[],
  orderAt: Int32Array,
): CountedRows {
  // Filled up to `counted` and cut to it; arrays of the final size are not known
  // beforehand, and growing ones copied most of this function's time.
  const customers = new Array<Customer>(all.length);
  let counted = 0;
  const amounts = new Float64Array(all.length);
  const positions = new Int32Array(all.length);
  const countedAt = new Int32Array(all.length).fill(-1);
  for (let i = 0; i < all.length; i++) {
    const c = all[i]!;
    if (!isCounted(c)) continue;
    const p = counted++;
    countedAt[i] = p;
    customers[p] = c;
    amounts[p] = amountAt(i);
    positions[p] = i;
  }
  customers.length = counted;
  let windowed = 0;
  for (let k = 0; k < allOrders.length; k++) {
    const i = orderAt[k]!;
    if (i >= 0 && countedAt[i]! >= 0) windowed++;
  }
  const orders = new Array<Order>(windowed);
  const at = new Int32Array(windowed);
  let j = 0;
  for (let k = 0; k < allOrders.length; k++) {
    const i = orderAt[k]!;
    if (i < 0 || countedAt[i]! < 0) continue;
    at[j] = countedAt[i]!;
    orders[j++] = allOrders[k]!;
  }
  return {
    customers,
    amounts: amounts.slice(0, customers.length),
    orders,
    customerOf: at,
    canonical: (p) => p,
    positions: positions.slice(0, customers.length),
  };
}
