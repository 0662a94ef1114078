/** Small builders for rule tests: readable datasets with only the fields a test cares about. */
import { ZERO_METRICS, type CustomerMetrics } from '../../shared/rules/metrics.ts';
import { TIER_RULES } from '../../sheets-templates/tabs.ts';
import {
  daysFromCivil,
  startOfDay,
  type EpochDay,
  type WallSeconds,
} from '../../shared/calendar.ts';
import type {
  Customer,
  Dataset,
  ExperienceSurvey,
  FollowUp,
  Holiday,
  LeadRule,
  Order,
  RawTierRule,
  Settings,
  Ticket,
  TierStrategy,
  Visit,
} from '../../shared/model.ts';
import { defaultSettings } from '../../shared/settings.ts';

/** `2024-03-01` → epoch day. */
export function day(text: string): EpochDay {
  const [y, m, d] = text.split('-').map(Number);
  return daysFromCivil(y!, m!, d!);
}

/** `2024-03-01 14:30` (or a date alone, meaning 00:00) → wall seconds. */
export function at(text: string): WallSeconds {
  const [date, time = '00:00'] = text.split(' ');
  const [h, min, s = 0] = time.split(':').map(Number);
  return startOfDay(day(date!)) + h! * 3600 + min! * 60 + s;
}

/** Fen from yuan written as text, without going through a float. */
export function fen(yuan: string): number {
  const [whole, part = ''] = yuan.split('.');
  return Number(whole) * 100 + Number(part.padEnd(2, '0'));
}

/** The rows of a new workbook's 分层规则 tab, as people would have typed them. */
export function defaultTierRules(): RawTierRule[] {
  return (TIER_RULES.defaultRows ?? []).map(([priority, tier, metric, operator, threshold], i) => ({
    row: i + 2,
    priority,
    tier,
    metric,
    operator,
    threshold,
  }));
}

/** Tier rule rows from [优先级, 分层名称, 指标, 运算符, 阈值] tuples, starting at row 2. */
export function tierRules(rows: readonly (readonly unknown[])[]): RawTierRule[] {
  return rows.map(([priority, tier, metric, operator, threshold], i) => ({
    row: i + 2,
    priority,
    tier,
    metric,
    operator,
    threshold,
  }));
}

export interface Builder {
  customer(over?: Partial<Customer>): Customer;
  order(customer: Customer | string, date: string, over?: Partial<Order>): Order;
  followUp(customer: Customer | string, time: string, over?: Partial<FollowUp>): FollowUp;
  ticket(customer: Customer | string, createdAt: string, over?: Partial<Ticket>): Ticket;
  visit(customer: Customer | string, time: string, over?: Partial<Visit>): Visit;
  holiday(date: string, kind: Holiday['kind']): void;
  survey(
    customer: Customer | string,
    date: string,
    over?: Partial<ExperienceSurvey>,
  ): ExperienceSurvey;
  build(over?: {
    settings?: Partial<Settings>;
    tierRules?: RawTierRule[];
    leadRules?: LeadRule[];
    tierStrategies?: TierStrategy[];
  }): Dataset;
}

export function builder(): Builder {
  const customers: Customer[] = [];
  const orders: Order[] = [];
  const followUps: FollowUp[] = [];
  const tickets: Ticket[] = [];
  const visits: Visit[] = [];
  const holidays: Holiday[] = [];
  const surveys: ExperienceSurvey[] = [];
  const serial = new Map<string, number>();
  const nextId = (prefix: string): string => {
    const n = (serial.get(prefix) ?? 0) + 1;
    serial.set(prefix, n);
    return `${prefix}2024${String(n).padStart(4, '0')}`;
  };
  const idOf = (c: Customer | string): string => (typeof c === 'string' ? c : c.id);
  return {
    customer(over = {}) {
      const kind = over.kind ?? '企业';
      const c: Customer = {
        row: customers.length + 2,
        id: over.id ?? nextId(kind === '企业' ? 'E' : 'P'),
        kind,
        name: `客户${customers.length + 1}`,
        creditCode: null,
        contact: '张三',
        phone: '13812345678',
        email: null,
        industry: '制造业',
        source: '转介绍',
        level: '普通客户',
        status: '正式',
        intent: null,
        region: '华东',
        owner: '王经理',
        createdDate: day('2023-01-01'),
        signedDate: day('2023-01-10'),
        contractAmount: null,
        contractEnd: null,
        birthday: null,
        ...over,
      };
      customers.push(c);
      return c;
    },
    order(customer, date, over = {}) {
      const o: Order = {
        row: orders.length + 2,
        id: over.id ?? nextId('O'),
        customerId: idOf(customer),
        date: day(date),
        product: null,
        quantity: 1,
        amount: 100_00,
        paymentStatus: '未到期',
        ...over,
      };
      orders.push(o);
      return o;
    },
    followUp(customer, time, over = {}) {
      const f: FollowUp = {
        row: followUps.length + 2,
        id: over.id ?? nextId('G'),
        customerId: idOf(customer),
        time: at(time),
        planDate: null,
        ...over,
      };
      followUps.push(f);
      return f;
    },
    ticket(customer, createdAt, over = {}) {
      const t: Ticket = {
        row: tickets.length + 2,
        id: over.id ?? nextId('T'),
        customerId: idOf(customer),
        type: '产品质量',
        urgency: '中',
        createdAt: at(createdAt),
        respondedAt: null,
        resolvedAt: null,
        status: '新建',
        requestType: '投诉',
        satisfaction: null,
        department: null,
        handler: null,
        ...over,
      };
      tickets.push(t);
      return t;
    },
    visit(customer, time, over = {}) {
      const v: Visit = {
        row: visits.length + 2,
        id: over.id ?? nextId('V'),
        customerId: idOf(customer),
        time: at(time),
        by: '张伟',
        productSatisfaction: null,
        serviceSatisfaction: null,
        reviewer: '李总',
        reviewDate: day(time.slice(0, 10)),
        outcome: '完成',
        reviewResult: '通过',
        ...over,
      };
      visits.push(v);
      return v;
    },
    holiday(date, kind) {
      holidays.push({ date: day(date), kind });
    },
    survey(customer, date, over = {}) {
      const s: ExperienceSurvey = {
        row: surveys.length + 2,
        id: over.id ?? nextId('W'),
        customerId: idOf(customer),
        date: day(date),
        overall: 4,
        product: null,
        service: null,
        delivery: null,
        recommend: null,
        ...over,
      };
      surveys.push(s);
      return s;
    },
    build(over = {}) {
      return {
        customers,
        orders,
        followUps,
        tickets,
        visits,
        holidays,
        tierRules: over.tierRules ?? defaultTierRules(),
        experienceSurveys: surveys,
        leadRules: over.leadRules ?? [],
        tierStrategies: over.tierStrategies ?? [],
        serviceTargets: [],
        settings: { ...defaultSettings(), ...over.settings },
      };
    },
  };
}

/** A customer's metrics: nothing recorded, but for what the test sets. */
export const metrics = (over: Partial<CustomerMetrics> = {}): CustomerMetrics => ({
  ...ZERO_METRICS,
  ...over,
});
