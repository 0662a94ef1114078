/** 下次回访 and the 回访计划 tab (docs/rules.md#next-callback). */
import { CALLBACK_KINDS } from '../../sheets-templates/values.ts';
import { addMonths, civilFromDays, daysFromCivil, isLeapYear, type EpochDay } from '../calendar.ts';
import { maskPhone } from '../cells.ts';
import { compareIds } from '../ids.ts';
import type { CallbackKind, CallbackState, Customer, Settings } from '../model.ts';
import {
  careDate,
  careReason,
  surveyDate,
  surveyReason,
  welcomeDate,
  welcomeReason,
  type CareFacts,
} from './careCallbacks.ts';
import type { CustomerFacts } from './metrics.ts';
import type { RulesContext } from './context.ts';
import type { WorkCalendar } from './workdays.ts';
import { reasonKey } from './reasonMemo.ts';

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
  const year = civilFromDays(today).year;
  const thisYear = anniversaryIn(year, month, day);
  return thisYear >= today ? thisYear : anniversaryIn(year + 1, month, day);
}

// Top level rather than a closure per call: nextCallback asks for every customer with a birthday.
const anniversaryIn = (year: number, month: number, day: number): EpochDay =>
  daysFromCivil(year, month, month === 2 && day === 29 && !isLeapYear(year) ? 28 : day);

interface Best {
  kind: CallbackKind | null;
  date: EpochDay;
  rank: number;
  calendar: WorkCalendar;
  /** sees every candidate, not only the winner (我的待办) */
  collect: ((kind: CallbackKind, date: EpochDay) => void) | undefined;
}

// One record serves every call (nextCallback is not re-entered): an object per customer
// was a hundred thousand allocations per computation.
const BEST: Best = { kind: null, date: 0, rank: 0, calendar: null!, collect: undefined };

/** Moves a candidate to its working day and keeps it if it beats the best so far. */
function consider(best: Best, kind: CallbackKind, raw: EpochDay): void {
  // The move only goes forward: a candidate whose raw date is already past the best one
  // cannot win, and only 我的待办 needs its moved date.
  if (best.kind !== null && raw > best.date && best.collect === undefined) return;
  const date = best.calendar.nextWorkingDay(raw);
  best.collect?.(kind, date);
  const rank = RANK[kind];
  if (best.kind === null || date < best.date || (date === best.date && rank < best.rank)) {
    best.kind = kind;
    best.date = date;
    best.rank = rank;
  }
}

/**
 * The next callback of one customer as its 回访计划 row, or null (客户状态 流失, or no
 * candidate). Each candidate is moved to a working day and compared as it comes; only
 * the winner's 原因 is written out.
 */
