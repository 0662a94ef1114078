import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeRules } from '../../shared/rules/index.ts';
import { sections } from './canonical.ts';
import { scenarios } from './generate.ts';

/**
 * The engine's output on seeded workbooks of 600 customers and ~6,000 child rows, pinned
 * section by section as digests. They were recorded from the straightforward engine
 * before it was reworked for speed: any rework must reproduce every cell.
 */
const digest = (text: string): string =>
  createHash('sha256').update(text).digest('hex').slice(0, 20);

describe('engine output on generated workbooks', () => {
  for (const s of scenarios(600)) {
    it(`reproduces the recorded output: ${s.name}`, () => {
      // When the rules are invalid the tier report describes the column as read.
      const previousTiers = new Map(
        s.dataset.customers.map((c, i) => [c.id, i % 5 === 0 ? null : ['甲', '乙'][i % 2]!]),
      );
      const out = computeRules(s.dataset, s.now, { previousTiers });
      const parts = Object.fromEntries([...sections(out)].map(([k, v]) => [k, digest(v)]));
      expect(parts).toMatchSnapshot();
    });
  }
});
