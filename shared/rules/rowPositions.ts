/**
 * Where each order and ticket belongs when outcomes computed earlier are assembled
 * (rulesOutput, the warm engine's path): found once here, so that the output is built by
 * position as computeRules builds it, instead of by a lookup of every 客户编号 per table.
 */
import type { Dataset } from '../model.ts';
import type { CustomerOutcome, RowPositions } from './customers.ts';
import { customerPositions } from './customerPositions.ts';
import { IdIndex } from './idIndex.ts';
import type { Windows } from './metrics.ts';

/**
 * The rows' positions when `list` is dataset.customers' outcomes in dataset order and
 * every 客户编号 occurs once — then a position and a lookup by 客户编号 agree; else null.
 */
export function positionsOf(
  dataset: Dataset,
  list: readonly CustomerOutcome[],
  windows: Pick<Windows, 'today' | 'from12m'>,
): RowPositions | null {
  const customers = dataset.customers;
  if (list.length !== customers.length) return null;
  const ids = new Array<string>(customers.length);
  for (let i = 0; i < customers.length; i++) {
    const id = customers[i]!.id;
    if (list[i]!.id !== id) return null;
    ids[i] = id;
  }
  const index = new IdIndex(ids);
  if (!index.unique) return null;
  const { today, from12m } = windows;
  const orders = dataset.orders;
  // Validation's positions of the rows' customers, when it recorded them for these arrays.
  const orderKnown = customerPositions(orders, customers);
  const orderAt = new Int32Array(orders.length).fill(-1);
  for (let k = 0; k < orders.length; k++) {
    const o = orders[k]!;
    if (o.date > today || o.date <= from12m) continue;
    orderAt[k] = orderKnown ? orderKnown[k]! : index.get(o.customerId);
  }
  const tickets = dataset.tickets;
  const ticketVisitDay = new Float64Array(tickets.length);
  const ticketKnown = customerPositions(tickets, customers);
  for (let k = 0; k < tickets.length; k++) {
    const i = ticketKnown ? ticketKnown[k]! : index.get(tickets[k]!.customerId);
    ticketVisitDay[k] = i < 0 ? -Infinity : (list[i]!.latestValidVisitDay ?? -Infinity);
  }
  return { orderAt, ticketVisitDay };
}
