/**
 * Scanning SpreadsheetML by hand: elements, attributes and start tags, over strings and
 * over bytes. No DOM: parts can be hundreds of megabytes, and everything the patcher
 * does not touch must come out byte-for-byte, which a parse/serialise cycle would break.
 */
import { decodeEntities, decodeText } from './xmlText.ts';

export type Attributes = Map<string, string>;

/** Attributes of a start tag, by qualified name, values entity-decoded. */
export function parseAttributes(tag: string): Attributes {
  const attrs: Attributes = new Map();
  const pattern = /([^\s=/<>"']+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;
  // Skip the element name so `<c r=…>` is not read as an attribute "c r".
  let start = 0;
  if (tag.charCodeAt(0) === 60) {
    start = 1;
    while (start < tag.length && !/[\s/>]/.test(tag[start] ?? '')) start++;
  }
  pattern.lastIndex = start;
  for (let m = pattern.exec(tag); m; m = pattern.exec(tag)) {
    attrs.set(m[1] ?? '', decodeEntities(m[2] ?? m[3] ?? ''));
  }
  return attrs;
}

export interface ElementMatch {
  /** index of `<` */
  start: number;
  /** index just past the element's end (`/>` or its closing tag) */
  end: number;
  /** the start tag's text, `<` to `>` */
  tag: string;
  /** inner content range; empty for a self-closing element */
  innerStart: number;
  innerEnd: number;
  /** the element's qualified name as written */
  qname: string;
}

/** The prefix (with its colon) of the first element in a document, or ''. */
export function rootPrefix(xml: string): string {
  let at = 0;
  for (;;) {
    at = xml.indexOf('<', at);
    if (at < 0) return '';
    const next = xml.charCodeAt(at + 1);
    if (next !== 63 /* ? */ && next !== 33 /* ! */) break;
    at++;
  }
  let end = at + 1;
  while (end < xml.length && !/[\s/>]/.test(xml[end] ?? '')) end++;
  const qname = xml.slice(at + 1, end);
  const colon = qname.indexOf(':');
  return colon < 0 ? '' : qname.slice(0, colon + 1);
}

/**
 * Elements with local name `local` in xml[from, to), any namespace prefix. Assumes the
 * element does not nest inside itself, which holds for every element this is used on.
 */
export function findElements(
  xml: string,
  local: string,
  from = 0,
  to = xml.length,
): ElementMatch[] {
  const found: ElementMatch[] = [];
  const open = new RegExp(`<((?:[A-Za-z_][\\w.-]*:)?${local})(?=[\\s/>])`, 'g');
  open.lastIndex = from;
  for (let m = open.exec(xml); m && m.index < to; m = open.exec(xml)) {
    const qname = m[1] ?? local;
    const gt = tagEnd(xml, m.index);
    if (gt < 0 || gt >= to) break;
    const tag = xml.slice(m.index, gt + 1);
    if (xml.charCodeAt(gt - 1) === 47 /* / */) {
      found.push({ start: m.index, end: gt + 1, tag, innerStart: gt + 1, innerEnd: gt + 1, qname });
      open.lastIndex = gt + 1;
      continue;
    }
    const close = xml.indexOf(`</${qname}`, gt + 1);
    if (close < 0 || close >= to) break;
    const closeEnd = xml.indexOf('>', close);
    // An unterminated end tag ends the search; going on from 0 would never end.
    if (closeEnd < 0 || closeEnd >= to) break;
    found.push({
      start: m.index,
      end: closeEnd + 1,
      tag,
      innerStart: gt + 1,
      innerEnd: close,
      qname,
    });
    open.lastIndex = closeEnd + 1;
  }
  return found;
}

export function findElement(
  xml: string,
  local: string,
  from = 0,
  to = xml.length,
): ElementMatch | undefined {
  return findElements(xml, local, from, to)[0];
}

/** Index of the `>` closing the tag that starts at `lt`, honouring quoted attributes. */
export function tagEnd(xml: string, lt: number): number {
  let quote = 0;
  for (let i = lt + 1; i < xml.length; i++) {
    const ch = xml.charCodeAt(i);
    if (quote !== 0) {
      if (ch === quote) quote = 0;
    } else if (ch === 34 || ch === 39) {
      quote = ch;
    } else if (ch === 62) {
      return i;
    }
  }
  return -1;
}

/**
 * The visible text of a rich or plain string (`<si>` or `<is>` content): every `<t>`
 * concatenated, phonetic runs (`<rPh>`) left out as Excel does when showing the value.
 */
export function runText(xml: string, from: number, to: number): string {
  let out = '';
  let at = from;
  while (at < to) {
    const lt = xml.indexOf('<', at);
    if (lt < 0 || lt >= to) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 47 /* / */ || next === 63 || next === 33) {
      if (xml.startsWith('<![CDATA[', lt)) {
        const end = xml.indexOf(']]>', lt);
        at = end < 0 ? to : end + 3;
      } else {
        const gt = xml.indexOf('>', lt);
        at = gt < 0 ? to : gt + 1;
      }
      continue;
    }
    let nameEnd = lt + 1;
    while (nameEnd < to) {
      const ch = xml.charCodeAt(nameEnd);
      if (ch === 32 || ch === 62 || ch === 47 || ch === 9 || ch === 10 || ch === 13) break;
      nameEnd++;
    }
    const qname = xml.slice(lt + 1, nameEnd);
    const colon = qname.indexOf(':');
    const local = colon < 0 ? qname : qname.slice(colon + 1);
    const gt = tagEnd(xml, lt);
    if (gt < 0 || gt >= to) break;
    const selfClosing = xml.charCodeAt(gt - 1) === 47;
    if (local === 't') {
      if (selfClosing) {
        at = gt + 1;
        continue;
      }
      const close = xml.indexOf(`</${qname}`, gt + 1);
      const stop = close < 0 || close > to ? to : close;
      out += decodeText(xml.slice(gt + 1, stop));
      at = stop;
    } else if (local === 'rPh' && !selfClosing) {
      const close = xml.indexOf(`</${qname}`, gt + 1);
      at = close < 0 ? to : close;
    } else {
      at = gt + 1;
    }
  }
  return out;
}
export interface TagScan {
  /** index of the first character of `r`'s value, or -1 */
  r: number;
  /** index of the first character of `t`'s value, or -1 */
  t: number;
  /** index of the first character of `s`'s value, or -1 */
  s: number;
  /** index just past the tag (after `>`) */
  end: number;
  selfClosing: boolean;
}

export function newTagScan(): TagScan {
  return { r: -1, t: -1, s: -1, end: 0, selfClosing: false };
}

export class XmlSyntaxError extends Error {
  override name = 'XmlSyntaxError';
}

/** The index past the comment or tag that starts at buf[lt], or -1 when it is not complete yet. */
export function markupEnd(buf: string, lt: number): number {
  if (buf.startsWith('<!--', lt)) {
    const end = buf.indexOf('-->', lt + 4);
    return end < 0 ? -1 : end + 3;
  }
  const gt = tagEnd(buf, lt);
  return gt < 0 ? -1 : gt + 1;
}

// The hot scans read bytes: indexing a Uint8Array is several times cheaper than
// charCodeAt in V8's optimized code, which matters at ten million cells a workbook. The
// patcher's text is a byte string (byteText.ts), so it scans the same bytes.

/**
 * Walks the attributes of a start tag once, from `from` (just past the element name) to
 * its `>`. Returns false when the tag runs past the end of `b`, i.e. the rest has not
 * arrived yet. One pass with no substring allocation: this runs for every cell.
 */
export function scanTagBytes(b: Uint8Array, from: number, out: TagScan): boolean {
  out.r = -1;
  out.t = -1;
  out.s = -1;
  const n = b.length;
  let i = from;
  for (;;) {
    if (i >= n) return false;
    let ch = b[i]!;
    while (ch === 32 || ch === 9 || ch === 10 || ch === 13) {
      if (++i >= n) return false;
      ch = b[i]!;
    }
    if (ch === 62) {
      out.end = i + 1;
      out.selfClosing = false;
      return true;
    }
    if (ch === 47) {
      if (i + 1 >= n) return false;
      out.end = i + 2;
      out.selfClosing = true;
      return true;
    }
    const nameStart = i;
    while (ch !== 61 && ch !== 32 && ch !== 9 && ch !== 10 && ch !== 13 && ch !== 62) {
      if (++i >= n) return false;
      ch = b[i]!;
    }
    const nameLength = i - nameStart;
    while (ch === 32 || ch === 9 || ch === 10 || ch === 13) {
      if (++i >= n) return false;
      ch = b[i]!;
    }
    if (ch !== 61) throw new XmlSyntaxError(`attribute without a value at ${nameStart}`);
    do {
      if (++i >= n) return false;
      ch = b[i]!;
    } while (ch === 32 || ch === 9 || ch === 10 || ch === 13);
    if (ch !== 34 && ch !== 39) throw new XmlSyntaxError(`unquoted attribute at ${nameStart}`);
    const valueStart = i + 1;
    let valueEnd = valueStart;
    while (valueEnd < n && b[valueEnd] !== ch) valueEnd++;
    if (valueEnd >= n) return false;
    if (nameLength === 1) {
      const c0 = b[nameStart];
      if (c0 === 114) out.r = valueStart;
      else if (c0 === 116) out.t = valueStart;
      else if (c0 === 115) out.s = valueStart;
    }
    i = valueEnd + 1;
  }
}

/** The unsigned integer at b[at…], or -1 when no digit is there. */
export function digitsAtBytes(b: Uint8Array, at: number): number {
  let n = 0;
  let i = at;
  for (; i < b.length; i++) {
    const d = b[i]! - 48;
    if (!(d >= 0 && d <= 9)) break;
    n = n * 10 + d;
  }
  return i === at ? -1 : n;
}

/** 0-based column of the letters at the start of a cell reference in b[from, to), or -1. */
export function refColumnBytes(b: Uint8Array, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    let ch = b[i]!;
    if (ch === 36 /* $ */) continue;
    if (ch >= 97 && ch <= 122) ch -= 32;
    if (ch < 65 || ch > 90) break;
    n = n * 26 + (ch - 64);
  }
  return n - 1;
}

