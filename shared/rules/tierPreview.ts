/**
 * 预览分层变化 (docs/rules.md#tier-preview-预览分层变化): the tiers the current 分层规则 would
 * give, against the 客户分层 column as it stands — who would move, from what to what —
 * without writing anything. Pure: the CLI and the manager's sidebar show the same list.
 */
import { compareIds } from '../ids.ts';
import type { CustomerResult } from './index.ts';

export const BLANK_TIER = '（空）';

export interface TierMove {
  id: string;
  name: string;
  from: string;
  to: string;
}

export interface TierMoveCount {
  from: string;
  to: string;
  count: number;
}

export interface TierPreview {
  customers: number;
  moves: TierMove[];
  /** one per (from, to), largest first, then by from and to */
  counts: TierMoveCount[];
}

export function previewTiers(
  customers: readonly { id: string; name: string }[],
  computed: ReadonlyMap<string, Pick<CustomerResult, 'tier'>>,
  asRead: ReadonlyMap<string, string | null>,
): TierPreview {
  const moves: TierMove[] = [];
  for (const c of customers) {
    const to = computed.get(c.id)?.tier ?? null;
    if (to === null) continue;
    const from = asRead.get(c.id) ?? null;
    if (from === to) continue;
    moves.push({ id: c.id, name: c.name, from: from ?? BLANK_TIER, to });
  }
  moves.sort((a, b) => compareIds(a.id, b.id));
  const byPair = new Map<string, TierMoveCount>();
  for (const m of moves) {
    const key = `${m.from}\u0000${m.to}`;
    const c = byPair.get(key) ?? { from: m.from, to: m.to, count: 0 };
    c.count += 1;
    byPair.set(key, c);
  }
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const counts = [...byPair.values()].sort(
    (a, b) => b.count - a.count || text(a.from, b.from) || text(a.to, b.to),
  );
  return { customers: customers.length, moves, counts };
}

/** The preview in words, one line per move count and per customer. */
export function previewText(p: TierPreview): string {
  if (p.moves.length === 0) return `${p.customers} 个客户的客户分层都不会变化\n`;
  return (
    `${p.customers} 个客户中有 ${p.moves.length} 个的客户分层会变化：\n` +
    p.counts.map((c) => `  ${c.from} → ${c.to}：${c.count} 个\n`).join('') +
    '明细：\n' +
    p.moves.map((m) => `  ${m.id} ${m.name}：${m.from} → ${m.to}\n`).join('')
  );
}
