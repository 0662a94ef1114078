/** What the pickers offer: customers by name, ID or phone, and the rows an update form edits. */
import * as T from '../../sheets-templates/tabs.ts';
import * as V from '../../sheets-templates/values.ts';
import { cellText, maskPhone } from '../cells.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import type { WorkbookInput } from '../validate/index.ts';
import type { TargetKind } from './definitions.ts';
import { customerTiers } from './customerCard.ts';
import { cellOf, customerNames, findById, rowRecord, viewTab } from './sheet.ts';

export interface CustomerHit {
  id: string;
  name: string;
  kind: string;
  status: string;
  contact: string;
  /** masked, e.g. 138****5678 */
  phone: string;
  /** 客户分层 as the last sync left it */
  tier: string;
  row: number;
}

/** A row an update form can edit, with its current values as form text. */
export interface TargetItem {
  id: string;
  row: number;
  label: string;
  detail: string;
  record: Record<string, string>;
  /** the 客户分层 of the row's customer, for its 服务策略 */
  tier?: string;
}

export const CUSTOMER_HITS = 20;
export const TARGET_HITS = 50;

const digitsOf = (text: string): string => text.replace(/\D/g, '');

/**
 * Customers whose ID, name, contact or phone contains the query, best match first: the
 * exact ID, then IDs and names that start with it. A blank query lists the newest.
 */
export function searchCustomers(
  input: WorkbookInput,
  q: string,
  limit = CUSTOMER_HITS,
  seen: CustomerVisibility = MASKED_FOR_ALL,
): CustomerHit[] {
  const view = viewTab(input, T.CUSTOMERS);
  const query = q.trim().toLowerCase();
  const qDigits = digitsOf(query);
  const scored: { rank: number; hit: CustomerHit }[] = [];
  for (const r of view.rows) {
    const id = cellText(cellOf(view, r, 'customerId'));
    if (id === '') continue;
    const name = cellText(cellOf(view, r, 'name'));
    const contact = cellText(cellOf(view, r, 'contact'));
    const phone = cellText(cellOf(view, r, 'phone'));
    const owner = cellText(cellOf(view, r, 'owner'));
    if (!seen.visible(owner)) continue;
    let rank: number;
    if (query === '') rank = -r.row;
    else {
      const lid = id.toLowerCase();
      const lname = name.toLowerCase();
      if (lid === query) rank = 0;
      else if (lid.startsWith(query)) rank = 1;
      else if (lname.startsWith(query)) rank = 2;
      else if (lname.includes(query)) rank = 3;
      else if (lid.includes(query)) rank = 4;
      // Three digits at least, or every phone with a 1 in it would match.
      else if (
        qDigits.length >= 3 &&
        qDigits === query.replace(/[\s\-+]/g, '') &&
        digitsOf(phone).includes(qDigits)
      )
        rank = 5;
      else if (contact.toLowerCase().includes(query)) rank = 6;
      else continue;
    }
    scored.push({
      rank,
      hit: {
        id,
        name,
        kind: cellText(cellOf(view, r, 'kind')),
        status: cellText(cellOf(view, r, 'status')),
        contact,
        phone: seen.phone(owner, phone === '' ? '' : digitsOf(phone) || phone),
        tier: cellText(cellOf(view, r, 'tier')),
        row: r.row,
      },
    });
  }
  scored.sort((a, b) => a.rank - b.rank || a.hit.row - b.hit.row);
  return scored.slice(0, limit).map((s) => s.hit);
}

/** Which customers a person may see in lists and pickers, and their phones as they may see them. */
export interface CustomerVisibility {
  visible(owner: string): boolean;
  phone(owner: string, phone: string): string;
}

const MASKED_FOR_ALL: CustomerVisibility = {
  visible: () => true,
  phone: (_owner, phone) => (phone === '' ? '' : maskPhone(phone)),
};

/** True when a 客户编号 names a row of 客户. */
export function customerExists(input: WorkbookInput, id: string): boolean {
  return findById(viewTab(input, T.CUSTOMERS), id.trim()) !== undefined;
}

/** 工单路由 as a map; types the tab does not list keep their default department. */
export function ticketRouting(input: WorkbookInput): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [type, department] of T.TICKET_ROUTING.defaultRows ?? [])
    map[String(type)] = String(department);
  const view = viewTab(input, T.TICKET_ROUTING);
  if (!view.exists) return map;
  const seen = new Set<string>();
  for (const r of view.rows) {
    const type = cellText(cellOf(view, r, 'type'));
    const department = cellText(cellOf(view, r, 'department'));
    // The first row of a type wins, as with every repeated key in the workbook.
    if (type === '' || department === '' || seen.has(type)) continue;
    seen.add(type);
    map[type] = department;
  }
  return map;
}

