/**
 * The warm engine — a validation handed back when the changed rows parse as before,
 * results handed back with the open tickets' SLA状态 brought to the time, plans that
 * skip rows found equal before — plans exactly what the cold functions plan from the
 * same rows, over random sequences of forms, stray cell writes (config tabs included),
 * duplicate IDs, cleared rows and a clock that moves past SLA deadlines and midnight.
 * Each plan is applied to the rows as the warm store applies its write.
 */
import { rm } from 'node:fs/promises';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnKey } from '../../sheets-templates/types.ts';
import * as T from '../../sheets-templates/tabs.ts';
import { FOLLOW_UP_METHODS, URGENCIES } from '../../sheets-templates/values.ts';
import { dateOf, formatDate, secondsToSerial, type WallSeconds } from '../../shared/calendar.ts';
import type { CellValue } from '../../shared/cells.ts';
import { applySubmission } from '../../shared/forms/submit.ts';
import { formatId, maxSerials } from '../../shared/ids.ts';
import { tiersAsRead, type CellWrite, type SyncPlan } from '../../shared/sync/plan.ts';
import { COLD_ENGINE, WarmEngine, type SyncEngine } from '../../shared/sync/warmEngine.ts';
import type { SheetRow, WorkbookInput } from '../../shared/validate/index.ts';
import { editRows, patchRows } from '../../sync-server/local/warmWorkbook.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { NOW, sampleSeed } from '../helpers/warmOps.ts';

let dir: string;
let seedInput: WorkbookInput;

beforeAll(async () => {
  const made = await sampleSeed('crm-warm-engine-', 17);
  dir = made.dir;
  seedInput = (await new XlsxFileStore(made.seed, { backups: 0 }).read()).input;
}, 60_000);

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

type Step =
  | { kind: 'customer'; name: string; phone: number }
  | { kind: 'followUp'; customer: number; method: number; newest: boolean }
  | { kind: 'ticket'; customer: number; urgency: number }
  | { kind: 'cell'; tab: number; row: number; col: number; value: CellValue }
  | { kind: 'dupId'; tab: number; from: number; to: number }
  | { kind: 'clear'; tab: number; row: number }
  | { kind: 'clearLast'; tab: number }
  | { kind: 'blankId'; tab: number; row: number }
  | { kind: 'ref'; tab: number; row: number; customer: number; missing: boolean }
  | { kind: 'tick'; seconds: number }
  | { kind: 'edit'; customer: number; column: number; value: number }
  | { kind: 'order'; customer: number; amount: number; product: number }
  | { kind: 'close'; ticket: number; satisfaction: number }
  | { kind: 'plan'; customer: number; days: number }
  | { kind: 'visit'; customer: number }
  /** `settle`: then settles on the rows written, as the service does when idle after a sync */
  | { kind: 'sync'; settle?: boolean };

const DATA = [T.CUSTOMERS, T.FOLLOW_UPS, T.ORDERS, T.TICKETS, T.VISITS];
const CELL_TABS = [
  ...DATA.map((t) => t.name),
  T.SETTINGS_TAB.name,
  T.TIER_RULES.name,
  T.HOLIDAYS.name,
  T.TIER_STRATEGIES.name,
  T.METRIC_HISTORY.name,
];

/** 客户 columns an edit moves, each with the values it takes */
const EDITS: readonly [ColumnKey<typeof T.CUSTOMERS>, readonly CellValue[]][] = [
  ['region', ['华东', '华南', '西北', null]],
  ['owner', ['张伟', '李娜', '王芳', '']],
  ['status', ['正式', '潜在', '流失', '正式']],
  ['contractAmount', [500_000, 8_000_000, 20_000, null]],
];
const PRODUCTS = ['CRM标准版', 'CRM专业版', '实施服务', '培训'];

const value: fc.Arbitrary<CellValue> = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom(null, '', '高', '正式', '潜在', 'A', 0.5, 46000, 46000.75, -3),
  fc.integer({ min: -10, max: 100_000 }),
);

