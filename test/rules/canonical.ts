/**
 * A stable text form of the engine's output, for comparing two computations exactly:
 * keys sorted, maps as sorted entries, -0 and NaN spelled out.
 */
import type { RulesOutput } from '../../shared/rules/index.ts';

export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'number') {
      if (Object.is(v, -0)) return '-0';
      if (!Number.isFinite(v)) return String(v);
      return v;
    }
    if (v instanceof Map) {
      return [...(v as Map<unknown, unknown>).entries()].sort(([a], [b]) =>
        String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0,
      );
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(
        Object.keys(o)
          .sort()
          .map((k) => [k, o[k]]),
      );
    }
    return v;
  });
}

/** The output cut into labelled parts, each in canonical form, so that a difference says where it is. */
export function sections(out: RulesOutput, chunk = 100): Map<string, string> {
  const parts = new Map<string, string>();
  const customers = [...out.customers.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (let i = 0; i < customers.length; i += chunk) {
    parts.set(
      `customers ${i}–${Math.min(i + chunk, customers.length) - 1}`,
      canonical(customers.slice(i, i + chunk)),
    );
  }
  parts.set('customer count', String(out.customers.size));
  parts.set('tickets', canonical(out.tickets));
  parts.set('callbackPlan', canonical(out.callbackPlan));
  for (const r of out.reports) parts.set(`report ${r.title}`, canonical(r));
  parts.set('report titles', canonical(out.reports.map((r) => r.title)));
  parts.set('problems', canonical(out.problems));
  parts.set('tiersValid', String(out.tiersValid));
  return parts;
}
