/**
 * Worked examples of docs/rules.md § More callback candidates: 新客户观察期, 欢迎引导,
 * 体验问卷, 关怀回访 and 定期回访 per 分层策略, each winning and losing a tie.
 */
import { describe, expect, it } from 'vitest';
import { computeRules } from '../../shared/rules/index.ts';
import { isNewCustomer } from '../../shared/rules/newCustomers.ts';
import type { Settings, TierStrategy } from '../../shared/model.ts';
import { defaultSettings } from '../../shared/settings.ts';
import { at, builder, day } from './build.ts';

// Today is Wednesday 2024-06-12.
const NOW = at('2024-06-12 10:00');
type B = ReturnType<typeof builder>;
// Every score 健康: no 流失挽回 for 健康度风险 and no 关怀回访, so the candidate under test shows.
const HEALTHY: Partial<Settings> = { subHealthyThreshold: 0, healthyThreshold: 0 };
// Every score below 100 亚健康 (never 风险): 关怀回访 applies, 流失挽回 for 健康度风险 does not.
const SUBHEALTHY: Partial<Settings> = { subHealthyThreshold: 0, healthyThreshold: 100 };

function callbackOf(
  make: (b: B) => void,
  settings: Partial<Settings> = HEALTHY,
  tierStrategies: TierStrategy[] = [],
) {
  const b = builder();
  make(b);
  const ds = b.build({ settings, tierStrategies });
  const out = computeRules(ds, NOW);
  const id = ds.customers[0]!.id;
  const row = out.callbackPlan.find((p) => p.customerId === id);
  return {
    date: out.customers.get(id)!.nextCallbackDate,
    kind: out.customers.get(id)!.nextCallbackKind,
    reason: row?.reason ?? null,
  };
}

describe('新客户观察期', () => {
  it('counts day 89 after signing as new and day 90 as not', () => {
    const settings = defaultSettings();
    const b = builder();
    // 2024-03-15 → 2024-06-12: 16 days left of March + 30 + 31 + 12 = 89
    const day89 = b.customer({ signedDate: day('2024-03-15') });
    // one day earlier: 90 days, the first day no longer new (90 < 90 is false)
    const day90 = b.customer({ signedDate: day('2024-03-14') });
    expect(isNewCustomer(day89, day('2024-06-12'), settings)).toBe(true);
    expect(isNewCustomer(day90, day('2024-06-12'), settings)).toBe(false);
  });

  it('plans 欢迎引导 on day 89 and the older candidates on day 90', () => {
    // S = Fri 03-15: 欢迎引导 S + 1 = Sat 03-16 → Mon 03-18; 首次回访 S + 7 = Fri 03-22
    const new89 = callbackOf((b) => b.customer({ signedDate: day('2024-03-15') }));
    expect(new89).toMatchObject({ date: day('2024-03-18'), kind: '欢迎引导' });
    expect(new89.reason).toBe('新客户欢迎引导（签约日期 2024-03-15，签约后尚无跟进和有效回访）');
    // S = Thu 03-14, no longer new: 首次回访 S + 7 = Thu 03-21
    const old90 = callbackOf((b) => b.customer({ signedDate: day('2024-03-14') }));
    expect(old90).toMatchObject({ date: day('2024-03-21'), kind: '首次回访' });
  });

  it('gives a customer signed long ago neither 欢迎引导 nor 体验问卷', () => {
    // S = 2023-01-10 and nothing recorded: only 首次回访 S + 7 = Tue 2023-01-17
    const r = callbackOf((b) => b.customer());
    expect(r).toMatchObject({ date: day('2023-01-17'), kind: '首次回访' });
  });
});

