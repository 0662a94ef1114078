/**
 * Errors as a person reads them. The project's own errors already speak Chinese; what
 * comes from Node (errno codes), zlib, the zip layer's internal checks or V8 (out of
 * memory) is turned into what happened and what to do, keeping the original text in
 * brackets for whoever reads the log.
 */
const ERRNO: Record<string, string> = {
  ENOENT: '文件或文件夹不存在，请检查路径',
  EACCES: '没有访问权限，请检查文件和所在文件夹的权限',
  EPERM: '操作不被允许，请检查文件权限，或文件是否被其他程序占用',
  EROFS: '所在磁盘是只读的，无法写入',
  ENOSPC: '磁盘空间不足，请清理后再试',
  EDQUOT: '磁盘配额已用完，请清理后再试',
  EISDIR: '给出的是文件夹，不是文件',
  ENOTDIR: '路径中有一段不是文件夹',
  EBUSY: '文件正被其他程序占用，请关闭后再试',
  EMFILE: '打开的文件过多，请稍后再试',
  EIO: '磁盘读写出错，请检查磁盘',
  ENAMETOOLONG: '路径过长',
  EEXIST: '文件已存在',
  EXDEV: '临时文件与工作簿不在同一磁盘上',
};

const HAS_CJK = /[\u4e00-\u9fff]/;

export function describeError(e: unknown): string {
  const err = e as (Error & { code?: string; path?: string }) | undefined;
  const message = err instanceof Error ? err.message : String(e);
  if (err instanceof Error && err.code && ERRNO[err.code]) {
    return `${ERRNO[err.code]}${err.path ? `：${err.path}` : ''}（${err.code}）`;
  }
  if (HAS_CJK.test(message)) return message;
  if (err instanceof RangeError && /Invalid (string|array) length|allocation failed/i.test(message))
    return `文件中的内容过大，超出可处理的上限，无法读取（${message}）`;
  if (err instanceof Error && (err.name === 'ZipFormatError' || err.name === 'XlsxFormatError'))
    return `工作簿文件已损坏或不是有效的 .xlsx（${message}）：请从 .crm-backups 中恢复上一版本，或在 Excel/WPS 中打开后另存为 .xlsx`;
  if (err instanceof Error && err.name === 'PatchError')
    return `无法写回工作簿，工作簿未改动（${message}）`;
  if (
    /incorrect header check|invalid (block type|distance|stored block|code)|unexpected end of file/i.test(
      message,
    )
  )
    return `工作簿中的压缩数据已损坏（${message}）：请从 .crm-backups 中恢复上一版本`;
  return `内部错误（${message}）`;
}
