/**
 * Worked examples of docs/rules.md § Lead assignment, § Tickets, more (闭环状态, 请求类型)
 * and § Customer value.
 */
import { describe, expect, it } from 'vitest';
import { computeRules } from '../../shared/rules/index.ts';
import type { LeadRule } from '../../shared/model.ts';
import { at, builder, fen } from './build.ts';

const NOW = at('2024-06-12 10:00');

describe('线索分配', () => {
  const rules: LeadRule[] = [
    { row: 2, priority: 2, industry: '制造业', region: null, owner: '钱' },
    { row: 3, priority: 1, industry: null, region: '华南', owner: '孙' },
    { row: 4, priority: 1, industry: '制造业', region: '华东', owner: '赵' },
  ];

  it('assigns a lead with a blank 负责人 and warns about one no row matches', () => {
    const b = builder();
    const lead = { status: '潜在', signedDate: null, owner: '' } as const;
    // 制造业/华东: 优先级 1 rows in sheet order — row 3 wants 华南, row 4 matches → 赵
    const matched = b.customer({ ...lead, industry: '制造业', region: '华东' });
    // 零售/华北: row 2 wants 制造业, row 3 华南, row 4 制造业 → none
    const unmatched = b.customer({ ...lead, industry: '零售', region: '华北' });
    // someone already chosen is never touched
    const owned = b.customer({ ...lead, industry: '制造业', region: '华东', owner: '王' });
    const out = computeRules(b.build({ leadRules: rules }), NOW);
    expect(out.assignedOwners).toEqual(new Map([[matched.id, '赵']]));
    expect(out.assignedOwners.has(owned.id)).toBe(false);
    // the lead still gets its 首次联系, under the owner it was given
    expect(out.callbackPlan.find((p) => p.customerId === matched.id)?.owner).toBe('赵');
    expect(out.problems).toEqual([
      {
        tab: '客户',
        row: unmatched.row,
        column: '负责人',
        value: '',
        message:
          '未找到线索分配规则：没有与所属行业“零售”、区域“华北”相符的线索分配行；请在“线索分配”表添加一行，或手工填写负责人',
        level: '警告',
      },
    ]);
  });

  it('falls to a lower 优先级 row with a blank condition', () => {
    const b = builder();
    // 制造业/华北: rows 3 and 4 want other regions; row 2 (优先级 2, any region) → 钱
    const c = b.customer({ status: '潜在', signedDate: null, owner: '', region: '华北' });
    const out = computeRules(b.build({ leadRules: rules }), NOW);
    expect(out.assignedOwners.get(c.id)).toBe('钱');
  });
});

describe('闭环状态', () => {
  it('is 已闭环, 待回访 or blank', () => {
    const b = builder();
    const c = b.customer();
    // resolved Wed 06-05, valid visit Thu 06-06 ≥ 06-05 → 已闭环
    const closed = b.ticket(c, '2024-06-04 09:00', {
      status: '已解决',
      resolvedAt: at('2024-06-05 17:00'),
    });
    // resolved Mon 06-10: the latest valid visit (06-06) is older → 待回访; a visit sent
    // back on 06-11 does not close it
    const waiting = b.ticket(c, '2024-06-09 09:00', {
      status: '已关闭',
      resolvedAt: at('2024-06-10 12:00'),
    });
    const open = b.ticket(c, '2024-06-11 09:00', { status: '处理中' });
    b.visit(c, '2024-06-06 10:00');
    b.visit(c, '2024-06-11 10:00', { reviewResult: '退回' });
    const out = computeRules(b.build(), NOW).tickets;
    expect(out.get(closed.id)?.closure).toBe('已闭环');
    expect(out.get(waiting.id)?.closure).toBe('待回访');
    expect(out.get(open.id)?.closure).toBeNull();
  });

  it('counts a visit on the day of 解决时间 (dated ≥ date(解决时间))', () => {
    const b = builder();
    const c = b.customer();
    // resolved 06-10 17:00, visited 06-10 09:00: same day → 已闭环
    const t = b.ticket(c, '2024-06-09 09:00', {
      status: '已解决',
      resolvedAt: at('2024-06-10 17:00'),
    });
    b.visit(c, '2024-06-10 09:00');
    expect(computeRules(b.build(), NOW).tickets.get(t.id)?.closure).toBe('已闭环');
  });
});

describe('请求类型', () => {
  it('keeps a 咨询 out of 月度投诉分析 but in 服务指标', () => {
    const b = builder();
    const c = b.customer();
    b.ticket(c, '2024-06-03 09:00');
    b.ticket(c, '2024-06-04 09:00', { requestType: '咨询' });
    const reports = computeRules(b.build(), NOW).reports;
    const monthly = reports.find((r) => r.title === '月度投诉分析')!;
    const june = monthly.rows.find((r) => r[0] === '2024-06')!;
    // one 投诉; the second ticket would have been a repeat (same customer and type within
    // 30 days) but a 咨询 is not a complaint: 重复投诉率 0 ÷ 1
    expect(june[1]).toBe(1);
    expect(june[june.length - 1]).toBe(0);
    const service = reports.find((r) => r.title === '服务指标')!;
    // 近30天 counts both tickets, and the second as a repeat: 1 ÷ 2
    expect(service.rows[1]![1]).toBe(2);
    expect(service.rows[1]![5]).toBe(0.5);
  });
});

describe('客户价值', () => {
  const valueOf = (amounts: string[], settings = {}, status: '正式' | '潜在' = '正式') => {
    const b = builder();
    const c = b.customer(status === '潜在' ? { status, signedDate: null } : {});
    for (const a of amounts) b.order(c, '2024-05-01', { amount: fen(a) });
    return computeRules(b.build({ settings }), NOW).customers.get(c.id)!.customerValue;
  };

  it('is 近12月金额 × 30% × 3, rounded half up to the fen', () => {
    // 1,000.01 × 0.3 × 3 = 900.009 → 900.01 yuan
    expect(valueOf(['1000.01'])).toBe(fen('900.01'));
    // 0.05 × 0.9 = 0.045 → 0.05 (half up)
    expect(valueOf(['0.05'])).toBe(fen('0.05'));
    // 0.04 × 0.9 = 0.036 → 0.04; 0.01 × 0.9 = 0.009 → 0.01
    expect(valueOf(['0.04'])).toBe(fen('0.04'));
    expect(valueOf(['0.01'])).toBe(fen('0.01'));
  });

  it('follows 毛利率 and 预计合作年限', () => {
    // 1,000.01 × 27.5% × 2.5 = 687.506875 → 687.51
    expect(valueOf(['1000.01'], { grossMarginPercent: 27.5, expectedYears: 2.5 })).toBe(
      fen('687.51'),
    );
  });

  it('is blank for a lead, and 0 for a 正式 customer without orders', () => {
    expect(valueOf(['500'], {}, '潜在')).toBeNull();
    expect(valueOf([])).toBe(0);
  });
});