/** The departments people can pick for a ticket: those of 工单路由, in order of first use. */
export function departments(routing: Readonly<Record<string, string>>): string[] {
  return [...new Set(Object.values(routing))];
}

interface TargetRule {
  tab: TabDef;
  /** the row can still be edited by the form */
  open(record: Readonly<Record<string, string>>): boolean;
  /** why a row that was picked can no longer be edited */
  closed(id: string, record: Readonly<Record<string, string>>): string;
  label(record: Readonly<Record<string, string>>, customer: string): string;
  detail(record: Readonly<Record<string, string>>): string;
}

const LEAD: (typeof V.CUSTOMER_STATUSES)[number] = '潜在';
const isResolved = (status: string): boolean =>
  (V.RESOLVED_TICKET_STATUSES as readonly string[]).includes(status);
const join = (...parts: string[]): string => parts.filter((p) => p !== '').join(' · ');

export const TARGET_RULES: Readonly<Record<TargetKind, TargetRule>> = {
  lead: {
    tab: T.CUSTOMERS,
    open: (r) => r.status === LEAD,
    closed: (id, r) => `客户 ${id} 的客户状态已是“${r.status}”，不再是潜在客户：请重新选择`,
    label: (r) => `${r.name}（${r.customerId}）`,
    detail: (r) => join(r.intent ? `意向 ${r.intent}` : '', r.owner ?? '', r.createdDate ?? ''),
  },
  openTicket: {
    tab: T.TICKETS,
    open: (r) => !isResolved(r.status ?? ''),
    closed: (id, r) => `工单 ${id} 已是“${r.status}”：请重新选择`,
    label: (r, customer) => join(r.ticketId!, customer || r.customerId!),
    detail: (r) => join(r.status ?? '', r.urgency ?? '', r.type ?? '', r.createdAt ?? ''),
  },
  customer: {
    tab: T.CUSTOMERS,
    open: () => true,
    closed: (id) => `客户 ${id} 不能编辑：请重新选择`,
    label: (r) => `${r.name}（${r.customerId}）`,
    detail: (r) => join(r.status ?? '', r.phone ?? '', r.owner ?? ''),
  },
  pendingVisit: {
    tab: T.VISITS,
    open: (r) => (r.reviewer ?? '') === '' || (r.reviewDate ?? '') === '',
    closed: (id, r) => `回访记录 ${id} 已由 ${r.reviewer} 于 ${r.reviewDate} 审核：请重新选择`,
    label: (r, customer) => join(r.visitId!, customer || r.customerId!),
    detail: (r) => join(r.time ?? '', r.method ?? '', r.by ?? ''),
  },
};

/**
 * The rows an update form can edit, matching the query in their label or detail.
 * Leads come newest first; tickets and visits oldest first, the order they wait in.
 */
export function findTargets(
  input: WorkbookInput,
  kind: TargetKind,
  q = '',
  limit = TARGET_HITS,
  keep: (item: TargetItem) => boolean = () => true,
): TargetItem[] {
  const rule = TARGET_RULES[kind];
  const view = viewTab(input, rule.tab);
  const idKey = rule.tab.idColumn!;
  const names = rule.tab === T.CUSTOMERS ? new Map<string, string>() : customerNames(input);
  const tiers = customerTiers(input);
  const query = q.trim().toLowerCase();
  const open: TargetItem[] = [];
  const seen = new Set<string>();
  for (const r of view.rows) {
    const id = cellText(cellOf(view, r, idKey));
    // Rows without an ID wait for a sync to assign one; only the first of a repeated ID counts.
    if (id === '' || seen.has(id)) continue;
    seen.add(id);
    const record = rowRecord(view, r, input.epoch);
    if (!rule.open(record)) continue;
    const item = {
      id,
      row: r.row,
      label: rule.label(record, names.get(record.customerId ?? '') ?? ''),
      detail: rule.detail(record),
      record,
      tier: tiers.get(record.customerId ?? '') ?? '',
    };
    if (keep(item)) open.push(item);
  }
  if (rule.tab === T.CUSTOMERS) open.reverse();
  const matches =
    query === ''
      ? open
      : open.filter((item) =>
          `${item.label} ${item.detail} ${Object.values(item.record).join(' ')}`
            .toLowerCase()
            .includes(query),
        );
  return matches.slice(0, limit);
}

export const leads = (input: WorkbookInput, q = ''): TargetItem[] => findTargets(input, 'lead', q);
export const openTickets = (input: WorkbookInput, q = ''): TargetItem[] =>
  findTargets(input, 'openTicket', q);
export const pendingVisits = (input: WorkbookInput, q = ''): TargetItem[] =>
  findTargets(input, 'pendingVisit', q);
