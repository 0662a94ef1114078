import { describe, expect, it } from 'vitest';
import { addMonths } from '../../shared/calendar.ts';
import { nextAnniversary } from '../../shared/rules/callbacks.ts';
import { computeRules } from '../../shared/rules/index.ts';
import { at, builder, day } from './build.ts';

// Today is Wednesday 2024-06-12.
const NOW = at('2024-06-12 10:00');
type B = ReturnType<typeof builder>;
// A 正式 customer with nothing recorded scores 40 (风险), which raises a churn warning and
// so a 流失挽回 today; with both thresholds 0 every score is 健康 (so neither 流失挽回 for
// 健康度风险 nor 关怀回访 for 亚健康) and the other kinds show. These examples sign
// customers days before today; 新客户观察期 1 keeps 欢迎引导 and 体验问卷 out of them
// (careCallbacks.test.ts has theirs).
const QUIET = { subHealthyThreshold: 0, healthyThreshold: 0, newCustomerDays: 1 };

/** The callback of the first customer built. */
function callbackOf(make: (b: B) => void, settings = QUIET, now = NOW) {
  const b = builder();
  make(b);
  const ds = b.build({ settings });
  const out = computeRules(ds, now);
  const r = out.customers.get(ds.customers[0]!.id)!;
  const row = out.callbackPlan.find((p) => p.customerId === ds.customers[0]!.id);
  return { date: r.nextCallbackDate, kind: r.nextCallbackKind, reason: row?.reason ?? null, row };
}

describe('calendar words', () => {
  it('adds a month to 2024-01-31 as 2024-02-29', () => {
    expect(addMonths(day('2024-01-31'), 1)).toBe(day('2024-02-29'));
  });
});

