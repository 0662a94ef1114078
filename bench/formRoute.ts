/**
 * The form route's own work at a workbook's size, in process and without the file write:
 * the checks of 新建客户 (with its duplicate search over every customer) and of 记录跟进,
 * the new ID and the 操作日志 row, as POST /api/forms/:form does them under its lock. Each
 * round first replaces the rows a save and a sync would (the saved row; then one customer
 * in a hundred, as a sync writing changed tiers and health does), since a kept workbook
 * hands the route new row lists after every write. Prints the CPU per form, median and worst.
 *
 *   tsx bench/formRoute.ts <file.xlsx> [rounds]
 */
import { readWorkbook } from '../sync-server/xlsx/reader.ts';
import * as T from '../sheets-templates/tabs.ts';
import { formByKey } from '../shared/forms/definitions.ts';
import { applySubmission, workbookNow } from '../shared/forms/submit.ts';
import { appendAudit } from '../shared/audit.ts';
import { checkSubmission } from '../shared/forms/guard.ts';
import { soleOperator } from '../shared/users.ts';
import { formAudit } from '../sync-server/http/formAudit.ts';
import { dateOf, formatDate, formatDateTime } from '../shared/calendar.ts';
import { patchRows } from '../sync-server/local/warmWorkbook.ts';
import type { CellWrite } from '../shared/sync/plan.ts';
import type { SheetRow, WorkbookInput } from '../shared/validate/index.ts';
import { followUpBody, newCustomerBody } from './formBodies.ts';

const [file, roundsText] = process.argv.slice(2);
if (!file) throw new Error('usage: formRoute.ts <file.xlsx> [rounds]');
const rounds = Number(roundsText ?? 10);
const wanted = new Set(
  [
    ...formByKey('new-customer')!.reads,
    ...formByKey('follow-up')!.reads,
    T.AUDIT_LOG.name,
    T.TICKET_ROUTING.name,
  ].map(String),
);
const book = await readWorkbook(file, { sheets: (n) => wanted.has(n) });
const tabs = new Map<string, readonly SheetRow[]>(book.sheets.map((s) => [s.name, s.rows]));
const epoch = book.date1904 ? 'excel1904' : 'excel1900';
const actor = soleOperator('张伟');
const people = { people: [], enabled: false, problems: [] };

/** What the store does after a write: the written rows replaced, the others kept. */
function written(cells: readonly CellWrite[]): void {
  const byTab = new Map<string, CellWrite[]>();
  for (const c of cells) byTab.set(c.tab, [...(byTab.get(c.tab) ?? []), c]);
  for (const [tab, list] of byTab)
    tabs.set(
      tab,
      patchRows(
        tabs.get(tab) ?? [],
        list.map((c) => ({ row: c.row, col: c.col, value: c.value, numFmt: undefined })),
      ),
    );
}

/** A sync's write: the tier cell of one customer in a hundred, as written back. */
function syncWrote(): void {
  const rows = tabs.get(T.CUSTOMERS.name)!;
  const col = T.CUSTOMERS.columns.findIndex((c) => c.key === 'tier');
  const patches = [];
  for (let i = 1; i < rows.length; i += 100)
    patches.push({ row: rows[i]!.row, col, value: rows[i]!.cells[col] ?? null, numFmt: undefined });
  tabs.set(T.CUSTOMERS.name, patchRows(rows, patches));
}

function save(formKey: string, body: Record<string, unknown>): { id: string; ms: number } {
  const form = formByKey(formKey)!;
  const t = process.cpuUsage();
  const input: WorkbookInput = { tabs: new Map(tabs), epoch };
  const guarded = checkSubmission(form, body, input, actor, people);
  if (!guarded.ok) throw new Error(guarded.message);
  const now = workbookNow(input, Date.now());
  const result = applySubmission(form.key, guarded.payload, input, { now, user: actor.name });
  if (!result.ok) throw new Error(result.message);
  const cells = [
    ...result.cells,
    ...appendAudit(input, [formAudit(form, result, input, actor.name, now)]),
  ];
  const used = process.cpuUsage(t);
  written(cells);
  return { id: result.id, ms: (used.user + used.system) / 1000 };
}

const times: Record<string, number[]> = { 新建客户: [], 记录跟进: [] };
const today = formatDate(dateOf(workbookNow({ tabs, epoch }, Date.now())));
for (let i = 0; i < rounds; i++) {
  syncWrote();
  const customer = save(
    'new-customer',
    newCustomerBody(
      `路由压测${process.pid}-${i}`,
      `139${String(process.pid % 10000).padStart(4, '0')}${String(i).padStart(4, '0')}`,
      today,
    ),
  );
  times['新建客户']!.push(customer.ms);
  syncWrote();
  const follow = save(
    'follow-up',
    followUpBody(customer.id, formatDateTime(workbookNow({ tabs, epoch }, Date.now())), '介绍方案'),
  );
  times['记录跟进']!.push(follow.ms);
}
for (const [form, ms] of Object.entries(times)) {
  const sorted = [...ms].sort((a, b) => a - b);
  console.log(
    `${form}: route CPU median ${sorted[(sorted.length - 1) >> 1]!.toFixed(0)} ms, ` +
      `worst ${sorted.at(-1)!.toFixed(0)} ms, first ${ms[0]!.toFixed(0)} ms over ${ms.length}`,
  );
}
