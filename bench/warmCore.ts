/**
 * The warm sync's own work at scale, in one process: a workbook read once, then a cold
 * validate + compute + plan through a WarmEngine, then form-like changes to the kept
 * rows (a new 客户 row, a 跟进记录 row for it, a 新建工单 row, an edit of one customer's
 * cell, the clock moving past an open ticket's SLA limit) and
 * syncs with nothing changed, each timed phase by phase in CPU and wall milliseconds.
 * Each plan is applied to the kept rows as the warm store applies its write, so every
 * sync sees the rows the one before it left, and the engine then settles on them, as the
 * service does when idle after a sync (timed apart as `settle`). Prints one JSON line. With
 * WARM_PROFILE=<file.cpuprofile>, the form syncs and the syncs after their writes are
 * recorded by the CPU profiler into that file.
 *
 *   node --import tsx bench/warmCore.ts COPY.xlsx [YYYY-MM-DDTHH:mm]
 */
import * as T from '../sheets-templates/tabs.ts';
import { parseWallTime } from '../sync-server/cli/args.ts';
import { XlsxFileStore } from '../sync-server/local/xlsxStore.ts';
import { editRows, patchRows } from '../sync-server/local/warmWorkbook.ts';
import { applySubmission } from '../shared/forms/submit.ts';
import { planAudit } from '../shared/audit.ts';
import { WarmEngine } from '../shared/sync/warmEngine.ts';
import { tiersAsRead, type CellWrite, type SyncPlan } from '../shared/sync/plan.ts';
import { dateOf, formatDate, type WallSeconds } from '../shared/calendar.ts';
import type { SheetRow, WorkbookInput } from '../shared/validate/index.ts';
import type { CellPatch } from '../sync-server/xlsx/patcher.ts';
import { followUpBody, newCustomerBody } from './formBodies.ts';
import { profileIfAsked } from './cpuProfile.ts';

const [file, nowText] = process.argv.slice(2);
if (!file) throw new Error('usage: warmCore.ts <file.xlsx> [YYYY-MM-DDTHH:mm]');

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Phase {
  cpuMs: number;
  wallMs: number;
}

function timed<R>(fn: () => R): [R, Phase] {
  const c = cpuMs();
  const w = performance.now();
  const r = fn();
  return [r, { cpuMs: Math.round(cpuMs() - c), wallMs: Math.round(performance.now() - w) }];
}

const store = new XlsxFileStore(file, { backups: 0, warm: true });
const readStart = performance.now();
const tabs = new Map((await store.read()).input.tabs);
const epoch = (await store.read()).input.epoch;
const readMs = Math.round(performance.now() - readStart);
const input = (): WorkbookInput => ({ tabs: new Map(tabs), epoch });

const timeZone = 'Asia/Shanghai';
let now: WallSeconds = nowText
  ? parseWallTime(nowText, timeZone)!
  : parseWallTime(new Date().toISOString().slice(0, 16), 'UTC')!;

/** The plan applied to the kept rows, as the warm store applies what it wrote. */
function applyPlan(plan: SyncPlan): void {
  const byTab = new Map<string, CellPatch[]>();
  const add = (c: CellWrite): void => {
    let list = byTab.get(c.tab);
    if (!list) byTab.set(c.tab, (list = []));
    list.push({ row: c.row, col: c.col, value: c.value });
  };
  // A list tab's change goes as its row runs, as the local store writes it.
  const asRuns = new Set((plan.rowEdits ?? []).map((t) => t.tab));
  for (const c of plan.cells) if (!asRuns.has(c.tab)) add(c);
  for (const c of plan.ids) add(c);
  for (const t of plan.rowEdits ?? []) tabs.set(t.tab, editRows(tabs.get(t.tab) ?? [], t));
  if (plan.logEntry)
    plan.logEntry.values.forEach((value, col) =>
      add({ tab: T.SYNC_LOG.name, row: plan.logEntry!.row, col, value, rowId: '', column: '' }),
    );
  for (const [tab, patches] of byTab) tabs.set(tab, patchRows(tabs.get(tab) ?? [], patches));
  for (const t of plan.newTabs)
    tabs.set(
      t.tab.name,
      t.rows.map((cells, i) => ({ row: i + 1, cells }) as SheetRow),
    );
}

