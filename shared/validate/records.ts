/** Records as forms and imports send them, checked with exactly the rules of a sync. */
import type { TabDef } from '../../sheets-templates/types.ts';
import { dateOf, type WallSeconds } from '../calendar.ts';
import type { RawCell } from '../cells.ts';
import type { Problem, Settings } from '../model.ts';
import { parseRows } from './parse.ts';
import { rowChecks } from './rowChecks.ts';
import type { SheetRow } from './types.ts';

export interface RecordProblem {
  /** the template column key ('' for the whole record) */
  column: string;
  message: string;
  level: Problem['level'];
}

/**
 * One record as a form sends it (column key → raw value), checked with exactly the
 * rules of a sync: the same parsers, required fields and row checks. References to
 * other rows (客户编号, duplicate IDs) are the caller's to check.
 */
export function validateRecord(
  tab: TabDef,
  record: Readonly<Record<string, RawCell>>,
  ctx: { settings: Settings; now: WallSeconds },
): { values: Record<string, unknown>; problems: RecordProblem[] } {
  return validateRecords(tab, [record], ctx)[0]!;
}

/**
 * Many records at once (an import), each answered as validateRecord would: one pass
 * over them as the rows of one sheet, so the header and the checks are set up once.
 */
export function validateRecords(
  tab: TabDef,
  records: readonly Readonly<Record<string, RawCell>>[],
  ctx: { settings: Settings; now: WallSeconds },
): { values: Record<string, unknown>; problems: RecordProblem[] }[] {
  const problems: Problem[] = [];
  const headers = tab.columns.map((c) => c.header);
  const sheet: SheetRow[] = [{ row: 1, cells: headers }];
  records.forEach((record, i) =>
    sheet.push({ row: i + 2, cells: tab.columns.map((c) => record[c.key] ?? null) }),
  );
  const check = rowChecks(dateOf(ctx.now)).get(tab.key) ?? (() => {});
  const result = parseRows(
    tab,
    sheet,
    { epoch: 'sheets', settings: ctx.settings, problems },
    check,
  );
  const out = records.map(() => ({
    values: {} as Record<string, unknown>,
    problems: [] as RecordProblem[],
  }));
  for (const row of result.rows) out[row.row - 2]!.values = row.values;
  const byHeader = new Map(tab.columns.map((c) => [c.header, c.key]));
  for (const p of problems) {
    out[(p.row ?? 0) - 2]?.problems.push({
      column: byHeader.get(p.column) ?? '',
      message: p.message,
      level: p.level,
    });
  }
  return out;
}
