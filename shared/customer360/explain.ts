/**
 * Why a customer is where it is: which 分层规则 rows held (docs/rules.md#tiers), what
 * each 流失预警 reason rests on, and every 下次回访 candidate with the one that won
 * (docs/rules.md#next-callback). Computed for one customer on request, with the rule
 * functions the sync uses.
 */
import type { EpochDay, WallSeconds } from '../calendar.ts';
import { cellText } from '../cells.ts';
import type { CallbackKind, Customer, Dataset, Settings } from '../model.ts';
import { CHURN_SEPARATOR } from '../rules/churn.ts';
import { callbackReason, nextCallback, type CallbackPlanRow } from '../rules/callbacks.ts';
import {
  factsAt,
  gatherFacts,
  metricsAt,
  type CustomerFacts,
  type CustomerMetrics,
} from '../rules/metrics.ts';
import type { CareFacts } from '../rules/careCallbacks.ts';
import { rulesContext } from '../rules/context.ts';
import type { CustomerResult } from '../rules/customers.ts';
import { NEW_CUSTOMER_LEVEL } from '../rules/newCustomers.ts';
import { IdIndex } from '../rules/idIndex.ts';
import { compileRow, compileTierRules, type TierSubject } from '../rules/tiers.ts';
import type { CustomerDirectory, CustomerRows } from './directory.ts';

export interface TierRowCheck {
  /** row number in 分层规则 */
  row: number;
  tier: string;
  condition: string;
  /** the customer's value of the metric, as shown */
  actual: string;
  held: boolean;
}

export interface TierExplanation {
  tier: string | null;
  /** false when 分层规则 has an error: the column was left as it was */
  rulesValid: boolean;
  /** the rows of every tier tried, in priority order, up to the one that matched */
  checks: TierRowCheck[];
  /** true when no tier matched and the 默认分层 applied */
  isDefault: boolean;
  defaultTier: string;
}