const steps: fc.Arbitrary<Step[]> = fc.array(
  fc.oneof(
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('customer' as const),
        name: fc.string({ minLength: 1, maxLength: 4 }),
        phone: fc.nat(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('followUp' as const),
        customer: fc.nat(),
        method: fc.nat({ max: FOLLOW_UP_METHODS.length - 1 }),
        newest: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('ticket' as const),
        customer: fc.nat(),
        urgency: fc.nat({ max: URGENCIES.length - 1 }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('cell' as const),
        tab: fc.nat(),
        row: fc.integer({ min: 1, max: 30 }),
        col: fc.integer({ min: 0, max: 25 }),
        value,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('dupId' as const),
        tab: fc.nat(),
        from: fc.integer({ min: 2, max: 30 }),
        to: fc.integer({ min: 2, max: 30 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('clear' as const),
        tab: fc.nat(),
        row: fc.integer({ min: 2, max: 30 }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('tick' as const),
        seconds: fc.oneof(
          fc.integer({ min: 1, max: 7200 }),
          fc.integer({ min: 3600, max: 40 * 3600 }),
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('clearLast' as const), tab: fc.nat() }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('blankId' as const),
        tab: fc.nat(),
        row: fc.integer({ min: 2, max: 30 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('ref' as const),
        tab: fc.nat(),
        row: fc.integer({ min: 2, max: 30 }),
        customer: fc.nat(),
        missing: fc.boolean(),
      }),
    },
    {
      // a customer moving tier, region, owner or status: the per-group figures move
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('edit' as const),
        customer: fc.nat(),
        column: fc.nat({ max: EDITS.length - 1 }),
        value: fc.nat({ max: 3 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('order' as const),
        customer: fc.nat(),
        amount: fc.integer({ min: 1, max: 2_000_000 }),
        product: fc.nat({ max: 3 }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('close' as const),
        ticket: fc.nat(),
        satisfaction: fc.integer({ min: 1, max: 5 }),
      }),
    },
    {
      // a 计划日期 moving a customer's callback before or past the others'
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant('plan' as const),
        customer: fc.nat(),
        days: fc.integer({ min: -20, max: 60 }),
      }),
    },
    {
      // a valid visit: its customer's tickets' 闭环状态 may move
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant('visit' as const), customer: fc.nat() }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ kind: fc.constant('sync' as const), settle: fc.boolean() }),
    },
  ),
  { minLength: 1, maxLength: 14 },
);

/** The rows as a warm store keeps them, the clock, and the warm engine under test. */
class World {
  tabs: Map<string, readonly SheetRow[]>;
  now: WallSeconds = NOW;
  readonly engine: WarmEngine;
  reused = { validation: 0, rules: 0, updated: 0, output: 0 };

  /** `runs`: list tabs are written as their row runs, as the local store writes them */
  constructor(
    input: WorkbookInput,
    options: { incrementalShare?: number } = {},
    private readonly runs = false,
  ) {
    this.tabs = new Map(input.tabs);
    this.engine = new WarmEngine(options);
  }

  /** The column of `header` in a tab's row 1, or -1. */
  column(tab: string, header: string): number {
    const first = this.tabs.get(tab)?.[0];
    return first?.row === 1 ? first.cells.indexOf(header) : -1;
  }

  clearRow(tab: string, row: SheetRow): void {
    this.write(
      row.cells.map((_, col) => ({ tab, row: row.row, col, value: null, rowId: '', column: '' })),
    );
  }

  input(): WorkbookInput {
    return { tabs: new Map(this.tabs), epoch: seedInput.epoch };
  }

  write(cells: readonly CellWrite[]): void {
    const byTab = new Map<string, { row: number; col: number; value: CellValue }[]>();
    for (const c of cells) {
      const list = byTab.get(c.tab) ?? [];
      list.push({ row: c.row, col: c.col, value: c.value });
      byTab.set(c.tab, list);
    }
    for (const [tab, patches] of byTab)
      this.tabs.set(tab, patchRows(this.tabs.get(tab) ?? [], patches));
  }

  ids(tab = T.CUSTOMERS.name): string[] {
    return (this.tabs.get(tab) ?? [])
      .filter((r) => r.row > 1 && typeof r.cells[0] === 'string')
      .map((r) => r.cells[0] as string);
  }

  submit(form: string, payload: Record<string, unknown>): void {
    this.submitted(form, payload);
  }

