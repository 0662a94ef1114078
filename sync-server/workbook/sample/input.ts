/**
 * A sample workbook as the shared code reads one, built in memory without a file: for
 * benchmarks and tests of what runs on a sync's results.
 */
import type { WallSeconds } from '../../../shared/calendar.ts';
import type { RawCell } from '../../../shared/cells.ts';
import type { SheetRow, WorkbookInput } from '../../../shared/validate/index.ts';
import { TABS } from '../../../sheets-templates/tabs.ts';
import { sampleCells } from '../template.ts';
import { generateSample, isSampleTab } from './index.ts';

export function sampleInput(options: {
  customers: number;
  now: WallSeconds;
  seed: number;
}): WorkbookInput {
  const sample = generateSample(options);
  const tabs = new Map<string, SheetRow[]>();
  for (const tab of TABS) {
    if (tab.kind === 'syncTab') continue;
    const grid: (readonly RawCell[])[] = [tab.columns.map((c) => c.header)];
    if (tab.kind === 'config')
      for (const r of tab.defaultRows ?? []) grid.push(r as readonly RawCell[]);
    if (tab.kind === 'data' && isSampleTab(tab.key))
      for (const r of sample[tab.key]()) grid.push(sampleCells(tab, r) as readonly RawCell[]);
    tabs.set(
      tab.name,
      grid.map((cells, i) => ({ row: i + 1, cells })),
    );
  }
  return { tabs, epoch: 'excel1900' };
}
