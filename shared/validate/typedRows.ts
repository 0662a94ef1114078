/** Parsed rows without errors into the typed rows the rules compute on. */
import * as T from '../../sheets-templates/tabs.ts';
import { SATISFACTION_SCORES } from '../cells.ts';
import type { Customer, ExperienceSurvey, FollowUp, Order, Ticket, Visit } from '../model.ts';
import { valuesOf, type ParsedRow } from './types.ts';

export function toCustomer(r: ParsedRow): Customer {
  const x = valuesOf(T.CUSTOMERS, r);
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
    owner: x.owner ?? '',
    createdDate: x.createdDate,
    signedDate: x.signedDate,
    contractAmount: x.contractAmount,
    contractEnd: x.contractEnd,
    birthday: x.birthday,
  };
}

export function toOrder(r: ParsedRow): Order {
  const x = valuesOf(T.ORDERS, r);
  return {
    row: r.row,
    id: r.id,
    customerId: x.customerId,
    date: x.orderDate,
    product: x.product,
    quantity: x.quantity ?? 1,
    amount: x.amount,
    paymentStatus: x.paymentStatus ?? '未到期',
  };
}

export function toFollowUp(r: ParsedRow): FollowUp {
  const x = valuesOf(T.FOLLOW_UPS, r);
  return { row: r.row, id: r.id, customerId: x.customerId, time: x.time, planDate: x.planDate };
}

export function toTicket(r: ParsedRow): Ticket {
  const x = valuesOf(T.TICKETS, r);
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
    requestType: x.requestType ?? '投诉',
    department: x.department,
    handler: x.handler,
    satisfaction: x.satisfaction,
  };
}

const satisfactionScore = (word: unknown): number | null =>
  typeof word === 'string' ? (SATISFACTION_SCORES[word] ?? null) : null;

export function toVisit(r: ParsedRow): Visit {
  const x = valuesOf(T.VISITS, r);
  return {
    row: r.row,
    id: r.id,
    customerId: x.customerId,
    time: x.time,
    productSatisfaction: satisfactionScore(x.productSatisfaction),
    serviceSatisfaction: satisfactionScore(x.serviceSatisfaction),
    by: x.by,
    reviewer: x.reviewer,
    reviewDate: x.reviewDate,
    outcome: x.outcome ?? '完成',
    reviewResult: x.reviewResult ?? '通过',
    reviewComment: x.reviewComment,
  };
}

export function toExperienceSurvey(r: ParsedRow): ExperienceSurvey {
  const x = valuesOf(T.EXPERIENCE_SURVEYS, r);
  return {
    row: r.row,
    id: r.id,
    customerId: x.customerId,
    date: x.date,
    overall: x.overall,
    product: x.product,
    service: x.service,
    delivery: x.delivery,
    recommend: x.recommend,
  };
}
