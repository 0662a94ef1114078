/// <reference lib="dom" />
/** The customer's 客户分层 and its 服务策略 (分层策略), shown wherever a form shows the customer. */
import { h } from './dom.ts';

/** dt/dd pairs for a summary list; nothing when the tier is unknown. */
export function strategyRows(
  tier: string | undefined,
  strategies: Readonly<Record<string, string>>,
): HTMLElement[] {
  if (!tier) return [];
  const strategy = strategies[tier];
  return [
    h('dt', {}, '客户分层'),
    h('dd', {}, tier),
    ...(strategy ? [h('dt', {}, '服务策略'), h('dd', { class: 'strategy' }, strategy)] : []),
  ];
}

/** A card under a customer picker, filled once a customer is chosen. */
export function customerCard(): HTMLDListElement {
  return h('dl', { class: 'summary customer-card', hidden: true });
}

export function showCustomerCard(
  card: HTMLDListElement,
  tier: string | undefined,
  strategies: Readonly<Record<string, string>>,
): void {
  const rows = strategyRows(tier, strategies);
  card.replaceChildren(...rows);
  card.hidden = rows.length === 0;
}
