/** calcChain.xml kept true to the formulas a patch leaves. */
import { MAX_COLS } from './limits.ts';
import type { WorkbookStructure } from './package.ts';
import type { SheetJob } from './patchTypes.ts';
import { refColumn, refRow } from './cellRef.ts';
import { findElement, findElements, parseAttributes } from './xmlScan.ts';
import type { ZipArchive } from './zipRead.ts';

/**
 * calcChain lists formula cells; an entry for a cell that no longer has a formula makes
 * Excel report the file as damaged. Every cell the patch overwrites loses its formula,
 * so their entries (and every entry of a replaced sheet) are dropped up front.
 */
export async function planCalcChain(
  zip: ZipArchive,
  structure: WorkbookStructure,
  jobs: SheetJob[],
): Promise<{ part: string; text: string | null } | null> {
  if (!structure.calcChainPart) return null;
  const entry = zip.find(structure.calcChainPart);
  if (!entry) return null;
  const wholeSheets = new Set<number>();
  const cells = new Map<number, Set<number>>();
  for (const job of jobs) {
    if (!job.info) continue;
    if (job.mode === 'replace') {
      wholeSheets.add(job.info.sheetId);
      continue;
    }
    const set = new Set<number>();
    for (const row of job.rows) for (const c of row.cells) set.add(row.row * MAX_COLS + c.col);
    cells.set(job.info.sheetId, set);
  }
  if (wholeSheets.size === 0 && cells.size === 0) return null;

  const xml = await zip.readText(entry);
  const root = findElement(xml, 'calcChain');
  if (!root) return null;
  const items = findElements(xml, 'c', root.innerStart, root.innerEnd);
  const kept: string[] = [];
  let sheet = 0;
  let lastWritten = -1;
  let changed = false;
  for (const item of items) {
    const attrs = parseAttributes(item.tag);
    const i = attrs.get('i');
    if (i !== undefined) sheet = Number(i);
    const ref = attrs.get('r') ?? '';
    const key = refRow(ref, 0, ref.length) * MAX_COLS + refColumn(ref, 0, ref.length);
    if (wholeSheets.has(sheet) || (cells.get(sheet)?.has(key) ?? false)) {
      changed = true;
      continue;
    }
    let text = xml.slice(item.start, item.end);
    // `i` carries over from the entry before; restate it where that entry was dropped.
    if (sheet !== lastWritten && i === undefined) {
      text = text.replace(/^<([^\s/>]+)/, `<$1 i="${sheet}"`);
    }
    lastWritten = sheet;
    kept.push(text);
  }
  if (!changed) return null;
  // An empty calcChain is invalid; without the part Excel simply rebuilds the chain.
  if (kept.length === 0) return { part: entry.name, text: null };
  const last = items[items.length - 1];
  const after = last ? last.end : root.innerEnd;
  return {
    part: entry.name,
    text: xml.slice(0, root.innerStart) + kept.join('') + xml.slice(after),
  };
}