const yuan = (fen: number): string =>
  (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function metricValue(metric: string, s: TierSubject): string {
  const m = s.metrics;
  const c = s.customer;
  switch (metric) {
    case '近12月金额':
      return yuan(m.amount12m);
    case '近12月合作次数':
      return String(m.orders12m);
    case '近6月合作次数':
      return String(m.orders6m);
    case '近6月投诉次数':
      return String(m.complaints6m);
    case '近3月互动次数':
      return String(m.interactions3m);
    case '健康度':
      return s.healthScore === null ? '（空）' : String(s.healthScore);
    case '满意度':
      return m.satisfaction === null
        ? '（空）'
        : (m.satisfaction.num / m.satisfaction.den).toFixed(1);
    case '客户类型':
      return c.kind;
    case '客户等级':
      return c.level || '普通客户';
    case '客户状态':
      return c.status;
    case '意向等级':
      return c.intent ?? '（空）';
    case '所属行业':
      return c.industry;
    case '客户来源':
      return c.source;
    case '区域':
      return c.region ?? '（空）';
    default:
      return '';
  }
}

export function explainTier(
  subject: TierSubject,
  dir: Pick<CustomerDirectory, 'tierRules' | 'settings' | 'tiersValid'>,
  tier: string | null,
): TierExplanation {
  const defaultTier = dir.settings.defaultTier;
  const compiled = compileTierRules(dir.tierRules);
  if (!compiled.ok) return { tier, rulesValid: false, checks: [], isDefault: false, defaultTier };
  const byTier = new Map<string, TierRowCheck[]>();
  for (const r of [...dir.tierRules].sort((a, b) => a.row - b.row)) {
    const one = compileRow(r, []);
    if (!one.condition) continue;
    const metric = cellText(r.metric).trim();
    const check: TierRowCheck = {
      row: r.row,
      tier: one.tier,
      condition: `${metric} ${cellText(r.operator).trim()} ${cellText(r.threshold).trim()}`,
      actual: metricValue(metric, subject),
      held: one.condition(subject),
    };
    const list = byTier.get(one.tier);
    if (list) list.push(check);
    else byTier.set(one.tier, [check]);
  }
  const checks: TierRowCheck[] = [];
  for (const t of compiled.tiers) {
    const rows = byTier.get(t.name) ?? [];
    checks.push(...rows);
    if (rows.every((c) => c.held))
      return { tier, rulesValid: true, checks, isDefault: false, defaultTier };
  }
  return { tier, rulesValid: true, checks, isDefault: true, defaultTier };
}

export interface ChurnReason {
  reason: string;
  basis: string;
}

/** The sync's 流失预警 reasons, each with the figures behind it. */
export function explainChurn(
  warning: string,
  m: CustomerMetrics,
  healthScore: number | null,
  s: Settings,
): ChurnReason[] {
  if (!warning) return [];
  return warning.split(CHURN_SEPARATOR).map((reason) => {
    switch (reason) {
      case '购买频次下降':
        return {
          reason,
          basis: `近3月 ${m.ordersLast3m} 单，前3月 ${m.ordersPrev3m} 单（减少 ${s.purchaseDropPercent}% 或更多即预警）`,
        };
      case '满意度低':
        return {
          reason,
          basis: `满意度 ${m.satisfaction ? (m.satisfaction.num / m.satisfaction.den).toFixed(1) : '—'} 低于警戒线 ${s.satisfactionAlertLine}`,
        };
      case '健康度风险':
        return {
          reason,
          basis: `健康度 ${healthScore ?? '—'} 低于亚健康阈值 ${s.subHealthyThreshold}`,
        };
      default:
        return { reason, basis: '' };
    }
  });
}

/** A candidate of docs/rules.md#next-callback, already moved to its working day, with its 原因. */
export interface CallbackCandidate {
  kind: CallbackKind;
  date: EpochDay;
  reason: string;
}

export interface CallbackOutlook {
  /** the 回访计划 row of this customer, null when none (流失, or no candidate) */
  next: CallbackPlanRow | null;
  /** every candidate, earliest first */
  candidates: CallbackCandidate[];
}

/** Every 下次回访 candidate of one customer, from its own rows only (the rules are per customer). */
export function callbackOutlook(
  customer: Customer,
  rows: CustomerRows | undefined,
  result: Pick<CustomerResult, 'churnWarning' | 'healthLevel' | 'tier'>,
  dir: Pick<CustomerDirectory, 'settings' | 'holidays' | 'tierRules' | 'config' | 'latestSurveys'>,
  now: WallSeconds,
): CallbackOutlook {
  const churnWarning = result.churnWarning;
  const dataset: Dataset = {
    customers: [customer],
    orders: rows?.orders ?? [],
    followUps: rows?.followUps ?? [],
    tickets: rows?.tickets ?? [],
    visits: rows?.visits ?? [],
    holidays: dir.holidays,
    tierRules: dir.tierRules,
    settings: dir.settings,
    // The customer's latest 体验问卷 is known already (care below), so its rows are not needed.
    experienceSurveys: [],
    ...dir.config,
  };
  const context = rulesContext(dataset, now);
  const gathered = gatherFacts(
    dataset,
    new IdIndex([customer.id], true),
    1,
    context.windows,
    dir.settings,
  );
  const metrics = metricsAt(gathered, 0);
  const facts = factsAt(gathered, 0, metrics, {} as CustomerFacts);
  const candidates: CallbackCandidate[] = [];
  const care: CareFacts = {
    isNew: result.healthLevel === NEW_CUSTOMER_LEVEL,
    healthLevel: result.healthLevel,
    latestSurvey: dir.latestSurveys.get(customer.id) ?? null,
    strategyMonths: result.tier === null ? null : (context.strategyMonths.get(result.tier) ?? null),
  };
  const next = nextCallback(customer, facts, churnWarning, context, care, (kind, date) =>
    candidates.push({
      kind,
      date,
      reason: callbackReason(kind, customer, facts, churnWarning, context, care),
    }),
  );
  candidates.sort((a, b) => a.date - b.date);
  return { next, candidates };
}
