/**
 * A stable text form of the engine's output, for comparing two computations exactly:
 * keys sorted, maps as sorted entries, -0 and NaN spelled out.
 */
import type { CustomerResult, RulesOutput } from '../../shared/rules/index.ts';
import { ZERO_METRICS, type CustomerMetrics } from '../../shared/rules/metrics.ts';

export function canonical(value: unknown): string {
  return encode(value) ?? 'undefined';
}

const byText = ([a]: [unknown, unknown], [b]: [unknown, unknown]) =>
  String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;

/**
 * JSON text written directly rather than through JSON.stringify with a replacer, which
 * copied every object to sort its keys: the equivalence properties compare whole outputs
 * after every step, and those copies were most of their time. `undefined` where JSON
 * leaves the value out.
 */
function encode(v: unknown): string | undefined {
  switch (typeof v) {
    case 'number':
      if (Object.is(v, -0)) return '"-0"';
      return Number.isFinite(v) ? String(v) : `"${String(v)}"`;
    case 'string':
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      break;
    default:
      return undefined;
  }
  if (v === null) return 'null';
  // The rules' output maps are read-only views (tagged Map), not always Map instances.
  if (Object.prototype.toString.call(v) === '[object Map]')
    return encode([...(v as ReadonlyMap<unknown, unknown>).entries()].sort(byText));
  if (Array.isArray(v)) return `[${v.map((x) => encode(x) ?? 'null').join(',')}]`;
  const withJson = v as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function') return encode(withJson.toJSON());
  const o = v as Record<string, unknown>;
  const parts: string[] = [];
  for (const k of Object.keys(o).sort()) {
    const text = encode(o[k]);
    if (text !== undefined) parts.push(`${JSON.stringify(k)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}

/** Every metric's name, from the metrics of a customer with nothing recorded. */
const METRICS = Object.keys(ZERO_METRICS) as (keyof CustomerMetrics)[];

/**
 * A result in the shape the digests were recorded in: the metrics as an object of their
 * own beside the cells (近12月金额 and 合作次数 in both), as results held them then.
 */
function recordedShape(r: CustomerResult): unknown {
  const cells: Record<string, unknown> = { ...r };
  const metrics: Record<string, unknown> = {};
  for (const key of METRICS) {
    metrics[key] = r[key];
    if (key !== 'amount12m' && key !== 'orders12m') delete cells[key];
  }
  return { ...cells, metrics };
}

/** The output cut into labelled parts, each in canonical form, so that a difference says where it is. */
export function sections(out: RulesOutput, chunk = 100): Map<string, string> {
  const parts = new Map<string, string>();
  const customers = [...out.customers.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, r]) => [id, recordedShape(r)]);
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
