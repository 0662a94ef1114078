/**
 * 客户分层 (docs/rules.md#tiers). The 分层规则 rows arrive as typed cells; every row is
 * checked, and one bad row makes the whole rule set unusable, because a typo must never
 * re-tier every customer.
 */
import {
  ACCOUNT_LEVELS,
  CUSTOMER_KINDS,
  CUSTOMER_SOURCES,
  CUSTOMER_STATUSES,
  INTENT_GRADES,
  TIER_METRICS,
  TIER_OPERATOR_ALIASES,
  TIER_OPERATORS,
} from '../../sheets-templates/values.ts';
import { TIER_RULES } from '../../sheets-templates/tabs.ts';
import { cellText, isBlank, parseMoney, parseNumber, splitList } from '../cells.ts';
import type { Customer, Problem, RawTierRule } from '../model.ts';
import type { CustomerMetrics, Ratio } from './metrics.ts';
import { cmpFast, fast, fromNumber, q, type FastQ, type Q } from './rational.ts';

export type TierMetric = (typeof TIER_METRICS)[number];
export type TierOperator = (typeof TIER_OPERATORS)[number];

/** What a condition looks at for one customer. */
export interface TierSubject {
  customer: Customer;
  metrics: CustomerMetrics;
  /** the rounded 健康度, null unless 正式 */
  healthScore: number | null;
}

type NumberMetric =
  | '近12月金额'
  | '近12月合作次数'
  | '近6月合作次数'
  | '近6月投诉次数'
  | '近3月互动次数'
  | '健康度'
  | '满意度';
type TextMetric = Exclude<TierMetric, NumberMetric>;

/** Writes a whole number into `out` as n / 1; true, as the metric has a value. */
const whole = (out: Ratio, n: number): boolean => {
  out.num = n;
  out.den = 1;
  return true;
};

/**
 * Number metrics as exact ratios, written into `out` (one scratch ratio serves every
 * condition, which runs to completion before the next); false when the metric is blank.
 * 近12月金额 is in fen so that thresholds compare as money.
 */
const NUMBER_METRICS: Readonly<Record<NumberMetric, (s: TierSubject, out: Ratio) => boolean>> = {
  近12月金额: (s, out) => whole(out, s.metrics.amount12m),
  近12月合作次数: (s, out) => whole(out, s.metrics.orders12m),
  近6月合作次数: (s, out) => whole(out, s.metrics.orders6m),
  近6月投诉次数: (s, out) => whole(out, s.metrics.complaints6m),
  近3月互动次数: (s, out) => whole(out, s.metrics.interactions3m),
  健康度: (s, out) => s.healthScore !== null && whole(out, s.healthScore),
  满意度: (s, out) => {
    const r = s.metrics.satisfaction;
    if (r === null) return false;
    out.num = r.num;
    out.den = r.den;
    return true;
  },
};
const value: Ratio = { num: 0, den: 1 };

const TEXT_METRICS: Readonly<Record<TextMetric, (c: Customer) => string | null>> = {
  客户类型: (c) => c.kind,
  // docs/rules.md#tiers: a blank 客户等级 is 普通客户 for conditions (model.ts reads it so already)
  客户等级: (c) => c.level || '普通客户',
  客户状态: (c) => c.status,
  意向等级: (c) => c.intent,
  所属行业: (c) => c.industry,
  客户来源: (c) => c.source,
  区域: (c) => c.region,
};

/** Fixed value lists: a threshold outside them can never match, which is worth a warning. */
const TEXT_VALUES: Partial<Readonly<Record<TextMetric, readonly string[]>>> = {
  客户类型: CUSTOMER_KINDS,
  客户等级: ACCOUNT_LEVELS,
  客户状态: CUSTOMER_STATUSES,
  意向等级: INTENT_GRADES,
  客户来源: CUSTOMER_SOURCES,
};

const isNumberMetric = (m: TierMetric): m is NumberMetric => m in NUMBER_METRICS;
const ORDER_OPERATORS: ReadonlySet<string> = new Set(['>=', '>', '<=', '<']);

export interface Tier {
  name: string;
  /** the smallest 优先级 among its rows */
  priority: number;
  /** the row number of its first row in the tab, which breaks priority ties */
  firstRow: number;
  conditions: Array<(s: TierSubject) => boolean>;
}

export type TierRules =
  | { ok: true; tiers: Tier[]; warnings: Problem[] }
  | { ok: false; problems: Problem[]; warnings: Problem[] };

interface Issue {
  column: string;
  value: string;
  message: string;
}

