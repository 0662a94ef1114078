import { describe, expect, it } from 'vitest';
import type { Customer } from '../../shared/model.ts';
import { computeRules } from '../../shared/rules/index.ts';
import { at, builder, fen, tierRules } from './build.ts';

const NOW = at('2024-06-12 10:00');

describe('default tier rules', () => {
  it('puts exactly 100000 yuan in 高价值客户 and 99999.99 below it', () => {
    const b = builder();
    const rich = b.customer();
    const almost = b.customer();
    b.order(rich, '2024-06-01', { amount: fen('100000') });
    b.order(almost, '2024-06-01', { amount: fen('99999.99') });
    const out = computeRules(b.build(), NOW).customers;
    expect(out.get(rich.id)!.tier).toBe('高价值客户');
    expect(out.get(almost.id)!.tier).toBe('普通客户');
  });

  it('reads a money threshold written as 10万', () => {
    const b = builder();
    const c = b.customer();
    b.order(c, '2024-06-01', { amount: fen('100000') });
    const rules = tierRules([[1, '大客户', '近12月金额', '>=', '10万']]);
    expect(computeRules(b.build({ tierRules: rules }), NOW).customers.get(c.id)!.tier).toBe(
      '大客户',
    );
  });

  it('needs every row of a tier: 潜力客户 is 潜在 AND 意向等级 A', () => {
    const b = builder();
    const a = b.customer({ status: '潜在', intent: 'A', signedDate: null });
    const bGrade = b.customer({ status: '潜在', intent: 'B', signedDate: null });
    const out = computeRules(b.build(), NOW).customers;
    expect(out.get(a.id)!.tier).toBe('潜力客户');
    expect(out.get(bGrade.id)!.tier).toBe('普通客户');
  });

  it('gives everyone 默认分层 when the tab has no rules', () => {
    const b = builder();
    const c = b.customer();
    b.order(c, '2024-06-01', { amount: fen('500000') });
    const out = computeRules(b.build({ tierRules: [], settings: { defaultTier: '一般' } }), NOW);
    expect(out.tiersValid).toBe(true);
    expect(out.customers.get(c.id)!.tier).toBe('一般');
  });
});

describe('tier order', () => {
  it('tries tiers by their smallest 优先级', () => {
    const b = builder();
    const c = b.customer({ region: '华东' });
    const rules = tierRules([
      [5, '甲', '区域', '=', '华东'],
      [2, '乙', '区域', '=', '华东'],
      [9, '甲', '客户类型', '=', '企业'], // 甲's priority is min(5, 9) = 5
    ]);
    expect(computeRules(b.build({ tierRules: rules }), NOW).customers.get(c.id)!.tier).toBe('乙');
  });

  it('breaks a priority tie by the tier whose first row comes first', () => {
    const b = builder();
    const c = b.customer({ region: '华东' });
    const rules = tierRules([
      [3, '乙', '区域', '=', '华东'],
      [1, '甲', '区域', '=', '华东'],
      [1, '乙', '客户类型', '=', '企业'], // 乙 also reaches priority 1, and its first row is row 2
    ]);
    expect(computeRules(b.build({ tierRules: rules }), NOW).customers.get(c.id)!.tier).toBe('乙');
  });
});

