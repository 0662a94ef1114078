/**
 * 销售分析 table 5, 客户价值 (docs/rules.md#analysis-销售分析): per tier, the customers
 * with a 客户价值 (正式 ones), its total and its mean. Sums are in fen, so the total is
 * the exact sum of the 客户价值 cells; the mean is rounded half up to the fen.
 */
import type { Customer } from '../model.ts';
import { byText, NO_TIER, TOTAL, yuan } from './analysisCells.ts';
import { divRound } from './rational.ts';
import type { ReportCell, ReportTable } from './reports.ts';

export interface ValueInput {
  tierOf: (customerId: string) => string | null;
  tierOrder: readonly string[];
  customerValue: (customerId: string) => number | null;
}

interface TierValue {
  customers: number;
  fen: number;
}

/**
 * Rows in the tiers' matching order (优先级, then 默认分层) as 客户分层分布 lists them, each
 * rule tier even when empty, so the two tables read side by side; then any other tier a
 * customer holds, by name; then （未分层）.
 */
export function valueTable(customers: readonly Customer[], input: ValueInput): ReportTable {
  const tiers = new Map<string, TierValue>();
  const total: TierValue = { customers: 0, fen: 0 };
  for (const c of customers) {
    const v = input.customerValue(c.id);
    if (v === null) continue;
    const name = input.tierOf(c.id) ?? NO_TIER;
    let t = tiers.get(name);
    if (!t) tiers.set(name, (t = { customers: 0, fen: 0 }));
    t.customers += 1;
    t.fen += v;
    total.customers += 1;
    total.fen += v;
  }
  const known = new Set(input.tierOrder);
  const others = [...tiers.keys()].filter((t) => !known.has(t) && t !== NO_TIER).sort(byText);
  const names = [...input.tierOrder, ...others, ...(tiers.has(NO_TIER) ? [NO_TIER] : [])];
  const row = (label: string, t: TierValue): ReportCell[] => [
    label,
    t.customers,
    yuan(t.fen),
    t.customers === 0 ? null : divRound(t.fen, t.customers * 100, 2),
  ];
  const rows = names.map((n) => row(n, tiers.get(n) ?? { customers: 0, fen: 0 }));
  rows.push(row(TOTAL, total));
  return {
    title: '客户价值',
    header: ['客户分层', '客户数', '客户价值合计(元)', '平均客户价值(元)'],
    rows,
    formats: ['text', 'integer', 'money', 'money'],
  };
}
