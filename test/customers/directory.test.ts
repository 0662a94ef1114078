/**
 * The pure parts of the customer pages: search folding, the directory built from a
 * sync's results, the health breakdown, the tier rows that held, and the callback
 * candidates — checked against what the sync itself computed.
 */
import { describe, expect, it } from 'vitest';
import { daysFromCivil, formatDate, startOfDay } from '../../shared/calendar.ts';
import { CustomerViewer } from '../../shared/customer360/access.ts';
import { soleOperator } from '../../shared/users.ts';
import { buildDirectory } from '../../shared/customer360/directory.ts';
import { healthBreakdown } from '../../shared/customer360/health.ts';
import { foldQuery, searchDirectory } from '../../shared/customer360/search.ts';
import { customer360, customerList } from '../../shared/customer360/view.ts';
import { computeRules } from '../../shared/rules/index.ts';
import { ZERO_METRICS } from '../../shared/rules/metrics.ts';
import { defaultSettings } from '../../shared/settings.ts';
import { validateWorkbook } from '../../shared/validate/index.ts';
import { sampleInput } from '../../sync-server/workbook/sample/input.ts';

const now = startOfDay(daysFromCivil(2026, 11, 20)) + 10 * 3600;
const validated = validateWorkbook(sampleInput({ customers: 300, now, seed: 3 }), now);
const rules = computeRules(validated.dataset, now);
const dir = buildDirectory(validated, rules, now);
const access = new CustomerViewer(soleOperator('李明'));

describe('customer search', () => {
  it('folds width, brackets and the company-form suffix, and takes 4+ phone digits', () => {
    expect(foldQuery('  ')).toBeNull();
    expect(foldQuery('１３８')!.digits).toBeNull();
    expect(foldQuery('138-0013')!.digits).toBe('1380013');
    expect(foldQuery('杭州云帆科技（有限责任公司）')!.texts).toContain('杭州云帆科技');
  });

  it('finds every customer by its ID, its folded name and the last 4 digits of its phone', () => {
    for (const e of dir.entries.slice(0, 40)) {
      const name = String(e.values.name);
      const ids = (q: string) => searchDirectory(dir, { q, limit: 500 }).entries.map((x) => x.id);
      expect(searchDirectory(dir, { q: e.id.toLowerCase() }).entries[0]!.id).toBe(e.id);
      expect(
        ids(
          name
            .replace(/有限公司$/, ' (有限公司)')
            .replace(/[A-Za-z0-9]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
        ),
      ).toContain(e.id);
      if (e.digits.length >= 4) expect(ids(e.digits.slice(-4))).toContain(e.id);
    }
  });

  it('filters by 负责人, 客户分层, 健康等级, 区域 and 客户状态 together, counting all matches', () => {
    const e = dir.entries.find((x) => x.healthLevel && x.region)!;
    const filters = {
      owner: e.owner,
      tier: e.tier,
      healthLevel: e.healthLevel,
      region: e.region,
      status: e.status,
    };
    const found = searchDirectory(dir, { filters, limit: 2 });
    const expected = dir.entries.filter((x) =>
      Object.entries(filters).every(([k, v]) => x[k as keyof typeof filters] === v),
    );
    expect(found.total).toBe(expected.length);
    expect(found.entries).toEqual(expected.slice(0, 2));
    const view = customerList(dir, { filters: { status: '流失' } }, access);
    expect(view.rows.every((r) => r.status === '流失' && r.healthLevel === '')).toBe(true);
    expect(view.facets.status).toEqual(['流失', '潜在', '正式']);
  });
});

describe('customer page', () => {
  it('matches the sync: tier, health, churn and next callback of every customer', () => {
    for (const e of dir.entries) {
      const v = customer360(dir, e.id, access)!;
      const r = rules.customers.get(e.id)!;
      expect(v.tier?.tier).toBe(r.tier);
      expect(v.health.score).toBe(r.healthScore);
      expect(v.churn.map((c) => c.reason).join('；')).toBe(r.churnWarning);
      const next = v.callbacks.next;
      expect(next && `${next.date} ${next.kind}`).toBe(
        r.nextCallbackDate === null
          ? null
          : `${formatDate(r.nextCallbackDate)} ${r.nextCallbackKind}`,
      );
      if (next) expect(v.callbacks.candidates.filter((c) => c.chosen)).toHaveLength(1);
      if (v.tier && !v.tier.isDefault)
        expect(v.tier.checks.filter((c) => c.tier === r.tier).every((c) => c.held)).toBe(true);
      if (v.health.breakdown && r.healthScore !== null)
        expect(Math.abs(v.health.breakdown.weighted! - r.healthScore)).toBeLessThanOrEqual(0.5);
    }
  });

  it('shows every order, follow-up, ticket and visit of the customer, newest first', () => {
    const e = dir.entries.find((x) => (dir.rows.get(x.id)?.orders.length ?? 0) > 1)!;
    const rows = dir.rows.get(e.id)!;
    const v = customer360(dir, e.id, access)!;
    expect(v.timeline).toHaveLength(
      rows.parsed.orders.length +
        rows.parsed.followUps.length +
        rows.parsed.tickets.length +
        rows.parsed.visits.length,
    );
    const order = rows.orders[0]!;
    expect(v.timeline.find((t) => t.id === order.id)).toMatchObject({
      kind: '订单',
      at: formatDate(order.date),
    });
    const times = v.timeline.map((t) => t.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(customer360(dir, 'E19990001', access)).toBeNull();
  });
});

describe('health breakdown', () => {
  it('gives the sub-scores of docs/rules.md#health-score with what made them', () => {
    const b = healthBreakdown(
      {
        ...ZERO_METRICS,
        interactions3m: 4,
        orders6m: 2,
        complaints6m: 1,
        onTimeRate12m: { num: 3, den: 3 },
      },
      defaultSettings(),
    );
    expect(b.parts.map((p) => [p.key, p.score, p.weight])).toEqual([
      ['A', 66.67, 30],
      ['R', 66.67, 30],
      ['S', 100, 20],
      ['C', 75, 20],
    ]);
    expect(b.parts[0]!.basis).toBe('近3月互动 4 次 ÷ 满分 6 次');
    expect(b.weighted).toBe(75);
  });

  it('tells one order paid on time (1/1) from no order due at all', () => {
    const s = defaultSettings();
    const basis = (m: typeof ZERO_METRICS) => healthBreakdown(m, s).parts[2]!.basis;
    expect(basis(ZERO_METRICS)).toBe('近12月没有到期的订单，按 100 计');
    expect(basis({ ...ZERO_METRICS, onTimeRate12m: { num: 1, den: 1 } })).toBe(
      '近12月按时付款 1 单 ÷（按时 + 逾期）1 单',
    );
  });
});
