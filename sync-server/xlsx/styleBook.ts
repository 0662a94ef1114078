/**
 * The patcher's view of styles.xml: the cell formats a written cell needs, added on
 * demand without disturbing the ones already there.
 */
import { FORMAT_PATTERNS } from '../../shared/formats.ts';
import { PatchError, type NumFmt } from './patchTypes.ts';
import { NS_MAIN, XML_DECLARATION } from './xml.ts';
import {
  findElement,
  findElements,
  parseAttributes,
  rootPrefix,
  setAttr,
  tagEnd,
} from './xmlScan.ts';
import { escapeAttr } from './xmlText.ts';

const emptyStyles = (ns: string): string =>
  `${XML_DECLARATION}<styleSheet xmlns="${ns}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

/**
 * The cell formats of styles.xml, extended on demand. Existing entries are never
 * changed or reordered, so every `s` index already in the workbook keeps its meaning.
 */
export class StyleBook {
  private readonly xml: string;
  private readonly prefix: string;
  private readonly xfs: string[];
  private readonly numFmtCodes = new Map<string, number>();
  private maxNumFmtId = 163;
  private readonly fontCount: number;
  private readonly fillCount: number;
  private readonly firstFont: string;
  private readonly addedNumFmts: string[] = [];
  private readonly addedXfs: string[] = [];
  private readonly addedFonts: string[] = [];
  private readonly addedFills: string[] = [];
  private readonly cache = new Map<string, number | undefined>();
  private readonly quotedOf = new Map<number, number>();
  private headerXf: number | undefined;
  private titleXf: number | undefined;
  private boldFontId: number | undefined;

  constructor(xml: string | null, namespace = NS_MAIN) {
    this.xml = xml ?? emptyStyles(namespace);
    this.prefix = rootPrefix(this.xml);
    const numFmts = findElement(this.xml, 'numFmts');
    if (numFmts) {
      for (const m of findElements(this.xml, 'numFmt', numFmts.innerStart, numFmts.innerEnd)) {
        const a = parseAttributes(m.tag);
        const id = Number(a.get('numFmtId'));
        if (!Number.isFinite(id)) continue;
        const code = a.get('formatCode') ?? '';
        if (!this.numFmtCodes.has(code)) this.numFmtCodes.set(code, id);
        this.maxNumFmtId = Math.max(this.maxNumFmtId, id);
      }
    }
    const cellXfs = findElement(this.xml, 'cellXfs');
    this.xfs = cellXfs
      ? findElements(this.xml, 'xf', cellXfs.innerStart, cellXfs.innerEnd).map((m) =>
          this.xml.slice(m.start, m.end),
        )
      : [];
    const fonts = findElement(this.xml, 'fonts');
    const fontList = fonts ? findElements(this.xml, 'font', fonts.innerStart, fonts.innerEnd) : [];
    this.fontCount = fontList.length;
    this.firstFont = fontList[0] ? this.xml.slice(fontList[0].start, fontList[0].end) : '';
    const fills = findElement(this.xml, 'fills');
    this.fillCount = fills
      ? findElements(this.xml, 'fill', fills.innerStart, fills.innerEnd).length
      : 0;
  }

  get modified(): boolean {
    return this.addedXfs.length > 0;
  }

  private get count(): number {
    return this.xfs.length + this.addedXfs.length;
  }

  private xfNumFmt(index: number): number {
    const xf = index < this.xfs.length ? this.xfs[index] : this.addedXfs[index - this.xfs.length];
    if (!xf) return 0;
    const m = /\snumFmtId\s*=\s*["']([0-9]+)["']/.exec(xf.slice(0, tagEnd(xf, 0) + 1));
    return m ? Number(m[1]) : 0;
  }

  private formatId(fmt: NumFmt): number {
    const { pattern: spec, builtinId } = FORMAT_PATTERNS[fmt];
    if (builtinId !== undefined) return builtinId;
    const known = this.numFmtCodes.get(spec);
    if (known !== undefined) return known;
    const id = ++this.maxNumFmtId;
    this.numFmtCodes.set(spec, id);
    this.addedNumFmts.push(
      `<${this.prefix}numFmt numFmtId="${id}" formatCode="${escapeAttr(spec)}"/>`,
    );
    return id;
  }

  private addXf(xf: string): number {
    this.addedXfs.push(xf);
    return this.count - 1;
  }

  /**
   * The `s` for a written cell. The cell's own or inherited style wins; a number format
   * is added only where that style shows numbers as General or Text, so a date never
   * appears as a bare serial and people's fonts, fills and borders stay.
   */
  resolve(
    base: number | undefined,
    fmt: NumFmt | undefined,
    header: boolean,
    quote = false,
  ): number | undefined {
    const key = `${base ?? ''}|${fmt ?? ''}|${header ? 1 : 0}|${quote ? 1 : 0}`;
    if (this.cache.has(key)) return this.cache.get(key);
    let s: number | undefined;
    if (header) {
      s = base ?? this.header();
    } else if (base !== undefined && base < this.count) {
      const current = this.xfNumFmt(base);
      if (fmt && (current === 0 || current === 49)) {
        s = this.addXf(this.withNumFmt(base, this.formatId(fmt)));
      } else {
        s = base;
      }
    } else if (fmt) {
      const id = this.formatId(fmt);
      const plain = this.xfs.findIndex((xf) => isPlainXf(xf, id));
      s =
        plain >= 0
          ? plain
          : this.addXf(
              `<${this.prefix}xf numFmtId="${id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`,
            );
    }
    if (quote && !header) s = this.quoted(s ?? 0);
    this.cache.set(key, s);
    return s;
  }

  /**
   * The style `index` with Excel's quote prefix: text starting with = + - @ stays text
   * when a person edits the cell in Excel or WPS, instead of turning into a formula.
   */
  private quoted(index: number): number {
    const known = this.quotedOf.get(index);
    if (known !== undefined) return known;
    if (this.count === 0)
      this.addXf(`<${this.prefix}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>`);
    const xf = this.xfAt(index) ?? this.xfAt(0)!;
    const end = tagEnd(xf, 0);
    const tag = xf.slice(0, end + 1);
    const q = parseAttributes(tag).get('quotePrefix');
    const s =
      q === '1' || q === 'true'
        ? index
        : this.addXf(setAttr(tag, 'quotePrefix', '1') + xf.slice(end + 1));
    this.quotedOf.set(index, s);
    return s;
  }

  private xfAt(index: number): string | undefined {
    return index < this.xfs.length ? this.xfs[index] : this.addedXfs[index - this.xfs.length];
  }

  private withNumFmt(base: number, id: number): string {
    const xf =
      (base < this.xfs.length ? this.xfs[base] : this.addedXfs[base - this.xfs.length]) ?? '';
    const end = tagEnd(xf, 0);
    let tag = xf.slice(0, end + 1);
    const rest = xf.slice(end + 1);
    tag = setAttr(tag, 'numFmtId', String(id));
    tag = setAttr(tag, 'applyNumberFormat', '1');
    return tag + rest;
  }

  /**
   * The `s` of a cell whose look the patch decides, whatever style it had: a table's
   * title in bold alone, or a plain cell with its number format.
   */
  owned(fmt: NumFmt | undefined, bold: boolean, quote = false): number | undefined {
    if (!bold) return this.resolve(undefined, fmt, false, quote);
    this.titleXf ??= this.addXf(
      `<${this.prefix}xf numFmtId="0" fontId="${this.boldFont()}" fillId="0" borderId="0" xfId="0" applyFont="1"/>`,
    );
    return this.titleXf;
  }

  /** The workbook's first font in bold, added once. */
  private boldFont(): number {
    if (this.boldFontId !== undefined) return this.boldFontId;
    const p = this.prefix;
    let font = this.firstFont || `<${p}font><${p}sz val="11"/></${p}font>`;
    if (!/<(?:\w+:)?b[\s/>]/.test(font)) {
      font = /\/>$/.test(font.slice(0, tagEnd(font, 0) + 1))
        ? font.replace(/\s*\/>$/, `><${p}b/></${p}font>`)
        : font.replace(/^(<[^>]*>)/, `$1<${p}b/>`);
    }
    this.addedFonts.push(font);
    this.boldFontId = this.fontCount + this.addedFonts.length - 1;
    return this.boldFontId;
  }

  private header(): number {
    if (this.headerXf !== undefined) return this.headerXf;
    const p = this.prefix;
    const fontId = this.boldFont();
    this.addedFills.push(
      `<${p}fill><${p}patternFill patternType="solid"><${p}fgColor rgb="FFDDEBF7"/><${p}bgColor indexed="64"/></${p}patternFill></${p}fill>`,
    );
    const fillId = this.fillCount + this.addedFills.length - 1;
    this.headerXf = this.addXf(
      `<${p}xf numFmtId="0" fontId="${fontId}" fillId="${fillId}" borderId="0" xfId="0" applyFont="1" applyFill="1"/>`,
    );
    return this.headerXf;
  }

  serialize(): string {
    let xml = this.xml;
    const p = this.prefix;
    // Later insertions first would shift earlier offsets; each step re-finds its element.
    xml = appendChildren(xml, 'cellXfs', 'xf', this.addedXfs, p, 'cellStyles');
    xml = appendChildren(xml, 'fills', 'fill', this.addedFills, p, 'borders');
    xml = appendChildren(xml, 'fonts', 'font', this.addedFonts, p, 'fills');
    if (this.addedNumFmts.length > 0) {
      if (findElement(xml, 'numFmts')) {
        xml = appendChildren(xml, 'numFmts', 'numFmt', this.addedNumFmts, p, 'fonts');
      } else {
        const root = findElement(xml, 'styleSheet');
        if (!root) throw new PatchError('styles.xml has no styleSheet');
        const at = root.innerStart;
        xml = `${xml.slice(0, at)}<${p}numFmts count="${this.addedNumFmts.length}">${this.addedNumFmts.join('')}</${p}numFmts>${xml.slice(at)}`;
      }
    }
    return xml;
  }
}