  /** the new or updated row's ID, when the form was accepted */
  submitted(form: string, payload: Record<string, unknown>): string | undefined {
    const result = applySubmission(form, payload, this.input(), { now: this.now, user: '张伟' });
    if (!result.ok) return undefined;
    this.write(result.cells);
    return result.id;
  }

  plan(engine: SyncEngine, input: WorkbookInput): [SyncPlan, unknown] {
    const validated = engine.validate(input, this.now);
    const rules = engine.rules(validated.dataset, this.now, {
      previousTiers: () => tiersAsRead(input, validated),
      dueCallbacks: true,
    });
    const { dataset, problems, ids } = validated;
    // Compared as Maps: the cold output's maps are read-only views, the warm engine's Maps.
    const plain = {
      ...rules,
      customers: new Map(rules.customers),
      tickets: new Map(rules.tickets),
    };
    return [engine.plan({ input, validated, rules }), { dataset, problems, ids, rules: plain }];
  }

  sync(): void {
    const input = this.input();
    const [warm, warmResults] = this.plan(this.engine, input);
    if (this.engine.lastValidationReused) this.reused.validation++;
    if (this.engine.lastRulesReused) this.reused.rules++;
    if (this.engine.lastValidationUpdated) this.reused.updated++;
    if (!this.engine.lastRulesReused && this.engine.lastOutputUpdated) this.reused.output++;
    const [cold, coldResults] = this.plan(COLD_ENGINE, input);
    expect(warmResults).toEqual(coldResults);
    expect(warm).toEqual(cold);
    const asRuns = new Set(this.runs ? (warm.rowEdits ?? []).map((t) => t.tab) : []);
    this.write([...warm.cells.filter((c) => !asRuns.has(c.tab)), ...warm.ids]);
    for (const t of warm.rowEdits ?? [])
      if (asRuns.has(t.tab)) this.tabs.set(t.tab, editRows(this.tabs.get(t.tab) ?? [], t));
    for (const t of warm.newTabs)
      this.tabs.set(
        t.tab.name,
        t.rows.map((cells, i) => ({ row: i + 1, cells })),
      );
  }

