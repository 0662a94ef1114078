/**
 * An import file to rows: CSV in UTF-8 (with or without BOM), UTF-16 with BOM, or GBK
 * (what Excel for Chinese Windows saves as “CSV”); or one sheet of an .xlsx, read with
 * the workbook reader. The format comes from the bytes, not the file name.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { parseCsv } from '../../shared/import/csv.ts';
import type { SourceTable } from '../../shared/import/plan.ts';
import type { SheetRow } from '../../shared/validate/index.ts';
import { findSheet, readWorkbook } from '../xlsx/reader.ts';

export type SourceEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be' | 'gbk';

export interface ReadSource {
  table: SourceTable;
  format: 'csv' | 'xlsx';
  encoding?: SourceEncoding;
  sheet?: string;
}

/** A problem with the file itself (not with its rows): unreadable, no such sheet … */
export class SourceError extends Error {
  override name = 'SourceError';
}

/** BOM → its encoding; valid UTF-8 → UTF-8; anything else → GBK (as GB18030, its superset). */
export function decodeText(bytes: Uint8Array): { text: string; encoding: SourceEncoding } {
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
    book = await readWorkbook(path);
  } catch (e) {
    throw new SourceError(`无法读取 xlsx 文件：${(e as Error).message}`);
  }
  const found = sheet
    ? findSheet(book, sheet)
    : (book.sheets.find((s) => s.info.state === 'visible') ?? book.sheets[0]);
  if (!found)
    throw new SourceError(
      sheet
        ? `xlsx 文件中没有工作表“${sheet}”，现有：${book.sheets.map((s) => s.name).join('、')}`
        : 'xlsx 文件中没有工作表',
    );
  return {
    table: {
      rows: found.rows.map((r) => ({ row: r.row, cells: r.values })),
      epoch: book.date1904 ? 'excel1904' : 'excel1900',
    },
    format: 'xlsx',
    sheet: found.name,
  };
}

function csvSource(bytes: Uint8Array): ReadSource {
  const { text, encoding } = decodeText(bytes);
  return { table: csvTable(text), format: 'csv', encoding };
}

export async function readSourceFile(path: string, sheet?: string): Promise<ReadSource> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new SourceError(`无法读取导入文件 ${path}：${(e as NodeJS.ErrnoException).code ?? ''}`);
  }
  return isZip(bytes) ? xlsxTable(path, sheet) : csvSource(bytes);
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
