/**
 * The add-on computes 我的待办 and the tier preview from the tabs it reads (TABS_READ);
 * a tab the rules look at that is missing from that list would leave the add-on's answer
 * different from the service's without any error. So the list is checked against the
 * tabs validation, the rules and the day's list actually ask the workbook for.
 */
import { describe, expect, it } from 'vitest';
import { NEEDS_SURVEYS, TABS, type TabDef } from '../../sheets-templates/index.ts';
import { dateOf, wallTimeOf } from '../../shared/calendar.ts';
import { computeRules } from '../../shared/rules/index.ts';
import {
  validateWorkbook,
  type SheetRow,
  type WorkbookInput,
} from '../../shared/validate/index.ts';
import { buildWorkSource } from '../../shared/worklist.ts';
import { TABS_READ } from '../../addon/src/server/worklist.ts';

/** A map that remembers every tab name it was asked about. */
class AskedTabs extends Map<string, readonly SheetRow[]> {
  readonly asked = new Set<string>();
  override get(name: string) {
    this.asked.add(name);
    return super.get(name);
  }
  override has(name: string) {
    this.asked.add(name);
    return super.has(name);
  }
}

/**
 * Validated for its own 数据问题, which the add-on's pages do not show; no figure, tier or
 * callback is computed from it.
 */
const VALIDATED_ONLY: readonly string[] = [NEEDS_SURVEYS.name];

const headerRow = (tab: TabDef): SheetRow => ({ row: 1, cells: tab.columns.map((c) => c.header) });

describe('the tabs the add-on reads', () => {
  it('hold every tab validation, the rules and 我的待办 look at', () => {
    const tabs = new AskedTabs(TABS.map((t) => [t.name, [headerRow(t)]]));
    const input: WorkbookInput = { tabs, epoch: 'excel1900' };
    const now = wallTimeOf(Date.UTC(2026, 10, 20, 2), 'Asia/Shanghai');
    const validated = validateWorkbook(input, now, { timeZone: 'Asia/Shanghai' });
    const rules = computeRules(validated.dataset, now, { dueCallbacks: true });
    buildWorkSource(validated.dataset, rules.dueCallbacks, dateOf(now), () => null);
    expect(tabs.asked.size).toBeGreaterThan(5);
    const read: readonly string[] = TABS_READ;
    const missing = [...tabs.asked].filter((name) => !read.includes(name));
    expect(missing).toEqual(VALIDATED_ONLY);
  });
});