  apply(step: Step): void {
    const day = formatDate(dateOf(this.now));
    const ids = this.ids();
    const pick = (n: number): string => ids[n % Math.max(1, ids.length)] ?? 'P20260001';
    switch (step.kind) {
      case 'sync':
        this.sync();
        if (step.settle) this.engine.settle(this.input());
        return;
      case 'tick':
        this.now += step.seconds;
        return;
      case 'customer': {
        // A phone of the pool or of an existing customer: possible duplicates old and new.
        const col = this.column(T.CUSTOMERS.name, '联系电话');
        const rows = (this.tabs.get(T.CUSTOMERS.name) ?? []).filter((r) => r.row > 1);
        const existing = rows[step.phone % Math.max(1, rows.length)]?.cells[col];
        const phone =
          step.phone % 3 === 0 || typeof existing !== 'string' || col < 0
            ? ['13900001234', '13900005678'][step.phone % 2]
            : existing;
        return this.submit('new-customer', {
          kind: '个人',
          name: step.name,
          phone,
          industry: '教育',
          source: '官网咨询',
          status: '潜在',
          intent: 'A',
          owner: '张伟',
          createdDate: day,
        });
      }
      case 'followUp':
        return this.submit('follow-up', {
          customerId: step.newest ? (ids[ids.length - 1] ?? 'P20260001') : pick(step.customer),
          time: `${day} 08:00`,
          method: FOLLOW_UP_METHODS[step.method],
          content: '回访',
          by: '张伟',
        });
      case 'ticket':
        return this.submit('new-ticket', {
          requestType: '投诉',
          customerId: pick(step.customer),
          type: '产品质量',
          description: '坏了',
          urgency: URGENCIES[step.urgency],
          handler: '李娜',
        });
      case 'edit': {
        const [key, values] = EDITS[step.column]!;
        const rows = this.tabs.get(T.CUSTOMERS.name) ?? [];
        const col = rows[0]?.cells.indexOf(T.column(T.CUSTOMERS, key).header) ?? -1;
        const row = rows.filter((r) => r.row > 1)[step.customer % Math.max(1, rows.length - 1)];
        if (col < 0 || !row) return;
        const v = values[step.value]!;
        return this.write([
          { tab: T.CUSTOMERS.name, row: row.row, col, value: v, rowId: '', column: '' },
        ]);
      }
      case 'order':
        return this.submit('new-order', {
          customerId: pick(step.customer),
          product: PRODUCTS[step.product],
          quantity: 1,
          amount: step.amount / 100,
          paymentStatus: '已付款',
          orderDate: day,
        });
      case 'close': {
        const rows = (this.tabs.get(T.TICKETS.name) ?? []).filter((r) => r.row > 1);
        const row = rows[step.ticket % Math.max(1, rows.length)];
        const header = this.tabs.get(T.TICKETS.name)?.[0]?.cells ?? [];
        if (!row) return;
        const at = (key: ColumnKey<typeof T.TICKETS>): number =>
          header.indexOf(T.column(T.TICKETS, key).header);
        const cells: CellWrite[] = [
          [at('status'), '已关闭'],
          [at('resolvedAt'), secondsToSerial(this.now)],
          [at('satisfaction'), step.satisfaction],
        ]
          .filter(([col]) => (col as number) >= 0)
          .map(([col, value]) => ({
            tab: T.TICKETS.name,
            row: row.row,
            col: col as number,
            value: value as CellValue,
            rowId: '',
            column: '',
          }));
        return this.write(cells);
      }
      case 'plan':
        return this.submit('follow-up', {
          customerId: pick(step.customer),
          time: `${day} 09:00`,
          method: FOLLOW_UP_METHODS[0],
          content: '约定回访',
          by: '张伟',
          planDate: formatDate(dateOf(this.now) + step.days),
        });
      case 'visit': {
        const visitId = this.submitted('visit-record', {
          customerId: pick(step.customer),
          time: `${day} 09:00`,
          method: '电话',
          by: '张伟',
          outcome: '完成',
        });
        // 回访需审核: a visit counts once reviewed
        if (visitId) this.submit('review-visit', { visitId, reviewResult: '通过' });
        return;
      }
      case 'cell': {
        const tab = CELL_TABS[step.tab % CELL_TABS.length]!;
        if (!this.tabs.has(tab)) return;
        return this.write([
          { tab, row: step.row, col: step.col, value: step.value, rowId: '', column: '' },
        ]);
      }
      case 'dupId': {
        const tab = DATA[step.tab % DATA.length]!.name;
        const from = (this.tabs.get(tab) ?? []).find((r) => r.row === step.from)?.cells[0];
        if (from === undefined) return;
        return this.write([
          { tab, row: step.to, col: 0, value: from as CellValue, rowId: '', column: '' },
        ]);
      }
      case 'clearLast': {
        // The last row most often holds the largest serial its blank IDs count on from.
        const tab = DATA[step.tab % DATA.length]!.name;
        const rows = this.tabs.get(tab) ?? [];
        const last = rows[rows.length - 1];
        if (!last || last.row === 1) return;
        return this.clearRow(tab, last);
      }
      case 'blankId': {
        const tab = DATA[step.tab % DATA.length]!.name;
        if (!(this.tabs.get(tab) ?? []).some((r) => r.row === step.row)) return;
        return this.write([{ tab, row: step.row, col: 0, value: null, rowId: '', column: '' }]);
      }
      case 'ref': {
        // A child row naming a customer that exists, or one that does not (yet).
        const tab = DATA[1 + (step.tab % (DATA.length - 1))]!.name;
        const col = this.column(tab, '客户编号');
        if (col < 0) return;
        // the ID the next 新建客户 gets: missing now, there once a form adds it
        const next = (maxSerials(ids).get('P2026') ?? 0) + 1 + (step.customer % 2);
        const id = step.missing ? formatId('P', 2026, next) : pick(step.customer);
        return this.write([{ tab, row: step.row, col, value: id, rowId: '', column: '' }]);
      }
      case 'clear': {
        const tab = DATA[step.tab % DATA.length]!.name;
        const row = (this.tabs.get(tab) ?? []).find((r) => r.row === step.row);
        if (!row) return;
        return this.write(
          row.cells.map((_, col) => ({
            tab,
            row: step.row,
            col,
            value: null,
            rowId: '',
            column: '',
          })),
        );
      }
    }
  }
}

