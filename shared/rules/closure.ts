/** 闭环状态 of a ticket (docs/rules.md#tickets-more). */
import { dateOf, type EpochDay } from '../calendar.ts';
import type { ClosureState, Ticket } from '../model.ts';
import { isResolved } from './metrics.ts';

/**
 * 已解决/已关闭 with a valid visit of the customer dated on or after the day of 解决时间 →
 * 已闭环; resolved without one → 待回访; open → null (blank).
 */
export function closureState(
  ticket: Ticket,
  latestValidVisitDay: EpochDay | null,
): ClosureState | null {
  if (!isResolved(ticket)) return null;
  return latestValidVisitDay !== null && latestValidVisitDay >= dateOf(ticket.resolvedAt!)
    ? '已闭环'
    : '待回访';
}
