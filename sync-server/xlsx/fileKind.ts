/**
 * What a file that is not a readable .xlsx actually is, from its first bytes: a
 * password-protected workbook and an old .xls are both OLE compound files (the former
 * holds an "EncryptedPackage" stream), a text file is probably a CSV. Said in words a
 * person can act on instead of "not a zip file".
 */
export type FileKind = 'zip' | 'encrypted' | 'xls' | 'text' | 'empty' | 'unknown';

const CFB = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

export function fileKind(head: Uint8Array): FileKind {
  if (head.length === 0) return 'empty';
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b) return 'zip';
  if (head.length >= 8 && CFB.every((b, i) => head[i] === b)) {
    return Buffer.from(head.buffer, head.byteOffset, head.byteLength).includes(ENCRYPTED_PACKAGE)
      ? 'encrypted'
      : 'xls';
  }
  let control = 0;
  const n = Math.min(head.length, 4096);
  for (let i = 0; i < n; i++) {
    const b = head[i]!;
    if (b === 0) return 'unknown';
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return control * 50 < n ? 'text' : 'unknown';
}

/** Why the file cannot be read as a workbook, and what to do; null for a zip. */
export function notXlsxMessage(kind: FileKind, what = '文件'): string | null {
  switch (kind) {
    case 'zip':
      return null;
    case 'encrypted':
      return `${what}设有打开密码（已加密），无法读取：请在 Excel/WPS 中打开，取消密码（文件 → 信息 → 保护工作簿 → 用密码进行加密，清空密码）后保存，再试一次`;
    case 'xls':
      return `${what}是旧版 Excel 97-2003 格式（.xls），不是 .xlsx：请在 Excel/WPS 中打开，另存为“Excel 工作簿 (*.xlsx)”后再试`;
    case 'text':
      return `${what}是文本文件（可能是 CSV），不是 .xlsx 工作簿：请把扩展名改为 .csv，或在 Excel/WPS 中打开后另存为 .xlsx`;
    case 'empty':
      return `${what}是空的（0 字节）：请从 .crm-backups 中恢复上一版本，或重新创建`;
    default:
      return `${what}不是 .xlsx 工作簿（无法识别的格式）：请在 Excel/WPS 中打开后另存为 .xlsx`;
  }
}
