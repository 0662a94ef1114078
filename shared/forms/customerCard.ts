/**
 * What a form shows beside a chosen customer and what it proposes for a new one: the
 * 服务策略 of the customer's 客户分层 (分层策略, docs/workbook.md) and the 负责人 that
 * 线索分配 gives a new lead. Read from the workbook as the sync reads those tabs, so a
 * form and a sync agree on every row.
 */
import * as T from '../../sheets-templates/tabs.ts';
import { cellText } from '../cells.ts';
import type { LeadRule } from '../model.ts';
import { leadOwner, orderLeadRules } from '../rules/leadAssignment.ts';
import { readLeadRules, readTierStrategies } from '../validate/moreConfig.ts';
import { readWorkbookSettings, type TabResult, type WorkbookInput } from '../validate/index.ts';
import type { ParseContext } from '../validate/types.ts';
import { cellOf, viewTab } from './sheet.ts';

function parseContext(input: WorkbookInput): ParseContext {
  return { epoch: input.epoch, settings: readWorkbookSettings(input, []), problems: [] };
}

/** 分层名称 → 服务策略; the first row of a tier wins, a blank 服务策略 is left out. */
export function tierStrategyTexts(input: WorkbookInput): Record<string, string> {
  const rows = readTierStrategies(
    input.tabs.get(T.TIER_STRATEGIES.name) ?? [],
    parseContext(input),
    new Map<string, TabResult>(),
  );
  const out: Record<string, string> = {};
  for (const r of rows) {
    if (r.tier in out) continue;
    out[r.tier] = r.strategy ?? '';
  }
  for (const [tier, text] of Object.entries(out)) if (text === '') delete out[tier];
  return out;
}

/** The usable 线索分配 rows in the order they are tried. */
export function formLeadRules(input: WorkbookInput): LeadRule[] {
  const sheet = input.tabs.get(T.LEAD_ASSIGNMENT.name);
  // No tab means no rules (a new workbook's 线索分配 is empty too).
  if (sheet === undefined) return [];
  return orderLeadRules(readLeadRules(sheet, parseContext(input), new Map<string, TabResult>()));
}

/** The 负责人 线索分配 proposes for a new lead of this 所属行业 and 区域, or null. */
export function proposedOwner(
  values: Readonly<Record<string, string>>,
  rules: readonly LeadRule[],
): string | null {
  const text = (key: string): string | null => {
    const v = (values[key] ?? '').trim();
    return v === '' ? null : v;
  };
  if (rules.length === 0 || (values.status ?? '潜在').trim() === '正式') return null;
  return leadOwner({ industry: text('industry'), region: text('region') }, rules);
}

/** 客户编号 → 客户分层 as the last sync left it. */
export function customerTiers(input: WorkbookInput): Map<string, string> {
  const view = viewTab(input, T.CUSTOMERS);
  const tiers = new Map<string, string>();
  for (const r of view.rows) {
    const id = cellText(cellOf(view, r, 'customerId'));
    if (id !== '' && !tiers.has(id)) tiers.set(id, cellText(cellOf(view, r, 'tier')));
  }
  return tiers;
}