describe('warm engine', { timeout: 600_000 }, () => {
  it('plans what the cold functions plan, over random writes, syncs and a moving clock', () => {
    const total = { validation: 0, rules: 0, updated: 0, output: 0 };
    fc.assert(
      fc.property(steps, (list) => {
        const world = new World(seedInput);
        world.sync();
        for (const step of list) world.apply(step);
        world.now += 3600;
        world.sync();
        world.sync();
        total.validation += world.reused.validation;
        total.rules += world.reused.rules;
        total.updated += world.reused.updated;
        total.output += world.reused.output;
      }),
      { numRuns: 40 },
    );
    // the reuse paths were taken, not only the full ones
    expect(total.validation).toBeGreaterThan(0);
    expect(total.rules).toBeGreaterThan(0);
    expect(total.output).toBeGreaterThan(0);
  });

  it('plans what the cold functions plan when the list tabs are written as row runs, their moved rows keeping their cells', () => {
    fc.assert(
      fc.property(steps, (list) => {
        const world = new World(seedInput, {}, true);
        world.sync();
        for (const step of list) world.apply(step);
        world.now += 3600;
        world.sync();
        world.sync();
      }),
      { numRuns: 30 },
    );
  });

  it('brings the validation up to date from the changed rows exactly as the cold pass makes it: duplicate phones, IDs and references coming and going, cleared rows holding the largest serial', () => {
    let updated = 0;
    fc.assert(
      fc.property(steps, (list) => {
        const world = new World(seedInput, { incrementalShare: 1 });
        world.sync();
        for (const step of list) world.apply(step);
        world.now += 3600;
        world.sync();
        world.sync();
        updated += world.reused.updated;
      }),
      { numRuns: 60 },
    );
    expect(updated).toBeGreaterThan(20);
  });

  it('parses a tab in full again after an update took a row from it, though a sync in between handed back the validation', () => {
    const world = new World(seedInput, { incrementalShare: 1 });
    world.sync();
    const list: Step[] = [
      { kind: 'clearLast', tab: 0 },
      { kind: 'sync' },
      { kind: 'sync' },
      // 跟进记录's ID header cleared: the next sync validates in full
      { kind: 'cell', tab: 1, row: 1, col: 0, value: '' },
      { kind: 'customer', name: ' ', phone: 0 },
    ];
    for (const step of list) world.apply(step);
    world.now += 3600;
    world.sync();
    world.sync();
    expect(world.reused.updated).toBeGreaterThan(0);
  });

  it('hands back the last validation and results after a write to sync columns only, and stays exact through a missing ID header, a repeated ID and SLA limits passing', () => {
    const world = new World(seedInput);
    world.sync();
    world.sync();
    world.sync();
    expect(world.engine.lastValidationReused).toBe(true);
    expect(world.engine.lastRulesReused).toBe(true);
    // Without its ID header, 跟进记录's rows are given IDs each sync that cannot be written.
    world.write([{ tab: T.FOLLOW_UPS.name, row: 1, col: 0, value: '编号', rowId: '', column: '' }]);
    world.sync();
    world.sync();
    // A repeated 订单编号, then syncs that parse 订单 no more while other tabs change.
    world.apply({ kind: 'dupId', tab: 2, from: 2, to: 3 });
    world.sync();
    world.apply({ kind: 'customer', name: '新客户', phone: 0 });
    world.sync();
    world.apply({ kind: 'followUp', customer: 2, method: 0, newest: false });
    world.sync();
    world.apply({ kind: 'ticket', customer: 1, urgency: 0 });
    world.sync();
    expect(world.engine.lastValidationReused).toBe(false);
    // past the 高 ticket's response limit and then its resolution limit, within the day
    for (const hours of [1, 2, 4, 8, 12]) {
      world.now += hours * 3600;
      world.sync();
      world.sync();
    }
  });

  it('forgets its last plan once settled on rows the write replaced, and keeps it while the rows are those it was made for', () => {
    const world = new World(seedInput);
    // the first sync writes its results: its plan was made for rows since replaced
    world.sync();
    world.engine.settle(world.input());
    expect(world.engine.keepsPlan).toBe(false);
    // the next finds nothing to write: its plan is for the rows as they are
    world.sync();
    world.engine.settle(world.input());
    expect(world.engine.keepsPlan).toBe(true);
    world.apply({ kind: 'customer', name: '新客户', phone: 0 });
    world.engine.settle(world.input());
    expect(world.engine.keepsPlan).toBe(false);
    world.sync();
    world.sync();
    expect(world.engine.lastValidationReused).toBe(true);
  });

  it('updates the kept report tallies as a cold computation makes them: an owner who gains a customer and then has none', () => {
    const world = new World(seedInput);
    world.sync();
    const rows = world.tabs.get(T.CUSTOMERS.name) ?? [];
    const col = world.column(T.CUSTOMERS.name, T.column(T.CUSTOMERS, 'owner').header);
    const row = rows.find((r) => r.row === 6)!;
    let updated = 0;
    for (const owner of ['新来的负责人', row.cells[col] as CellValue, '新来的负责人', '张伟']) {
      world.write([
        { tab: T.CUSTOMERS.name, row: row.row, col, value: owner, rowId: '', column: '' },
      ]);
      world.apply({ kind: 'followUp', customer: 3, method: 0, newest: false });
      world.sync();
      if (world.engine.lastOutputUpdated) updated++;
    }
    expect(updated).toBe(4);
  });

  it('keeps the counted customers and orders of 销售分析 through new customers, one an order named before it existed, one signed after', () => {
    const world = new World(seedInput);
    world.sync();
    let updated = 0;
    const steps: Step[] = [
      { kind: 'followUp', customer: 3, method: 0, newest: false },
      { kind: 'sync' },
      { kind: 'customer', name: '甲', phone: 1 },
      { kind: 'followUp', customer: 0, method: 0, newest: true },
      { kind: 'sync' },
      // an order (订单 is DATA[2]) naming the ID the next 新建客户 gets
      { kind: 'ref', tab: 1, row: 3, customer: 0, missing: true },
      { kind: 'sync' },
      { kind: 'customer', name: '乙', phone: 0 },
      { kind: 'sync' },
      { kind: 'customer', name: '丙', phone: 3 },
      { kind: 'sync' },
    ];
    for (const step of steps) {
      world.apply(step);
      if (step.kind === 'sync' && world.engine.lastOutputUpdated) updated++;
    }
    // the newest customer signed: counted as before, now with a 客户价值 found by its place
    const signed = world.submitted('sign-contract', {
      customerId: world.ids().at(-1),
      signedDate: formatDate(dateOf(world.now)),
      contractAmount: 80_000,
    });
    expect(signed).toBeDefined();
    world.sync();
    if (world.engine.lastOutputUpdated) updated++;
    expect(updated).toBe(6);
  });

  it('updates the kept output after forms as a cold computation makes it: open tickets past their SLA limits, a customer whose callback moves, one who changes region and status', () => {
    const world = new World(seedInput);
    world.sync();
    world.apply({ kind: 'ticket', customer: 1, urgency: 0 });
    world.sync();
    let updated = 0;
    // each sync follows a form, so the output is updated, not handed back
    for (const hours of [1, 2, 4, 8, 12]) {
      world.now += hours * 3600;
      world.apply({ kind: 'followUp', customer: 3, method: 0, newest: false });
      world.sync();
      if (world.engine.lastOutputUpdated) updated++;
    }
    for (const days of [30, -5, 0]) {
      world.apply({ kind: 'plan', customer: 4, days });
      world.sync();
      if (world.engine.lastOutputUpdated) updated++;
    }
    world.apply({ kind: 'edit', customer: 5, column: 0, value: 2 });
    world.apply({ kind: 'edit', customer: 5, column: 2, value: 1 });
    world.sync();
    // the new ticket closed, then a valid visit to its customer closes the loop
    const tickets = (world.tabs.get(T.TICKETS.name) ?? []).length - 2;
    world.apply({ kind: 'close', ticket: tickets, satisfaction: 4 });
    world.sync();
    world.now += 3600;
    world.apply({ kind: 'visit', customer: 1 });
    world.sync();
    expect(world.engine.lastOutputUpdated).toBe(true);
    expect(updated).toBeGreaterThan(5);
  });
});
