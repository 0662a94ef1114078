/**
 * What the customers list and the customer page show, as plain JSON: the same shapes
 * travel over HTTP (local mode) and google.script.run (the add-on sidebar).
 */
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { formatDate, formatDateTime } from '../calendar.ts';
import type { ParsedRow } from '../validate/index.ts';
import type { CustomerAccess, CustomerViewer } from './access.ts';
import {
  facetsFor,
  type CustomerDirectory,
  type DirectoryEntry,
  type FacetKey,
} from './directory.ts';
import {
  callbackOutlook,
  type CallbackCandidate,
  explainChurn,
  explainTier,
  type ChurnReason,
  type TierExplanation,
} from './explain.ts';
import { healthBreakdown, noPaidOrders, type HealthBreakdown } from './health.ts';
import { searchDirectory, type CustomerQuery } from './search.ts';

export interface CustomerListRow {
  id: string;
  name: string;
  kind: string;
  contact: string;
  phone: string;
  owner: string;
  region: string;
  status: string;
  tier: string;
  healthLevel: string;
  healthScore: number | null;
  churnWarning: string;
  /** e.g. "2026-12-01 定期回访" */
  nextCallback: string;
  /** the row has an 错误 and took no part in the last sync's rules */
  hasProblem: boolean;
}

export interface CustomerListView {
  total: number;
  rows: CustomerListRow[];
  facets: Readonly<Record<FacetKey, readonly string[]>>;
  /** the time the last sync computed for */
  asOf: string;
  /** the viewer may add customers (the list links to 新建客户) */
  canCreate: boolean;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : v == null ? '' : String(v));

export const money = (fen: number): string =>
  '¥' + (fen / 100).toLocaleString('zh-CN', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function listRow(e: DirectoryEntry, viewer: CustomerViewer): CustomerListRow {
  const r = e.result;
  return {
    id: e.id,
    name: text(e.values.name),
    kind: text(e.values.kind),
    contact: text(e.values.contact),
    phone: viewer.phone(e.owner, text(e.values.phone)),
    owner: e.owner,
    region: e.region,
    status: e.status,
    tier: e.tier,
    healthLevel: e.healthLevel,
    healthScore: r?.healthScore ?? null,
    churnWarning: r?.churnWarning ?? '',
    nextCallback:
      r?.nextCallbackDate != null
        ? `${formatDate(r.nextCallbackDate)} ${r.nextCallbackKind ?? ''}`.trim()
        : '',
    hasProblem: e.customer === null,
  };
}

/** The customers this viewer may see that match the query, phones as the viewer may see them. */
export function customerList(
  dir: CustomerDirectory,
  query: CustomerQuery,
  viewer: CustomerViewer,
): CustomerListView {
  const found = searchDirectory(dir, query, viewer);
  return {
    total: found.total,
    rows: found.entries.map((e) => listRow(e, viewer)),
    facets: facetsFor(dir, viewer),
    asOf: formatDateTime(dir.now),
    canCreate: viewer.canCreate,
  };
}

export interface Field {
  label: string;
  value: string;
}

export interface TimelineItem {
  /** 订单, 跟进, 工单 or 回访 */
  kind: string;
  id: string;
  /** "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" */
  at: string;
  title: string;
  detail: string;
  /** the row has an 错误 (shown, but not counted by the rules) */
  hasProblem: boolean;
}

export interface Customer360 {
  id: string;
  name: string;
  asOf: string;
  access: CustomerAccess;
  /** set when the row has an 错误: only the profile is shown */
  problem: string | null;
  profile: Field[];
  computed: Field[];
  metrics: Field[];
  health: { score: number | null; level: string; breakdown: HealthBreakdown | null; note: string };
  tier: TierExplanation | null;
  churn: ChurnReason[];
  callbacks: {
    next: { date: string; kind: string; reason: string; state: string; overdueDays: number } | null;
    candidates: Array<{ date: string; kind: string; reason: string; chosen: boolean }>;
  };
  timeline: TimelineItem[];
}

/** A parsed cell as a person reads it. */
function shown(type: string, v: unknown): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'number') {
    if (type === 'date') return formatDate(v);
    if (type === 'datetime') return formatDateTime(v);
    if (type === 'money') return money(v);
  }
  return text(v);
}

