/** The fixed stylesheet of a generated workbook and the style index of each cell kind. */
import { FORMAT_PATTERNS, type CellFormat } from '../../shared/formats.ts';
import { NS_MAIN, XML_DECLARATION } from './xml.ts';
import { escapeAttr } from './xmlText.ts';

const FORMAT_ORDER_ALL = Object.keys(FORMAT_PATTERNS) as CellFormat[];

/** Number-format ids: the built-in one where Excel has it, else custom ids from 164 on. */
const CUSTOM_FORMATS: readonly (readonly [number, string])[] = FORMAT_ORDER_ALL.filter(
  (f) => FORMAT_PATTERNS[f].builtinId === undefined,
).map((f, i) => [164 + i, FORMAT_PATTERNS[f].pattern] as const);

const NUMBER_FORMATS: Readonly<Record<CellFormat, number>> = Object.fromEntries(
  FORMAT_ORDER_ALL.map((f) => [
    f,
    FORMAT_PATTERNS[f].builtinId ??
      CUSTOM_FORMATS.find(([, code]) => code === FORMAT_PATTERNS[f].pattern)![0],
  ]),
) as Record<CellFormat, number>;

/** Text Excel and WPS would read as a formula when a person edits the cell. */
export const FORMULA_LIKE = /^[=+\-@]/;

/** Whether a value written into a sheet carries the quote prefix (see SheetContent.quotePrefix). */
export function takesQuotePrefix(value: unknown, content?: { quotePrefix?: boolean }): boolean {
  return typeof value === 'string' && content?.quotePrefix !== false && FORMULA_LIKE.test(value);
}

export const HEADER_STYLE = 1;
export const SYNC_HEADER_STYLE = 2;

const FORMAT_ORDER: readonly CellFormat[] = [
  'text',
  'date',
  'datetime',
  'money',
  'integer',
  'number',
  'percent',
];

/** The cellXfs index for data cells of a format. */
export function styleOf(format: CellFormat): number {
  return format === 'general' ? 0 : 3 + FORMAT_ORDER.indexOf(format);
}

/** After the data styles: General and Text with Excel's quote prefix, for formula-like text. */
const QUOTED_GENERAL = 3 + FORMAT_ORDER.length;

/** The cellXfs index for a formula-like text in a column of a format. */
export function quotedStyleOf(format: CellFormat): number {
  return format === 'text' ? QUOTED_GENERAL + 1 : QUOTED_GENERAL;
}

export function stylesXml(): string {
  const numFmts = CUSTOM_FORMATS.map(
    ([id, code]) => `<numFmt numFmtId="${id}" formatCode="${escapeAttr(code)}"/>`,
  ).join('');
  const font = (bold: boolean): string =>
    `<font>${bold ? '<b/>' : ''}<sz val="11"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font>`;
  const solid = (rgb: string): string =>
    `<fill><patternFill patternType="solid"><fgColor rgb="${rgb}"/><bgColor indexed="64"/></patternFill></fill>`;
  const dataXfs = FORMAT_ORDER.map(
    (f) =>
      `<xf numFmtId="${NUMBER_FORMATS[f]}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>`,
  );
  const headerXf = (fillId: number): string =>
    `<xf numFmtId="0" fontId="1" fillId="${fillId}" borderId="0" xfId="0" applyFont="1" applyFill="1" applyAlignment="1"><alignment vertical="center"/></xf>`;
  const xfs = [
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
    // header: light blue; sync header: light orange, so people see which columns are computed
    headerXf(2),
    headerXf(3),
    ...dataXfs,
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>',
    `<xf numFmtId="${NUMBER_FORMATS.text}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" quotePrefix="1"/>`,
  ];
  return (
    XML_DECLARATION +
    `<styleSheet xmlns="${NS_MAIN}">` +
    `<numFmts count="${CUSTOM_FORMATS.length}">${numFmts}</numFmts>` +
    `<fonts count="2">${font(false)}${font(true)}</fonts>` +
    `<fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>${solid('FFDDEBF7')}${solid('FFFCE4D6')}</fills>` +
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
    `<cellXfs count="${xfs.length}">${xfs.join('')}</cellXfs>` +
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
    '<dxfs count="0"/><tableStyles count="0"/>' +
    '</styleSheet>'
  );
}