export function nextCallback(
  customer: Customer,
  facts: CustomerFacts,
  churnWarning: string,
  context: Pick<RulesContext, 'settings' | 'windows' | 'calendar' | 'dayText'> &
    Partial<Pick<RulesContext, 'reasons'>>,
  care: CareFacts = NO_CARE,
  collect?: (kind: CallbackKind, date: EpochDay) => void,
): CallbackPlanRow | null {
  if (customer.status === '流失') return null;
  const { settings, calendar } = context;
  const today = context.windows.today;
  const best = BEST;
  best.kind = null;
  best.date = 0;
  best.rank = 0;
  best.calendar = calendar;
  best.collect = collect;
  const latestFollowUp = facts.latestFollowUp;
  const planned = facts.latestFollowUpPlan;
  const signed = customer.signedDate;
  const grade = customer.intent ?? 'C';
  let since: EpochDay | null = null;

  if (customer.status === '正式') {
    const lastDate = facts.latestValidVisitDay;
    since = lastDate !== null && (signed === null || lastDate >= signed) ? lastDate : null;
    if (facts.unvisitedTicket !== null)
      consider(best, '投诉回访', facts.unvisitedDate + settings.complaintVisitDays);
    if (
      churnWarning !== '' &&
      (lastDate === null || lastDate <= today - settings.winBackIntervalDays)
    )
      consider(best, '流失挽回', today);
    if (since === null && signed !== null)
      consider(best, '首次回访', signed + settings.firstVisitDays);
    const welcome = welcomeDate(customer, facts, care, settings);
    if (welcome !== null) consider(best, '欢迎引导', welcome);
    const survey = surveyDate(customer, care, settings);
    if (survey !== null) consider(best, '体验问卷', survey);
    const caring = careDate(facts, care, today, settings);
    if (caring !== null) consider(best, '关怀回访', caring);
    if (planned !== null) consider(best, '跟进计划', planned);
    const end = customer.contractEnd;
    if (end !== null && end >= today) consider(best, '续签提醒', end - settings.renewalNoticeDays);
    if (since !== null)
      consider(best, '定期回访', addMonths(since, visitMonths(customer, settings, care)));
  } else {
    if (latestFollowUp === null)
      consider(best, '首次联系', customer.createdDate + settings.leadFirstContactDays[grade]);
    if (planned !== null) consider(best, '跟进计划', planned);
    if (latestFollowUp !== null)
      consider(best, '定期跟进', facts.latestFollowUpDay! + settings.leadFollowUpDays[grade]);
  }
  if (customer.birthday !== null) {
    const next = nextAnniversary(customer.birthday, today);
    // The window is checked on the anniversary itself, before any working-day move.
    if (next <= today + settings.birthdayNoticeDays) consider(best, '生日关怀', next);
  }
  const kind = best.kind;
  best.collect = undefined;
  if (kind === null) return null;

  const reason = callbackReason(kind, customer, facts, churnWarning, context, care);
  const date = best.date;
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

/**
 * 原因: why a candidate is due, in words, e.g. `签约后首次回访（签约日期 2024-03-01）`;
 * with the computation's memo, a text already written for the same case is reused.
 */
export function callbackReason(
  kind: CallbackKind,
  customer: Customer,
  facts: CustomerFacts,
  churnWarning: string,
  context: ReasonContext,
  care: CareFacts = NO_CARE,
): string {
  const memo = context.reasons;
  if (memo === undefined) return reasonText(kind, customer, facts, churnWarning, context, care);
  const key = reasonKey(kind, customer, facts, churnWarning, care);
  if (key === null) return reasonText(kind, customer, facts, churnWarning, context, care);
  let text = memo.get(kind, key);
  if (text === undefined) {
    text = reasonText(kind, customer, facts, churnWarning, context, care);
    memo.set(kind, key, text);
  }
  return text;
}

type ReasonContext = Pick<RulesContext, 'settings' | 'dayText'> &
  Partial<Pick<RulesContext, 'reasons'>>;

function reasonText(
  kind: CallbackKind,
  customer: Customer,
  facts: CustomerFacts,
  churnWarning: string,
  context: ReasonContext,
  care: CareFacts,
): string {
  const { settings, dayText: formatDate } = context;
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
    case '定期回访': {
      const since = facts.latestValidVisitDay!;
      return care.strategyMonths === null
        ? `定期回访（上次有效回访 ${formatDate(since)}，周期 ${visitMonths(customer, settings, care)} 个月）`
        : `定期回访（上次有效回访 ${formatDate(since)}，按分层策略周期 ${care.strategyMonths} 个月）`;
    }
    case '欢迎引导':
      return welcomeReason(customer);
    case '体验问卷':
      return surveyReason(customer, settings);
    case '关怀回访':
      return careReason(facts, settings);
    case '定期跟进':
      return `线索定期跟进（上次跟进 ${formatDate(facts.latestFollowUpDay!)}，${gradeText}，间隔 ${settings.leadFollowUpDays[grade]} 天）`;
    case '生日关怀': {
      const what = customer.kind === '企业' ? '成立日' : '生日';
      return `${what}关怀（${what} ${formatDate(customer.birthday!).slice(5)}）`;
    }
  }
}

