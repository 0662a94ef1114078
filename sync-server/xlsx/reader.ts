/**
 * Streaming .xlsx reader. Cell values only: the sync needs what people typed or what
 * formulas last computed, not formatting, so styles are never parsed and a 10M-cell
 * workbook is read in one pass per sheet with memory proportional to the values kept.
 */
import type { CellValue } from '../../shared/cells.ts';
import { scanEntry } from './byteScanner.ts';
import { readStructure, type SheetInfo, type WorkbookStructure } from './package.ts';
import { readSharedStrings } from './sharedStrings.ts';
import { SheetScanner, type RawRow } from './sheetScanner.ts';
import { ZipArchive } from './zipRead.ts';

export type { CellValue } from '../../shared/cells.ts';
export type {
  Relationship,
  SheetInfo,
  SheetKind,
  SheetState,
  WorkbookStructure,
} from './package.ts';
export {
  parseRelationships,
  readStructure,
  relKind,
  relsPartOf,
  resolveTarget,
} from './package.ts';
export { scanSharedStringsXml } from './sharedStrings.ts';
export { lastUsedRow, scanSheetXml, type RawRow } from './sheetScanner.ts';

export interface ReadSheet {
  name: string;
  /** rows that hold at least one non-blank value, in sheet order; `cells` is `values` */
  rows: (RawRow & { readonly cells: readonly CellValue[] })[];
  /** largest row number holding a value, 0 when none */
  lastRow: number;
  /** largest 0-based column holding a value, -1 when none */
  lastCol: number;
  info: SheetInfo;
}

export interface ReadWorkbook {
  /** selected worksheets, in workbook order */
  sheets: ReadSheet[];
  /** true when serial dates count from 1904-01-01 (workbookPr date1904) */
  date1904: boolean;
  /** the workbook's parts and every tab, read or not */
  structure: WorkbookStructure;
  /** size and mtime of the file as opened, to detect a change before writing back */
  file: { size: number; mtimeMs: number };
}

export interface ReadOptions {
  /** which worksheets to read; all when omitted */
  sheets?: (name: string) => boolean;
  /** hears the fraction of the selected sheets' bytes read so far (0–1) */
  progress?: (fraction: number) => void;
}

export async function readWorkbook(path: string, opts: ReadOptions = {}): Promise<ReadWorkbook> {
  const zip = await ZipArchive.open(path);
  try {
    const structure = await readStructure(zip);
    const wanted = structure.sheets.filter(
      (s) => s.kind === 'worksheet' && (!opts.sheets || opts.sheets(s.name)),
    );
    const sstEntry =
      wanted.length > 0 && structure.sharedStringsPart
        ? zip.find(structure.sharedStringsPart)
        : undefined;
    const sst = sstEntry ? await readSharedStrings(zip, sstEntry) : [];
    const sheets: ReadSheet[] = [];
    const entries = wanted.map((info) => (info.part ? zip.find(info.part) : undefined));
    const total = entries.reduce((n, e) => n + (e?.uncompressedSize ?? 0), 0);
    let done = 0;
    for (const [i, info] of wanted.entries()) {
      const entry = entries[i];
      const scanner = new SheetScanner(sst);
      if (entry && opts.progress) {
        for await (const chunk of zip.stream(entry)) {
          scanner.push(chunk);
          done += chunk.length;
          opts.progress(done / Math.max(1, total));
        }
        scanner.finish();
      } else if (entry) await scanEntry(zip, entry, scanner);
      sheets.push({
        name: info.name,
        rows: scanner.rows,
        lastRow: scanner.lastRow,
        lastCol: scanner.lastCol,
        info,
      });
    }
    return {
      sheets,
      date1904: structure.date1904,
      structure,
      file: { size: zip.size, mtimeMs: zip.mtimeMs },
    };
  } finally {
    await zip.close();
  }
}

/** The worksheet of that name, matched as Excel does (case-insensitively). */
export function findSheet(book: ReadWorkbook, name: string): ReadSheet | undefined {
  const lower = name.toLowerCase();
  return (
    book.sheets.find((s) => s.name === name) ??
    book.sheets.find((s) => s.name.toLowerCase() === lower)
  );
}
