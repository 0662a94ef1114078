/**
 * 我的待办 (docs/team.md § 我的待办): each person's day, as a pure function of what the
 * sync computed and who is asking. `buildWorkSource` runs once per computed day (the
 * service keeps its result warm); `worklistFor` only filters and sorts one person's part.
 */
import { CALLBACK_KINDS } from '../sheets-templates/values.ts';
import { dateOf, formatDate, formatDateTime, type EpochDay, type WallSeconds } from './calendar.ts';
import type { FormKey } from './forms/definitions.ts';
import { compareIds } from './ids.ts';
import type { Customer, Dataset, Ticket, TierStrategy, Visit } from './model.ts';
import { phoneAsSeen, may, isManager, type Actor } from './permissions.ts';
import type { DueCallback } from './rules/index.ts';

export type WorkKind = (typeof CALLBACK_KINDS)[number] | '工单' | '审核';

/** One item of the HTTP contract's `items`. */
export interface WorkItem {
  kind: WorkKind;
  customerId: string;
  customerName: string;
  /** as the person may see it: in full or masked */
  phone: string;
  /** YYYY-MM-DD */
  due: string;
  overdueDays: number;
  reason: string;
  form: FormKey;
  /** the ticket or visit ID the form acts on, '' for a callback */
  ref: string;
  /** tickets only: 即将超时 or 超时 */
  flag?: '即将超时' | '超时';
  /** the 服务策略 of the customer's 客户分层 (分层策略), when it has one */
  strategy?: string;
}

export interface Worklist {
  person: string;
  date: string;
  items: WorkItem[];
}

export interface Entry {
  kind: WorkKind;
  customerId: string;
  due: EpochDay;
  reason: string;
  form: FormKey;
  ref: string;
  /** the tie order after the date */
  rank: number;
  /** position in the order of every entry of the day, set once when the source is built */
  order: number;
}

interface OpenTicket extends Entry {
  handler: string;
  department: string;
  /** 创建时间 + resolution limit, wall seconds */
  deadline: WallSeconds;
}

export interface WorkCustomer {
  name: string;
  /** as typed (digits when valid); '' when blank */
  phone: string;
  owner: string;
  /** 服务策略 of its 客户分层, '' without one */
  strategy: string;
}

/** What 我的待办 needs of one computed day; nothing here depends on who asks. */
export interface WorkSource {
  date: EpochDay;
  customers: ReadonlyMap<string, WorkCustomer>;
  /** due callback candidates by the customer's 负责人 */
  callbacks: ReadonlyMap<string, readonly Entry[]>;
  openTickets: readonly OpenTicket[];
  /** visits waiting for a review (回访需审核 = 是) */
  reviews: readonly Entry[];
  /** visits sent back, by 回访人, until that person records a newer visit of the customer */
  returned: ReadonlyMap<string, readonly Entry[]>;
  /** 工单预警(小时) in seconds */
  warnSeconds: number;
}

const RANK: Readonly<Record<string, number>> = Object.fromEntries([
  ...CALLBACK_KINDS.map((k, i) => [k, i] as const),
  ['工单', CALLBACK_KINDS.length],
  ['审核', CALLBACK_KINDS.length + 1],
]);

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Everything due on `date` or before, from the validated rows and the due callback
 * candidates the rules collected for that same day.
 */