function isPlainXf(xf: string, numFmtId: number): boolean {
  const end = tagEnd(xf, 0);
  if (end !== xf.length - 1 && !/^<[^>]*>\s*<\/[^>]*>$/.test(xf)) return false;
  const a = parseAttributes(xf.slice(0, end + 1));
  const zero = (name: string): boolean => (a.get(name) ?? '0') === '0';
  return (
    Number(a.get('numFmtId') ?? 0) === numFmtId &&
    zero('fontId') &&
    zero('fillId') &&
    zero('borderId') &&
    zero('xfId')
  );
}

/** Appends elements to a collection element and fixes its `count`, creating it if missing. */
function appendChildren(
  xml: string,
  local: string,
  child: string,
  items: string[],
  prefix: string,
  before: string,
): string {
  if (items.length === 0) return xml;
  const el = findElement(xml, local);
  if (!el) {
    const next = findElement(xml, before);
    const root = findElement(xml, 'styleSheet');
    const at = next ? next.start : (root?.innerEnd ?? xml.length);
    return `${xml.slice(0, at)}<${prefix}${local} count="${items.length}">${items.join('')}</${prefix}${local}>${xml.slice(at)}`;
  }
  const existing = findElements(xml, child, el.innerStart, el.innerEnd).length;
  const total = existing + items.length;
  const tag = setAttr(el.tag, 'count', String(total));
  if (el.innerStart === el.end) {
    const open = tag.replace(/\s*\/>$/, '>');
    return `${xml.slice(0, el.start)}${open}${items.join('')}</${el.qname}>${xml.slice(el.end)}`;
  }
  return `${xml.slice(0, el.start)}${tag}${xml.slice(el.innerStart, el.innerEnd)}${items.join('')}${xml.slice(el.innerEnd)}`;
}

// ---------------------------------------------------------------------------
// Sheet stream merge
