/**
 * 销售分析 table 6, 问卷汇总 (docs/rules.md#analysis-销售分析): the 体验问卷 rows of the last
 * 12 months by the customer's 所属行业 — how many, the mean of each 1–5 score over the
 * rows that have it (two decimals, as 平均满意度), and NPS: the share of 推荐意愿 9–10
 * minus the share of 0–6 among the rows that have one, × 100, one decimal. Every figure
 * is rounded half up on the exact value; a mean of nothing is blank.
 */
import type { EpochDay } from '../calendar.ts';
import type { Customer, ExperienceSurvey } from '../model.ts';
import { byFigure, NOT_FILLED, TOTAL } from './analysisCells.ts';
import { divRound, q, roundHalfUp } from './rational.ts';
import type { ReportCell, ReportTable } from './reports.ts';

export interface SurveyWindow {
  today: EpochDay;
  /** the 12 months' exclusive start */
  from12m: EpochDay;
}

/** the four 1–5 scores, in column order */
const SCORE_COUNT = 4;

interface SurveyTally {
  surveys: number;
  /** per score: the sum and how many rows have it */
  sums: Float64Array;
  counts: Float64Array;
  recommenders: number;
  promoters: number;
  detractors: number;
}

const emptyTally = (): SurveyTally => ({
  surveys: 0,
  sums: new Float64Array(SCORE_COUNT),
  counts: new Float64Array(SCORE_COUNT),
  recommenders: 0,
  promoters: 0,
  detractors: 0,
});

function addScore(t: SurveyTally, i: number, v: number | null): void {
  if (v === null) return;
  t.sums[i]! += v;
  t.counts[i]! += 1;
}

function add(t: SurveyTally, s: ExperienceSurvey): void {
  t.surveys += 1;
  addScore(t, 0, s.overall);
  addScore(t, 1, s.product);
  addScore(t, 2, s.service);
  addScore(t, 3, s.delivery);
  if (s.recommend === null) return;
  t.recommenders += 1;
  if (s.recommend >= 9) t.promoters += 1;
  else if (s.recommend <= 6) t.detractors += 1;
}

/** (promoters − detractors) ÷ answers × 100, one decimal, half up (−12.25 → −12.2). */
export function nps(promoters: number, detractors: number, answers: number): number | null {
  if (answers === 0) return null;
  return roundHalfUp(q((promoters - detractors) * 1000, answers)) / 10;
}

function row(label: string, t: SurveyTally): ReportCell[] {
  return [
    label,
    t.surveys,
    ...Array.from({ length: SCORE_COUNT }, (_, i) =>
      t.counts[i] === 0 ? null : divRound(t.sums[i]!, t.counts[i]!, 2),
    ),
    nps(t.promoters, t.detractors, t.recommenders),
  ];
}

/**
 * Every 体验问卷 row counts whatever the customer's 客户状态 today: a customer lost since
 * still said what they said. A blank 所属行业 is 未填.
 */
export function surveyTable(
  customers: readonly Customer[],
  surveys: readonly ExperienceSurvey[],
  window: SurveyWindow,
  customerById?: (id: string) => Customer | undefined,
): ReportTable {
  const counted = surveys.filter((s) => s.date > window.from12m && s.date <= window.today);
  // Only the customers who answered are looked up: most customers never fill one in.
  const asked = new Set(counted.map((s) => s.customerId));
  const industryOf = new Map<string, string>();
  if (customerById !== undefined)
    for (const id of asked) {
      const c = customerById(id);
      if (c !== undefined) industryOf.set(id, c.industry.trim() || NOT_FILLED);
    }
  else if (asked.size > 0)
    for (const c of customers)
      if (asked.has(c.id)) industryOf.set(c.id, c.industry.trim() || NOT_FILLED);
  const industries = new Map<string, SurveyTally>();
  const total = emptyTally();
  for (const s of counted) {
    const industry = industryOf.get(s.customerId);
    if (industry === undefined) continue;
    let t = industries.get(industry);
    if (!t) industries.set(industry, (t = emptyTally()));
    add(t, s);
    add(total, s);
  }
  const names = [...industries.keys()].sort(byFigure((n) => industries.get(n)!.surveys, String));
  const rows = names.map((n) => row(n, industries.get(n)!));
  rows.push(row(TOTAL, total));
  return {
    title: '问卷汇总',
    header: ['所属行业', '问卷数', '整体满意度', '产品满意度', '服务满意度', '交付满意度', 'NPS'],
    rows,
    formats: ['text', 'integer', 'number', 'number', 'number', 'number', 'number'],
  };
}