const HEADER = {
  priority: TIER_RULES.columns[0]!.header,
  tier: TIER_RULES.columns[1]!.header,
  metric: TIER_RULES.columns[2]!.header,
  operator: TIER_RULES.columns[3]!.header,
  threshold: TIER_RULES.columns[4]!.header,
};

const OPERATOR_LIST = '>=、>、<=、<、=、!=（也可写 ≥ ≤ ≠）、包含 或 属于';

function readOperator(raw: unknown): TierOperator | null {
  // NFKC folds full-width ＞＝ and ！＝ into their ASCII forms.
  const text = cellText(raw).normalize('NFKC').replace(/\s+/g, '');
  if ((TIER_OPERATORS as readonly string[]).includes(text)) return text as TierOperator;
  return TIER_OPERATOR_ALIASES[text] ?? null;
}

const TEST: Readonly<Record<'>=' | '>' | '<=' | '<' | '=' | '!=', (c: number) => boolean>> = {
  '>=': (c) => c >= 0,
  '>': (c) => c > 0,
  '<=': (c) => c <= 0,
  '<': (c) => c < 0,
  '=': (c) => c === 0,
  '!=': (c) => c !== 0,
};

interface ParsedThreshold {
  value: Q | null;
  issue: string | null;
}

function readNumberThreshold(metric: NumberMetric, raw: unknown): ParsedThreshold {
  if (metric === '近12月金额') {
    const money = parseMoney(raw);
    return money.ok
      ? { value: q(money.value), issue: null }
      : { value: null, issue: `“${metric}”是金额指标，阈值${money.message}` };
  }
  const n = parseNumber(raw);
  return n.ok
    ? { value: fromNumber(n.value), issue: null }
    : { value: null, issue: `“${metric}”是数值指标，阈值应为数字，如 5 或 80` };
}

