/**
 * computeRules' customers and tickets are read-only maps over the results by position:
 * they must read and iterate as the Maps rulesOutput fills, repeated IDs included.
 */
import { describe, expect, it } from 'vitest';
import {
  computeCustomers,
  computeRules,
  rulesContext,
  rulesOutput,
} from '../../shared/rules/index.ts';
import type { Dataset } from '../../shared/model.ts';
import { at, builder } from './build.ts';

const NOW = at('2024-06-12 10:00');

function sameAsMaps(dataset: Dataset): void {
  const out = computeRules(dataset, NOW);
  const context = rulesContext(dataset, NOW);
  const maps = rulesOutput(dataset, computeCustomers(dataset, context), context);
  for (const key of ['customers', 'tickets'] as const) {
    const view = out[key] as ReadonlyMap<string, unknown>;
    const map = maps[key] as ReadonlyMap<string, unknown>;
    expect([...view]).toEqual([...map]);
    expect([...view.keys()]).toEqual([...map.keys()]);
    expect([...view.values()]).toEqual([...map.values()]);
    expect(view.size).toBe(map.size);
    const seen: unknown[] = [];
    view.forEach((v, k, m) => seen.push([k, v, m === view]));
    expect(seen).toEqual([...map].map(([k, v]) => [k, v, true]));
    for (const id of [...map.keys(), 'X0', 'T2099000001', '']) {
      expect(view.get(id)).toEqual(map.get(id));
      expect(view.has(id)).toBe(map.has(id));
    }
    expect(Object.prototype.toString.call(view)).toBe('[object Map]');
  }
}

describe('the output maps', () => {
  it('read as Maps when every ID occurs once', () => {
    const b = builder();
    const a = b.customer();
    const c = b.customer({ id: 'x-1' });
    b.ticket(a, '2024-06-01 09:00');
    b.ticket(c, '2024-06-02 09:00', { id: 'odd ticket' });
    b.ticket(a, '2024-06-03 09:00');
    sameAsMaps(b.build());
  });

  it('keep a repeated ID in its first place with its last results', () => {
    const b = builder();
    const a = b.customer({ id: 'E2024000001', status: '正式' });
    b.customer();
    b.customer({ id: 'E2024000001', status: '潜在' });
    b.ticket(a, '2024-06-01 09:00', { id: 'T2024000001' });
    b.ticket(a, '2024-06-02 09:00');
    b.ticket(a, '2024-06-03 09:00', { id: 'T2024000001', resolvedAt: null });
    sameAsMaps(b.build());
  });
});
