/** The config tabs: 参数 into Settings, 节假日 into holidays, 分层规则 into raw tier rules. */
import * as T from '../../sheets-templates/tabs.ts';
import { isBlank, type RawCell } from '../cells.ts';
import { resolveLayout } from '../layout.ts';
import type { Holiday, Problem, RawTierRule, Settings } from '../model.ts';
import { readSettings } from '../settings.ts';
import { parseRows } from './parse.ts';
import {
  valuesOf,
  type ParseContext,
  type SheetRow,
  type TabResult,
  type WorkbookInput,
} from './types.ts';

/** The 参数 tab of a workbook, read into Settings (problems go to the list given). */
export function readWorkbookSettings(input: WorkbookInput, problems: Problem[]): Settings {
  const rows = input.tabs.get(T.SETTINGS_TAB.name) ?? [];
  const layout = resolveLayout(T.SETTINGS_TAB, rows[0]?.row === 1 ? rows[0].cells : [], problems);
  const nameIdx = layout.indexByKey.get('name');
  const valueIdx = layout.indexByKey.get('value');
  if (nameIdx === undefined || valueIdx === undefined)
    return readSettings([], T.SETTINGS_TAB.name, problems);
  return readSettings(
    rows
      .filter((r) => r.row > 1)
      .map((r) => ({ row: r.row, name: r.cells[nameIdx], value: r.cells[valueIdx] })),
    T.SETTINGS_TAB.name,
    problems,
  );
}

export function readHolidays(
  sheet: readonly SheetRow[],
  ctx: ParseContext,
  tabs: Map<string, TabResult>,
): Holiday[] {
  const result = parseRows(T.HOLIDAYS, sheet, ctx, () => {});
  tabs.set(T.HOLIDAYS.key, result);
  return result.rows
    .filter((r) => !r.hasError)
    .map((r) => {
      const x = valuesOf(T.HOLIDAYS, r);
      return { date: x.date, kind: x.kind };
    });
}

/** 分层规则 rows go to the tier rules as typed; their checks live with the rules. */
export function readTierRules(
  sheet: readonly SheetRow[],
  problems: Problem[],
  tabs: Map<string, TabResult>,
): RawTierRule[] {
  // A missing tab means its defaults; an empty one means no rules.
  if (sheet.length === 0) {
    sheet = [
      { row: 1, cells: T.TIER_RULES.columns.map((c) => c.header) },
      ...(T.TIER_RULES.defaultRows ?? []).map((cells, i) => ({ row: i + 2, cells })),
    ];
  }
  const layout = resolveLayout(T.TIER_RULES, sheet[0]?.row === 1 ? sheet[0].cells : [], problems);
  tabs.set(T.TIER_RULES.key, { layout, rows: [] });
  const at = (r: SheetRow, key: string): RawCell => {
    const i = layout.indexByKey.get(key);
    return i === undefined ? null : (r.cells[i] ?? null);
  };
  const rules: RawTierRule[] = [];
  for (const r of sheet) {
    if (r.row === 1) continue;
    const rule = {
      row: r.row,
      priority: at(r, 'priority'),
      tier: at(r, 'tier'),
      metric: at(r, 'metric'),
      operator: at(r, 'operator'),
      threshold: at(r, 'threshold'),
    };
    if ([rule.priority, rule.tier, rule.metric, rule.operator, rule.threshold].every(isBlank))
      continue;
    rules.push(rule);
  }
  return rules;
}