/** One rule row → its condition, or the reasons it is invalid. */
/** One 分层规则 row on its own (the customer page shows which rows held). */
export function compileRow(
  r: RawTierRule,
  warnings: Problem[],
): {
  issues: Issue[];
  priority: number;
  tier: string;
  condition: ((s: TierSubject) => boolean) | null;
} {
  const issues: Issue[] = [];
  const add = (column: string, raw: unknown, message: string): void => {
    issues.push({ column, value: cellText(raw), message });
  };

  let priority = 0;
  if (isBlank(r.priority))
    add(HEADER.priority, r.priority, '“优先级”必填：应为数字，数字小的先匹配');
  else {
    const p = parseNumber(r.priority);
    if (p.ok) priority = p.value;
    else
      add(HEADER.priority, r.priority, `优先级“${cellText(r.priority)}”不是数字：应为数字，如 1`);
  }

  const tier = cellText(r.tier);
  if (tier === '') add(HEADER.tier, r.tier, '“分层名称”必填');

  const metricText = cellText(r.metric);
  let metric: TierMetric | null = null;
  if (metricText === '')
    add(HEADER.metric, r.metric, `“指标”必填：应为 ${TIER_METRICS.join('、')} 之一`);
  else if ((TIER_METRICS as readonly string[]).includes(metricText))
    metric = metricText as TierMetric;
  else
    add(HEADER.metric, r.metric, `指标“${metricText}”无效：应为 ${TIER_METRICS.join('、')} 之一`);

  const operator = readOperator(r.operator);
  if (isBlank(r.operator)) add(HEADER.operator, r.operator, `“运算符”必填：应为 ${OPERATOR_LIST}`);
  else if (operator === null)
    add(HEADER.operator, r.operator, `运算符“${cellText(r.operator)}”无效：应为 ${OPERATOR_LIST}`);

  const thresholdBlank = isBlank(r.threshold);
  if (thresholdBlank) add(HEADER.threshold, r.threshold, '“阈值”必填');

  if (metric === null || operator === null || thresholdBlank) {
    return { issues, priority, tier, condition: null };
  }

  if (isNumberMetric(metric)) {
    if (operator === '包含') {
      add(
        HEADER.operator,
        r.operator,
        `“包含”只能用于文本指标，“${metric}”是数值指标：应为 >=、>、<=、<、=、!= 或 属于`,
      );
      return { issues, priority, tier, condition: null };
    }
    const get = NUMBER_METRICS[metric];
    if (operator === '属于') {
      const items = splitList(cellText(r.threshold)).map((item) =>
        readNumberThreshold(metric, item),
      );
      const bad = items.find((t) => t.issue !== null);
      if (items.length === 0 || bad) {
        add(
          HEADER.threshold,
          r.threshold,
          `${bad?.issue ?? `“${metric}”的阈值应为数字列表`}；列表项用 , ，或 、 分隔`,
        );
        return { issues, priority, tier, condition: null };
      }
      const values = items.map((t) => fast(t.value!));
      return {
        issues,
        priority,
        tier,
        condition: (s) => {
          if (!get(s, value)) return false;
          for (const t of values) if (cmpFast(value.num, value.den, t) === 0) return true;
          return false;
        },
      };
    }
    const t = readNumberThreshold(metric, r.threshold);
    if (t.issue !== null) {
      add(HEADER.threshold, r.threshold, t.issue);
      return { issues, priority, tier, condition: null };
    }
    const threshold: FastQ = fast(t.value!);
    const test = TEST[operator];
    return {
      issues,
      priority,
      tier,
      condition: (s) => get(s, value) && test(cmpFast(value.num, value.den, threshold)),
    };
  }

  if (ORDER_OPERATORS.has(operator)) {
    add(
      HEADER.operator,
      r.operator,
      `运算符“${operator}”不能用于文本指标“${metric}”：文本指标只能用 =、!=、包含 或 属于`,
    );
    return { issues, priority, tier, condition: null };
  }
  const get = TEXT_METRICS[metric];
  const text = cellText(r.threshold);
  const list = operator === '属于' ? splitList(text) : [text];
  if (list.length === 0) {
    add(HEADER.threshold, r.threshold, '“属于”的阈值应为用 , ，或 、 分隔的列表');
    return { issues, priority, tier, condition: null };
  }
  const allowed = TEXT_VALUES[metric];
  if (allowed && operator !== '包含') {
    const outside = list.filter((v) => !allowed.includes(v));
    if (outside.length > 0) {
      warnings.push({
        tab: TIER_RULES.name,
        row: r.row,
        column: HEADER.threshold,
        value: text,
        message: `“${outside.join('、')}”不是“${metric}”的可选值（${allowed.join(' / ')}）：请检查是否写错`,
        level: '警告',
      });
    }
  }
  const present = (s: TierSubject): string | null => {
    const v = get(s.customer);
    return v === null || v === '' ? null : v;
  };
  let condition: (s: TierSubject) => boolean;
  switch (operator) {
    case '=':
      condition = (s) => present(s) === text;
      break;
    case '!=':
      condition = (s) => {
        const v = present(s);
        return v !== null && v !== text;
      };
      break;
    case '包含':
      condition = (s) => present(s)?.includes(text) ?? false;
      break;
    default: {
      const set = new Set(list);
      condition = (s) => {
        const v = present(s);
        return v !== null && set.has(v);
      };
    }
  }
  return { issues, priority, tier, condition };
}

const INVALID_SUFFIX = '分层规则有误时本次同步不更新“客户分层”列，请改正后再同步';

export function compileTierRules(rows: readonly RawTierRule[]): TierRules {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  const byName = new Map<string, Tier>();
  const sorted = [...rows].sort((a, b) => a.row - b.row);
  for (const r of sorted) {
    const compiled = compileRow(r, warnings);
    if (compiled.issues.length > 0) {
      const first = compiled.issues[0]!;
      problems.push({
        tab: TIER_RULES.name,
        row: r.row,
        column: first.column,
        value: first.value,
        message: `${compiled.issues.map((i) => i.message).join('；')}；${INVALID_SUFFIX}`,
        level: '错误',
      });
      continue;
    }
    const existing = byName.get(compiled.tier);
    if (existing) {
      existing.priority = Math.min(existing.priority, compiled.priority);
      existing.conditions.push(compiled.condition!);
    } else {
      byName.set(compiled.tier, {
        name: compiled.tier,
        priority: compiled.priority,
        firstRow: r.row,
        conditions: [compiled.condition!],
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems, warnings };
  const tiers = [...byName.values()].sort(
    (a, b) => a.priority - b.priority || a.firstRow - b.firstRow,
  );
  return { ok: true, tiers, warnings };
}

/** The first tier, in priority order, whose conditions all hold. */
export function tierOf(subject: TierSubject, tiers: readonly Tier[], defaultTier: string): string {
  next: for (let i = 0; i < tiers.length; i++) {
    const t = tiers[i]!;
    const conditions = t.conditions;
    for (let k = 0; k < conditions.length; k++) if (!conditions[k]!(subject)) continue next;
    return t.name;
  }
  return defaultTier;
}
