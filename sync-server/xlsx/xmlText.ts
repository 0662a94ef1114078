/**
 * Text in and out of SpreadsheetML: entities, CDATA and Excel's `_xHHHH_` escapes read,
 * and text escaped for elements and attributes written.
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

export function decodeEntities(text: string): string {
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
