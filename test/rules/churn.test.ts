import { describe, expect, it } from 'vitest';
import { churnParams, churnWarning } from '../../shared/rules/churn.ts';
import { computeRules } from '../../shared/rules/index.ts';
import { defaultSettings } from '../../shared/settings.ts';
import { at, builder, metrics } from './build.ts';

const NOW = at('2024-06-12 10:00');

const params = (over = {}) => churnParams({ ...defaultSettings(), ...over });

describe('churn warning', () => {
  it('flags a drop of exactly 30%: 7 × 100 ≤ 10 × 70', () => {
    expect(churnWarning(metrics({ ordersPrev3m: 10, ordersLast3m: 7 }), null, params())).toBe(
      '购买频次下降',
    );
    expect(churnWarning(metrics({ ordersPrev3m: 10, ordersLast3m: 8 }), null, params())).toBe('');
  });

  it('needs orders in the previous 3 months', () => {
    expect(churnWarning(metrics({ ordersPrev3m: 0, ordersLast3m: 0 }), null, params())).toBe('');
  });

  it('reads the percent exactly, whatever float noise it carries', () => {
    // 0.3 × 100 = 30.000000000000004 in binary floating point: still 30%
    const p = params({ purchaseDropPercent: 0.3 * 100 });
    expect(churnWarning(metrics({ ordersPrev3m: 10, ordersLast3m: 7 }), null, p)).toBe(
      '购买频次下降',
    );
    // a decimal percent: 33.3% of 1000 → 667 × 100 ≤ 1000 × 66.7
    const q = params({ purchaseDropPercent: 33.3 });
    expect(churnWarning(metrics({ ordersPrev3m: 1000, ordersLast3m: 667 }), null, q)).toBe(
      '购买频次下降',
    );
    expect(churnWarning(metrics({ ordersPrev3m: 1000, ordersLast3m: 668 }), null, q)).toBe('');
  });

  it('flags satisfaction strictly below the line', () => {
    const at80 = metrics({ satisfaction: { num: 160, den: 2 } });
    const below = metrics({ satisfaction: { num: 1599, den: 20 } }); // 79.95
    expect(churnWarning(at80, null, params())).toBe('');
    expect(churnWarning(below, null, params())).toBe('满意度低');
  });

  it('joins the reasons with ； in the order of docs/rules.md#churn-warning', () => {
    const m = metrics({ ordersPrev3m: 1, ordersLast3m: 0, satisfaction: { num: 40, den: 1 } });
    expect(churnWarning(m, '风险', params())).toBe('购买频次下降；满意度低；健康度风险');
  });

  it('is blank for customers that are not 正式', () => {
    const b = builder();
    const lead = b.customer({ status: '潜在', intent: 'B', signedDate: null });
    b.order(lead, '2024-01-10');
    const out = computeRules(b.build(), NOW).customers.get(lead.id)!;
    expect(out.churnWarning).toBe('');
  });
});

describe('worked example: churn', () => {
  it('lists every reason of a declining, unhappy customer', () => {
    const b = builder();
    const c = b.customer();
    // previous 3 months (2023-12-12, 2024-03-12]: 3 orders; last 3 months: 1 order
    // 1 × 100 = 100 ≤ 3 × (100 − 30) = 210 → 购买频次下降
    b.order(c, '2024-01-05');
    b.order(c, '2024-02-05');
    b.order(c, '2024-03-05');
    b.order(c, '2024-05-05');
    // one visit scored 一般/差 = (3 + 2) / 2 = 2.5 → 满意度 50 < 80 → 满意度低
    b.visit(c, '2024-05-10 10:00', { productSatisfaction: 3, serviceSatisfaction: 2 });
    // health: A = (1 order + 1 visit) / 6 × 100 = 33⅓, R = 4 / 3 → capped 100, S = 100, C = 0
    // (30 × 33⅓ + 30 × 100 + 20 × 100 + 20 × 100) / 100 = (1000 + 3000 + 2000 + 2000) / 100 = 80
    // → 健康, so no 健康度风险
    const out = computeRules(b.build(), NOW).customers.get(c.id)!;
    expect(out.healthScore).toBe(80);
    expect(out.churnWarning).toBe('购买频次下降；满意度低');
  });
});
