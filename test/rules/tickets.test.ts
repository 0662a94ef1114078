import { describe, expect, it } from 'vitest';
import { computeRules } from '../../shared/rules/index.ts';
import { hoursOneDecimal } from '../../shared/rules/tickets.ts';
import type { Ticket } from '../../shared/model.ts';
import { at, builder } from './build.ts';

const NOW = at('2024-06-12 10:00');

function cellsOf(over: Partial<Ticket>, created = '2024-06-10 09:00', settings = {}, now = NOW) {
  const b = builder();
  const c = b.customer();
  const t = b.ticket(c, created, over);
  return computeRules(b.build({ settings }), now).tickets.get(t.id)!;
}

describe('durations', () => {
  it('rounds hours half up on the exact seconds: 69 minutes is 1.2', () => {
    expect(hoursOneDecimal(69 * 60)).toBe(1.2); // 1.15 h, where toFixed(1) gives 1.1
    expect(hoursOneDecimal(3 * 60)).toBe(0.1); // 0.05 h
    expect(hoursOneDecimal(3 * 60 - 1)).toBe(0); // 0.04972 h
    expect(hoursOneDecimal(24 * 3600)).toBe(24);
  });

  it('fills 响应时长 and 处理时长 only when their times are set', () => {
    const open = cellsOf({ respondedAt: at('2024-06-10 10:09') });
    expect(open).toMatchObject({ responseHours: 1.2, resolutionHours: null });
    const closed = cellsOf({
      status: '已解决',
      respondedAt: null,
      resolvedAt: at('2024-06-10 21:00'),
    });
    expect(closed).toMatchObject({ responseHours: null, resolutionHours: 12 });
  });
});

describe('SLA状态', () => {
  it('is 按时 for a resolved ticket within both limits, the limit itself included', () => {
    // 中: respond within 24 h, resolve within 24 h
    const exact = cellsOf({
      status: '已解决',
      respondedAt: at('2024-06-11 09:00'),
      resolvedAt: at('2024-06-11 09:00'),
    });
    expect(exact.slaState).toBe('按时');
    const late = cellsOf({
      status: '已关闭',
      respondedAt: at('2024-06-10 10:00'),
      resolvedAt: at('2024-06-11 09:00:01'),
    });
    expect(late.slaState).toBe('超时');
  });

  it('counts a resolved ticket without a response as answered when it was resolved', () => {
    // 高: 48 h to resolve, 24 h to respond; resolved after 30 h → the response came at 30 h
    const r = cellsOf({ urgency: '高', status: '已解决', resolvedAt: at('2024-06-11 15:00') });
    expect(r).toMatchObject({ slaState: '超时', responseHours: null, resolutionHours: 30 });
    const quick = cellsOf({ urgency: '高', status: '已解决', resolvedAt: at('2024-06-11 09:00') });
    expect(quick.slaState).toBe('按时');
  });

  it('is 超时 for an open ticket past its resolution limit', () => {
    // created 06-10 09:00, now 06-12 10:00: 49 h open
    expect(cellsOf({ urgency: '高', respondedAt: at('2024-06-10 09:30') }).slaState).toBe('超时');
    expect(cellsOf({ urgency: '中', status: '处理中' }).slaState).toBe('超时');
  });

  it('is 响应超时 for an open ticket past its response limit only, 处理中 before', () => {
    // 高: 48 h to resolve; 25 h open without a response
    expect(cellsOf({ urgency: '高' }, '2024-06-11 09:00').slaState).toBe('响应超时');
    expect(
      cellsOf({ urgency: '高', respondedAt: at('2024-06-11 10:00') }, '2024-06-11 09:00').slaState,
    ).toBe('处理中');
    // exactly 24 h open: the limit is met
    expect(cellsOf({ urgency: '高' }, '2024-06-11 10:00').slaState).toBe('处理中');
  });

  it('counts a ticket as open when 解决时间 and 状态 disagree', () => {
    const resolvedTimeOnly = cellsOf(
      { status: '处理中', resolvedAt: at('2024-06-12 09:30') },
      '2024-06-12 09:00',
    );
    expect(resolvedTimeOnly).toMatchObject({ slaState: '处理中', resolutionHours: 0.5 });
    const resolvedStatusOnly = cellsOf({ status: '已解决' }, '2024-06-10 09:00');
    expect(resolvedStatusOnly.slaState).toBe('超时');
  });

  it('compares decimal limits exactly: 0.1 h is 360 s', () => {
    const limits = { responseLimitHours: { 高: 0.1, 中: 0.1, 低: 0.1 } };
    const at360 = cellsOf(
      { status: '已解决', respondedAt: at('2024-06-10 09:06'), resolvedAt: at('2024-06-10 10:00') },
      undefined,
      limits,
    );
    const at361 = cellsOf(
      {
        status: '已解决',
        respondedAt: at('2024-06-10 09:06:01'),
        resolvedAt: at('2024-06-10 10:00'),
      },
      undefined,
      limits,
    );
    expect([at360.slaState, at361.slaState]).toEqual(['按时', '超时']);
  });

  it('still fills the cells of a ticket created after today', () => {
    const r = cellsOf({ respondedAt: at('2024-06-20 10:09') }, '2024-06-20 09:00');
    expect(r).toEqual({
      responseHours: 1.2,
      resolutionHours: null,
      slaState: '处理中',
      closure: null,
    });
  });
});

