/** Parsed rows without errors into the typed rows the rules compute on. */
import type { EpochDay } from '../calendar.ts';
import { SATISFACTION_SCORES } from '../cells.ts';
import type { Customer, FollowUp, Order, Ticket, Visit } from '../model.ts';
import type { ParsedRow } from './types.ts';

/**
 * A row's values read by name. Reads written out as `x.name` each keep their own inline
 * cache for the one shape all rows of a tab share, where a helper indexed by key would
 * see every key at one site and fall back to a slow generic lookup. The types are those
 * the columns parse to (unchecked, as any cast is); a blank with a default reads null.
 */
export const valuesOf = <T>(r: ParsedRow): Readonly<T> => r.values as unknown as T;

type Defaulted<T, K extends keyof T> = Omit<T, K | 'row' | 'id'> & { [P in K]: T[P] | null };
type CustomerValues = Defaulted<Customer, 'level'>;
type OrderValues = Omit<Defaulted<Order, 'quantity' | 'paymentStatus'>, 'date'> & {
  orderDate: EpochDay;
};
type FollowUpValues = Omit<FollowUp, 'row' | 'id'>;
type TicketValues = Omit<Ticket, 'row' | 'id'>;
type VisitValues = Omit<Visit, 'row' | 'id' | 'productSatisfaction' | 'serviceSatisfaction'> & {
  productSatisfaction: string | null;
  serviceSatisfaction: string | null;
};

export function toCustomer(r: ParsedRow): Customer {
  const x = valuesOf<CustomerValues>(r);
  return {
    row: r.row,
    id: r.id,
    kind: x.kind,
    name: x.name,
    creditCode: x.creditCode,
    contact: x.contact,
    phone: x.phone,
    email: x.email,
    industry: x.industry,
    source: x.source,
    level: x.level ?? '普通客户',
    status: x.status,
    intent: x.intent,
    region: x.region,
    owner: x.owner,
    createdDate: x.createdDate,
    signedDate: x.signedDate,
    contractAmount: x.contractAmount,
    contractEnd: x.contractEnd,
    birthday: x.birthday,
  };
}

export function toOrder(r: ParsedRow): Order {
  const x = valuesOf<OrderValues>(r);
  return {
    row: r.row,
    id: r.id,
    customerId: x.customerId,
    date: x.orderDate,
    quantity: x.quantity ?? 1,
    amount: x.amount,
    paymentStatus: x.paymentStatus ?? '未到期',
  };
}

export function toFollowUp(r: ParsedRow): FollowUp {
  const x = valuesOf<FollowUpValues>(r);
  return { row: r.row, id: r.id, customerId: x.customerId, time: x.time, planDate: x.planDate };
}

export function toTicket(r: ParsedRow): Ticket {
  const x = valuesOf<TicketValues>(r);
  return {
    row: r.row,
    id: r.id,
    customerId: x.customerId,
    type: x.type,
    urgency: x.urgency,
    createdAt: x.createdAt,
    respondedAt: x.respondedAt,
    resolvedAt: x.resolvedAt,
    status: x.status,
    satisfaction: x.satisfaction,
  };
}

const satisfactionScore = (word: unknown): number | null =>
  typeof word === 'string' ? (SATISFACTION_SCORES[word] ?? null) : null;

export function toVisit(r: ParsedRow): Visit {
  const x = valuesOf<VisitValues>(r);
  return {
    row: r.row,
    id: r.id,
    customerId: x.customerId,
    time: x.time,
    productSatisfaction: satisfactionScore(x.productSatisfaction),
    serviceSatisfaction: satisfactionScore(x.serviceSatisfaction),
    reviewer: x.reviewer,
    reviewDate: x.reviewDate,
  };
}
