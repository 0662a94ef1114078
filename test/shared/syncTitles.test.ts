import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../shared/rules/history.ts';
import { computeRules } from '../../shared/rules/index.ts';
import { SYNC_TABLE_TITLES } from '../../shared/sync/workbookShape.ts';
import { scenarios } from '../rules/generate.ts';

describe('the titles that mark 报表 and 销售分析 as the sync’s', () => {
  it('every table the rules write has a title in the list, and the list names no table the rules never write', () => {
    // 摘要 opens 报表 from the month-on-month history the sync keeps, outside computeRules.
    const written = new Set<string>([summaryTable([]).title]);
    for (const s of scenarios(300)) {
      const out = computeRules(s.dataset, s.now);
      for (const t of [...out.reports, ...out.analysis]) written.add(t.title);
    }
    for (const title of written) expect(SYNC_TABLE_TITLES).toContain(title);
    for (const title of SYNC_TABLE_TITLES) expect(written).toContain(title);
  });
});
