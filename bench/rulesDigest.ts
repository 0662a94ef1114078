/**
 * Digests of computeRules' whole output — every field, maps and arrays in their own
 * order — on the timing dataset (bench/rules.ts) at the sizes given, through computeRules
 * and through computeCustomers + rulesOutput, with and without 我的待办's due callbacks.
 * (The seeded scenarios of test/rules are pinned by test/rules/equivalence.test.ts.)
 * A change to the engine that is meant to be exact must leave every line unchanged:
 *   npx tsx bench/rulesDigest.ts [10000,100000] > before.txt  …  npx tsx bench/rulesDigest.ts | diff before.txt -
 */
import { createHash, type Hash } from 'node:crypto';
import type { WallSeconds } from '../shared/calendar.ts';
import type { Dataset } from '../shared/model.ts';
import {
  computeCustomers,
  computeRules,
  rulesContext,
  rulesOutput,
  type RulesOutput,
} from '../shared/rules/index.ts';
import { BENCH_NOW, benchDataset } from './rulesDataset.ts';

/** Writes v into the hash in an order-keeping form: maps and arrays as iterated, object keys sorted. */
function feed(h: Hash, v: unknown): void {
  switch (typeof v) {
    case 'number':
      h.update(Object.is(v, -0) ? 'n-0;' : `n${v};`);
      return;
    case 'string':
      h.update(`s${v.length}:${v};`);
      return;
    case 'boolean':
      h.update(v ? 'T' : 'F');
      return;
    case 'undefined':
      h.update('u');
      return;
    case 'object':
      break;
    default:
      throw new TypeError(`unexpected ${typeof v}`);
  }
  if (v === null) {
    h.update('N');
    return;
  }
  // The rules' output maps are read-only views (tagged Map), not always Map instances.
  if (Object.prototype.toString.call(v) === '[object Map]') {
    const map = v as ReadonlyMap<unknown, unknown>;
    h.update(`M${map.size}{`);
    for (const [k, x] of map) {
      feed(h, k);
      feed(h, x);
    }
    h.update('}');
    return;
  }
  if (Array.isArray(v)) {
    h.update(`A${v.length}[`);
    for (const x of v) feed(h, x);
    h.update(']');
    return;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o).sort();
  h.update(`O${keys.length}{`);
  for (const k of keys) {
    h.update(`${k}=`);
    feed(h, o[k]);
  }
  h.update('}');
}

function digest(out: RulesOutput): string[] {
  const lines: string[] = [];
  for (const key of Object.keys(out).sort()) {
    const h = createHash('sha256');
    feed(h, (out as unknown as Record<string, unknown>)[key]);
    lines.push(`  ${key}: ${h.digest('hex').slice(0, 24)}`);
  }
  return lines;
}

function run(name: string, dataset: Dataset, now: WallSeconds): void {
  const previousTiers = new Map(
    dataset.customers.map((c, i) => [c.id, i % 5 === 0 ? null : ['甲', '乙'][i % 2]!]),
  );
  for (const dueCallbacks of [false, true]) {
    const out = computeRules(dataset, now, { previousTiers, dueCallbacks });
    console.log(`${name} computeRules due=${dueCallbacks}`);
    for (const l of digest(out)) console.log(l);
  }
  const context = rulesContext(dataset, now);
  const outcomes = computeCustomers(dataset, context, undefined, { dueCallbacks: true });
  const h = createHash('sha256');
  feed(h, outcomes);
  console.log(`${name} computeCustomers outcomes: ${h.digest('hex').slice(0, 24)}`);
  // In dataset order, as the warm engine passes them.
  const aligned = rulesOutput(dataset, outcomes, context, { previousTiers, dueCallbacks: true });
  console.log(`${name} rulesOutput in dataset order`);
  for (const l of digest(aligned)) console.log(l);
  // Reversed: rulesOutput must not depend on the outcomes' order.
  const out = rulesOutput(dataset, [...outcomes].reverse(), context, { previousTiers });
  console.log(`${name} rulesOutput`);
  for (const l of digest(out)) console.log(l);
  // A few customers only, as the warm engine asks.
  const some = dataset.customers.filter((_, i) => i % 97 === 3).map((c) => c.id);
  const part = createHash('sha256');
  feed(part, computeCustomers(dataset, context, some, { dueCallbacks: true }));
  console.log(`${name} computeCustomers subset: ${part.digest('hex').slice(0, 24)}`);
}

const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
for (const n of sizes) run(`bench ${n}`, benchDataset(n), BENCH_NOW);
