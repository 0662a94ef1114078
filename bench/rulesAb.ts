/**
 * Compares the computeRules of two checkouts in one process, run after run in turn on the
 * same dataset (checkout A's timing dataset, its rows' customers recorded for B's engine
 * as well when B has customerPositions.ts). On a shared machine the same engine's warm
 * median moves by half from one minute to the next; two engines taking turns within a
 * second of each other see the same minute, so their difference shows where separate
 * processes, even interleaved, drown it. Each checkout is bundled on its own, so the two
 * engines share no compiled code. Four runs each warm up before the timed pairs; the
 * order within a pair alternates.
 * Run: npx tsx bench/rulesAb.ts <checkout A> <checkout B> [pairs] [customers]
 *   (pairs: 20 unless given; customers: 100,000)
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type { computeRules } from '../shared/rules/index.ts';
import type { BENCH_NOW, benchDataset } from './rulesDataset.ts';
import { loadText as load, median } from './stats.ts';

interface Engine {
  computeRules: typeof computeRules;
  BENCH_NOW: typeof BENCH_NOW;
  benchDataset: typeof benchDataset;
  /** where the checkout has it: records the rows' customers as validation does */
  recordLookedUpPositions?: (dataset: ReturnType<typeof benchDataset>) => void;
}

const [a, b] = process.argv.slice(2, 4);
if (a === undefined || b === undefined) {
  console.error('usage: npx tsx bench/rulesAb.ts <checkout A> <checkout B> [pairs] [customers]');
  process.exit(2);
}
const pairs = Number(process.argv[4] ?? 20);
const customers = Number(process.argv[5] ?? 100_000);
if (!(Number.isInteger(pairs) && pairs > 0 && Number.isInteger(customers) && customers > 0)) {
  console.error('pairs and customers are whole numbers above 0');
  process.exit(2);
}

const dir = mkdtempSync(join(tmpdir(), 'rules-ab-'));
async function engine(checkout: string, name: string): Promise<Engine> {
  const root = resolve(checkout);
  const outfile = join(dir, `${name}.mjs`);
  const positions = join(root, 'shared/rules/customerPositions.ts');
  await build({
    stdin: {
      contents:
        `export { computeRules } from ${JSON.stringify(join(root, 'shared/rules/index.ts'))};\n` +
        `export { BENCH_NOW, benchDataset } from ${JSON.stringify(join(root, 'bench/rulesDataset.ts'))};\n` +
        (existsSync(positions)
          ? `export { recordLookedUpPositions } from ${JSON.stringify(positions)};\n`
          : ''),
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    // As tsx compiles the sources the service runs (bin/crm-sync.js): it keeps function
    // names by wrapping each named closure, which a closure made per row pays for.
    keepNames: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'warning',
  });
  return (await import(pathToFileURL(outfile).href)) as Engine;
}

let engines: readonly [Engine, Engine];
try {
  engines = [await engine(a, 'a'), await engine(b, 'b')];
} finally {
  rmSync(dir, { recursive: true });
}
const { benchDataset: dataset, BENCH_NOW: now } = engines[0];
const data = dataset(customers);
// Each bundle keeps its own record of validation's positions (customerPositions.ts): B's
// engine sees the shared dataset's rows' customers only when B records them too.
engines[1].recordLookedUpPositions?.(data);
console.log(`A ${a}, B ${b}: ${pairs} pairs on ${customers} customers (load ${load()})`);

const timeOf = (e: Engine): number => {
  const start = performance.now();
  e.computeRules(data, now);
  return performance.now() - start;
};
for (let i = 0; i < 4; i++) for (const e of engines) timeOf(e);
const ta: number[] = [];
const tb: number[] = [];
for (let i = 0; i < pairs; i++) {
  // A first in even pairs, B first in odd ones.
  if (i % 2 === 0) ta.push(timeOf(engines[0]));
  tb.push(timeOf(engines[1]));
  if (i % 2 === 1) ta.push(timeOf(engines[0]));
}

const diffs = ta.map((t, i) => tb[i]! - t);
const fmt = (xs: readonly number[]): string =>
  `median ${median(xs).toFixed(0)} ms, best ${Math.min(...xs).toFixed(0)}`;
console.log(`A ${fmt(ta)}; B ${fmt(tb)}`);
console.log(
  `B − A per pair: median ${median(diffs).toFixed(0)} ms; B faster in ` +
    `${diffs.filter((d) => d < 0).length} of ${pairs} (load ${load()})`,
);
