/**
 * 我的待办 (docs/team.md § 我的待办): each person's day, as a pure function of what the
 * sync computed and who is asking. `buildWorkSource` runs once per computed day (the
 * service keeps its result warm); `worklistFor` only filters and sorts one person's part.
 */
import { CALLBACK_KINDS } from '../sheets-templates/values.ts';
import { dateOf, formatDate, formatDateTime, type EpochDay, type WallSeconds } from './calendar.ts';
import type { FormKey } from './forms/definitions.ts';
import { compareIds } from './ids.ts';
import type { Customer, Dataset, Ticket, Visit } from './model.ts';
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
}

export interface Worklist {
  person: string;
  date: string;
  items: WorkItem[];
}

/** What the add-on's sidebar gets: the account's day, or why it cannot be shown. */
export type WorklistReply =
  { ok: true; name: string; role: string; worklist: Worklist } | { ok: false; message: string };

interface Entry {
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
): WorkSource {
  const settings = dataset.settings;
  const customers = new Map<string, WorkCustomer>();
  for (const c of dataset.customers) customers.set(c.id, workCustomer(c));

  const callbacks = new Map<string, Entry[]>();
  for (const d of due) {
    const owner = customers.get(d.customerId)?.owner ?? '';
    push(callbacks, owner, {
      kind: d.kind,
      customerId: d.customerId,
      due: d.date,
      reason: d.reason,
      form:
        d.kind === '首次联系' || d.kind === '定期跟进' || d.kind === '跟进计划'
          ? 'follow-up'
          : 'visit-record',
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

const workCustomer = (c: Customer): WorkCustomer => ({
  name: c.name,
  phone: c.phone ?? '',
  owner: c.owner,
});

function ticketReason(t: Ticket, deadline: WallSeconds): string {
  return `工单 ${t.id}（${t.type}，紧急程度${t.urgency}，${t.status}）须在 ${formatDateTime(Math.floor(deadline))} 前解决`;
}

function returnedReason(v: Visit): string {
  const when = v.reviewDate === null ? '' : ` 于 ${formatDate(v.reviewDate)}`;
  return `回访记录 ${v.id} 被 ${v.reviewer}${when} 退回${v.reviewComment ? `：${v.reviewComment}` : ''}，请重新回访`;
}

/**
 * One person's day: `now` is the wall time the ticket flags are judged at (the moment
 * of the request for today; any instant of another day for that day).
 */
export function worklistFor(source: WorkSource, person: Actor, now: WallSeconds): Worklist {
  const picked: (Entry & { flag?: WorkItem['flag'] })[] = [];
  if (person.active) {
    if (person.role !== '客服')
      for (const e of source.callbacks.get(person.name) ?? []) picked.push(e);
    for (const e of source.returned.get(person.name) ?? []) picked.push(e);
    const manager = isManager(person);
    for (const t of source.openTickets) {
      const late = now > t.deadline;
      const mine =
        person.role === '客服' &&
        may(person, 'handleTicket', { handler: t.handler, department: t.department });
      if (!mine && !(manager && late)) continue;
      const flag = late ? '超时' : t.deadline - now <= source.warnSeconds ? '即将超时' : undefined;
      picked.push(flag ? { ...t, flag } : t);
    }
    if (manager) for (const e of source.reviews) picked.push(e);
  }
  picked.sort((a, b) => a.order - b.order);
  const items = picked.map((e): WorkItem => {
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
    if (e.flag) item.flag = e.flag;
    return item;
  });
  return { person: person.name, date: formatDate(source.date), items };
}
