import { describe, expect, it } from 'vitest';
import { computeRules } from '../../shared/rules/index.ts';
import { exactScore, healthOf, healthParams } from '../../shared/rules/health.ts';
import { cmp, q } from '../../shared/rules/rational.ts';
import { defaultSettings } from '../../shared/settings.ts';
import { at, builder, metrics } from './build.ts';

const NOW = at('2024-06-12 10:00');

const params = (over = {}) => healthParams({ ...defaultSettings(), ...over });

describe('health score', () => {
  it('rounds 79.5 up to 80, which is 健康', () => {
    // Only the complaint weight counts and one complaint costs 20.5 points:
    // score = 100 − 20.5 = 79.5 → 80 ≥ 健康阈值 80.
    const p = params({
      weightActivity: 0,
      weightRepurchase: 0,
      weightStability: 0,
      pointsPerComplaint: 20.5,
    });
    const h = healthOf(metrics({ complaints6m: 1 }), p)!;
    expect(cmp(exactScore(metrics({ complaints6m: 1 }), p)!, q(795, 10))).toBe(0);
    expect(h.score).toBe(80);
    expect(h.level).toBe('健康');
  });

  it('takes the level from the rounded score: 59.5 → 60 is 亚健康, 59.4 → 59 is 风险', () => {
    const p = (points: number) =>
      params({
        weightActivity: 0,
        weightRepurchase: 0,
        weightStability: 0,
        pointsPerComplaint: points,
      });
    expect(healthOf(metrics({ complaints6m: 1 }), p(40.5))).toMatchObject({
      score: 60,
      level: '亚健康',
    });
    expect(healthOf(metrics({ complaints6m: 1 }), p(40.6))).toMatchObject({
      score: 59,
      level: '风险',
    });
  });

  it('caps activity, repurchase and complaints at 100', () => {
    const h = healthOf(metrics({ interactions3m: 60, orders6m: 30, complaints6m: 10 }), params())!;
    // (30×100 + 30×100 + 20×100 + 20×(100 − 100)) / 100 = 80
    expect(h.score).toBe(80);
  });

  it('is blank when every weight is 0', () => {
    const p = params({
      weightActivity: 0,
      weightRepurchase: 0,
      weightStability: 0,
      weightComplaints: 0,
    });
    expect(healthOf(metrics(), p)).toBeNull();
  });

  it('is computed for 正式 only', () => {
    const b = builder();
    const lead = b.customer({ status: '潜在', intent: 'A', signedDate: null });
    const lost = b.customer({ status: '流失' });
    const signed = b.customer({ status: '正式' });
    const out = computeRules(b.build(), NOW).customers;
    expect(out.get(lead.id)).toMatchObject({ healthScore: null, healthLevel: null });
    expect(out.get(lost.id)).toMatchObject({ healthScore: null, healthLevel: null });
    // no activity, no orders, on-time rate 1, no complaints: (0 + 0 + 20×100 + 20×100) / 100 = 40
    expect(out.get(signed.id)).toMatchObject({ healthScore: 40, healthLevel: '风险' });
  });
});

describe('worked example: health', () => {
  it('scores a customer at exactly 79.5 with the default settings', () => {
    const b = builder();
    const c = b.customer();
    // 4 follow-ups in the last 3 months: A = 4 / 6 × 100 = 66⅔
    for (const d of ['04-01', '04-15', '05-01', '05-15']) b.followUp(c, `2024-${d} 10:00`);
    // 2 orders in the previous 3 months: R = 2 / 3 × 100 = 66⅔ (they are not interactions)
    b.order(c, '2024-01-10', { paymentStatus: '按时' });
    b.order(c, '2024-02-10', { paymentStatus: '按时' });
    // 38 more orders 7–12 months back, 37 按时 and 1 逾期:
    // S = 39 / 40 × 100 = 97.5
    for (let i = 0; i < 38; i++) {
      b.order(
        c,
        `2023-${String(7 + (i % 5)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        {
          paymentStatus: i === 0 ? '逾期' : '按时',
        },
      );
    }
    // no complaints: C = 0
    // score = (30 × 66⅔ + 30 × 66⅔ + 20 × 97.5 + 20 × (100 − 0)) / 100
    //       = (2000 + 2000 + 1950 + 2000) / 100 = 79.5 → 80 → 健康
    const out = computeRules(b.build(), NOW).customers.get(c.id)!;
    expect(out.onTimeRate12m).toEqual({ num: 39, den: 40 });
    expect(out.healthScore).toBe(80);
    expect(out.healthLevel).toBe('健康');
  });
});