function profileOf(e: DirectoryEntry, viewer: CustomerViewer): Field[] {
  return CUSTOMERS.columns
    .filter((c) => c.owner === 'people')
    .map((c) => {
      const value = shown(c.type, e.values[c.key]);
      return { label: c.header, value: c.key === 'phone' ? viewer.phone(e.owner, value) : value };
    })
    .filter((f) => f.value !== '');
}

interface Moment {
  sort: number;
  item: TimelineItem;
}

const joinNonEmpty = (parts: Array<string | false>): string =>
  parts.filter((p): p is string => !!p).join('；');

function timelineOf(dir: CustomerDirectory, id: string): TimelineItem[] {
  const rows = dir.rows.get(id);
  if (!rows) return [];
  const out: Moment[] = [];
  const push = (
    r: ParsedRow,
    kind: string,
    time: unknown,
    isDay: boolean,
    title: string,
    detail: string,
  ): void => {
    const t = typeof time === 'number' ? time : NaN;
    out.push({
      sort: Number.isFinite(t) ? (isDay ? t * 86_400 : t) : -Infinity,
      item: {
        kind,
        id: r.id,
        at: Number.isFinite(t) ? (isDay ? formatDate(t) : formatDateTime(t)) : '',
        title,
        detail,
        hasProblem: r.hasError,
      },
    });
  };
  for (const r of rows.parsed.orders) {
    const v = r.values;
    push(
      r,
      '订单',
      v.orderDate,
      true,
      `${text(v.product) || '订单'} × ${text(v.quantity) || '1'}`,
      joinNonEmpty([
        typeof v.amount === 'number' && `金额 ${money(v.amount)}`,
        text(v.paymentStatus) && `付款状态 ${text(v.paymentStatus)}`,
      ]),
    );
  }
  for (const r of rows.parsed.followUps) {
    const v = r.values;
    push(
      r,
      '跟进',
      v.time,
      false,
      `${text(v.method)}跟进：${text(v.content)}`,
      joinNonEmpty([
        text(v.feedback) && `客户反馈 ${text(v.feedback)}`,
        text(v.nextStep) && `下一步 ${text(v.nextStep)}`,
        typeof v.planDate === 'number' && `下次跟进 ${formatDate(v.planDate)}`,
        text(v.by) && `跟进人 ${text(v.by)}`,
      ]),
    );
  }
  for (const r of rows.parsed.tickets) {
    const v = r.values;
    push(
      r,
      '工单',
      v.createdAt,
      false,
      `${text(v.type)}（${text(v.urgency)}）：${text(v.description)}`,
      joinNonEmpty([
        text(v.status) && `状态 ${text(v.status)}`,
        text(v.handler) && `处理人 ${text(v.handler)}`,
        text(v.resolution) && `处理结果 ${text(v.resolution)}`,
        text(v.satisfaction) && `满意度 ${text(v.satisfaction)}`,
      ]),
    );
  }
  for (const r of rows.parsed.visits) {
    const v = r.values;
    push(
      r,
      '回访',
      v.time,
      false,
      `${text(v.method)}回访${text(v.purpose) ? '：' + text(v.purpose) : ''}`,
      joinNonEmpty([
        text(v.productSatisfaction) && `产品满意度 ${text(v.productSatisfaction)}`,
        text(v.serviceSatisfaction) && `服务满意度 ${text(v.serviceSatisfaction)}`,
        text(v.opinion) && `客户意见 ${text(v.opinion)}`,
        text(v.by) && `回访人 ${text(v.by)}`,
        text(v.reviewer) ? `已审核（${text(v.reviewer)}）` : '未审核',
      ]),
    );
  }
  // Newest first; the same moment keeps kind and ID order, for a stable page.
  out.sort(
    (a, b) => b.sort - a.sort || (a.item.id < b.item.id ? 1 : a.item.id > b.item.id ? -1 : 0),
  );
  return out.map((m) => m.item);
}

