/**
 * `crm-sync adopt` on a team's own workbooks, as other producers write them (tables,
 * a pivot cache, macros, threaded comments, a chart and a picture): the missing data and
 * config tabs are added, every original zip entry stays byte for byte (only the package
 * lists are extended), a second run changes nothing, and the workbook then syncs like any
 * other, its own tab still untouched.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBytes, PRODUCER_FIXTURES } from '../../scripts/xlsxFixtures.ts';
import * as T from '../../sheets-templates/tabs.ts';
import { cli, readTabs } from '../helpers/workbook.ts';
import { rawEntries } from '../xlsx/zipBytes.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-adopt-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The parts that list the others: the only originals adopt may extend. */
const PACKAGE_LISTS = /(^|\/)(workbook\.xml|_rels\/workbook\.xml\.rels|\[Content_Types\]\.xml)$/;

/** A team's own tab: the fixture's sheet renamed so that it is none of ours. */
function teamWorkbook(name: string): Uint8Array {
  const fixture = PRODUCER_FIXTURES[name]!;
  const parts: Record<string, string | Uint8Array> = {};
  for (const [part, body] of Object.entries(fixture.parts))
    parts[part] = typeof body === 'string' ? body.replaceAll('客户', '销售台账') : body;
  return fixtureBytes({ ...fixture, parts });
}

const ADOPTED = [...T.DATA_TABS, ...T.CONFIG_TABS].map((t) => t.name);

const CASES = ['table', 'pivotCache', 'vba', 'threadedComments', 'chartAndImage'] as const;

describe('crm-sync adopt', { timeout: 120_000 }, () => {
  for (const name of CASES) {
    const ext = name === 'vba' ? 'xlsm' : 'xlsx';
    it(`${name} (${PRODUCER_FIXTURES[name]!.about}): tabs added, every original entry byte for byte, then synced`, async () => {
      const file = join(dir, `${name}.${ext}`);
      await writeFile(file, teamWorkbook(name));
      const before = await rawEntries(file);
      const ownBefore = (await readTabs(file)).get('销售台账')!.grid;

      const run = await cli(['adopt', file, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const out = JSON.parse(run.stdout) as { added: string[]; kept: string[] };
      expect(out.added).toEqual(ADOPTED);
      expect(out.kept).toEqual([]);

      const after = await rawEntries(file);
      for (const [part, bytes] of before) {
        if (PACKAGE_LISTS.test(part)) continue;
        expect(after.get(part)?.equals(bytes), part).toBe(true);
      }
      const added = [...after.keys()].filter((p) => !before.has(p));
      expect(added).toHaveLength(ADOPTED.length);
      for (const part of added) expect(part).toMatch(/worksheets\/sheet\d+\.xml$/);

      const tabs = await readTabs(file);
      expect(tabs.get('销售台账')!.grid).toEqual(ownBefore);
      expect(tabs.get(T.CUSTOMERS.name)!.header).toEqual(T.CUSTOMERS.columns.map((c) => c.header));
      expect(tabs.get(T.SETTINGS_TAB.name)!.rows.size).toBe(T.SETTINGS_TAB.defaultRows!.length);
      expect(tabs.get(T.USERS.name)!.rows.size).toBe(0);
      // The templates' own formula-like text (分层规则's `=`) is added as plain text, so
      // styles.xml above stayed as it was; it still reads back as the text it is.
      const tiers = [...tabs.get(T.TIER_RULES.name)!.rows.values()];
      expect(tiers.some((r) => Object.values(r).includes('='))).toBe(true);

      // Again: nothing to add, nothing written.
      const adopted = await readFile(file);
      const again = await cli(['adopt', file, '--json']);
      expect(JSON.parse(again.stdout)).toMatchObject({ added: [], kept: ADOPTED });
      expect((await readFile(file)).equals(adopted)).toBe(true);

      // The first sync adds the sync tabs; the team's own parts are still as they were.
      const sync = await cli(['sync', file, '--now', '2026-11-20T10:00', '--json']);
      expect(sync.code, sync.stderr).toBe(0);
      const synced = await readTabs(file);
      for (const tab of T.SYNC_TABS) expect(synced.has(tab.name), tab.name).toBe(true);
      expect(synced.get('销售台账')!.grid).toEqual(ownBefore);
      const final = await rawEntries(file);
      for (const [part, bytes] of before) {
        if (PACKAGE_LISTS.test(part) || /styles\.xml$/.test(part)) continue;
        expect(final.get(part)?.equals(bytes), part).toBe(true);
      }
    });
  }

  it('leaves a tab it finds alone: a team’s own 客户 keeps its columns and table', async () => {
    const file = join(dir, 'own-customers.xlsx');
    await writeFile(file, fixtureBytes(PRODUCER_FIXTURES.table!));
    const before = await rawEntries(file);
    const run = await cli(['adopt', file]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('保留原有的：客户');
    expect(run.stdout).toContain('crm-sync sync');
    const after = await rawEntries(file);
    for (const [part, bytes] of before)
      if (!PACKAGE_LISTS.test(part)) expect(after.get(part)?.equals(bytes), part).toBe(true);
    expect((await readTabs(file)).get('客户')!.header).toEqual(['客户名称', '金额']);
  });

  it('refuses what is not an .xlsx or .xlsm workbook, saying what to do', async () => {
    const run = await cli(['adopt', join(dir, 'old.xls')]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('不是 .xlsx 或 .xlsm 文件');
    const missing = await cli(['adopt', join(dir, 'none.xlsx'), '--json']);
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error).toContain('找不到工作簿');
  });
});