describe('正式 customers', () => {
  it('plans 首次回访 S + 7 days without a valid visit', () => {
    // signed Tue 2024-06-04 + 7 = Tue 2024-06-11
    const r = callbackOf((b) => b.customer({ signedDate: day('2024-06-04') }));
    expect(r).toMatchObject({ date: day('2024-06-11'), kind: '首次回访' });
    expect(r.reason).toBe('签约后首次回访（签约日期 2024-06-04）');
  });

  it('ignores visits from before 签约日期 and unapproved visits', () => {
    const r = callbackOf((b) => {
      const c = b.customer({ signedDate: day('2024-06-04') });
      b.visit(c, '2024-06-01 10:00'); // before signing
      b.visit(c, '2024-06-05 10:00', { reviewer: null }); // not approved
    });
    expect(r.kind).toBe('首次回访');
  });

  it('plans 定期回访 3 months after the last valid visit of a 企业, 1 month for a 个人', () => {
    const company = callbackOf((b) => {
      const c = b.customer({ kind: '企业', signedDate: day('2023-01-10') });
      b.visit(c, '2024-05-08 10:00');
    });
    expect(company).toMatchObject({ date: day('2024-08-08'), kind: '定期回访' }); // Thursday
    const person = callbackOf((b) => {
      const c = b.customer({ kind: '个人', signedDate: day('2023-01-10') });
      b.visit(c, '2024-01-31 10:00');
    });
    // 2024-01-31 + 1 month = 2024-02-29 (Thursday)
    expect(person).toMatchObject({ date: day('2024-02-29'), kind: '定期回访' });
  });

  it('plans 投诉回访 the day after a resolution that no valid visit followed', () => {
    const r = callbackOf((b) => {
      const c = b.customer({ signedDate: day('2023-01-10') });
      b.visit(c, '2024-06-01 10:00'); // before the resolution day: does not answer it
      b.ticket(c, '2024-06-02 09:00', {
        id: 'T20240003',
        status: '已解决',
        resolvedAt: at('2024-06-03 18:00'),
      });
    });
    // resolved Mon 2024-06-03 + 1 = Tue 2024-06-04
    expect(r).toMatchObject({ date: day('2024-06-04'), kind: '投诉回访' });
    expect(r.reason).toBe('工单 T20240003 已解决，需回访');
  });

  it('takes a valid visit on the resolution day as the complaint callback', () => {
    const r = callbackOf((b) => {
      const c = b.customer({ signedDate: day('2023-01-10') });
      b.ticket(c, '2024-06-02 09:00', { status: '已关闭', resolvedAt: at('2024-06-03 18:00') });
      b.visit(c, '2024-06-03 08:00'); // same day, even though earlier in the day
    });
    expect(r.kind).toBe('定期回访');
  });

  it('skips tickets that are not resolved', () => {
    const r = callbackOf((b) => {
      const c = b.customer({ signedDate: day('2024-06-10') });
      b.ticket(c, '2024-06-02 09:00', { status: '处理中', resolvedAt: at('2024-06-03 18:00') });
      b.ticket(c, '2024-06-02 09:00', { status: '已解决' });
    });
    expect(r.kind).toBe('首次回访');
  });

  it('plans 流失挽回 today with a churn warning and no valid visit in the last 30 days', () => {
    const warned = (visit: string | null) =>
      callbackOf((b) => {
        const c = b.customer({ signedDate: day('2023-01-10') });
        b.order(c, '2024-01-10'); // one order in the previous 3 months, none since
        if (visit) b.visit(c, visit);
      });
    // T − 30 = 2024-05-13: a visit that day is not in (T − 30, T]
    expect(warned('2024-05-13 10:00')).toMatchObject({ date: day('2024-06-12'), kind: '流失挽回' });
    expect(warned('2024-05-13 10:00').reason).toBe('流失预警：购买频次下降');
    expect(warned('2024-05-14 10:00').kind).not.toBe('流失挽回');
  });

  it('plans 续签提醒 30 days before a 合同到期日 that is not past', () => {
    const renew = (end: string) =>
      callbackOf((b) => {
        const c = b.customer({ signedDate: day('2023-01-10'), contractEnd: day(end) });
        b.visit(c, '2024-06-10 10:00'); // 定期回访 in September
      });
    // 2024-07-05 − 30 = Wed 2024-06-05: already past, still planned (逾期)
    expect(renew('2024-07-05')).toMatchObject({ date: day('2024-06-05'), kind: '续签提醒' });
    expect(renew('2024-07-05').row).toMatchObject({ overdueDays: 7, state: '逾期' });
    // ends today: 2024-06-12 − 30 = Mon 2024-05-13
    expect(renew('2024-06-12')).toMatchObject({ date: day('2024-05-13'), kind: '续签提醒' });
    // already ended: no reminder
    expect(renew('2024-06-11').kind).toBe('定期回访');
  });
});

describe('潜在 customers', () => {
  const lead = (intent: 'A' | 'B' | 'C' | null) =>
    callbackOf((b) =>
      b.customer({ status: '潜在', intent, signedDate: null, createdDate: day('2024-06-03') }),
    );

  it('plans 首次联系 by 意向等级, a blank grade counting as C', () => {
    // created Mon 2024-06-03: A + 3 = Thu 06-06, B + 7 = Mon 06-10, C + 15 = Tue 06-18
    expect(lead('A')).toMatchObject({ date: day('2024-06-06'), kind: '首次联系' });
    expect(lead('B')).toMatchObject({ date: day('2024-06-10'), kind: '首次联系' });
    expect(lead('C')).toMatchObject({ date: day('2024-06-18'), kind: '首次联系' });
    expect(lead(null)).toMatchObject({ date: day('2024-06-18'), kind: '首次联系' });
    expect(lead(null).reason).toBe('新线索首次联系（建档日期 2024-06-03，意向等级未填，按 C）');
  });

  it('plans 定期跟进 after the latest follow-up, ignoring future ones', () => {
    const r = callbackOf((b) => {
      const c = b.customer({ status: '潜在', intent: 'B', signedDate: null });
      b.followUp(c, '2024-05-20 10:00');
      b.followUp(c, '2024-06-13 10:00'); // after today: ignored
    });
    // Mon 2024-05-20 + 14 = Mon 2024-06-03
    expect(r).toMatchObject({ date: day('2024-06-03'), kind: '定期跟进' });
  });

  it('plans 跟进计划 from the 计划日期 of the latest follow-up only', () => {
    const r = callbackOf((b) => {
      const c = b.customer({ status: '潜在', intent: 'C', signedDate: null });
      b.followUp(c, '2024-06-01 10:00', { planDate: day('2024-06-03') }); // not the latest
      b.followUp(c, '2024-06-05 10:00', { planDate: day('2024-06-07') });
    });
    // 定期跟进 would be 06-05 + 30 = 07-05; 跟进计划 Fri 06-07 is earlier
    expect(r).toMatchObject({ date: day('2024-06-07'), kind: '跟进计划' });
  });

  it('orders follow-ups at the same time by 跟进编号', () => {
    const r = callbackOf((b) => {
      const c = b.customer({ status: '潜在', intent: 'C', signedDate: null });
      b.followUp(c, '2024-06-05 10:00', { id: 'G202410000', planDate: day('2024-06-20') });
      b.followUp(c, '2024-06-05 10:00', { id: 'G20249999', planDate: day('2024-06-19') });
    });
    // G202410000 is the greater ID in natural order
    expect(r).toMatchObject({ date: day('2024-06-20'), kind: '跟进计划' });
  });
});