export function buildWorkSource(
  dataset: Dataset,
  due: readonly DueCallback[],
  date: EpochDay,
  tierOf: (customerId: string) => string | null = () => null,
): WorkSource {
  const settings = dataset.settings;
  const strategyOf = strategyLookup(dataset.tierStrategies);
  const customers = new Map<string, WorkCustomer>();
  for (const c of dataset.customers) customers.set(c.id, workCustomer(c, strategyOf(tierOf(c.id))));

  const callbacks = new Map<string, Entry[]>();
  for (const d of due) {
    const owner = customers.get(d.customerId)?.owner ?? '';
    push(callbacks, owner, {
      kind: d.kind,
      customerId: d.customerId,
      due: d.date,
      reason: d.reason,
      form: callbackForm(d.kind),
      ref: '',
      rank: RANK[d.kind]!,
      order: 0,
    });
  }

  const openTickets: OpenTicket[] = [];
  for (const t of dataset.tickets) {
    if (t.status !== '新建' && t.status !== '处理中') continue;
    if (dateOf(t.createdAt) > date) continue;
    const deadline = t.createdAt + settings.resolutionLimitHours[t.urgency] * 3600;
    openTickets.push({
      kind: '工单',
      customerId: t.customerId,
      due: dateOf(deadline),
      reason: ticketReason(t, deadline),
      form: 'handle-ticket',
      ref: t.id,
      rank: RANK['工单']!,
      order: 0,
      handler: t.handler ?? '',
      department: t.department ?? '',
      deadline,
    });
  }

  const reviews: Entry[] = [];
  const returned = new Map<string, Entry[]>();
  // The newest visit of each (回访人, customer) that was not sent back: a returned record
  // leaves its author's day once they record another visit of the customer after it.
  const redone = new Map<string, number>();
  for (const v of dataset.visits) {
    if (v.reviewResult === '退回' || dateOf(v.time) > date) continue;
    const key = `${v.by}\u0000${v.customerId}`;
    redone.set(key, Math.max(redone.get(key) ?? -Infinity, v.time));
  }
  for (const v of dataset.visits) {
    const day = dateOf(v.time);
    if (day > date) continue;
    if (v.reviewResult === '退回' && v.reviewer) {
      if ((redone.get(`${v.by}\u0000${v.customerId}`) ?? -Infinity) >= v.time) continue;
      push(returned, v.by, {
        kind: '审核',
        customerId: v.customerId,
        due: v.reviewDate !== null && v.reviewDate <= date ? v.reviewDate : day,
        reason: returnedReason(v),
        form: 'visit-record',
        ref: v.id,
        rank: RANK['审核']!,
        order: 0,
      });
    } else if (settings.visitsNeedReview && !v.reviewer) {
      reviews.push({
        kind: '审核',
        customerId: v.customerId,
        due: day,
        reason: `回访记录 ${v.id} 待审核（回访人 ${v.by}，回访时间 ${formatDateTime(v.time)}）`,
        form: 'review-visit',
        ref: v.id,
        rank: RANK['审核']!,
        order: 0,
      });
    }
  }
  // One sort of the whole day, so that a request only orders its own entries by number.
  const all: Entry[] = [
    ...[...callbacks.values()].flat(),
    ...openTickets,
    ...reviews,
    ...[...returned.values()].flat(),
  ];
  all.sort(compareEntries);
  all.forEach((e, i) => {
    e.order = i;
  });
  // Each list in that order too, so a request merges a few sorted lists and never sorts.
  const byOrder = (a: Entry, b: Entry) => a.order - b.order;
  for (const list of [...callbacks.values(), ...returned.values(), openTickets, reviews])
    list.sort(byOrder);
  return {
    date,
    customers,
    callbacks,
    openTickets,
    reviews,
    returned,
    warnSeconds: settings.ticketWarningHours * 3600,
  };
}

/** By due, then the candidate order (tickets, then reviews after callbacks), then 客户编号. */
function compareEntries(a: Entry, b: Entry): number {
  return (
    a.due - b.due ||
    a.rank - b.rank ||
    compareIds(a.customerId, b.customerId) ||
    (a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0)
  );
}

/** The form that acts on a callback: a lead's follow-up, the survey itself, else a visit. */
function callbackForm(kind: DueCallback['kind']): FormKey {
  if (kind === '首次联系' || kind === '定期跟进' || kind === '跟进计划') return 'follow-up';
  return kind === '体验问卷' ? 'experience-survey' : 'visit-record';
}

const workCustomer = (c: Customer, strategy: string): WorkCustomer => ({
  name: c.name,
  phone: c.phone ?? '',
  owner: c.owner,
  strategy,
});

/** 客户分层 → 服务策略 of the first 分层策略 row of that tier. */
function strategyLookup(rows: readonly TierStrategy[]): (tier: string | null) => string {
  const byTier = new Map<string, string>();
  for (const r of rows) if (!byTier.has(r.tier)) byTier.set(r.tier, r.strategy ?? '');
  return (tier) => (tier === null ? '' : (byTier.get(tier) ?? ''));
}

