/**
 * 我的待办 a page at a time (docs/team.md § The HTTP contract). A rep far behind can have
 * thousands of overdue callbacks; the page and the sidebar show the first of each group
 * (逾期, then 今日) with how many remain, and ask for more of one group when wanted.
 * Only the items of the page are built; the rest are counted.
 */
import { formatDate, type WallSeconds } from './calendar.ts';
import type { Actor } from './permissions.ts';
import { itemOf, pickLists, type PickedEntry, type WorkItem, type WorkSource } from './worklist.ts';

export const WORK_GROUPS = ['overdue', 'today'] as const;
export type WorkGroup = (typeof WORK_GROUPS)[number];

export const GROUP_TITLES: Readonly<Record<WorkGroup, string>> = { overdue: '逾期', today: '今日' };

export const DEFAULT_PAGE_LIMIT = 100;
export const MAX_PAGE_LIMIT = 1000;

/** What the add-on's sidebar gets: the account's day, or why it cannot be shown. */
export type WorklistReply =
  { ok: true; name: string; role: string; worklist: WorklistPage } | { ok: false; message: string };

export interface PageRequest {
  /** items per group (1–MAX_PAGE_LIMIT) */
  limit: number;
  /** only this group, from `offset`; both groups from their start when absent */
  group?: WorkGroup;
  offset?: number;
}

export interface WorklistPage {
  person: string;
  date: string;
  /** the page's items in the day's order: 逾期 before 今日 */
  items: WorkItem[];
  /** every item of each group, whether on this page or not */
  total: Record<WorkGroup, number>;
  /** the offset to ask for next in each group, null when nothing is left after this page */
  next: Record<WorkGroup, number | null>;
}

/** How many entries of a list (in the day's order, so by due date first) fall before `day`. */
function countBefore(list: readonly PickedEntry[], day: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid]!.due < day) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Entries `skip` to `skip + take` of the merge of a part of each list, in the day's order,
 * walking only as far as the page reaches: nothing of the day is copied or sorted.
 */
function mergedSlice(
  parts: readonly { list: readonly PickedEntry[]; from: number; to: number }[],
  skip: number,
  take: number,
): PickedEntry[] {
  const at = parts.map((p) => p.from);
  const out: PickedEntry[] = [];
  for (let n = 0; n < skip + take; n++) {
    let best = -1;
    for (let k = 0; k < parts.length; k++)
      if (
        at[k]! < parts[k]!.to &&
        (best < 0 || parts[k]!.list[at[k]!]!.order < parts[best]!.list[at[best]!]!.order)
      )
        best = k;
    if (best < 0) break;
    const e = parts[best]!.list[at[best]!++]!;
    if (n >= skip) out.push(e);
  }
  return out;
}

/** One person's day, a page of it: `now` as in pickLists. */
export function worklistPage(
  source: WorkSource,
  person: Actor,
  now: WallSeconds,
  page: PageRequest,
): WorklistPage {
  const lists = pickLists(source, person, now);
  // Overdue entries (due before the day) come first in every list.
  const split = lists.map((list) => countBefore(list, source.date));
  const parts: Record<WorkGroup, { list: readonly PickedEntry[]; from: number; to: number }[]> = {
    overdue: lists.map((list, k) => ({ list, from: 0, to: split[k]! })),
    today: lists.map((list, k) => ({ list, from: split[k]!, to: list.length })),
  };
  const size = (g: WorkGroup) => parts[g].reduce((n, p) => n + p.to - p.from, 0);
  const total = { overdue: size('overdue'), today: size('today') };
  const items: WorkItem[] = [];
  const next: Record<WorkGroup, number | null> = { overdue: null, today: null };
  for (const group of WORK_GROUPS) {
    if (page.group !== undefined && page.group !== group) continue;
    const offset = page.group === group ? Math.max(0, page.offset ?? 0) : 0;
    for (const e of mergedSlice(parts[group], offset, page.limit))
      items.push(itemOf(source, person, e, now));
    const reached = offset + page.limit;
    next[group] = reached < total[group] ? reached : null;
  }
  return { person: person.name, date: formatDate(source.date), items, total, next };
}

/** The sidebar's "more of this group" arguments, whatever the page sent. */
export function sidebarPage(group: unknown, offset: unknown): PageRequest {
  const page: PageRequest = { limit: DEFAULT_PAGE_LIMIT };
  if (typeof group === 'string' && (WORK_GROUPS as readonly string[]).includes(group)) {
    page.group = group as WorkGroup;
    const n = typeof offset === 'number' ? offset : Number(offset);
    page.offset = Number.isInteger(n) && n > 0 ? n : 0;
  }
  return page;
}
