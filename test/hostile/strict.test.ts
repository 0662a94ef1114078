/**
 * Smaller truths of item 14 about the file itself: sheets the sync adds to a Strict OOXML
 * workbook speak Strict (its main namespace and relationship types), and the backup of
 * an .xlsm keeps the .xlsm name, so a restored backup still opens with its macros.
 */
import { copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { readWorkbook } from '../../sync-server/xlsx/reader.ts';
import { cli } from '../helpers/workbook.ts';
import {
  parts,
  partOf,
  setText,
  STRICT_MAIN,
  STRICT_REL,
  templateWorkbook,
  text,
  toStrict,
  TRANSITIONAL_MAIN,
  TRANSITIONAL_REL,
  writeParts,
} from './make.ts';

const NOW = ['--now', '2026-11-20T10:00'];
const MAIN = TRANSITIONAL_MAIN;
const REL = TRANSITIONAL_REL;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-strict-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * A sample workbook as Excel's "Strict Open XML" save writes it, without its 回访计划
 * tab, so the sync has to add one.
 */
async function strictWithoutPlan(file: string): Promise<void> {
  await templateWorkbook(file, 5);
  const p = await parts(file);
  const gone = partOf(p, T.CALLBACK_PLAN.name);
  const book = text(p, 'xl/workbook.xml');
  const sheet = new RegExp(`<sheet [^>]*name="${T.CALLBACK_PLAN.name}"[^>]*r:id="([^"]+)"/>`).exec(
    book,
  )!;
  setText(p, 'xl/workbook.xml', book.replace(sheet[0], ''));
  const rels = text(p, 'xl/_rels/workbook.xml.rels');
  setText(
    p,
    'xl/_rels/workbook.xml.rels',
    rels.replace(new RegExp(`<Relationship Id="${sheet[1]}"[^>]*/>`), ''),
  );
  const types = text(p, '[Content_Types].xml');
  setText(
    p,
    '[Content_Types].xml',
    types.replace(new RegExp(`<Override PartName="/${gone}"[^>]*/>`), ''),
  );
  delete p[gone];
  toStrict(p);
  await writeParts(file, p);
}

describe('Strict OOXML and .xlsm files (item 14)', { timeout: 60_000 }, () => {
  it('a sheet the sync adds to a Strict workbook uses Strict’s namespace and relationship type', async () => {
    const file = join(dir, 'strict.xlsx');
    await strictWithoutPlan(file);
    const before = await parts(file);
    expect(Object.values(before).some((b) => Buffer.from(b).includes(MAIN))).toBe(false);

    const run = await cli(['sync', file, ...NOW]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);

    const p = await parts(file);
    const added = partOf(p, T.CALLBACK_PLAN.name);
    expect(before[added]).toBeUndefined();
    const sheet = text(p, added);
    expect(sheet).toContain(`<worksheet xmlns="${STRICT_MAIN}" xmlns:r="${STRICT_REL}">`);
    // The added sheet and the parts that list it still speak only Strict.
    for (const name of [added, 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml']) {
      expect(Buffer.from(p[name]!).includes(MAIN), name).toBe(false);
      expect(Buffer.from(p[name]!).includes(REL), name).toBe(false);
    }
    const rels = text(p, 'xl/_rels/workbook.xml.rels');
    const target = added.slice('xl/'.length);
    expect(rels).toMatch(
      new RegExp(`Type="${STRICT_REL}/worksheet" Target="${target.replace('.', '\\.')}"`),
    );

    // The workbook reads back, the added tab with its header.
    const book = await readWorkbook(file);
    const plan = book.sheets.find((s) => s.name === T.CALLBACK_PLAN.name)!;
    expect(plan.rows.find((r) => r.row === 1)?.values[0]).toBe(T.CALLBACK_PLAN.columns[0]!.header);
    const customers = book.sheets.find((s) => s.name === T.CUSTOMERS.name)!;
    expect(customers.rows.length).toBeGreaterThan(1);
    // And a second sync finds it the sync's own tab.
    expect((await cli(['sync', file, ...NOW])).code).toBe(0);
  });

  it('the backup of an .xlsm workbook is named .xlsm in .crm-backups', async () => {
    const sub = join(dir, 'macro');
    await import('node:fs/promises').then((f) => f.mkdir(sub));
    const plain = join(sub, 'plain.xlsx');
    await templateWorkbook(plain, 5);
    const file = join(sub, 'crm.xlsm');
    await copyFile(plain, file);
    await rm(plain);
    const original = await readFile(file);
    expect((await cli(['sync', file, ...NOW])).code).toBe(0);
    const backups = await readdir(join(sub, '.crm-backups'));
    expect(backups.length).toBe(1);
    expect(backups[0]).toMatch(/^crm.*\.xlsm$/);
    expect((await readFile(join(sub, '.crm-backups', backups[0]!))).equals(original)).toBe(true);
  });
});