describe('生日关怀', () => {
  it('plans the anniversary when it is within 7 days', () => {
    const bday = (birthday: string) =>
      callbackOf((b) => {
        const c = b.customer({
          kind: '个人',
          signedDate: day('2023-01-10'),
          birthday: day(birthday),
        });
        b.visit(c, '2024-06-10 10:00');
      });
    expect(bday('1990-06-12')).toMatchObject({ date: day('2024-06-12'), kind: '生日关怀' });
    expect(bday('1990-06-12').reason).toBe('生日关怀（生日 06-12）');
    // Wed 06-19 = T + 7: in; Thu 06-20 = T + 8: out
    expect(bday('1990-06-19')).toMatchObject({ date: day('2024-06-19'), kind: '生日关怀' });
    expect(bday('1990-06-20').kind).toBe('定期回访');
    // yesterday's birthday comes round next year: out of the window
    expect(bday('1990-06-11').kind).toBe('定期回访');
  });

  it('checks the window before the working-day move', () => {
    const r = callbackOf(
      (b) => {
        const c = b.customer({ signedDate: day('2023-01-10'), birthday: day('2000-06-22') });
        b.visit(c, '2024-06-10 10:00');
      },
      QUIET,
      at('2024-06-15 09:00'),
    );
    // T = Sat 2024-06-15; anniversary Sat 06-22 = T + 7: in the window, moved to Mon 06-24
    expect(r).toMatchObject({ date: day('2024-06-24'), kind: '生日关怀' });
    expect(r.reason).toBe('成立日关怀（成立日 06-22）');
  });

  it('falls on 28 Feb for a 29 Feb birthday in a year without one', () => {
    expect(nextAnniversary(day('2000-02-29'), day('2025-02-20'))).toBe(day('2025-02-28'));
    expect(nextAnniversary(day('2000-02-29'), day('2024-02-20'))).toBe(day('2024-02-29'));
    expect(nextAnniversary(day('2000-02-29'), day('2024-03-01'))).toBe(day('2025-02-28'));
    const r = callbackOf(
      (b) => {
        const c = b.customer({
          kind: '个人',
          signedDate: day('2023-01-10'),
          birthday: day('2000-02-29'),
        });
        b.visit(c, '2025-02-20 10:00');
      },
      QUIET,
      at('2025-02-24 09:00'),
    );
    // T = Mon 2025-02-24; anniversary Fri 2025-02-28 = T + 4
    expect(r).toMatchObject({ date: day('2025-02-28'), kind: '生日关怀' });
  });
});

