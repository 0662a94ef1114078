/**
 * An import file to rows: CSV in UTF-8 (with or without BOM), UTF-16 with BOM, or GBK
 * (what Excel for Chinese Windows saves as “CSV”); or one sheet of an .xlsx, read with
 * the workbook reader. The format comes from the bytes, not the file name.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parseCsv, sniffDelimiter } from '../../shared/import/csv.ts';
import type { SourceTable } from '../../shared/import/plan.ts';
import {
  checkSourceCells,
  unclosedQuoteMessage,
  unclosedQuoteRow,
  type SourceIssue,
} from '../../shared/import/sourceChecks.ts';
import { fileKind, notXlsxMessage } from '../xlsx/fileKind.ts';
import { decodeMixedLines, GBK_LINE_MESSAGE } from './lineEncoding.ts';
import type { SheetRow } from '../../shared/validate/index.ts';
import { readWorkbook } from '../xlsx/reader.ts';
import { describeError } from '../sync/errorText.ts';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gbk';

export interface ReadSource {
  table: SourceTable;
  format: 'csv' | 'xlsx';
  encoding?: SourceEncoding;
  sheet?: string;
  /** what the file itself hides (control characters, overlong text, GBK lines), by row */
  issues?: SourceIssue[];
}

/** A problem with the file itself (not with its rows): unreadable, no such sheet … */
export class SourceError extends Error {
  override name = 'SourceError';
}

/**
 * BOM → its encoding; valid UTF-8 → UTF-8; UTF-8 with some lines that are not → those
 * lines as GBK, listed; anything else → GBK (as GB18030, its superset).
 */
export function decodeText(bytes: Uint8Array): {
  text: string;
  encoding: SourceEncoding;
  gbkLines?: number[];
} {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf)
    return { text: buf.toString('utf8', 3), encoding: 'utf-8-bom' };
  if (buf[0] === 0xff && buf[1] === 0xfe)
    return { text: buf.toString('utf16le', 2), encoding: 'utf-16le' };
  if (buf[0] === 0xfe && buf[1] === 0xff)
    return { text: iconv.decode(buf.subarray(2), 'utf16-be'), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf-8' };
  } catch {
    const mixed = decodeMixedLines(buf);
    if (mixed) return { text: mixed.text, encoding: 'utf-8', gbkLines: mixed.gbkLines };
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'gbk' };
  }
}

const isZip = (b: Uint8Array): boolean =>
  b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

export function csvTable(text: string): SourceTable {
  const rows: SheetRow[] = [];
  parseCsv(text).forEach((cells, i) => {
    if (cells.some((c) => c.trim() !== '')) rows.push({ row: i + 1, cells });
  });
  return { rows, epoch: 'sheets' };
}

async function xlsxTable(path: string, sheet?: string): Promise<ReadSource> {
  let book;
  try {
    // The list of sheets first, then only the chosen one: the others are never parsed.
    const outline = await readWorkbook(path, { sheets: () => false });
    const names = outline.structure.sheets.filter((s) => s.kind === 'worksheet');
    const lower = sheet?.toLowerCase();
    const chosen = sheet
      ? (names.find((s) => s.name === sheet) ?? names.find((s) => s.name.toLowerCase() === lower))
      : (names.find((s) => s.state === 'visible') ?? names[0]);
    if (!chosen)
      throw new SourceError(
        sheet
          ? `xlsx 文件中没有工作表“${sheet}”，现有：${names.map((s) => s.name).join('、')}`
          : 'xlsx 文件中没有工作表',
      );
    book = await readWorkbook(path, { sheets: (name) => name === chosen.name });
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw new SourceError(`无法读取 xlsx 文件：${describeError(e)}`);
  }
  const found = book.sheets[0];
  if (!found) throw new SourceError('xlsx 文件中没有工作表');
  const { table, issues } = checkSourceCells({
    rows: found.rows.map((r) => ({ row: r.row, cells: r.values })),
    epoch: book.date1904 ? 'excel1904' : 'excel1900',
  });
  return { table, format: 'xlsx', sheet: found.name, issues };
}

const BOMS = [
  [0xef, 0xbb, 0xbf],
  [0xff, 0xfe],
  [0xfe, 0xff],
];
const hasBom = (b: Uint8Array): boolean => BOMS.some((bom) => bom.every((x, i) => b[i] === x));

/**
 * Bytes that are no text file (an old .xls, an encrypted workbook, anything binary) are
 * refused here: read as CSV they would "import" 0 rows.
 */
function refuseNonText(bytes: Uint8Array, name?: string): void {
  if (hasBom(bytes)) return;
  const kind = fileKind(bytes.subarray(0, 4096));
  const what = name ? `导入文件 ${name} ` : '导入文件';
  if (kind === 'xls' || kind === 'encrypted')
    throw new SourceError(
      notXlsxMessage(kind, what)!
        .replace('后再试', '（或 CSV）后再导入')
        .replace('再试一次', '再导入'),
    );
  if (kind === 'unknown')
    throw new SourceError(
      `${what}既不是 CSV 文本也不是 .xlsx 工作簿（含有二进制内容）：请在 Excel/WPS 中打开，另存为 .xlsx 或“CSV UTF-8”后再导入`,
    );
  if (name && /\.xls[xm]?$/i.test(name))
    throw new SourceError(
      `${what}的扩展名是 ${name.slice(name.lastIndexOf('.'))}，内容却是文本（可能是 CSV），不是 Excel 工作簿：请把扩展名改为 .csv 后再导入，或在 Excel/WPS 中打开后另存为 .xlsx`,
    );
}

function csvSource(bytes: Uint8Array, name?: string): ReadSource {
  refuseNonText(bytes, name);
  const { text, encoding, gbkLines = [] } = decodeText(bytes);
  const open = unclosedQuoteRow(text, sniffDelimiter(text));
  const parsed = csvTable(text);
  if (open !== null)
    throw new SourceError(
      unclosedQuoteMessage(open, (text.match(/\r\n|\r|\n(?!$)/g)?.length ?? 0) + 1 - open),
    );
  const { table, issues } = checkSourceCells(parsed);
  for (const line of gbkLines)
    issues.push({
      sourceRow: line,
      col: null,
      value: '',
      message: GBK_LINE_MESSAGE,
      level: '警告',
      rejectsRow: false,
    });
  issues.sort((a, b) => a.sourceRow - b.sourceRow);
  return { table, format: 'csv', encoding, issues };
}

export async function readSourceFile(path: string, sheet?: string): Promise<ReadSource> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new SourceError(`无法读取导入文件 ${path}：${(e as NodeJS.ErrnoException).code ?? ''}`);
  }
  return isZip(bytes) ? xlsxTable(path, sheet) : csvSource(bytes, path);
}

/** The same from bytes (an upload); an xlsx goes through a private temp file for the reader. */
export async function readSourceBytes(bytes: Uint8Array, sheet?: string): Promise<ReadSource> {
  if (!isZip(bytes)) return csvSource(bytes);
  const dir = await mkdtemp(join(tmpdir(), 'crm-import-'));
  try {
    const file = join(dir, 'upload.xlsx');
    await writeFile(file, bytes, { mode: 0o600 });
    return await xlsxTable(file, sheet);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
