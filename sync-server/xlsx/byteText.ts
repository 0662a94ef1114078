/**
 * Byte strings: a part's bytes, each as the char of that code (latin1).
 */
/** Buffer's latin1 codec without toString's and write's argument handling; every Buffer has it. */
export interface LatinBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  latin1Write(text: string, offset: number, length: number): number;
}

// The merger works on byte strings: a sheet part's bytes, each as the char of that code
// (latin1). Decoding is then a plain copy, strings stay one byte per char, and whatever
// passes through comes out as the very bytes that went in. Markup is ASCII, so it reads
// the same either way; only text the patch writes, and formulas it rewrites, convert.

const NON_ASCII = /[\u0080-\uffff]/;

/** Text as the byte string of its UTF-8 encoding. */
export function toBytes(text: string): string {
  if (!NON_ASCII.test(text)) return text;
  const bytes = Buffer.from(text, 'utf8') as LatinBuffer;
  return bytes.latin1Slice(0, bytes.length);
}

/** A byte string read back as text. */
export function fromBytes(bytes: string): string {
  if (!NON_ASCII.test(bytes)) return bytes;
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

// ---------------------------------------------------------------------------
// Planning: validation, sheet jobs, structure edits

/**
 * Text pieces as they come, except that a surrogate pair split between two pieces is
 * held back until it is whole, so each piece encodes to UTF-8 on its own.
 */
export function* wholeCodePoints(pieces: string | readonly string[]): Generator<string> {
  let carry = '';
  for (const piece of typeof pieces === 'string' ? [pieces] : pieces) {
    let text = carry + piece;
    carry = '';
    const last = text.charCodeAt(text.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) {
      carry = text.slice(-1);
      text = text.slice(0, -1);
    }
    yield text;
  }
  if (carry) yield carry;
}
