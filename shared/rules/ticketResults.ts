/**
 * The 工单 sync cells of every ticket (docs/rules.md#tickets, #tickets-more): durations,
 * SLA状态 and 闭环状态, one object per ticket, built in one pass in dataset order.
 */
import type { WallSeconds } from '../calendar.ts';
import type { ClosureState, SlaState, Ticket } from '../model.ts';
import { closureState } from './closure.ts';
import { hoursOneDecimal, slaState, type SlaLimits } from './tickets.ts';

export interface TicketResult {
  responseHours: number | null;
  resolutionHours: number | null;
  slaState: SlaState;
  /** 闭环状态, null while the ticket is open */
  closure: ClosureState | null;
}

/**
 * Keyed by 工单编号, in dataset order (a repeated 工单编号 keeps its place and its last
 * row's cells, as Map.set does). `visitDays[k]` is the day of the latest valid visit of
 * ticket k's customer up to today, −Infinity when it has none: the same answer as
 * closureState with null.
 */
export function ticketResults(
  tickets: readonly Ticket[],
  now: WallSeconds,
  limits: SlaLimits,
  visitDays: Float64Array,
): Map<string, TicketResult> {
  const out = new Map<string, TicketResult>();
  for (let k = 0; k < tickets.length; k++) {
    const t = tickets[k]!;
    out.set(t.id, ticketResult(t, now, limits, visitDays[k]!));
  }
  return out;
}

/** ticketResults by position: the cells of tickets[k] at k. */
export function ticketResultList(
  tickets: readonly Ticket[],
  now: WallSeconds,
  limits: SlaLimits,
  visitDays: Float64Array,
): TicketResult[] {
  const out = new Array<TicketResult>(tickets.length);
  for (let k = 0; k < tickets.length; k++)
    out[k] = ticketResult(tickets[k]!, now, limits, visitDays[k]!);
  return out;
}

/** One ticket's cells; `visited` as in ticketResults. */
export function ticketResult(
  t: Ticket,
  now: WallSeconds,
  limits: SlaLimits,
  visited: number,
): TicketResult {
  // Built here rather than copied from ticketCells' object: one object per ticket, not two.
  return {
    responseHours: t.respondedAt === null ? null : hoursOneDecimal(t.respondedAt - t.createdAt),
    resolutionHours: t.resolvedAt === null ? null : hoursOneDecimal(t.resolvedAt - t.createdAt),
    slaState: slaState(t, now, limits),
    closure: closureState(t, visited === -Infinity ? null : visited),
  };
}
