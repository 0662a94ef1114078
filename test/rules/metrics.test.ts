import { describe, expect, it } from 'vitest';
import { computeMetrics } from '../../shared/rules/metrics.ts';
import { at, builder, fen } from './build.ts';

// Today is Wednesday 2024-06-12. Window bounds (exclusive lower end, today included):
//   last 12 months: (2023-06-12, 2024-06-12]
//   last 6 months:  (2023-12-12, 2024-06-12]
//   last 3 months:  (2024-03-12, 2024-06-12]
//   previous 3:     (2023-12-12, 2024-03-12]
const NOW = at('2024-06-12 10:00');

const metricsOf = (b: ReturnType<typeof builder>, settings = {}) =>
  computeMetrics(b.build({ settings }), NOW).metrics;

describe('metrics windows', () => {
  it('counts an order on the day after the 12-month bound, not on the bound', () => {
    const b = builder();
    const c = b.customer();
    b.order(c, '2023-06-12', { amount: fen('1') }); // = addMonths(T, −12): out
    b.order(c, '2023-06-13', { amount: fen('2') }); // in
    const [m] = metricsOf(b);
    expect(m!.orders12m).toBe(1);
    expect(m!.amount12m).toBe(200);
  });

  it('counts records dated today at any hour and ignores records dated after today', () => {
    const b = builder();
    const c = b.customer();
    b.order(c, '2024-06-12');
    b.order(c, '2024-06-13');
    b.followUp(c, '2024-06-12 23:59');
    b.followUp(c, '2024-06-13 00:00');
    b.visit(c, '2024-06-12 23:00');
    b.visit(c, '2024-06-13 08:00');
    b.ticket(c, '2024-06-12 23:30');
    b.ticket(c, '2024-06-13 09:00');
    const [m] = metricsOf(b);
    expect(m!.orders12m).toBe(1);
    expect(m!.interactions3m).toBe(3); // one order + one follow-up + one visit
    expect(m!.complaints6m).toBe(1);
  });

  it('splits the last 6 months into the last 3 and the previous 3 at addMonths(T, −3)', () => {
    const b = builder();
    const c = b.customer();
    b.order(c, '2023-12-12'); // = addMonths(T, −6): outside both
    b.order(c, '2023-12-13'); // previous 3
    b.order(c, '2024-03-12'); // = addMonths(T, −3): still previous 3
    b.order(c, '2024-03-13'); // last 3
    const [m] = metricsOf(b);
    expect([m!.orders12m, m!.orders6m, m!.ordersPrev3m, m!.ordersLast3m]).toEqual([4, 3, 2, 1]);
  });

  it('keys complaints on 创建时间', () => {
    const b = builder();
    const c = b.customer();
    b.ticket(c, '2023-12-12 09:00'); // on the 6-month bound: out
    b.ticket(c, '2023-12-13 00:00');
    const [m] = metricsOf(b);
    expect(m!.complaints6m).toBe(1);
  });
});

describe('references', () => {
  it('skips child rows whose customer is not in the dataset', () => {
    const b = builder();
    b.customer();
    b.order('E20249999', '2024-06-01');
    b.ticket('E20249999', '2024-06-01 09:00');
    const [m] = metricsOf(b);
    expect(m!.orders12m).toBe(0);
    expect(m!.complaints6m).toBe(0);
  });
});

describe('money', () => {
  it('sums fen exactly: 0.1 + 0.2 yuan is 0.30', () => {
    const b = builder();
    const c = b.customer();
    b.order(c, '2024-06-01', { amount: fen('0.1') });
    b.order(c, '2024-06-02', { amount: fen('0.2') });
    const [m] = metricsOf(b);
    expect(m!.amount12m).toBe(30);
  });

  it('gives a customer without orders 0 and 0, not blank', () => {
    const b = builder();
    b.customer();
    const [m] = metricsOf(b);
    expect(m!.amount12m).toBe(0);
    expect(m!.orders12m).toBe(0);
  });
});

describe('on-time rate', () => {
  it('is 1 when no order of the last 12 months is 按时 or 逾期', () => {
    const b = builder();
    const c = b.customer();
    b.order(c, '2024-06-01', { paymentStatus: '未到期' });
    b.order(c, '2023-01-01', { paymentStatus: '逾期' }); // too old
    const [m] = metricsOf(b);
    expect(m!.onTimeRate12m).toEqual({ num: 1, den: 1 });
  });

  it('ignores 未到期 orders', () => {
    const b = builder();
    const c = b.customer();
    b.order(c, '2024-06-01', { paymentStatus: '按时' });
    b.order(c, '2024-06-02', { paymentStatus: '逾期' });
    b.order(c, '2024-06-03', { paymentStatus: '未到期' });
    const [m] = metricsOf(b);
    expect(m!.onTimeRate12m).toEqual({ num: 1, den: 2 });
  });
});

