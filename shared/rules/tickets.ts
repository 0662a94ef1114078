/** The 工单 sync cells (docs/rules.md#tickets): durations and SLA状态. */
import type { WallSeconds } from '../calendar.ts';
import type { SlaState, Settings, Ticket, Urgency } from '../model.ts';
import { URGENCIES } from '../../sheets-templates/values.ts';
import { cmpFast, fast, fromNumber, type FastQ } from './rational.ts';
import { isResolved } from './metrics.ts';

export interface TicketCells {
  /** 响应时长(小时), one decimal; null without a 首次响应时间 */
  responseHours: number | null;
  /** 处理时长(小时), one decimal; null without a 解决时间 */
  resolutionHours: number | null;
  slaState: SlaState;
}

/** Seconds as hours with one decimal, half up on the exact value: 69 min = 1.15 h → 1.2. */
export function hoursOneDecimal(seconds: number): number {
  // tenths of an hour = seconds / 360; floor(x + ½) = floor((2s + 360) / 720)
  return Math.floor((2 * seconds + 360) / 720) / 10;
}

export interface SlaLimits {
  /** limits in seconds, exact */
  response: Readonly<Record<Urgency, FastQ>>;
  resolution: Readonly<Record<Urgency, FastQ>>;
}

export function slaLimits(settings: Settings): SlaLimits {
  const inSeconds = (hours: Readonly<Record<Urgency, number>>): Record<Urgency, FastQ> => {
    const out = {} as Record<Urgency, FastQ>;
    for (const u of URGENCIES) {
      const h = fromNumber(hours[u]);
      out[u] = fast({ n: h.n * 3600n, d: h.d });
    }
    return out;
  };
  return {
    response: inSeconds(settings.responseLimitHours),
    resolution: inSeconds(settings.resolutionLimitHours),
  };
}

/** seconds ≤ limit, exactly */
const within = (seconds: number, limit: FastQ): boolean => cmpFast(seconds, 1, limit) <= 0;

export function slaState(ticket: Ticket, now: WallSeconds, limits: SlaLimits): SlaState {
  const u = ticket.urgency;
  if (isResolved(ticket)) {
    const resolvedAt = ticket.resolvedAt!;
    // A resolved ticket without a response counts as answered when it was resolved.
    const respondedAt = ticket.respondedAt ?? resolvedAt;
    const met =
      within(respondedAt - ticket.createdAt, limits.response[u]) &&
      within(resolvedAt - ticket.createdAt, limits.resolution[u]);
    return met ? '按时' : '超时';
  }
  const elapsed = now - ticket.createdAt;
  if (!within(elapsed, limits.resolution[u])) return '超时';
  if (ticket.respondedAt === null && !within(elapsed, limits.response[u])) return '响应超时';
  return '处理中';
}

export function ticketCells(ticket: Ticket, now: WallSeconds, limits: SlaLimits): TicketCells {
  return {
    responseHours:
      ticket.respondedAt === null ? null : hoursOneDecimal(ticket.respondedAt - ticket.createdAt),
    resolutionHours:
      ticket.resolvedAt === null ? null : hoursOneDecimal(ticket.resolvedAt - ticket.createdAt),
    slaState: slaState(ticket, now, limits),
  };
}
