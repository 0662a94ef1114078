/**
 * The pure layers form no import cycle, counting type-only imports: a cycle there means
 * two modules that can only be understood together, and bundlers order them by luck.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..', '..');
const FROM_RE = /^\s*(?:import|export)\b[^;]*?\bfrom\s+'(\.[^']+)'/gm;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? filesUnder(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** Relative imports of every file under the folders, as repository paths. */
function importGraph(folders: string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of folders.flatMap((f) => filesUnder(join(ROOT, f)))) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(FROM_RE)].map((m) =>
      relative(ROOT, resolve(dirname(file), m[1]!)),
    );
    graph.set(relative(ROOT, file), targets);
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as the path that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): void => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next) && graph.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('import edges', () => {
  it('finds a cycle when there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
      ['d.ts', ['a.ts']],
    ]);
    expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts', 'a.ts']]);
  });

  it('has no cycle in shared/ and sheets-templates/', () => {
    const graph = importGraph(['shared', 'sheets-templates']);
    expect(graph.size).toBeGreaterThan(40);
    expect(graph.get('shared/ids.ts')).toContain('shared/validate/types.ts');
    expect(cycles(graph)).toEqual([]);
  });

  it('keeps the sample generator out of the templates and test helpers out of bench/', () => {
    const templates = importGraph(['sheets-templates']);
    for (const [file, targets] of templates)
      for (const t of targets) expect(`${file} → ${t}`).toMatch(/ → sheets-templates\//);
    for (const [file, targets] of importGraph(['bench', 'sync-server']))
      for (const t of targets) expect(`${file} → ${t}`).not.toMatch(/ → test\//);
  });
});
