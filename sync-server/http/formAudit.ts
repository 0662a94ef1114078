/** The 操作日志 row of a saved form, and what customer lists show to whom. */
import {
  formatDate,
  formatDateTime,
  serialToDay,
  serialToSeconds,
  type WallSeconds,
} from '../../shared/calendar.ts';
import { change, type AuditEntry } from '../../shared/audit.ts';
import { cellText } from '../../shared/cells.ts';
import type { FormDef } from '../../shared/forms/definitions.ts';
import { findById, rowRecord, viewTab } from '../../shared/forms/sheet.ts';
import type { CellWrite } from '../../shared/sync/plan.ts';
import type { WorkbookInput } from '../../shared/validate/index.ts';

/** A written cell as the text a person would read (serials as dates, in the 1900 system). */
function written(c: CellWrite): string {
  if (typeof c.value === 'number' && c.format === 'date') {
    const d = serialToDay(c.value, 'excel1900');
    return d === null ? String(c.value) : formatDate(d);
  }
  if (typeof c.value === 'number' && c.format === 'datetime') {
    const t = serialToSeconds(c.value, 'excel1900');
    return t === null ? String(c.value) : formatDateTime(t);
  }
  return cellText(c.value);
}

export function formAudit(
  form: FormDef,
  result: { id: string; row: number; cells: readonly CellWrite[] },
  input: WorkbookInput,
  actor: string,
  now: WallSeconds,
): AuditEntry {
  const view = viewTab(input, form.tab);
  const before =
    form.mode === 'update' ? rowRecord(view, findById(view, result.id)!, input.epoch) : {};
  const changes: string[] = [];
  for (const c of result.cells) {
    if (c.row !== result.row || c.column === '') continue;
    const column = form.tab.columns.find((k) => k.key === c.column);
    if (!column) continue;
    changes.push(change(column.header, before[column.key] ?? '', written(c)));
  }
  const action = form.key === 'review-visit' ? '审核' : form.mode === 'append' ? '新建' : '修改';
  return { time: now, actor, action, tab: form.tab.name, id: result.id, changes };
}

export { visibilityFor } from '../../shared/forms/guard.ts';
