/**
 * A workbook rewritten through a temp file must come out as the person left it: the
 * same permission bits (a private 0600 file stays private) and, when the service runs
 * as root, the same owner. A workbook its owner made read-only is not ours to replace.
 */
import { constants } from 'node:fs';
import { access, chmod, chown, stat } from 'node:fs/promises';

export interface FileMode {
  mode: number;
  uid: number;
  gid: number;
}

export class ReadOnlyWorkbookError extends Error {
  override name = 'ReadOnlyWorkbookError';
}

/** The file's mode and owner; throws {@link ReadOnlyWorkbookError} when it may not be written. */
export async function writableModeOf(path: string): Promise<FileMode> {
  const s = await stat(path);
  const readOnly =
    (s.mode & 0o222) === 0 ||
    (await access(path, constants.W_OK).then(
      () => false,
      () => true,
    ));
  if (readOnly)
    throw new ReadOnlyWorkbookError(
      `工作簿是只读的，同步不会写入：${path}。若要同步，请先取消只读（如 chmod u+w），或换一个可写的副本`,
    );
  return { mode: s.mode & 0o7777, uid: s.uid, gid: s.gid };
}

/** Gives `temp` the mode (and, as root, the owner) the file it replaces had. */
export async function applyMode(temp: string, m: FileMode): Promise<void> {
  if (process.platform === 'win32') return;
  if (typeof process.getuid === 'function' && process.getuid() === 0)
    await chown(temp, m.uid, m.gid);
  await chmod(temp, m.mode);
}
