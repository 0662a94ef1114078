/** 下次回访 and the 回访计划 tab (docs/rules.md#next-callback). */
import { CALLBACK_KINDS } from '../../sheets-templates/values.ts';
import {
  addMonths,
  civilFromDays,
  daysFromCivil,
  dateOf,
  formatDate,
  isLeapYear,
  type EpochDay,
} from '../calendar.ts';
import { maskPhone } from '../cells.ts';
import { compareIds } from '../ids.ts';
import type { CallbackKind, CallbackState, Customer, Settings } from '../model.ts';
import type { CustomerFacts } from './metrics.ts';
import type { WorkCalendar } from './workdays.ts';

/** A 回访计划 row. */
export interface CallbackPlanRow {
  customerId: string;
  customerName: string;
  /** masked: 138****5678; '' without a phone */
  phone: string;
  owner: string;
  date: EpochDay;
  kind: CallbackKind;
  reason: string;
  /** max(0, today − date) */
  overdueDays: number;
  state: CallbackState;
}

const RANK = Object.fromEntries(CALLBACK_KINDS.map((k, i) => [k, i])) as Readonly<
  Record<CallbackKind, number>
>;

/**
 * The first anniversary of a birthday on or after today; 29 Feb falls on 28 Feb in a
 * year that has none.
 */
export function nextAnniversary(birthday: EpochDay, today: EpochDay): EpochDay {
  const { month, day } = civilFromDays(birthday);
  const on = (year: number): EpochDay =>
    daysFromCivil(year, month, month === 2 && day === 29 && !isLeapYear(year) ? 28 : day);
  const year = civilFromDays(today).year;
  const thisYear = on(year);
  return thisYear >= today ? thisYear : on(year + 1);
}

/** One candidate of docs/rules.md#next-callback, already moved to its working day. */
export interface CallbackCandidate {
  kind: CallbackKind;
  date: EpochDay;
}

/** Candidates in the order a tie is broken: by date, then the kinds' order. */
export const compareCandidates = (a: CallbackCandidate, b: CallbackCandidate): number =>
  a.date - b.date || RANK[a.kind] - RANK[b.kind];

/**
 * Every callback candidate of one customer (none for 客户状态 流失), each moved to its
 * next working day. 我的待办 shows them all; 下次回访日期 takes the first.
 */
export function callbackCandidates(
  customer: Customer,
  facts: CustomerFacts,
  churnWarning: string,
  today: EpochDay,
  settings: Settings,
  calendar: WorkCalendar,
): CallbackCandidate[] {
  const out: CallbackCandidate[] = [];
  if (customer.status === '流失') return out;
  const add = (kind: CallbackKind, raw: EpochDay): void => {
    out.push({ kind, date: calendar.nextWorkingDay(raw) });
  };
  const latestFollowUp = facts.latestFollowUp;
  const planned = latestFollowUp?.planDate ?? null;
  const signed = customer.signedDate;
  const grade = customer.intent ?? 'C';

  if (customer.status === '正式') {
    const since = visitedSince(customer, facts);
    const lastDate = facts.latestValidVisit === null ? null : dateOf(facts.latestValidVisit.time);
    if (facts.unvisitedTicket !== null)
      add('投诉回访', facts.unvisitedDate + settings.complaintVisitDays);
    if (
      churnWarning !== '' &&
      (lastDate === null || lastDate <= today - settings.winBackIntervalDays)
    )
      add('流失挽回', today);
    if (since === null && signed !== null) add('首次回访', signed + settings.firstVisitDays);
    if (planned !== null) add('跟进计划', planned);
    const end = customer.contractEnd;
    if (end !== null && end >= today) add('续签提醒', end - settings.renewalNoticeDays);
    if (since !== null) add('定期回访', addMonths(since, visitMonths(customer, settings)));
  } else {
    if (latestFollowUp === null)
      add('首次联系', customer.createdDate + settings.leadFirstContactDays[grade]);
    if (planned !== null) add('跟进计划', planned);
    if (latestFollowUp !== null)
      add('定期跟进', dateOf(latestFollowUp.time) + settings.leadFollowUpDays[grade]);
  }
  if (customer.birthday !== null) {
    const next = nextAnniversary(customer.birthday, today);
    // The window is checked on the anniversary itself, before any working-day move.
    if (next <= today + settings.birthdayNoticeDays) add('生日关怀', next);
  }
  return out;
}

/** The latest valid visit's date when it is on or after 签约日期, else null. */
function visitedSince(customer: Customer, facts: CustomerFacts): EpochDay | null {
  const last = facts.latestValidVisit;
  const lastDate = last === null ? null : dateOf(last.time);
  const signed = customer.signedDate;
  return lastDate !== null && (signed === null || lastDate >= signed) ? lastDate : null;
}