describe('working-day move and ties', () => {
  const firstVisit = (signed: string, holidays: (b: B) => void = () => {}) =>
    callbackOf((b) => {
      holidays(b);
      b.customer({ signedDate: day(signed) });
    });

  it('moves a due date on a Saturday to Monday', () => {
    // signed Sat 2024-06-08 + 7 = Sat 06-15 → Mon 06-17
    expect(firstVisit('2024-06-08').date).toBe(day('2024-06-17'));
  });

  it('moves a due date on a 休息日 to the next working day', () => {
    // signed Mon 06-03 + 7 = Mon 06-10, 端午节 (休息日) → Tue 06-11
    expect(firstVisit('2024-06-03', (b) => b.holiday('2024-06-10', '休息日')).date).toBe(
      day('2024-06-11'),
    );
  });

  it('keeps a due date on a 调休工作日', () => {
    expect(firstVisit('2024-06-08', (b) => b.holiday('2024-06-15', '调休工作日')).date).toBe(
      day('2024-06-15'),
    );
  });

  it('breaks a tie by the candidate order of docs/rules.md#next-callback', () => {
    // 首次回访: Tue 06-04 + 7 = Tue 06-11; 续签提醒: 07-11 − 30 = Tue 06-11 → 首次回访 first
    const r = callbackOf((b) =>
      b.customer({ signedDate: day('2024-06-04'), contractEnd: day('2024-07-11') }),
    );
    expect(r).toMatchObject({ date: day('2024-06-11'), kind: '首次回访' });
  });

  it('compares candidates after the move: two weekend dates tie on Monday', () => {
    // T = Wed 06-12. 定期回访: visit Sun 03-16 + 3 months = Sun 06-16 → Mon 06-17.
    // 生日关怀: Sat 06-15 (T + 3) → Mon 06-17. Tie: 定期回访 comes before 生日关怀,
    // although the birthday's own date is earlier.
    const r = callbackOf((b) => {
      const c = b.customer({ signedDate: day('2023-01-10'), birthday: day('1980-06-15') });
      b.visit(c, '2024-03-16 10:00');
    });
    expect(r).toMatchObject({ date: day('2024-06-17'), kind: '定期回访' });
  });

  it('follows the tie order 投诉回访, 流失挽回, 首次回访, 跟进计划, 续签提醒, 生日关怀 on one day', () => {
    // T = Mon 2024-06-17 and every candidate falls on it:
    const kinds = ['投诉回访', '流失挽回', '首次回访', '跟进计划', '续签提醒', '生日关怀'] as const;
    for (let k = 0; k < kinds.length; k++) {
      const present = new Set<string>(kinds.slice(k));
      const r = callbackOf(
        (b) => {
          const c = b.customer({
            signedDate: day(present.has('首次回访') ? '2024-06-10' : '2023-01-10'), // + 7
            contractEnd: present.has('续签提醒') ? day('2024-07-17') : null, // − 30
            birthday: present.has('生日关怀') ? day('1980-06-17') : null, // today
          });
          // without 首次回访 there is a recent valid visit, so 定期回访 is far off (09-14)
          if (!present.has('首次回访')) b.visit(c, '2024-06-14 10:00');
          // resolved Sun 06-16 + 1
          if (present.has('投诉回访'))
            b.ticket(c, '2024-06-14 09:00', {
              status: '已解决',
              resolvedAt: at('2024-06-16 10:00'),
            });
          // 1 order in the previous 3 months, none since → 购买频次下降 → 流失挽回 today
          if (present.has('流失挽回')) b.order(c, '2024-01-10');
          if (present.has('跟进计划'))
            b.followUp(c, '2024-06-01 10:00', { planDate: day('2024-06-17') });
        },
        QUIET,
        at('2024-06-17 09:00'),
      );
      expect(r).toMatchObject({ date: day('2024-06-17'), kind: kinds[k] });
    }
  });

  it('puts 跟进计划 before 定期跟进 on a tie', () => {
    // 潜在 B: follow-up Mon 06-03 + 14 = Mon 06-17 (定期跟进), and it plans 06-17 (跟进计划)
    const r = callbackOf(
      (b) => {
        const c = b.customer({ status: '潜在', intent: 'B', signedDate: null });
        b.followUp(c, '2024-06-03 10:00', { planDate: day('2024-06-17') });
      },
      QUIET,
      at('2024-06-12 09:00'),
    );
    expect(r).toMatchObject({ date: day('2024-06-17'), kind: '跟进计划' });
  });
});

