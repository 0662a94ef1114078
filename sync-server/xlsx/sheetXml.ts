/**
 * Small, allocation-light helpers for the SpreadsheetML subset the reader and patcher
 * scan by hand. No DOM: parts can be hundreds of megabytes, and everything the patcher
 * does not touch must come out byte-for-byte, which a parse/serialise cycle would break.
 */

const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

const ENTITY = /&(#[xX][0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g;

function codePointString(code: number, fallback: string): string {
  if (!Number.isFinite(code) || code < 0 || code > 0x10ffff) return fallback;
  return String.fromCodePoint(code);
}

function decodeEntities(text: string): string {
  if (text.indexOf('&') < 0) return text;
  return text.replace(ENTITY, (whole, body: string) => {
    if (body.charCodeAt(0) === 35 /* # */) {
      const hex = body.charCodeAt(1) === 120 || body.charCodeAt(1) === 88;
      return codePointString(parseInt(body.slice(hex ? 2 : 1), hex ? 16 : 10), whole);
    }
    return NAMED_ENTITIES[body] ?? whole;
  });
}

const OOXML_ESCAPE = /_x([0-9A-Fa-f]{4})_/g;

/**
 * Spreadsheet strings carry characters XML cannot (control characters, a lone CR) as
 * `_xHHHH_`, and a literal `_x` sequence as `_x005F_x…`; Excel decodes them on load.
 */
function decodeOoxmlEscapes(text: string): string {
  if (text.indexOf('_x') < 0) return text;
  return text.replace(OOXML_ESCAPE, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** Decodes CDATA sections, entities and `_xHHHH_` escapes of an element's raw text. */
export function decodeText(raw: string): string {
  let text = raw;
  if (text.indexOf('<') >= 0) text = decodeMarkup(text);
  else text = decodeEntities(text);
  return decodeOoxmlEscapes(text);
}

function decodeMarkup(raw: string): string {
  let out = '';
  let at = 0;
  while (at < raw.length) {
    const cdata = raw.indexOf('<![CDATA[', at);
    if (cdata < 0) break;
    out += decodeEntities(stripTags(raw.slice(at, cdata)));
    const end = raw.indexOf(']]>', cdata + 9);
    const stop = end < 0 ? raw.length : end;
    out += raw.slice(cdata + 9, stop);
    at = end < 0 ? raw.length : end + 3;
  }
  return out + decodeEntities(stripTags(raw.slice(at)));
}

function stripTags(text: string): string {
  return text.indexOf('<') < 0 ? text : text.replace(/<!--[\s\S]*?-->|<[^>]*>/g, '');
}

// Matching control characters is the point: XML 1.0 cannot carry them.
const XML_INVALID =
  // eslint-disable-next-line no-control-regex
  /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function escapeText(text: string): string {
  if (!/[&<>]/.test(text)) return text;
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeAttr(text: string): string {
  const clean = text.replace(XML_INVALID, '\uFFFD');
  if (!/[&<>"\t\n\r]/.test(clean)) return clean;
  return clean
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

/**
 * Text for a `<t>` or `<v>` element: a literal `_xHHHH_` is protected first, then the
 * characters XML 1.0 cannot hold (and CR, which XML parsers would fold into LF) become
 * `_xHHHH_`. Unpaired surrogates cannot be encoded as UTF-8 at all and become U+FFFD.
 */
export function encodeCellText(text: string): string {
  let out = text;
  if (out.indexOf('_x') >= 0) out = out.replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1');
  out = out.replace(XML_INVALID, (ch) => {
    const code = ch.charCodeAt(0);
    return code >= 0xd800 && code <= 0xdfff ? '\uFFFD' : hex4(code);
  });
  if (out.indexOf('\r') >= 0) out = out.replace(/\r/g, '_x000D_');
  return escapeText(out);
}

function hex4(code: number): string {
  return '_x' + code.toString(16).toUpperCase().padStart(4, '0') + '_';
}

/** True when `<t>` needs xml:space="preserve" to keep its spaces. */
export function needsPreserve(text: string): boolean {
  if (text.length === 0) return false;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first <= 32 || last <= 32 || /[\t\n\r]| {2}/.test(text);
}

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

/** 0-based column of the letters at the start of a cell reference in s[from, to), or -1. */
export function refColumn(s: string, from: number, to: number): number {
  let n = 0;
  let i = from;
  for (; i < to; i++) {
    let ch = s.charCodeAt(i);
    if (ch === 36 /* $ */) continue;
    if (ch >= 97 && ch <= 122) ch -= 32;
    if (ch < 65 || ch > 90) break;
    n = n * 26 + (ch - 64);
  }
  return n - 1;
}

/** 1-based row of a cell reference in s[from, to), or -1. */
export function refRow(s: string, from: number, to: number): number {
  let i = from;
  while (i < to) {
    const ch = s.charCodeAt(i);
    if ((ch >= 48 && ch <= 57) || ch === 36) break;
    i++;
  }
  let n = 0;
  let digits = 0;
  for (; i < to; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 36) continue;
    if (ch < 48 || ch > 57) break;
    n = n * 10 + (ch - 48);
    digits++;
  }
  return digits === 0 ? -1 : n;
}

const MAX_ROW = 1_048_576;
const MAX_COL = 16_384;

function columnNumber(letters: string): number {
  let n = 0;
  for (let i = 0; i < letters.length; i++) n = n * 26 + ((letters.charCodeAt(i) | 32) - 96);
  return n;
}

function columnName(n: number): string {
  let out = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) {
    out = String.fromCharCode(65 + ((k - 1) % 26)) + out;
  }
  return out;
}

const CELL_REF = /(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_.(\\?[])/y;
const COL_RANGE = /(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![A-Za-z0-9_.(\\?[])/y;
const ROW_RANGE = /(\$?)([0-9]{1,7}):(\$?)([0-9]{1,7})(?![0-9A-Za-z_.(])/y;
const NAME_CHARS = /[A-Za-z0-9_.\\?$]+/y;
const NUMBER = /[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?/y;

/**
 * The formula a cell of a shared-formula group holds: the group's formula with its
 * relative references moved by the cell's offset from the group's first cell. Used when
 * that first cell is overwritten and the other cells need a formula of their own.
 */
export function shiftFormula(formula: string, dRow: number, dCol: number): string {
  let out = '';
  let i = 0;
  const n = formula.length;
  const shiftRow = (abs: string, row: number): string | null => {
    const r = abs ? row : row + dRow;
    return r >= 1 && r <= MAX_ROW ? abs + String(r) : null;
  };
  const shiftCol = (abs: string, letters: string): string | null => {
    const c = columnNumber(letters);
    if (c > MAX_COL) return null;
    const moved = abs ? c : c + dCol;
    return moved >= 1 && moved <= MAX_COL ? abs + columnName(moved) : null;
  };
  while (i < n) {
    const ch = formula[i] ?? '';
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < n) {
        if (formula[j] === ch) {
          if (formula[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      out += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '[') {
      let depth = 0;
      let j = i;
      for (; j < n; j++) {
        if (formula[j] === '[') depth++;
        else if (formula[j] === ']' && --depth === 0) break;
      }
      out += formula.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '#') {
      NAME_CHARS.lastIndex = i + 1;
      const m = NAME_CHARS.exec(formula);
      const end = m ? i + 1 + m[0].length : i + 1;
      const bang = formula[end] === '!' || formula[end] === '?' ? end + 1 : end;
      out += formula.slice(i, bang);
      i = bang;
      continue;
    }
    if (/[A-Za-z0-9_$\\.]/.test(ch)) {
      COL_RANGE.lastIndex = i;
      let m = COL_RANGE.exec(formula);
      if (m) {
        const a = shiftCol(m[1] ?? '', m[2] ?? '');
        const b = shiftCol(m[3] ?? '', m[4] ?? '');
        if (columnNumber(m[2] ?? '') <= MAX_COL && columnNumber(m[4] ?? '') <= MAX_COL) {
          out += a && b ? `${a}:${b}` : '#REF!';
          i += m[0].length;
          continue;
        }
      }
      CELL_REF.lastIndex = i;
      m = CELL_REF.exec(formula);
      if (
        m &&
        columnNumber(m[2] ?? '') <= MAX_COL &&
        Number(m[4]) <= MAX_ROW &&
        Number(m[4]) >= 1
      ) {
        const c = shiftCol(m[1] ?? '', m[2] ?? '');
        const r = shiftRow(m[3] ?? '', Number(m[4]));
        out += c && r ? c + r : '#REF!';
        i += m[0].length;
        continue;
      }
      ROW_RANGE.lastIndex = i;
      m = ROW_RANGE.exec(formula);
      if (m) {
        const a = shiftRow(m[1] ?? '', Number(m[2]));
        const b = shiftRow(m[3] ?? '', Number(m[4]));
        out += a && b ? `${a}:${b}` : '#REF!';
        i += m[0].length;
        continue;
      }
      if (/[0-9.]/.test(ch)) {
        NUMBER.lastIndex = i;
        const num = NUMBER.exec(formula);
        if (num && num[0].length > 0) {
          out += num[0];
          i += num[0].length;
          continue;
        }
      }
      NAME_CHARS.lastIndex = i;
      const name = NAME_CHARS.exec(formula);
      const len = name ? name[0].length : 1;
      out += formula.slice(i, i + len);
      i += len;
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** Where the attributes the scanners care about start, filled in by {@link scanTag}. */
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

/**
 * Walks the attributes of a start tag once, from `from` (just past the element name) to
 * its `>`. Returns false when the tag runs past the end of `buf`, i.e. the rest has not
 * arrived yet. One pass with no substring allocation: this runs for every cell.
 */
export function scanTag(buf: string, from: number, out: TagScan): boolean {
  out.r = -1;
  out.t = -1;
  out.s = -1;
  const n = buf.length;
  let i = from;
  for (;;) {
    let ch = buf.charCodeAt(i);
    while (ch === 32 || ch === 9 || ch === 10 || ch === 13) ch = buf.charCodeAt(++i);
    if (i >= n) return false;
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
    while (i < n && ch !== 61 && ch !== 32 && ch !== 9 && ch !== 10 && ch !== 13 && ch !== 62) {
      ch = buf.charCodeAt(++i);
    }
    const nameLength = i - nameStart;
    while (ch === 32 || ch === 9 || ch === 10 || ch === 13) ch = buf.charCodeAt(++i);
    if (i >= n) return false;
    if (ch !== 61) throw new XmlSyntaxError(`attribute without a value at ${nameStart}`);
    ch = buf.charCodeAt(++i);
    while (ch === 32 || ch === 9 || ch === 10 || ch === 13) ch = buf.charCodeAt(++i);
    if (i >= n) return false;
    if (ch !== 34 && ch !== 39) throw new XmlSyntaxError(`unquoted attribute at ${nameStart}`);
    const valueStart = i + 1;
    // Values here are a few characters ("A1", "3", "s"): a loop beats an indexOf call.
    let valueEnd = valueStart;
    while (valueEnd < n && buf.charCodeAt(valueEnd) !== ch) valueEnd++;
    if (valueEnd >= n) return false;
    if (nameLength === 1) {
      const c0 = buf.charCodeAt(nameStart);
      if (c0 === 114) out.r = valueStart;
      else if (c0 === 116) out.t = valueStart;
      else if (c0 === 115) out.s = valueStart;
    }
    i = valueEnd + 1;
  }
}

/** The unsigned integer at buf[at…], or -1 when no digit is there. */
export function digitsAt(buf: string, at: number): number {
  let n = 0;
  let i = at;
  for (; ; i++) {
    const d = buf.charCodeAt(i) - 48;
    if (!(d >= 0 && d <= 9)) break;
    n = n * 10 + d;
  }
  return i === at ? -1 : n;
}

// The same scans over bytes. Indexing a Uint8Array is several times cheaper than
// charCodeAt in V8's optimized code, which matters at ten million cells a workbook.

/** {@link scanTag} over the bytes of a part. */
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

/** {@link digitsAt} over bytes. */
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

/** {@link refColumn} over bytes. */
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
