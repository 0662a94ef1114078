/**
 * The warning-only protections 初始化表格 puts on sync columns and sync tabs. Only
 * protections it made itself (known by their description) are ever changed or removed:
 * a protection a person made stays exactly as it is, and Sheet.protect() is only called
 * on a sheet without any, since it hands back the existing one otherwise.
 */
import * as T from '../../../sheets-templates/tabs.ts';
import type { TabDef } from '../../../sheets-templates/types.ts';
import { gas, type Range, type Sheet } from './gas.ts';

/** Marks our own protections, so a rerun finds them among the ones people added. */
export const protectionLabel = (tab: TabDef, headers?: readonly string[]): string =>
  headers && headers.length > 0
    ? `${T.SYNC_COLUMN_NOTE}（${tab.name}·${headers.join('、')}）`
    : `${T.SYNC_COLUMN_NOTE}（${tab.name}）`;

const isOwnColumnLabel = (tab: TabDef, description: string): boolean =>
  description.startsWith(`${T.SYNC_COLUMN_NOTE}（${tab.name}·`);

export interface ProtectionOutcome {
  changes: number;
  /** a person's protection of a whole sync tab, left as it is */
  keptForeign: boolean;
}

/**
 * One protection per run of adjacent sync columns. Our protections that no longer match a
 * run (columns moved, or the one-per-column protections of earlier versions) are
 * re-scoped or removed.
 */
export function protectColumns(
  sheet: Sheet,
  tab: TabDef,
  wanted: readonly { range: Range; headers: string[] }[],
  fresh: boolean,
): number {
  let changes = 0;
  const own = fresh
    ? []
    : sheet
        .getProtections(gas.sheets().ProtectionType.RANGE)
        .filter((p) => isOwnColumnLabel(tab, p.getDescription()));
  const byLabel = new Map(own.map((p) => [p.getDescription(), p]));
  const used = new Set<unknown>();
  for (const w of wanted) {
    const label = protectionLabel(tab, w.headers);
    const found = byLabel.get(label);
    if (!found) {
      w.range.protect().setDescription(label).setWarningOnly(true);
      changes++;
      continue;
    }
    used.add(found);
    if (found.getRange().getA1Notation() !== w.range.getA1Notation()) {
      found.setRange(w.range);
      changes++;
    }
  }
  for (const p of own)
    if (!used.has(p)) {
      p.remove();
      changes++;
    }
  return changes;
}

/** A sync tab gets a warning-only protection unless it already has one, whoever made it. */
export function protectTab(sheet: Sheet, tab: TabDef, fresh: boolean): ProtectionOutcome {
  const existing = fresh ? [] : sheet.getProtections(gas.sheets().ProtectionType.SHEET);
  if (existing.length > 0) {
    const label = protectionLabel(tab);
    return { changes: 0, keptForeign: !existing.some((p) => p.getDescription() === label) };
  }
  sheet.protect().setDescription(protectionLabel(tab)).setWarningOnly(true);
  return { changes: 1, keptForeign: false };
}
