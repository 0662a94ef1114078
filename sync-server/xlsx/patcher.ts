/**
 * Writes a workbook back by patching it rather than re-serialising it. Only the sheet
 * parts that change are inflated, edited as a text stream and deflated again; every
 * other zip entry is copied as its original compressed bytes. Whatever the sync does
 * not own — people's columns, formulas, styles, validation, comments, drawings, other
 * tabs — therefore comes out exactly as it went in, and memory stays bounded by the
 * patch plus a chunk or two of XML, whatever the workbook's size.
 */
import { open } from 'node:fs/promises';
import { fromBytes, toBytes, wholeCodePoints, type LatinBuffer } from './byteText.ts';
import { planCalcChain } from './calcChain.ts';
import { dialectOf } from './dialect.ts';
import { planStructure, readStructure, type WorkbookStructure } from './package.ts';
import { planJobs, rowsFromCells } from './patchPlan.ts';
import {
  emptyResult,
  type CellPatch,
  type PatchOptions,
  type PatchResult,
  type SheetJob,
  type WorkbookPatch,
} from './patchTypes.ts';
import { SheetMerger } from './sheetMerger.ts';
import { planLayouts, type LayoutTarget, type SheetLayoutPatch } from './sheetLayout.ts';
import { describes, patchRowChunked, writeRowChunked, type EntryChunks } from './rowChunks.ts';
import { patchRowEdits, rowEditChunks, RowlessWriter } from './rowlessSheet.ts';
import { StyleBook } from './styleBook.ts';
import { takesQuotePrefix } from './styles.ts';
import { ZipArchive, type ZipEntry } from './zipRead.ts';
import { newEntryMeta, ZipWriter } from './zipWrite.ts';

export {
  PatchError,
  type AppendRows,
  type CellPatch,
  type CellValue,
  type NumFmt,
  type PatchOptions,
  type PatchResult,
  type RowEditsPatch,
  type SheetContent,
  type WorkbookPatch,
} from './patchTypes.ts';
export async function patchWorkbook(
  srcPath: string,
  destPath: string,
  patch: WorkbookPatch,
  options: PatchOptions = {},
): Promise<PatchResult> {
  const level = options.compressionLevel ?? 4;
  const zip = await ZipArchive.open(srcPath);
  let out: ZipWriter | undefined;
  try {
    const structure = await readStructure(zip);
    const jobs = await planJobs(zip, structure, patch);
    const result = emptyResult();

    const needsStyles = jobs.some(
      (j) =>
        j.mode === 'replace' ||
        j.rows.some((r) => r.cells.some((c) => c.numFmt || takesQuotePrefix(c.value, j.content))),
    );
    const stylesEntry = structure.stylesPart ? zip.find(structure.stylesPart) : undefined;
    const workbookEntry = zip.find(structure.workbookPart);
    // Parts added to a Strict workbook use Strict's namespaces, as its own parts do.
    const dialect = dialectOf(workbookEntry ? await zip.readText(workbookEntry) : '');
    const styles = new StyleBook(
      stylesEntry ? await zip.readText(stylesEntry) : null,
      dialect.main,
    );
    const createStyles = !stylesEntry && needsStyles;

    const newJobs = jobs.filter((j) => j.info === null);
    const calcChain = await planCalcChain(zip, structure, jobs);
    const structural = await planStructure(
      zip,
      structure,
      newJobs,
      createStyles,
      calcChain && calcChain.text === null ? calcChain.part : null,
    );

    const layout = patch.layouts
      ? await planLayouts(
          zip,
          structure,
          layoutTargets(structure, jobs, newJobs, patch.layouts),
          structural.texts,
          dialect,
        )
      : null;
    if (layout) jobs.push(...layout.extraJobs);

    out = new ZipWriter(await open(destPath, 'w'));
    const jobByPart = new Map<string, SheetJob>();
    for (const job of jobs) if (job.info?.part) jobByPart.set(job.info.part, job);
    const replaced = new Map<string, string | null>(layout?.texts ?? structural.texts);
    if (calcChain) replaced.set(calcChain.part, calcChain.text);

    const known = options.chunks;
    const chunks = new Map<string, EntryChunks>();
    const totalBytes = zip.entries.reduce((n, e) => n + e.compressedSize, 0);
    let doneBytes = 0;
    for (const entry of zip.entries) {
      options.progress?.(doneBytes / Math.max(1, totalBytes));
      doneBytes += entry.compressedSize;
      const was = known?.get(entry.name);
      const job = jobByPart.get(entry.name);
      if (job) {
        let made: EntryChunks | null = null;
        if (describes(was, entry)) {
          // A list tab's runs go into a rowless tab's pieces; the first write makes it rowless.
          if (job.rowEdits) {
            made = await patchRowEdits(out, zip, entry, was, job, styles, result, level);
            if (made) (result.rowEdited ??= []).push(job.name);
          } else made = await patchRowChunked(out, zip, entry, was, job, styles, result, level);
        }
        if (!made && job.rowEdits) {
          const counter = new RowlessWriter();
          made = await writeRowChunked(
            out,
            entry,
            rowEditChunks(zip, entry, job, styles, result, counter),
            level,
            counter,
          );
          (result.rowEdited ??= []).push(job.name);
        }
        made ??= await writeRowChunked(
          out,
          entry,
          mergeChunks(zip, entry, new SheetMerger(job, styles, result, dialect)),
          level,
        );
        if (made) chunks.set(entry.name, made);
        result.partsRewritten.push(entry.name);
        continue;
      }
      if (describes(was, entry) && !replaced.has(entry.name)) chunks.set(entry.name, was);
      if (stylesEntry && entry === stylesEntry) continue; // written last, once every xf is known
      if (replaced.has(entry.name)) {
        const text = replaced.get(entry.name);
        if (text === null || text === undefined) continue; // part removed
        await out.writeBuffer(entry, Buffer.from(text, 'utf8'), level);
        result.partsRewritten.push(entry.name);
        continue;
      }
      await out.copyRaw(zip, entry);
    }

    for (const job of newJobs) {
      const merger = new SheetMerger(job, styles, result, dialect);
      const meta = newEntryMeta(job.newPart ?? '');
      const made = await writeRowChunked(out, meta, newSheetChunks(merger), level);
      if (made) chunks.set(meta.name, made);
      result.partsRewritten.push(meta.name);
      result.sheetsAdded.push(job.name);
    }

    for (const [name, text] of layout?.newParts ?? []) {
      await out.writeBuffer(newEntryMeta(name), Buffer.from(text, 'utf8'), level);
      result.partsRewritten.push(name);
    }

    if (stylesEntry) {
      if (styles.modified) {
        await out.writeBuffer(stylesEntry, Buffer.from(styles.serialize(), 'utf8'), level);
        result.partsRewritten.push(stylesEntry.name);
      } else {
        await out.copyRaw(zip, stylesEntry);
      }
    } else if (createStyles) {
      const meta = newEntryMeta(structural.newStylesPart ?? 'xl/styles.xml');
      await out.writeBuffer(meta, Buffer.from(styles.serialize(), 'utf8'), level);
      result.partsRewritten.push(meta.name);
    }

    result.bytes = await out.finish();
    result.chunks = chunks;
    return result;
  } finally {
    await out?.close();
    await zip.close();
  }
}