/** A 分层策略 cycle wins over the per-type setting. */
const visitMonths = (customer: Customer, settings: Settings, care: CareFacts): number =>
  care.strategyMonths ??
  (customer.kind === '企业' ? settings.enterpriseVisitMonths : settings.personVisitMonths);

const NO_CARE: CareFacts = Object.freeze({
  isNew: false,
  healthLevel: null,
  latestSurvey: null,
  strategyMonths: null,
});

/**
 * The length of an ID's capital-letter prefix when the ID reads as compareIds parses it
 * (capitals, a 4-digit year, a serial of 4 digits or more), else 0.
 */
function prefixLength(id: string): number {
  let k = 0;
  while (k < id.length && id.charCodeAt(k) >= 65 && id.charCodeAt(k) <= 90) k++;
  if (k === 0 || id.length - k < 8) return 0;
  for (let j = k; j < id.length; j++) {
    const c = id.charCodeAt(j);
    if (c < 48 || c > 57) return 0;
  }
  return k;
}

/** The value of the digits id[from, to), as Number() reads them. */
function digitsValue(id: string, from: number, to: number): number {
  // Up to 15 digits the sum is exact; beyond, Number() rounds as the comparison did.
  if (to - from > 15) return Number(id.slice(from, to));
  let v = 0;
  for (let j = from; j < to; j++) v = v * 10 + (id.charCodeAt(j) - 48);
  return v;
}

/**
 * Sorts 回访计划 rows by 计划日期, then 客户编号 in natural order (ids.ts compareIds).
 * Rows are first counted into one bucket per date, so that only the few rows of one date
 * are compared by ID; each ID is parsed once up front, as compareIds would parse it.
 */
export function sortPlan(rows: readonly CallbackPlanRow[]): CallbackPlanRow[] {
  const n = rows.length;
  // The capital-letter prefix as a number that orders as the text does; −1 where
  // compareIds decides: a sliced string per row was most of this function's garbage.
  const prefix = new Float64Array(n);
  const year = new Float64Array(n);
  const serial = new Float64Array(n);
  let minDate = Infinity;
  let maxDate = -Infinity;
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const id = row.customerId;
    const k = prefixLength(id);
    prefix[i] = k === 0 ? -1 : prefixCode(id, k);
    year[i] = k === 0 ? 0 : digitsValue(id, k, k + 4);
    serial[i] = k === 0 ? 0 : digitsValue(id, k + 4, id.length);
    if (row.date < minDate) minDate = row.date;
    if (row.date > maxDate) maxDate = row.date;
  }
  const byId = (a: number, b: number): number => {
    const pa = prefix[a]!;
    const pb = prefix[b]!;
    const ia = rows[a]!.customerId;
    const ib = rows[b]!.customerId;
    if (pa < 0 || pb < 0) return compareIds(ia, ib);
    if (pa !== pb) return pa < pb ? -1 : 1;
    return year[a]! - year[b]! || serial[a]! - serial[b]! || (ia < ib ? -1 : ia > ib ? 1 : 0);
  };
  const order = new Uint32Array(n);
  const span = maxDate - minDate + 1;
  const counted = n < 2 ? null : countedInIdOrder(rows, prefix, year, serial, minDate, span);
  if (counted !== null) return counted;
  if (n < 2 || !(span <= 4 * n + 4096) || !Number.isInteger(span)) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => rows[a]!.date - rows[b]!.date || byId(a, b));
    return rowsIn(rows, order);
  }
  const start = new Uint32Array(span + 1);
  for (let i = 0; i < n; i++) start[rows[i]!.date - minDate + 1]! += 1;
  for (let d = 0; d < span; d++) start[d + 1]! += start[d]!;
  const fill = start.slice(0, span);
  for (let i = 0; i < n; i++) order[fill[rows[i]!.date - minDate]!++] = i;
  for (let d = 0; d < span; d++) {
    if (start[d + 1]! - start[d]! > 1) order.subarray(start[d], start[d + 1]).sort(byId);
  }
  return rowsIn(rows, order);
}

