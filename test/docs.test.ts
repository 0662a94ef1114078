/**
 * docs/rules.md and docs/workbook.md against the templates, so that a setting, tab or
 * column added or changed in code without its documentation fails here, and every link
 * into the docs (from the docs themselves or from code comments) lands on a heading.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS, TABS, TICKET_ROUTING, TIER_RULES } from '../sheets-templates/index.ts';

const ROOT = join(import.meta.dirname, '..');
const DOCS = {
  'rules.md': readFileSync(join(ROOT, 'docs/rules.md'), 'utf8'),
  'workbook.md': readFileSync(join(ROOT, 'docs/workbook.md'), 'utf8'),
};
type DocName = keyof typeof DOCS;

/** A heading's anchor as GitHub makes it: lower case, punctuation dropped, spaces → '-'. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(m[1]!);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** The text of a section: from its heading to the next heading of the same or higher level. */
function section(markdown: string, heading: RegExp): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^#{1,6} /.test(l) && heading.test(l));
  if (start < 0) throw new Error(`no heading ${heading}`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex(
    (l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level,
  );
  return lines.slice(start + 1, end < 0 ? undefined : end).join('\n');
}

/** The body rows of every markdown table in a text, as trimmed cells without backticks. */
function tableRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((l) => l.trimStart().startsWith('|') && !/^\s*\|[\s:|-]+\|\s*$/.test(l))
    .map((l) =>
      l
        .trim()
        .replace(/^\||\|$/g, '')
        .split('|')
        .map((c) => c.trim().replace(/^`|`$/g, '')),
    );
}

describe('docs/rules.md § Settings', () => {
  const rows = tableRows(section(DOCS['rules.md'], /^## Settings/));
  const byName = new Map(rows.map((r) => [r[0]!, r]));

  it('lists every setting of the 参数 tab with its default', () => {
    for (const s of SETTINGS) {
      expect(byName.get(s.name), `setting ${s.name} missing from docs/rules.md`).toBeDefined();
      expect(byName.get(s.name)![1], `default of ${s.name}`).toBe(String(s.defaultValue));
    }
  });

  it('lists no setting the code does not know', () => {
    const known = new Set(SETTINGS.map((s) => s.name));
    const listed = [...byName.keys()].filter((name) => name !== '参数');
    expect(listed.filter((name) => !known.has(name))).toEqual([]);
    expect(listed).toHaveLength(SETTINGS.length);
  });
});

describe('docs/rules.md § Tiers', () => {
  it('shows the default tier rules a new workbook holds', () => {
    const rows = tableRows(section(DOCS['rules.md'], /^## Tiers/)).slice(1);
    expect(rows).toEqual((TIER_RULES.defaultRows ?? []).map((r) => r.map(String)));
  });
});

describe('docs/workbook.md', () => {
  it('has a section for every tab with a row for each of its columns', () => {
    for (const tab of TABS) {
      const text = section(DOCS['workbook.md'], new RegExp(`^### ${tab.name} \\(`));
      const first = new Set(tableRows(text).map((r) => r[0]));
      for (const c of tab.columns)
        expect(first.has(c.header), `${tab.name} § column ${c.header}`).toBe(true);
    }
  });

  it('names the default ticket routing', () => {
    const text = section(DOCS['workbook.md'], /^### 工单路由/);
    for (const [type, department] of TICKET_ROUTING.defaultRows ?? [])
      expect(text).toContain(`${type} → ${department}`);
  });
});

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|js|html)$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

describe('links into the docs', () => {
  const targets: Record<DocName, Set<string>> = {
    'rules.md': anchors(DOCS['rules.md']),
    'workbook.md': anchors(DOCS['workbook.md']),
  };

  it('every link between the two docs lands on a heading', () => {
    for (const [name, text] of Object.entries(DOCS) as [DocName, string][]) {
      for (const m of text.matchAll(/\]\(((rules|workbook)\.md)?#([^)\s]+)\)/g)) {
        const doc = (m[1] as DocName | undefined) ?? name;
        expect(targets[doc].has(m[3]!), `${name}: ${m[0]}`).toBe(true);
      }
    }
  });

  it('every code comment that points into docs/ names a heading that exists', () => {
    const files = ['shared', 'sheets-templates', 'sync-server', 'addon/src', 'test', 'bench']
      .flatMap(sourceFiles)
      .filter((f) => !f.includes('node_modules'));
    let links = 0;
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/docs\/(rules|workbook)\.md#([^\s)'"`,;:.]+)/g)) {
        links += 1;
        const doc = `${m[1]}.md` as DocName;
        expect(targets[doc].has(m[2]!), `${file}: ${m[0]}`).toBe(true);
      }
    }
    expect(links).toBeGreaterThan(0);
  });

  it('no code comment points to a document outside the repository', () => {
    const files = ['shared', 'sheets-templates', 'sync-server', 'addon/src', 'test', 'bench']
      .flatMap(sourceFiles)
      .filter((f) => f !== 'test/docs.test.ts');
    const outside: string[] = [];
    for (const file of files) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/(?<!docs\/)\b(rules|workbook|team|design)\.md\b/g))
        outside.push(`${file}: ${m[0]}`);
    }
    expect(outside).toEqual([]);
  });
});