const engine = new WarmEngine();

function sync(label: string): Record<string, unknown> {
  const rows = input();
  const [validated, validate] = timed(() => engine.validate(rows, now, { timeZone }));
  const [rules, compute] = timed(() =>
    engine.rules(validated.dataset, now, {
      previousTiers: () => tiersAsRead(rows, validated),
      dueCallbacks: true,
    }),
  );
  const [plan, planPhase] = timed(() => {
    const p = engine.plan({ input: rows, validated, rules });
    planAudit(p, rows.tabs.get(T.AUDIT_LOG.name), validated.dataset.settings.auditKeepRows);
    return p;
  });
  // the 同步日志 row, as runSync adds it
  const log = tabs.get(T.SYNC_LOG.name) ?? [];
  const last = log.reduce((m, r) => Math.max(m, r.row), 1);
  plan.logEntry = { row: last + 1, values: [now / 86_400, '表单', plan.rowsRead] };
  applyPlan(plan);
  // As the service does when idle after each sync (not counted in totalCpuMs).
  const [, settle] = timed(() => engine.settle(input()));
  return {
    label,
    validate,
    compute,
    plan: planPhase,
    settle,
    totalCpuMs: validate.cpuMs + compute.cpuMs + planPhase.cpuMs,
    computed: engine.lastComputed,
    outputUpdated: engine.lastOutputUpdated,
    cellsPlanned: plan.cells.length + plan.ids.length,
  };
}

/** A form's cells, as the form route writes them, applied to the kept rows. */
function submit(form: string, payload: Record<string, unknown>): string {
  const result = applySubmission(form, payload, input(), { now, user: '张伟' });
  if (!result.ok) throw new Error(`form refused: ${JSON.stringify(result)}`);
  const byTab = new Map<string, CellPatch[]>();
  for (const c of result.cells) {
    let list = byTab.get(c.tab);
    if (!list) byTab.set(c.tab, (list = []));
    list.push({ row: c.row, col: c.col, value: c.value });
  }
  for (const [tab, patches] of byTab) tabs.set(tab, patchRows(tabs.get(tab) ?? [], patches));
  return result.id;
}

const results: Record<string, unknown>[] = [];
results.push(sync('cold'));
results.push(sync('after cold write'));
results.push(sync('no change'));
const day = formatDate(dateOf(now));
const stopProfile = await profileIfAsked();
for (let i = 0; i < 3; i++) {
  const id = submit(
    'new-customer',
    newCustomerBody(`测试客户${i}`, `1390000${String(1000 + i)}`, day),
  );
  submit('follow-up', followUpBody(id, `${day} 09:30`));
  results.push(sync(`form ${i + 1}`));
  results.push(sync(`after form ${i + 1} write`));
}
await stopProfile();
// a 新建工单 row for the last new customer, then the clock past its 高 response limit
const lastCustomer = tabs.get(T.CUSTOMERS.name)!.at(-1)!.cells[0] as string;
submit('new-ticket', {
  requestType: '投诉',
  customerId: lastCustomer,
  type: '产品质量',
  description: '无法登录',
  urgency: '高',
  handler: '李娜',
});
results.push(sync('ticket form'));
results.push(sync('after ticket form write'));
now += 2 * 3600;
submit('follow-up', followUpBody(lastCustomer, `${day} 12:00`, '跟进工单'));
results.push(sync('form past an SLA limit'));
// an edit of one customer's cell (联系人 of the tenth customer)
const customers = tabs.get(T.CUSTOMERS.name)!;
const contactCol = customers[0]!.cells.indexOf('联系人');
tabs.set(
  T.CUSTOMERS.name,
  patchRows(customers, [{ row: customers[10]!.row, col: contactCol, value: '改过的联系人' }]),
);
results.push(sync('cell edit'));
results.push(sync('no change 2'));
now += 3 * 3600;
results.push(sync('three hours later'));
now += 86_400;
results.push(sync('next day'));
results.push(sync('no change next day'));

// Still one JSON document, with a line per sync so that the bench's log stays short.
const lines = results.map((r) => JSON.stringify(r)).join(',\n');
process.stdout.write(
  `{"file":${JSON.stringify(file)},"readMs":${readMs},"results":[\n${lines}\n]}\n`,
);