describe('worked example: tickets', () => {
  it('fills the three cells of four tickets', () => {
    // now = 2024-06-12 10:00; limits 高 24/48 h, 中 and 低 24/24 h
    const b = builder();
    const c = b.customer();
    // T1 高, created 06-10 08:00, responded 09:09 (1 h 9 min = 1.15 → 1.2 h),
    //    resolved 06-11 20:30 (36.5 h ≤ 48): 按时
    const t1 = b.ticket(c, '2024-06-10 08:00', {
      urgency: '高',
      status: '已解决',
      respondedAt: at('2024-06-10 09:09'),
      resolvedAt: at('2024-06-11 20:30'),
    });
    // T2 中, created 06-10 08:00, responded 06-11 08:30 (24.5 h > 24), resolved 06-11 09:00
    //    (25 h > 24): 超时
    const t2 = b.ticket(c, '2024-06-10 08:00', {
      status: '已关闭',
      respondedAt: at('2024-06-11 08:30'),
      resolvedAt: at('2024-06-11 09:00'),
    });
    // T3 低, open since 06-11 09:30 (24.5 h > 24 to resolve): 超时
    const t3 = b.ticket(c, '2024-06-11 09:30', {
      urgency: '低',
      respondedAt: at('2024-06-11 09:40'),
    });
    // T4 高, open since 06-11 08:00 (26 h): past 24 h without a response, within 48: 响应超时
    const t4 = b.ticket(c, '2024-06-11 08:00', { urgency: '高' });
    const out = computeRules(b.build(), NOW).tickets;
    // no visit of the customer since: both resolved tickets wait for one (待回访)
    expect(out.get(t1.id)).toEqual({
      responseHours: 1.2,
      resolutionHours: 36.5,
      slaState: '按时',
      closure: '待回访',
    });
    expect(out.get(t2.id)).toEqual({
      responseHours: 24.5,
      resolutionHours: 25,
      slaState: '超时',
      closure: '待回访',
    });
    // 10 minutes = 0.1666… h → 0.2
    expect(out.get(t3.id)).toEqual({
      responseHours: 0.2,
      resolutionHours: null,
      slaState: '超时',
      closure: null,
    });
    expect(out.get(t4.id)).toEqual({
      responseHours: null,
      resolutionHours: null,
      slaState: '响应超时',
      closure: null,
    });
  });
});
