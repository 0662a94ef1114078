/**
 * The callback candidates of a customer's first weeks and of a customer who cools off
 * (docs/rules.md#more-callback-candidates): 欢迎引导, 体验问卷, 关怀回访, and the visit
 * cycle a 分层策略 row sets. Each is a pure function giving the raw date (before the
 * working-day move) or null when the candidate does not apply.
 */
import { formatDate, type EpochDay } from '../calendar.ts';
import type { Customer, ExperienceSurvey, HealthLevel, Settings, TierStrategy } from '../model.ts';
import type { CustomerFacts } from './metrics.ts';

/** What the new candidates know of one customer besides CustomerFacts. */
export interface CareFacts {
  /** within 新客户观察期 */
  isNew: boolean;
  healthLevel: HealthLevel | null;
  /** the latest 填写日期 among the customer's 体验问卷 rows, null without one */
  latestSurvey: EpochDay | null;
  /** 回访周期(月) from the 分层策略 row of the customer's tier, null when it sets none */
  strategyMonths: number | null;
}

/**
 * 欢迎引导: a new customer with no follow-up and no valid visit on or after 签约日期 →
 * 签约日期 + 欢迎引导天数. A lead-phase follow-up (before signing) does not cancel it.
 */
export function welcomeDate(
  customer: Customer,
  facts: CustomerFacts,
  care: CareFacts,
  settings: Settings,
): EpochDay | null {
  const signed = customer.signedDate;
  if (!care.isNew || signed === null) return null;
  const followUp = facts.latestFollowUpDay;
  if (followUp !== null && followUp >= signed) return null;
  const visit = facts.latestValidVisitDay;
  if (visit !== null && visit >= signed) return null;
  return signed + settings.welcomeDays;
}

/** 体验问卷: a new customer without a 体验问卷 row dated on or after 签约日期 → 签约日期 + 体验问卷天数. */
export function surveyDate(
  customer: Customer,
  care: CareFacts,
  settings: Settings,
): EpochDay | null {
  const signed = customer.signedDate;
  if (!care.isNew || signed === null) return null;
  if (care.latestSurvey !== null && care.latestSurvey >= signed) return null;
  return signed + settings.surveyDays;
}

/**
 * 关怀回访: 健康等级 亚健康 and no valid visit in today − 关怀回访间隔天数 < date ≤ today →
 * today. A new customer is never asked for one.
 */
export function careDate(
  facts: CustomerFacts,
  care: CareFacts,
  today: EpochDay,
  settings: Settings,
): EpochDay | null {
  if (care.isNew || care.healthLevel !== '亚健康') return null;
  const visit = facts.latestValidVisitDay;
  return visit === null || visit <= today - settings.careIntervalDays ? today : null;
}

/**
 * The 回访周期(月) of a tier: the first 分层策略 row naming it, when its cycle is a whole
 * number ≥ 1; null otherwise (the per-type setting applies).
 */
export function strategyMonthsByTier(
  strategies: readonly TierStrategy[],
): ReadonlyMap<string, number | null> {
  const out = new Map<string, number | null>();
  for (const s of strategies) {
    if (out.has(s.tier)) continue;
    const m = s.visitMonths;
    out.set(s.tier, m !== null && Number.isInteger(m) && m >= 1 ? m : null);
  }
  return out;
}

/** 服务策略 text by tier, first row per tier; tiers without text are left out. */
export function strategyTextByTier(
  strategies: readonly TierStrategy[],
): ReadonlyMap<string, string> {
  const out = new Map<string, string>();
  const seen = new Set<string>();
  for (const s of strategies) {
    if (seen.has(s.tier)) continue;
    seen.add(s.tier);
    if (s.strategy !== null && s.strategy !== '') out.set(s.tier, s.strategy);
  }
  return out;
}

/** The latest 填写日期 per 客户编号. */
export function latestSurveyDates(
  surveys: readonly ExperienceSurvey[],
): ReadonlyMap<string, EpochDay> {
  const out = new Map<string, EpochDay>();
  for (const s of surveys) {
    const had = out.get(s.customerId);
    if (had === undefined || s.date > had) out.set(s.customerId, s.date);
  }
  return out;
}

export function welcomeReason(customer: Customer): string {
  return `新客户欢迎引导（签约日期 ${formatDate(customer.signedDate!)}，签约后尚无跟进和有效回访）`;
}

export function surveyReason(customer: Customer, settings: Settings): string {
  return `发送《新客户体验问卷》（签约日期 ${formatDate(customer.signedDate!)}，签约后第 ${settings.surveyDays} 天）`;
}

export function careReason(facts: CustomerFacts, settings: Settings): string {
  const visit = facts.latestValidVisitDay;
  const last = visit === null ? '尚无有效回访' : `上次有效回访 ${formatDate(visit)}`;
  return `健康等级 亚健康，关怀回访（${last}，超过 ${settings.careIntervalDays} 天）`;
}
