/**
 * A UTF-8 file with a few lines in GBK (rows pasted from an older export) decoded line
 * by line: decoding it whole as GBK would turn every Chinese character of the UTF-8
 * lines into garbage. A line feed byte never occurs inside a GBK or UTF-8 character, so
 * the file splits into lines safely before decoding.
 */
import iconv from 'iconv-lite';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Line i (0-based) as UTF-8, or null when it is not valid UTF-8. */
function asUtf8(line: Buffer): string | null {
  try {
    return utf8.decode(line);
  } catch {
    return null;
  }
}

const hasNonAscii = (line: Buffer): boolean => line.some((b) => b >= 0x80);

export interface MixedDecoding {
  text: string;
  /** 1-based line numbers read as GBK */
  gbkLines: number[];
}

/**
 * null when the bytes are no UTF-8 file at all (no line with valid non-ASCII UTF-8: a
 * GBK file, decoded whole); else the text with the lines that are not UTF-8 read as GBK.
 */
export function decodeMixedLines(buf: Buffer): MixedDecoding | null {
  const lines: Buffer[] = [];
  let start = 0;
  for (let i = buf.indexOf(0x0a); i >= 0; i = buf.indexOf(0x0a, start)) {
    lines.push(buf.subarray(start, i + 1));
    start = i + 1;
  }
  if (start < buf.length) lines.push(buf.subarray(start));
  const decoded = lines.map(asUtf8);
  const utf8Lines = lines.filter((l, i) => decoded[i] !== null && hasNonAscii(l)).length;
  if (utf8Lines === 0) return null;
  const gbkLines: number[] = [];
  const parts = lines.map((l, i) => {
    const text = decoded[i];
    if (text !== null && text !== undefined) return text;
    gbkLines.push(i + 1);
    return iconv.decode(l, 'gb18030');
  });
  return { text: parts.join(''), gbkLines };
}

export const GBK_LINE_MESSAGE =
  '文件是 UTF-8 编码，但这一行不是 UTF-8（看起来是 GBK），已按 GBK 读取：请核对这一行的中文是否正确，最好把整个文件另存为 UTF-8 后重新导入';
