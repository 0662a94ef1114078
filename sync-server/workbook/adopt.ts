/**
 * A team's own workbook taken into use: the data and config tabs it lacks are added from
 * the templates (headers, and a config tab's default rows), a tab it already has is left
 * as it is, and nothing else in the file is rewritten. The patcher copies every existing
 * zip entry byte for byte and extends only the package lists (workbook.xml, its
 * relationships, [Content_Types].xml); the first sync then adds the sync tabs. Charts,
 * pivot tables, tables, macros, comments and images come out exactly as they went in.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CONFIG_TABS, DATA_TABS, USERS } from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { replaceFile } from '../files/atomicFile.ts';
import { withFileLock } from '../local/fileLock.ts';
import { readStructure } from '../xlsx/package.ts';
import { patchWorkbook, type SheetContent } from '../xlsx/patcher.ts';
import { ZipArchive } from '../xlsx/zipRead.ts';

export interface AdoptResult {
  /** tabs added, in template order */
  added: string[];
  /** template tabs the workbook already had, left untouched */
  kept: string[];
  /** zip entries written: the new sheets and the package lists they extend */
  partsWritten: string[];
  /** where the file as it was is kept; null when nothing was added */
  backup: string | null;
}

/** The tabs `adopt` adds when missing: what people and managers fill in, not the sync's. */
export const ADOPTED_TABS: readonly TabDef[] = [...DATA_TABS, ...CONFIG_TABS];

/**
 * A new tab as the template has it: headers, and a config tab's defaults (用户 starts
 * empty: its people are added with `crm-sync user add`). No header style and no quote
 * prefix on the templates' own text (分层规则's `=`), so that the workbook's own styles
 * part stays as it is: the prefix is for what people and imports write.
 */
function contentOf(tab: TabDef): SheetContent {
  const rows = tab === USERS ? [] : (tab.defaultRows ?? []);
  return {
    rows: [tab.columns.map((c) => c.header), ...rows.map((r) => [...r])],
    headerRows: 0,
    colWidths: tab.columns.map((c) => c.width),
    freezeHeader: false,
    quotePrefix: false,
  };
}

async function sheetNames(path: string): Promise<string[]> {
  const zip = await ZipArchive.open(path);
  try {
    return (await readStructure(zip)).sheets.map((s) => s.name);
  } finally {
    await zip.close();
  }
}

export async function adoptWorkbook(path: string): Promise<AdoptResult> {
  return withFileLock(path, async () => {
    const present = new Set(await sheetNames(path));
    const missing = ADOPTED_TABS.filter((t) => !present.has(t.name));
    const kept = ADOPTED_TABS.filter((t) => present.has(t.name)).map((t) => t.name);
    if (missing.length === 0) return { added: [], kept, partsWritten: [], backup: null };
    const replaceSheets = Object.fromEntries(missing.map((t) => [t.name, contentOf(t)]));
    const folder = join(dirname(path), '.crm-backups');
    await mkdir(folder, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const backup = join(folder, `${basename(path)}.${stamp}.before-adopt`);
    await copyFile(path, backup);
    const result = await replaceFile(
      path,
      (temp) => patchWorkbook(path, temp, { replaceSheets }, { compressionLevel: 6 }),
      { overwrite: true },
    );
    return {
      added: missing.map((t) => t.name),
      kept,
      partsWritten: result.partsRewritten,
      backup,
    };
  });
}