describe('欢迎引导', () => {
  it('wins a tie with 首次回访 (欢迎引导天数 7 puts both on S + 7)', () => {
    // S = Mon 06-03: both on Mon 06-10; 欢迎引导 comes first in the tie order
    const r = callbackOf((b) => b.customer({ signedDate: day('2024-06-03') }), {
      ...HEALTHY,
      welcomeDays: 7,
    });
    expect(r).toMatchObject({ date: day('2024-06-10'), kind: '欢迎引导' });
  });

  it('loses a tie to 投诉回访', () => {
    // S = Mon 06-10: 欢迎引导 S + 1 = Tue 06-11; a ticket resolved Mon 06-10 + 投诉回访天数 1
    // = Tue 06-11 as well; 投诉回访 comes first
    const r = callbackOf((b) => {
      const c = b.customer({ signedDate: day('2024-06-10') });
      b.ticket(c, '2024-06-10 08:00', { status: '已解决', resolvedAt: at('2024-06-10 12:00') });
    });
    expect(r).toMatchObject({ date: day('2024-06-11'), kind: '投诉回访' });
  });

  it('is not cancelled by a lead-phase follow-up, but is by one after signing', () => {
    // S = Mon 06-10 → 欢迎引导 Tue 06-11
    const before = callbackOf((b) => {
      const c = b.customer({ signedDate: day('2024-06-10') });
      b.followUp(c, '2024-06-07 15:00');
    });
    expect(before.kind).toBe('欢迎引导');
    // a follow-up on 06-10 itself (≥ S) cancels it: 首次回访 S + 7 = Mon 06-17 remains
    const after = callbackOf((b) => {
      const c = b.customer({ signedDate: day('2024-06-10') });
      b.followUp(c, '2024-06-10 15:00');
    });
    expect(after).toMatchObject({ date: day('2024-06-17'), kind: '首次回访' });
  });
});

describe('体验问卷', () => {
  it('wins a tie with 跟进计划 on S + 30', () => {
    // S = Mon 05-13; a valid visit Mon 05-20 cancels 欢迎引导 and 首次回访 (定期回访 08-20);
    // 体验问卷 S + 30 = Wed 06-12; a follow-up plans Wed 06-12 too: 体验问卷 comes first
    const r = callbackOf((b) => {
      const c = b.customer({ signedDate: day('2024-05-13') });
      b.visit(c, '2024-05-20 10:00');
      b.followUp(c, '2024-05-21 10:00', { planDate: day('2024-06-12') });
    });
    expect(r).toMatchObject({ date: day('2024-06-12'), kind: '体验问卷' });
    expect(r.reason).toBe('发送《新客户体验问卷》（签约日期 2024-05-13，签约后第 30 天）');
  });

  it('loses a tie to 首次回访 (体验问卷天数 7)', () => {
    // S = Mon 05-13; a follow-up 05-14 cancels 欢迎引导; 首次回访 and 体验问卷 both Mon 05-20
    const r = callbackOf(
      (b) => {
        const c = b.customer({ signedDate: day('2024-05-13') });
        b.followUp(c, '2024-05-14 10:00');
      },
      { ...HEALTHY, surveyDays: 7 },
    );
    expect(r).toMatchObject({ date: day('2024-05-20'), kind: '首次回访' });
  });

  it('is answered by a 体验问卷 row dated on or after 签约日期, not by an older one', () => {
    const make = (surveyDate: string) => (b: B) => {
      const c = b.customer({ signedDate: day('2024-05-13') });
      b.visit(c, '2024-05-20 10:00');
      b.survey(c, surveyDate);
    };
    // a row of 05-12 is from before signing: 体验问卷 stays on Wed 06-12
    expect(callbackOf(make('2024-05-12')).kind).toBe('体验问卷');
    // a row of 05-13 answers it: 定期回访 05-20 + 3 months = Tue 08-20 remains
    expect(callbackOf(make('2024-05-13'))).toMatchObject({
      date: day('2024-08-20'),
      kind: '定期回访',
    });
  });
});