describe('conditions', () => {
  const tierWith = (rule: unknown[], over = {}, build = (_b: ReturnType<typeof builder>) => {}) => {
    const b = builder();
    const c = b.customer(over);
    build(b);
    const out = computeRules(b.build({ tierRules: tierRules([[1, '命中', ...rule]]) }), NOW);
    expect(out.tiersValid).toBe(true);
    return out.customers.get(c.id)!.tier;
  };

  it('accepts ≥ ≤ ≠ and full-width forms', () => {
    expect(tierWith(['近12月合作次数', '≥', 0])).toBe('命中');
    expect(tierWith(['近12月合作次数', '≤', 0])).toBe('命中');
    expect(tierWith(['近12月合作次数', '≠', 1])).toBe('命中');
    expect(tierWith(['近12月合作次数', '＞＝', 0])).toBe('命中');
  });

  it('compares numbers with every order operator', () => {
    const twoOrders = (b: ReturnType<typeof builder>) => {
      b.order('E20240001', '2024-06-01');
      b.order('E20240001', '2024-06-02');
    };
    expect(tierWith(['近12月合作次数', '>', 1], {}, twoOrders)).toBe('命中');
    expect(tierWith(['近12月合作次数', '>', 2], {}, twoOrders)).toBe('普通客户');
    expect(tierWith(['近12月合作次数', '<', 3], {}, twoOrders)).toBe('命中');
    expect(tierWith(['近12月合作次数', '<', 2], {}, twoOrders)).toBe('普通客户');
    expect(tierWith(['近12月合作次数', '=', '2'], {}, twoOrders)).toBe('命中');
    expect(tierWith(['近12月合作次数', '属于', '1、2，3'], {}, twoOrders)).toBe('命中');
  });

  it('matches text with 包含 and 属于 lists separated by , ， or 、', () => {
    expect(tierWith(['区域', '包含', '东'], { region: '华东' })).toBe('命中');
    expect(tierWith(['所属行业', '属于', '金融, 制造业'], { industry: '制造业' })).toBe('命中');
    expect(tierWith(['所属行业', '属于', '金融，教育'], { industry: '制造业' })).toBe('普通客户');
    expect(tierWith(['客户来源', '属于', '展会推广、转介绍'], { source: '转介绍' })).toBe('命中');
  });

  it('treats a condition on a blank metric as false, whatever the operator', () => {
    expect(tierWith(['区域', '!=', '华南'], { region: null })).toBe('普通客户');
    expect(tierWith(['意向等级', '!=', 'A'], { intent: null })).toBe('普通客户');
    expect(tierWith(['满意度', '<', 100])).toBe('普通客户'); // no satisfaction
    expect(tierWith(['健康度', '>=', 0], { status: '潜在', intent: 'A' })).toBe('普通客户');
  });

  it('reads a blank 客户等级 as 普通客户', () => {
    // model.ts already turns a blank 客户等级 cell into 普通客户; a blank that slips
    // through still counts as one
    expect(tierWith(['客户等级', '=', '普通客户'])).toBe('命中');
    expect(tierWith(['客户等级', '=', '普通客户'], { level: '' as Customer['level'] })).toBe(
      '命中',
    );
  });

  it('compares 满意度 exactly', () => {
    // visits 好/较好 (4.5), 一般 (3), 好 (5): mean 12.5 / 3 × 20 = 83⅓
    const visits = (b: ReturnType<typeof builder>) => {
      b.visit('E20240001', '2024-06-01 10:00', { productSatisfaction: 5, serviceSatisfaction: 4 });
      b.visit('E20240001', '2024-06-02 10:00', { productSatisfaction: 3 });
      b.visit('E20240001', '2024-06-03 10:00', { serviceSatisfaction: 5 });
    };
    expect(tierWith(['满意度', '>', 83.33], {}, visits)).toBe('命中');
    expect(tierWith(['满意度', '<', 83.34], {}, visits)).toBe('命中');
    expect(tierWith(['满意度', '=', 83.33], {}, visits)).toBe('普通客户');
  });

  it('tests 健康度 on the rounded score of 正式 customers', () => {
    // nothing recorded: (0 + 0 + 20 × 100 + 20 × 100) / 100 = 40
    expect(tierWith(['健康度', '=', 40])).toBe('命中');
  });
});