/** Groups of IDs (prefix and year alike) countedInIdOrder takes at most. */
const MAX_ID_GROUPS = 64;

/**
 * sortPlan without comparing, when it can be: every ID coded and, within each group of
 * one prefix and year, the rows already in strictly increasing serial order — as when
 * the rows follow a customer table whose IDs count up per prefix and year, however the
 * groups interleave. A stable count by (date, group's rank) then orders the rows by date,
 * prefix, year and serial, which is the comparison's order, since no two rows of a group
 * tie on the serial. Null when the rows are not so.
 */
function countedInIdOrder(
  rows: readonly CallbackPlanRow[],
  prefix: Float64Array,
  year: Float64Array,
  serial: Float64Array,
  minDate: number,
  span: number,
): CallbackPlanRow[] | null {
  const n = rows.length;
  if (!Number.isInteger(span) || span > 4 * n + 4096) return null;
  const groupPrefix = new Float64Array(MAX_ID_GROUPS);
  const groupYear = new Float64Array(MAX_ID_GROUPS);
  const lastSerial = new Float64Array(MAX_ID_GROUPS);
  const groupAt = new Uint8Array(n);
  let groups = 0;
  for (let i = 0; i < n; i++) {
    const p = prefix[i]!;
    if (p < 0) return null;
    const y = year[i]!;
    let g = 0;
    while (g < groups && (groupPrefix[g] !== p || groupYear[g] !== y)) g++;
    if (g === groups) {
      if (groups === MAX_ID_GROUPS) return null;
      groupPrefix[g] = p;
      groupYear[g] = y;
      groups++;
    } else if (!(serial[i]! > lastSerial[g]!)) return null;
    lastSerial[g] = serial[i]!;
    groupAt[i] = g;
  }
  // The groups' ranks in ID order; there are few, so a plain sort of their numbers serves.
  const byGroup = Array.from({ length: groups }, (_, g) => g).sort(
    (a, b) => groupPrefix[a]! - groupPrefix[b]! || groupYear[a]! - groupYear[b]!,
  );
  const rank = new Uint8Array(groups);
  for (let r = 0; r < groups; r++) rank[byGroup[r]!] = r;
  const buckets = span * groups;
  if (buckets > 8 * n + 4096) return null;
  const start = new Uint32Array(buckets + 1);
  const bucketAt = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const b = (rows[i]!.date - minDate) * groups + rank[groupAt[i]!]!;
    bucketAt[i] = b;
    start[b + 1]! += 1;
  }
  for (let b = 0; b < buckets; b++) start[b + 1]! += start[b]!;
  const out = new Array<CallbackPlanRow>(n);
  for (let i = 0; i < n; i++) out[start[bucketAt[i]!]!++] = rows[i]!;
  return out;
}

/** rows in `order`; a loop rather than Array.from, which steps a typed array's iterator. */
function rowsIn(rows: readonly CallbackPlanRow[], order: Uint32Array): CallbackPlanRow[] {
  const out = new Array<CallbackPlanRow>(order.length);
  for (let j = 0; j < order.length; j++) out[j] = rows[order[j]!]!;
  return out;
}

/** Prefixes longer than this are left to compareIds: 27^10 keeps the code exact. */
const PREFIX_CODED = 10;

/**
 * id[0, k) (capitals) in base 27, A–Z as 1–26, padded on the right with 0 to PREFIX_CODED
 * letters, so that codes order as the texts do (a prefix before its extensions); −1 when
 * longer.
 */
function prefixCode(id: string, k: number): number {
  if (k > PREFIX_CODED) return -1;
  let code = 0;
  for (let j = 0; j < k; j++) code = code * 27 + (id.charCodeAt(j) - 64);
  // The padding: an exact product, as each padded letter multiplied by 27 before.
  return code * PADDING[PREFIX_CODED - k]!;
}

const PADDING = Array.from({ length: PREFIX_CODED + 1 }, (_, i) => 27 ** i);