describe('关怀回访', () => {
  it('wins a tie with 跟进计划 today', () => {
    // 亚健康, last valid visit Wed 05-01: 42 days ago > 30 → 关怀回访 today (Wed 06-12);
    // a follow-up plans today too: 关怀回访 comes first
    const r = callbackOf((b) => {
      const c = b.customer();
      b.visit(c, '2024-05-01 10:00');
      b.followUp(c, '2024-06-01 10:00', { planDate: day('2024-06-12') });
    }, SUBHEALTHY);
    expect(r).toMatchObject({ date: day('2024-06-12'), kind: '关怀回访' });
    expect(r.reason).toBe('健康等级 亚健康，关怀回访（上次有效回访 2024-05-01，超过 30 天）');
  });

  it('loses a tie to 投诉回访 today', () => {
    // a ticket resolved Tue 06-11 + 1 = Wed 06-12 = today: 投诉回访 comes first
    const r = callbackOf((b) => {
      const c = b.customer();
      b.visit(c, '2024-05-01 10:00');
      b.ticket(c, '2024-06-10 08:00', { status: '已解决', resolvedAt: at('2024-06-11 09:00') });
    }, SUBHEALTHY);
    expect(r).toMatchObject({ date: day('2024-06-12'), kind: '投诉回访' });
  });

  it('waits while a valid visit falls within the last 30 days (T − 30 < date ≤ T)', () => {
    // visit Mon 05-13 = T − 30: outside the window, so 关怀回访 today
    const edge = callbackOf((b) => b.visit(b.customer(), '2024-05-13 10:00'), SUBHEALTHY);
    expect(edge.kind).toBe('关怀回访');
    // visit Tue 05-14 = T − 29: inside; 定期回访 05-14 + 3 months = Wed 08-14 remains
    const inside = callbackOf((b) => b.visit(b.customer(), '2024-05-14 10:00'), SUBHEALTHY);
    expect(inside).toMatchObject({ date: day('2024-08-14'), kind: '定期回访' });
  });

  it('is never given to a new customer', () => {
    // S = Mon 05-13 (30 days ago, new), visit Mon 05-20: no 关怀回访, 体验问卷 Wed 06-12 remains
    const r = callbackOf((b) => {
      const c = b.customer({ signedDate: day('2024-05-13') });
      b.visit(c, '2024-05-20 10:00');
    }, SUBHEALTHY);
    expect(r.kind).toBe('体验问卷');
  });
});

describe('定期回访 per 分层策略', () => {
  const visited = (b: B) => b.visit(b.customer(), '2024-05-01 10:00');
  const strategy = (visitMonths: number | null): TierStrategy[] => [
    { row: 2, tier: '普通客户', strategy: '按周期回访', visitMonths },
    { row: 3, tier: '普通客户', strategy: '第二行不用', visitMonths: 6 },
  ];

  it('uses the cycle of the first row of the customer tier', () => {
    // tier 普通客户 (默认分层), 1 month: 05-01 + 1 month = Sat 06-01 → Mon 06-03
    const r = callbackOf(visited, HEALTHY, strategy(1));
    expect(r).toMatchObject({ date: day('2024-06-03'), kind: '定期回访' });
    expect(r.reason).toBe('定期回访（上次有效回访 2024-05-01，按分层策略周期 1 个月）');
  });

  it('falls back to the per-type setting when the cycle is blank or not a whole number ≥ 1', () => {
    // 企业: 05-01 + 3 months = Thu 08-01
    for (const months of [null, 1.5, 0])
      expect(callbackOf(visited, HEALTHY, strategy(months))).toMatchObject({
        date: day('2024-08-01'),
        kind: '定期回访',
      });
  });
});

describe('what counts as a valid visit', () => {
  it('counts neither a 退回 visit nor a 未联系上 visit', () => {
    // valid visit Fri 03-01; 06-01 未联系上 and 06-05 退回 do not count:
    // 定期回访 03-01 + 3 months = Sat 06-01 → Mon 06-03 (had either counted: 09-01 or 09-05)
    const r = callbackOf(
      (b) => {
        const c = b.customer();
        b.visit(c, '2024-03-01 10:00');
        b.visit(c, '2024-06-01 10:00', { outcome: '未联系上' });
        b.visit(c, '2024-06-05 10:00', { reviewResult: '退回' });
      },
      { ...HEALTHY, visitsNeedReview: false },
    );
    expect(r).toMatchObject({ date: day('2024-06-03'), kind: '定期回访' });
    expect(r.reason).toBe('定期回访（上次有效回访 2024-03-01，周期 3 个月）');
  });
});