describe('invalid tier rules', () => {
  it('leaves the column unchanged and reports one 错误 per bad row', () => {
    const b = builder();
    const c = b.customer();
    const rules = tierRules([
      [1, '高价值客户', '近12月金額', '>=', 100000], // typo: 額 for 额
      [2, '活跃客户', '近12月合作次数', '>=', 5],
      [3, '潜力客户', '客户状态', '==', '潜在'], // unknown operator
    ]);
    const out = computeRules(b.build({ tierRules: rules }), NOW);
    expect(out.tiersValid).toBe(false);
    expect(out.customers.get(c.id)!.tier).toBeNull();
    expect(out.problems).toHaveLength(2);
    expect(out.problems[0]).toMatchObject({
      tab: '分层规则',
      row: 2,
      column: '指标',
      value: '近12月金額',
      level: '错误',
    });
    expect(out.problems[0]!.message).toContain('应为');
    expect(out.problems[1]).toMatchObject({ row: 4, column: '运算符', value: '==', level: '错误' });
  });

  const invalid = (row: unknown[]) => {
    const b = builder();
    b.customer();
    const out = computeRules(b.build({ tierRules: tierRules([row]) }), NOW);
    expect(out.tiersValid).toBe(false);
    expect(out.problems).toHaveLength(1);
    return out.problems[0]!;
  };

  it('rejects an order operator on a text metric', () => {
    expect(invalid([1, '甲', '客户状态', '>=', '正式'])).toMatchObject({ column: '运算符' });
  });

  it('rejects a non-number 阈值 on a number metric', () => {
    expect(invalid([1, '甲', '近12月合作次数', '>=', '五'])).toMatchObject({
      column: '阈值',
      value: '五',
    });
    expect(invalid([1, '甲', '近12月金额', '>=', '很多'])).toMatchObject({ column: '阈值' });
    expect(invalid([1, '甲', '近12月合作次数', '属于', '1、二'])).toMatchObject({ column: '阈值' });
  });

  it('rejects 包含 on a number metric', () => {
    expect(invalid([1, '甲', '近12月合作次数', '包含', 5])).toMatchObject({ column: '运算符' });
  });

  it('rejects a non-number 优先级', () => {
    expect(invalid(['高', '甲', '区域', '=', '华东'])).toMatchObject({
      column: '优先级',
      value: '高',
    });
  });

  it('rejects blank required cells, naming each in one message', () => {
    const p = invalid([null, '', '区域', '=', null]);
    expect(p.column).toBe('优先级');
    expect(p.message).toContain('“分层名称”必填');
    expect(p.message).toContain('“阈值”必填');
  });

  it('warns, without invalidating, about a threshold outside a fixed value list', () => {
    const b = builder();
    b.customer();
    const out = computeRules(
      b.build({ tierRules: tierRules([[1, '甲', '客户状态', '=', '潜伏']]) }),
      NOW,
    );
    expect(out.tiersValid).toBe(true);
    expect(out.problems).toEqual([
      expect.objectContaining({ level: '警告', column: '阈值', value: '潜伏' }),
    ]);
  });
});

describe('worked example: tiers', () => {
  it('tiers four customers with the default rules', () => {
    const b = builder();
    // E20240001: 12 months' orders 60000 + 40000 = 100000 yuan ≥ 100000 → 高价值客户 (priority 1)
    const big = b.customer();
    b.order(big, '2024-01-10', { amount: fen('60000') });
    b.order(big, '2024-05-10', { amount: fen('40000') });
    // E20240002: 5 orders of 100 yuan = 500 yuan < 100000, 5 orders ≥ 5 → 活跃客户 (priority 2)
    const busy = b.customer();
    for (const d of ['01', '02', '03', '04', '05']) b.order(busy, `2024-05-${d}`);
    // E20240003: 潜在 and 意向等级 A → 潜力客户 (priority 3, both rows hold)
    const lead = b.customer({ status: '潜在', intent: 'A', signedDate: null });
    // E20240004: 4 orders, 正式 → no rule holds → 普通客户
    const plain = b.customer();
    for (const d of ['01', '02', '03', '04']) b.order(plain, `2024-05-${d}`);
    const out = computeRules(b.build(), NOW).customers;
    expect([big, busy, lead, plain].map((c) => out.get(c.id)!.tier)).toEqual([
      '高价值客户',
      '活跃客户',
      '潜力客户',
      '普通客户',
    ]);
  });
});