/** 原因: why a candidate is due, in words, e.g. `签约后首次回访（签约日期 2024-03-01）`. */
export function callbackReason(
  kind: CallbackKind,
  customer: Customer,
  facts: CustomerFacts,
  churnWarning: string,
  settings: Settings,
): string {
  const grade = customer.intent ?? 'C';
  const gradeText = customer.intent === null ? '意向等级未填，按 C' : `意向等级 ${grade}`;
  const latestFollowUp = facts.latestFollowUp;
  switch (kind) {
    case '投诉回访': {
      const t = facts.unvisitedTicket!;
      return `工单 ${t.id} ${t.status}，需回访`;
    }
    case '流失挽回':
      return `流失预警：${churnWarning}`;
    case '首次回访':
      return `签约后首次回访（签约日期 ${formatDate(customer.signedDate!)}）`;
    case '首次联系':
      return `新线索首次联系（建档日期 ${formatDate(customer.createdDate)}，${gradeText}）`;
    case '跟进计划':
      return `跟进记录 ${latestFollowUp!.id} 约定的下次跟进（计划日期 ${formatDate(latestFollowUp!.planDate!)}）`;
    case '续签提醒':
      return `合同即将到期，提醒续签（到期日 ${formatDate(customer.contractEnd!)}）`;
    case '定期回访':
      return `定期回访（上次有效回访 ${formatDate(visitedSince(customer, facts)!)}，周期 ${visitMonths(customer, settings)} 个月）`;
    case '定期跟进':
      return `线索定期跟进（上次跟进 ${formatDate(dateOf(latestFollowUp!.time))}，${gradeText}，间隔 ${settings.leadFollowUpDays[grade]} 天）`;
    case '生日关怀': {
      const what = customer.kind === '企业' ? '成立日' : '生日';
      return `${what}关怀（${what} ${formatDate(customer.birthday!).slice(5)}）`;
    }
  }
}

/**
 * The next callback of one customer as its 回访计划 row, or null (客户状态 流失, or no
 * candidate): the earliest candidate, ties broken by the kinds' order. Only the
 * winner's 原因 is written out.
 */
export function nextCallback(
  customer: Customer,
  facts: CustomerFacts,
  churnWarning: string,
  today: EpochDay,
  settings: Settings,
  calendar: WorkCalendar,
): CallbackPlanRow | null {
  const candidates = callbackCandidates(customer, facts, churnWarning, today, settings, calendar);
  let best: CallbackCandidate | null = null;
  for (const c of candidates) if (best === null || compareCandidates(c, best) < 0) best = c;
  if (best === null) return null;
  return planRowOf(
    customer,
    best,
    callbackReason(best.kind, customer, facts, churnWarning, settings),
    today,
  );
}

/** The 回访计划 row of a customer's winning candidate. */
export function planRowOf(
  customer: Customer,
  best: CallbackCandidate,
  reason: string,
  today: EpochDay,
): CallbackPlanRow {
  const { kind, date } = best;
  return {
    customerId: customer.id,
    customerName: customer.name,
    phone: customer.phone === null ? '' : maskPhone(customer.phone),
    owner: customer.owner,
    date,
    kind,
    reason,
    overdueDays: Math.max(0, today - date),
    state: date < today ? '逾期' : date === today ? '今日' : '待办',
  };
}

const visitMonths = (customer: Customer, settings: Settings): number =>
  customer.kind === '企业' ? settings.enterpriseVisitMonths : settings.personVisitMonths;

const ID_PARTS = /^([A-Z]+)(\d{4})(\d{4,})$/;

/**
 * Sorts 回访计划 rows by 计划日期, then 客户编号 in natural order (ids.ts compareIds).
 * Each ID is parsed once up front, because a plan of 100,000 rows has many rows per date.
 */
export function sortPlan(rows: readonly CallbackPlanRow[]): CallbackPlanRow[] {
  const n = rows.length;
  const prefix = new Array<string | null>(n);
  const year = new Float64Array(n);
  const serial = new Float64Array(n);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const m = ID_PARTS.exec(rows[i]!.customerId);
    order[i] = i;
    prefix[i] = m ? m[1]! : null;
    year[i] = m ? Number(m[2]) : 0;
    serial[i] = m ? Number(m[3]) : 0;
  }
  order.sort((a, b) => {
    const ra = rows[a]!;
    const rb = rows[b]!;
    const byDate = ra.date - rb.date;
    if (byDate !== 0) return byDate;
    const pa = prefix[a] ?? null;
    const pb = prefix[b] ?? null;
    if (pa === null || pb === null) return compareIds(ra.customerId, rb.customerId);
    if (pa !== pb) return pa < pb ? -1 : 1;
    return (
      year[a]! - year[b]! ||
      serial[a]! - serial[b]! ||
      (ra.customerId < rb.customerId ? -1 : ra.customerId > rb.customerId ? 1 : 0)
    );
  });
  return Array.from(order, (i) => rows[i]!);
}