/**
 * The customer page of one 客户编号 as this viewer may see it; null when the last sync saw
 * no such customer. The caller refuses a customer the viewer may not see (viewer.refusal).
 */
export function customer360(
  dir: CustomerDirectory,
  id: string,
  viewer: CustomerViewer,
): Customer360 | null {
  const e = dir.byId.get(id);
  if (!e || !viewer.sees(e.owner)) return null;
  const base = {
    id: e.id,
    name: text(e.values.name),
    asOf: formatDateTime(dir.now),
    access: viewer.access(e.owner),
    profile: profileOf(e, viewer),
    timeline: timelineOf(dir, e.id),
  };
  const c = e.customer;
  const r = e.result;
  if (!c || !r)
    return {
      ...base,
      problem: '这一行有数据问题（见“数据问题”表），改正后下次同步才会计算它的指标、健康度和分层',
      computed: [],
      metrics: [],
      health: { score: null, level: '', breakdown: null, note: '' },
      tier: null,
      churn: [],
      callbacks: { next: null, candidates: [] },
    };
  // The result holds the metrics as its own fields.
  const m = r;
  const s = dir.settings;
  const outlook = callbackOutlook(c, dir.rows.get(c.id), r, dir, dir.now);
  const next = outlook.next;
  const chosen = (k: CallbackCandidate): boolean =>
    next !== null && k.kind === next.kind && k.date === next.date;
  return {
    ...base,
    problem: null,
    computed: [
      { label: '客户分层', value: r.tier ?? '' },
      { label: '健康度', value: r.healthScore === null ? '' : String(r.healthScore) },
      { label: '健康等级', value: r.healthLevel ?? '' },
      { label: '流失预警', value: r.churnWarning },
      {
        label: '下次回访',
        value:
          r.nextCallbackDate === null
            ? ''
            : `${formatDate(r.nextCallbackDate)} ${r.nextCallbackKind ?? ''}`,
      },
    ],
    metrics: [
      { label: '近12月金额', value: money(m.amount12m) },
      { label: '近12月合作次数', value: String(m.orders12m) },
      { label: '近6月合作次数', value: String(m.orders6m) },
      { label: '近3月 / 前3月订单', value: `${m.ordersLast3m} / ${m.ordersPrev3m}` },
      { label: '近3月互动次数', value: String(m.interactions3m) },
      { label: '近6月投诉次数', value: String(m.complaints6m) },
      {
        label: '近12月按时付款率',
        value: noPaidOrders(m)
          ? '—（没有到期的订单）'
          : `${((m.onTimeRate12m.num / m.onTimeRate12m.den) * 100).toFixed(0)}%（${m.onTimeRate12m.num}/${m.onTimeRate12m.den}）`,
      },
      {
        label: '满意度',
        value: m.satisfaction === null ? '—' : (m.satisfaction.num / m.satisfaction.den).toFixed(1),
      },
    ],
    health:
      c.status === '正式'
        ? {
            score: r.healthScore,
            level: r.healthLevel ?? '',
            breakdown: healthBreakdown(m, s),
            note: '',
          }
        : {
            score: null,
            level: r.healthLevel ?? '',
            breakdown: null,
            note: `健康度只为客户状态“正式”的客户计算（当前：${c.status}）`,
          },
    tier: explainTier({ customer: c, metrics: m, healthScore: r.healthScore }, dir, r.tier),
    churn: explainChurn(r.churnWarning, m, r.healthScore, s),
    callbacks: {
      next: next && {
        date: formatDate(next.date),
        kind: next.kind,
        reason: next.reason,
        state: next.state,
        overdueDays: next.overdueDays,
      },
      candidates: outlook.candidates.map((k) => ({
        date: formatDate(k.date),
        kind: k.kind,
        reason: k.reason,
        chosen: chosen(k),
      })),
    },
  };
}