/** The sheets whose layout the patch keeps, with their jobs when they are rewritten anyway. */
function layoutTargets(
  structure: WorkbookStructure,
  jobs: readonly SheetJob[],
  newJobs: readonly SheetJob[],
  layouts: Readonly<Record<string, SheetLayoutPatch>>,
): LayoutTarget[] {
  const targets: LayoutTarget[] = [];
  for (const [name, layout] of Object.entries(layouts)) {
    const lower = name.toLowerCase();
    const job = jobs.find((j) => j.name.toLowerCase() === lower);
    const info = job?.info ?? structure.sheets.find((s) => s.name.toLowerCase() === lower) ?? null;
    if (info && (info.kind !== 'worksheet' || !info.part)) continue;
    const created = job && !job.info ? newJobs.indexOf(job) : -1;
    if (!info && created < 0) continue; // neither there nor made by this patch
    const index = info ? info.index : structure.sheets.length + created;
    targets.push({ name: info?.name ?? name, layout, info, job, index });
  }
  return targets;
}

/** The merged part as batches of byte strings, one batch per chunk read. */
async function* mergeChunks(
  zip: ZipArchive,
  entry: ZipEntry,
  merger: SheetMerger,
): AsyncGenerator<readonly string[]> {
  for await (const chunk of zip.stream(entry)) {
    merger.push((chunk as LatinBuffer).latin1Slice(0, chunk.length));
    yield merger.take();
  }
  merger.finish();
  yield merger.take();
}

async function* newSheetChunks(merger: SheetMerger): AsyncGenerator<readonly string[]> {
  merger.generateNew();
  yield merger.take();
}

/**
 * Applies cell updates to one worksheet part held in memory, whole or in the pieces a
 * stream would deliver; for tests and small parts. Returns the new sheet XML and, when
 * formats had to be added, the new styles XML.
 */
export function patchSheetXml(
  xml: string | readonly string[],
  cells: readonly CellPatch[],
  stylesXml: string | null = null,
): { xml: string; stylesXml: string | null } {
  const result = emptyResult();
  const styles = new StyleBook(stylesXml);
  const job: SheetJob = {
    name: 'sheet',
    info: null,
    mode: 'merge',
    rows: rowsFromCells('sheet', cells),
  };
  const merger = new SheetMerger(job, styles, result);
  const out: string[] = [];
  for (const text of wholeCodePoints(xml)) {
    merger.push(toBytes(text));
    out.push(...merger.take());
  }
  merger.finish();
  out.push(...merger.out);
  return {
    xml: fromBytes(out.join('')),
    stylesXml: styles.modified ? styles.serialize() : null,
  };
}
