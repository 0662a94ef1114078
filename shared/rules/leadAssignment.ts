/** 线索分配 (docs/rules.md#lead-assignment-线索分配): who a new lead goes to. */
import type { Customer, LeadRule, Problem } from '../model.ts';

/** The rules in the order they are tried: by 优先级, equal 优先级 in sheet order. */
export function orderLeadRules(rules: readonly LeadRule[]): LeadRule[] {
  return [...rules].sort((a, b) => a.priority - b.priority || a.row - b.row);
}

/** The 负责人 of the first rule whose 所属行业 and 区域 equal the lead's; a blank condition matches anything. */
export function leadOwner(
  lead: { industry: string | null; region: string | null },
  ordered: readonly LeadRule[],
): string | null {
  for (const r of ordered) {
    if (r.industry !== null && r.industry !== lead.industry) continue;
    if (r.region !== null && r.region !== (lead.region ?? null)) continue;
    return r.owner;
  }
  return null;
}

export interface LeadAssignment {
  /** 客户编号 → the 负责人 the sync writes into a blank cell */
  owners: Map<string, string>;
  /** a 警告 per lead no rule matches */
  problems: Problem[];
}

/** Only a 潜在 customer with a blank 负责人 is assigned; nobody else is touched. */
export function assignLeads(
  customers: readonly Customer[],
  rules: readonly LeadRule[],
): LeadAssignment {
  const ordered = orderLeadRules(rules);
  const owners = new Map<string, string>();
  const problems: Problem[] = [];
  for (let i = 0; i < customers.length; i++) {
    const c = customers[i]!;
    if (c.status !== '潜在' || c.owner !== '') continue;
    const owner = leadOwner(c, ordered);
    if (owner !== null) {
      owners.set(c.id, owner);
      continue;
    }
    problems.push({
      tab: '客户',
      row: c.row,
      column: '负责人',
      value: '',
      message: `未找到线索分配规则：没有与所属行业“${c.industry}”、区域“${c.region ?? '（空）'}”相符的线索分配行；请在“线索分配”表添加一行，或手工填写负责人`,
      level: '警告',
    });
  }
  // In 客户 row order, whatever order the rows were read in.
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { owners, problems };
}