describe('visits', () => {
  it('does not count a visit without 审核人 or 审核日期 while 回访需审核 is 是', () => {
    const b = builder();
    const c = b.customer();
    b.visit(c, '2024-06-01 10:00', { reviewer: null, productSatisfaction: 1 });
    b.visit(c, '2024-06-02 10:00', { reviewDate: null, productSatisfaction: 1 });
    const [m] = metricsOf(b);
    expect(m!.interactions3m).toBe(0);
    expect(m!.satisfaction).toBeNull();
  });

  it('counts every visit when 回访需审核 is 否', () => {
    const b = builder();
    const c = b.customer();
    b.visit(c, '2024-06-01 10:00', { reviewer: null, reviewDate: null });
    const [m] = metricsOf(b, { visitsNeedReview: false });
    expect(m!.interactions3m).toBe(1);
  });
});

describe('satisfaction', () => {
  it('is blank with nothing to average', () => {
    const b = builder();
    const c = b.customer();
    b.visit(c, '2024-06-01 10:00'); // valid, but no satisfaction filled
    const [m] = metricsOf(b);
    expect(m!.satisfaction).toBeNull();
  });

  it('takes a visit once, with the mean of its filled scores', () => {
    const b = builder();
    const c = b.customer();
    b.visit(c, '2024-06-01 10:00', { productSatisfaction: 5, serviceSatisfaction: 4 }); // 4.5
    b.visit(c, '2024-06-02 10:00', { serviceSatisfaction: 3 }); // 3
    const [m] = metricsOf(b);
    // (4.5 + 3) / 2 × 20 = 75
    expect(m!.satisfaction!.num / m!.satisfaction!.den).toBe(75);
  });

  it('uses tickets resolved in the last 12 months, keyed on 解决时间, and only resolved ones', () => {
    const b = builder();
    const c = b.customer();
    const resolved = { status: '已解决' as const, satisfaction: 5 };
    b.ticket(c, '2023-06-01 09:00', { ...resolved, resolvedAt: at('2023-06-13 09:00') }); // in
    b.ticket(c, '2023-06-01 09:00', { ...resolved, resolvedAt: at('2023-06-12 09:00') }); // out
    b.ticket(c, '2024-06-01 09:00', { status: '处理中', satisfaction: 1 }); // open: out
    b.ticket(c, '2024-06-01 09:00', { status: '已关闭', satisfaction: 1 }); // no 解决时间: out
    b.ticket(c, '2024-06-01 09:00', {
      status: '已关闭',
      satisfaction: 2,
      resolvedAt: at('2024-06-02 09:00'),
    }); // in
    const [m] = metricsOf(b);
    // (5 + 2) / 2 × 20 = 70
    expect(m!.satisfaction).toEqual({ num: 140, den: 2 });
  });
});

describe('worked example: metrics', () => {
  it('computes every metric of one customer', () => {
    const b = builder();
    const c = b.customer();
    // Orders (金额, 付款状态):
    b.order(c, '2023-05-01', { amount: fen('9999'), paymentStatus: '逾期' }); // > 12 months: ignored
    b.order(c, '2023-09-01', { amount: fen('1000.10'), paymentStatus: '按时' }); // 12m
    b.order(c, '2024-01-15', { amount: fen('2000.20'), paymentStatus: '逾期' }); // 12m, 6m, prev 3
    b.order(c, '2024-02-20', { amount: fen('3000.30'), paymentStatus: '按时' }); // 12m, 6m, prev 3
    b.order(c, '2024-05-05', { amount: fen('400.40'), paymentStatus: '未到期' }); // 12m, 6m, last 3
    b.order(c, '2024-07-01', { amount: fen('5000'), paymentStatus: '按时' }); // future: ignored
    // amount12m = 1000.10 + 2000.20 + 3000.30 + 400.40 = 6401.00 yuan = 640100 fen
    // orders12m = 4, orders6m = 3, prev3 = 2, last3 = 1
    // onTime = 按时 2 / (按时 2 + 逾期 1) = 2/3
    b.followUp(c, '2024-04-01 10:00'); // last 3: +1 interaction
    b.followUp(c, '2024-01-01 10:00'); // older than 3 months
    b.visit(c, '2024-05-20 15:00', { productSatisfaction: 4, serviceSatisfaction: 5 }); // +1, 4.5
    b.visit(c, '2024-05-21 15:00', { reviewer: null, productSatisfaction: 1 }); // not approved
    // interactions3m = 1 order + 1 follow-up + 1 valid visit = 3
    b.ticket(c, '2024-03-01 09:00', {
      status: '已解决',
      resolvedAt: at('2024-03-02 09:00'),
      satisfaction: 3,
    }); // complaint in 6m; satisfaction item 3
    b.ticket(c, '2023-11-30 09:00'); // older than 6 months
    // complaints6m = 1
    // satisfaction = mean(4.5, 3) × 20 = 3.75 × 20 = 75
    const [m] = metricsOf(b);
    expect(m).toMatchObject({
      amount12m: 640100,
      orders12m: 4,
      orders6m: 3,
      ordersPrev3m: 2,
      ordersLast3m: 1,
      interactions3m: 3,
      complaints6m: 1,
      onTimeRate12m: { num: 2, den: 3 },
    });
    expect(m!.satisfaction!.num / m!.satisfaction!.den).toBe(75);
  });
});
