/**
 * The managers' tabs 线索分配, 分层策略 and 服务目标, read like 节假日: each row parsed with
 * the template's checks, a row with an 错误 left out. A missing tab means its defaults.
 */
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type { LeadRule, ServiceTarget, TierStrategy } from '../model.ts';
import { parseRows } from './parse.ts';
import { valuesOf, type ParseContext, type SheetRow, type TabResult } from './types.ts';

function withDefaults(tab: TabDef, sheet: readonly SheetRow[]): readonly SheetRow[] {
  if (sheet.length > 0) return sheet;
  return [
    { row: 1, cells: tab.columns.map((c) => c.header) },
    ...(tab.defaultRows ?? []).map((cells, i) => ({ row: i + 2, cells })),
  ];
}

function usableRows(
  tab: TabDef,
  sheet: readonly SheetRow[],
  ctx: ParseContext,
  tabs: Map<string, TabResult>,
): TabResult['rows'] {
  const result = parseRows(tab, withDefaults(tab, sheet), ctx, () => {});
  tabs.set(tab.key, result);
  return result.rows.filter((r) => !r.hasError);
}

export function readLeadRules(
  sheet: readonly SheetRow[],
  ctx: ParseContext,
  tabs: Map<string, TabResult>,
): LeadRule[] {
  return usableRows(T.LEAD_ASSIGNMENT, sheet, ctx, tabs).map((r) => {
    const x = valuesOf(T.LEAD_ASSIGNMENT, r);
    return {
      row: r.row,
      priority: x.priority,
      industry: x.industry,
      region: x.region,
      owner: x.owner,
    };
  });
}

export function readTierStrategies(
  sheet: readonly SheetRow[],
  ctx: ParseContext,
  tabs: Map<string, TabResult>,
): TierStrategy[] {
  return usableRows(T.TIER_STRATEGIES, sheet, ctx, tabs).map((r) => {
    const x = valuesOf(T.TIER_STRATEGIES, r);
    return { row: r.row, tier: x.tier, strategy: x.strategy, visitMonths: x.visitMonths };
  });
}

export function readServiceTargets(
  sheet: readonly SheetRow[],
  ctx: ParseContext,
  tabs: Map<string, TabResult>,
): ServiceTarget[] {
  return usableRows(T.SERVICE_TARGETS, sheet, ctx, tabs).map((r) => {
    const x = valuesOf(T.SERVICE_TARGETS, r);
    return { row: r.row, metric: x.metric, target: x.target };
  });
}
