/**
 * The validate phase of a warm sync at scale, case by case: a workbook read once, a cold
 * sync through a WarmEngine, then one change at a time to the kept rows — a new 客户 row,
 * a 跟进记录 row for it, a 新建工单 row, an edit of an existing customer's cell, a cleared
 * row, nothing — each followed by a whole sync (its plan applied to the kept rows as the
 * warm store applies its write) of which the validate phase is timed in CPU and wall ms.
 * With --check every warm validation is compared with a cold one of the same rows.
 * Prints one JSON line per case.
 *
 *   node --import tsx bench/warmValidate.ts COPY.xlsx [--check] [YYYY-MM-DDTHH:mm]
 */
import { isDeepStrictEqual } from 'node:util';
import * as T from '../sheets-templates/tabs.ts';
import { parseWallTime } from '../sync-server/cli/args.ts';
import { XlsxFileStore } from '../sync-server/local/xlsxStore.ts';
import { patchRows } from '../sync-server/local/warmWorkbook.ts';
import { applySubmission } from '../shared/forms/submit.ts';
import { WarmEngine } from '../shared/sync/warmEngine.ts';
import { tiersAsRead, type CellWrite, type SyncPlan } from '../shared/sync/plan.ts';
import { dateOf, formatDate, type WallSeconds } from '../shared/calendar.ts';
import { validateWorkbook, type SheetRow, type WorkbookInput } from '../shared/validate/index.ts';
import type { CellPatch } from '../sync-server/xlsx/patcher.ts';
import { followUpBody, newCustomerBody } from './formBodies.ts';

const args = process.argv.slice(2);
const check = args.includes('--check');
const [file, nowText] = args.filter((a) => a !== '--check');
if (!file) throw new Error('usage: warmValidate.ts <file.xlsx> [--check] [YYYY-MM-DDTHH:mm]');

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const store = new XlsxFileStore(file, { backups: 0, warm: true });
const read = (await store.read()).input;
const tabs = new Map(read.tabs);
const epoch = read.epoch;
const input = (): WorkbookInput => ({ tabs: new Map(tabs), epoch });
const timeZone = 'Asia/Shanghai';
const now: WallSeconds = nowText
  ? parseWallTime(nowText, timeZone)!
  : parseWallTime(new Date().toISOString().slice(0, 16), 'UTC')!;

function write(cells: readonly { tab: string; row: number; col: number; value: unknown }[]): void {
  const byTab = new Map<string, CellPatch[]>();
  for (const c of cells) {
    let list = byTab.get(c.tab);
    if (!list) byTab.set(c.tab, (list = []));
    list.push({ row: c.row, col: c.col, value: c.value as CellPatch['value'] });
  }
  for (const [tab, patches] of byTab) tabs.set(tab, patchRows(tabs.get(tab) ?? [], patches));
}

function applyPlan(plan: SyncPlan): void {
  write([...plan.cells, ...plan.ids] as CellWrite[]);
  for (const t of plan.newTabs)
    tabs.set(
      t.tab.name,
      t.rows.map((cells, i) => ({ row: i + 1, cells }) as SheetRow),
    );
}

const engine = new WarmEngine();

function sync(label: string): void {
  const rows = input();
  const c = cpuMs();
  const w = performance.now();
  const validated = engine.validate(rows, now, { timeZone });
  const validate = { cpuMs: Math.round(cpuMs() - c), wallMs: Math.round(performance.now() - w) };
  let same: boolean | undefined;
  if (check) {
    const cold = validateWorkbook(rows, now, { timeZone });
    same = isDeepStrictEqual(
      [cold.dataset, cold.problems, cold.ids],
      [validated.dataset, validated.problems, validated.ids],
    );
  }
  const rules = engine.rules(validated.dataset, now, {
    previousTiers: () => tiersAsRead(rows, validated),
    dueCallbacks: true,
  });
  applyPlan(engine.plan({ input: rows, validated, rules }));
  process.stdout.write(
    JSON.stringify({ label, validate, reused: engine.lastValidationReused, same }) + '\n',
  );
}

function submit(form: string, payload: Record<string, unknown>): string {
  const result = applySubmission(form, payload, input(), { now, user: '张伟' });
  if (!result.ok) throw new Error(`form refused: ${JSON.stringify(result)}`);
  write(result.cells);
  return result.id;
}

const day = formatDate(dateOf(now));
sync('cold');
sync('after cold write');
for (let i = 0; i < 2; i++) {
  const id = submit('new-customer', newCustomerBody(`测试客户${i}`, `1390000${1000 + i}`, day));
  sync(`(i) new customer ${i + 1}`);
  submit('follow-up', followUpBody(id, `${day} 09:30`));
  sync(`(ii) follow-up ${i + 1}`);
  submit('new-ticket', {
    requestType: '投诉',
    customerId: id,
    type: '产品质量',
    description: '坏了',
    urgency: '高',
    handler: '李娜',
  });
  sync(`(iii) ticket ${i + 1}`);
  const customers = tabs.get(T.CUSTOMERS.name)!;
  const contact = customers[0]!.cells.indexOf('联系人');
  write([{ tab: T.CUSTOMERS.name, row: customers[10 + i]!.row, col: contact, value: `改${i}` }]);
  sync(`(iv) cell edit ${i + 1}`);
  const follow = tabs.get(T.FOLLOW_UPS.name)!;
  const cleared = follow[100 + i]!;
  write(
    cleared.cells.map((_, col) => ({ tab: T.FOLLOW_UPS.name, row: cleared.row, col, value: null })),
  );
  sync(`(v) cleared row ${i + 1}`);
  sync(`(vi) no change ${i + 1}`);
}