function ticketReason(t: Ticket, deadline: WallSeconds): string {
  return `工单 ${t.id}（${t.type}，紧急程度${t.urgency}，${t.status}）须在 ${formatDateTime(Math.floor(deadline))} 前解决`;
}

function returnedReason(v: Visit): string {
  const when = v.reviewDate === null ? '' : ` 于 ${formatDate(v.reviewDate)}`;
  return `回访记录 ${v.id} 被 ${v.reviewer}${when} 退回${v.reviewComment ? `：${v.reviewComment}` : ''}，请重新回访`;
}

/** An entry of one person's day: the source's own object, never a copy. */
export type PickedEntry = Entry;

const isTicket = (e: Entry): e is OpenTicket => 'deadline' in e;

/** 超时 past the deadline, 即将超时 within 工单预警(小时) of it. */
function ticketFlag(source: WorkSource, t: OpenTicket, now: WallSeconds): WorkItem['flag'] {
  if (now > t.deadline) return '超时';
  return t.deadline - now <= source.warnSeconds ? '即将超时' : undefined;
}

/** Merges lists already in the day's order into one, in that order. */
function mergeByOrder(lists: readonly (readonly PickedEntry[])[]): PickedEntry[] {
  let out: PickedEntry[] = [];
  for (const list of lists) {
    if (list.length === 0) continue;
    if (out.length === 0) {
      out = [...list];
      continue;
    }
    const merged: PickedEntry[] = [];
    let i = 0;
    let j = 0;
    while (i < out.length && j < list.length)
      merged.push(out[i]!.order <= list[j]!.order ? out[i++]! : list[j++]!);
    while (i < out.length) merged.push(out[i++]!);
    while (j < list.length) merged.push(list[j++]!);
    out = merged;
  }
  return out;
}

/**
 * The lists one person's day is made of, each in the day's order and none copied from
 * the source but the tickets they may handle: `now` is the wall time tickets are judged
 * at (the moment of the request for today; the same time of day for another day).
 */
export function pickLists(
  source: WorkSource,
  person: Actor,
  now: WallSeconds,
): (readonly PickedEntry[])[] {
  if (!person.active) return [];
  const lists: (readonly PickedEntry[])[] = [];
  if (person.role !== '客服') lists.push(source.callbacks.get(person.name) ?? []);
  lists.push(source.returned.get(person.name) ?? []);
  const manager = isManager(person);
  const tickets: PickedEntry[] = [];
  if (person.role === '客服') {
    for (const t of source.openTickets)
      if (may(person, 'handleTicket', { handler: t.handler, department: t.department }))
        tickets.push(t);
  } else if (manager) for (const t of source.openTickets) if (now > t.deadline) tickets.push(t);
  lists.push(tickets);
  if (manager) lists.push(source.reviews);
  return lists.filter((l) => l.length > 0);
}

/** Every entry of one person's day, in the day's order (see pickLists for `now`). */
export function pickEntries(source: WorkSource, person: Actor, now: WallSeconds): PickedEntry[] {
  return mergeByOrder(pickLists(source, person, now));
}

/** One entry as the HTTP contract's item, the phone as the person may see it. */
export function itemOf(
  source: WorkSource,
  person: Actor,
  e: PickedEntry,
  now: WallSeconds,
): WorkItem {
  const c = source.customers.get(e.customerId);
  const item: WorkItem = {
    kind: e.kind,
    customerId: e.customerId,
    customerName: c?.name ?? '',
    phone: c ? phoneAsSeen(person, c.owner, c.phone) : '',
    due: formatDate(e.due),
    overdueDays: Math.max(0, source.date - e.due),
    reason: e.reason,
    form: e.form,
    ref: e.ref,
  };
  const flag = isTicket(e) ? ticketFlag(source, e, now) : undefined;
  if (flag) item.flag = flag;
  if (c?.strategy) item.strategy = c.strategy;
  return item;
}

/** One person's whole day (see pickEntries for `now`). */
export function worklistFor(source: WorkSource, person: Actor, now: WallSeconds): Worklist {
  const items = pickEntries(source, person, now).map((e) => itemOf(source, person, e, now));
  return { person: person.name, date: formatDate(source.date), items };
}