describe('回访计划 rows', () => {
  it('gives 流失 customers and customers without a candidate no row', () => {
    const b = builder();
    const lost = b.customer({ status: '流失', signedDate: day('2024-06-04') });
    const none = b.customer({ signedDate: null }); // 正式 without 签约日期: nothing to plan from
    const out = computeRules(b.build({ settings: QUIET }), NOW);
    expect(out.customers.get(lost.id)).toMatchObject({
      nextCallbackDate: null,
      nextCallbackKind: null,
    });
    expect(out.customers.get(none.id)).toMatchObject({
      nextCallbackDate: null,
      nextCallbackKind: null,
    });
    expect(out.callbackPlan).toEqual([]);
  });

  it('masks the phone, counts days overdue and sorts by date then natural 客户编号', () => {
    const b = builder();
    b.customer({ id: 'E202410000', signedDate: day('2024-06-04'), phone: '13812345678' }); // Tue 06-11
    b.customer({ id: 'E20249999', signedDate: day('2024-06-04'), phone: null, email: 'a@b.cn' }); // Tue 06-11
    b.customer({ id: 'E20240001', signedDate: day('2024-06-05'), owner: '赵' }); // Wed 06-12 = T
    b.customer({ id: 'E20240002', signedDate: day('2024-06-06') }); // Thu 06-13
    const out = computeRules(b.build({ settings: QUIET }), NOW);
    expect(out.callbackPlan.map((p) => [p.customerId, p.phone, p.overdueDays, p.state])).toEqual([
      ['E20249999', '', 1, '逾期'],
      ['E202410000', '138****5678', 1, '逾期'],
      ['E20240001', '138****5678', 0, '今日'],
      ['E20240002', '138****5678', 0, '待办'],
    ]);
    expect(out.callbackPlan[2]).toMatchObject({
      customerName: '客户3',
      owner: '赵',
      date: day('2024-06-12'),
      kind: '首次回访',
    });
  });
});

describe('worked example: callbacks', () => {
  it('picks the earliest of several candidates', () => {
    // T = Wed 2024-06-12, 正式 企业 signed 2023-01-10, contract ends 2024-08-01.
    // candidates, raw → working day:
    //   投诉回访: ticket resolved Thu 06-06 (no valid visit since) + 1 = Fri 06-07 → Fri 06-07
    //   首次回访: none (valid visit 2024-05-30 ≥ 签约日期)
    //   定期回访: Thu 05-30 + 3 months = Fri 08-30
    //   续签提醒: 08-01 − 30 = Tue 07-02
    //   流失挽回: no churn warning (no orders at all)
    //   跟进计划: latest follow-up plans Sat 06-08 → Mon 06-10
    // earliest: 投诉回访 on 06-07, 5 days overdue
    const b = builder();
    const c = b.customer({ signedDate: day('2023-01-10'), contractEnd: day('2024-08-01') });
    b.visit(c, '2024-05-30 10:00');
    b.ticket(c, '2024-06-05 09:00', {
      id: 'T20240003',
      status: '已解决',
      resolvedAt: at('2024-06-06 17:00'),
    });
    b.followUp(c, '2024-06-01 10:00', { planDate: day('2024-06-08') });
    const out = computeRules(b.build({ settings: QUIET }), NOW);
    expect(out.callbackPlan).toEqual([
      {
        customerId: c.id,
        customerName: c.name,
        phone: '138****5678',
        owner: '王经理',
        date: day('2024-06-07'),
        kind: '投诉回访',
        reason: '工单 T20240003 已解决，需回访',
        overdueDays: 5,
        state: '逾期',
      },
    ]);
  });
});