/** True when `pattern` (ASCII) is at b[at…]. */
export function bytesAt(b: Uint8Array, at: number, pattern: Uint8Array): boolean {
  const n = pattern.length;
  if (at + n > b.length) return false;
  for (let i = 0; i < n; i++) if (b[at + i] !== pattern[i]) return false;
  return true;
}

export interface RawAttr {
  name: string;
  /** the attribute as written, leading space included */
  text: string;
  value: string;
}

export function rawAttributes(tag: string, nameEnd: number, stop: number): RawAttr[] {
  const out: RawAttr[] = [];
  const re = /(\s+)([^\s=/<>"']+)(\s*=\s*)(?:"([^"]*)"|'([^']*)')/g;
  re.lastIndex = nameEnd;
  for (let m = re.exec(tag); m && m.index < stop; m = re.exec(tag)) {
    out.push({ name: m[2] ?? '', text: m[0], value: m[4] ?? m[5] ?? '' });
  }
  return out;
}
/** The attributes of a start tag as written, for copying them unchanged. */
export function parseAttributesRaw(tag: string): RawAttr[] {
  let nameEnd = 1;
  while (nameEnd < tag.length && !/[\s/>]/.test(tag[nameEnd] ?? '')) nameEnd++;
  return rawAttributes(tag, nameEnd, tag.length);
}

/** A start tag with one attribute set, added when missing. */
export function setAttr(tag: string, name: string, value: string): string {
  const re = new RegExp(`(\\s${name}\\s*=\\s*)(["'])[^"']*\\2`);
  if (re.test(tag)) return tag.replace(re, `$1"${value}"`);
  return tag.replace(/\s*(\/?)>$/, ` ${name}="${value}"$1>`);
}
