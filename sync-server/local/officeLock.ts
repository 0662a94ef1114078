/**
 * Excel, WPS and LibreOffice mark a workbook they have open with an owner file beside
 * it: `~$name.xlsx` (Excel/WPS; the first two characters of a long name replaced) and
 * `.~lock.name.xlsx#` (LibreOffice). Whatever the sync or a form writes meanwhile is
 * lost when that person saves, so syncs warn and forms refuse while one exists. Both
 * files name who has the workbook open.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface EditorLock {
  /** the owner file found */
  file: string;
  editor: 'Excel/WPS' | 'LibreOffice';
  /** who has it open, when the owner file says */
  user: string | null;
}

/** Excel's owner file: a length byte and the name in the ANSI code page, then at 0x36 the UTF-16 name. */
function excelOwner(bytes: Buffer): string | null {
  if (bytes.length >= 0x37 + 2) {
    const n = bytes[0x36]!;
    const wide = bytes.subarray(0x37 + 1, 0x37 + 1 + n * 2);
    const name = wide.length === n * 2 ? wide.toString('utf16le').replace(/\0/g, '').trim() : '';
    if (name) return name;
  }
  const n = bytes[0] ?? 0;
  const name = bytes
    .subarray(1, 1 + n)
    .toString('latin1')
    .trim();
  return /^[\x20-\x7e]+$/.test(name) ? name : null;
}

/** LibreOffice's lock: `,user name,host,date,profile path;` (the first field is often blank). */
function libreOfficeOwner(text: string): string | null {
  const fields = text.split(',');
  const name = (fields[1] ?? '').trim() || (fields[0] ?? '').trim();
  const host = (fields[2] ?? '').trim();
  return name ? (host ? `${name}（${host}）` : name) : null;
}

async function tryRead(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch {
    return null;
  }
}

export async function editorLockOf(workbook: string): Promise<EditorLock | null> {
  const dir = dirname(workbook);
  const name = basename(workbook);
  const excelNames = [`~$${name}`, ...(name.length > 7 ? [`~$${name.slice(2)}`] : [])];
  for (const candidate of excelNames) {
    const bytes = await tryRead(join(dir, candidate));
    if (bytes) return { file: join(dir, candidate), editor: 'Excel/WPS', user: excelOwner(bytes) };
  }
  const lo = join(dir, `.~lock.${name}#`);
  const bytes = await tryRead(lo);
  if (bytes)
    return { file: lo, editor: 'LibreOffice', user: libreOfficeOwner(bytes.toString('utf8')) };
  return null;
}

export function editorLockMessage(lock: EditorLock): string {
  const who = lock.user ? `${lock.user} ` : '有人';
  return `工作簿正被${who}用 ${lock.editor} 打开（${basename(lock.file)}）：那边保存时会覆盖同步和表单写入的内容。请先在 ${lock.editor} 中保存并关闭工作簿；若确认没有人打开，可删除 ${basename(lock.file)}`;
}
