/** The fixed stylesheet of a generated workbook and the style index of each cell kind. */
import { NS_MAIN, XML_DECLARATION } from './xml.ts';

/** How a column's values are shown. */
export type CellFormat =
  | 'general'
  /** stored and typed as text, so phone numbers keep leading zeros */
  | 'text'
  | 'date'
  | 'datetime'
  | 'money'
  | 'integer'
  | 'number'
  | 'percent';

// Built-in ids: 0 General, 1 "0", 4 "#,##0.00", 49 "@". Custom ids start at 164.
const NUMBER_FORMATS: Readonly<Record<CellFormat, number>> = {
  general: 0,
  integer: 1,
  money: 4,
  text: 49,
  date: 164,
  datetime: 165,
  number: 166,
  percent: 167,
};

const CUSTOM_FORMATS: readonly (readonly [number, string])[] = [
  [164, 'yyyy-mm-dd'],
  [165, 'yyyy-mm-dd hh:mm'],
  [166, '0.0'],
  [167, '0.0%'],
];

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

export function stylesXml(): string {
  const numFmts = CUSTOM_FORMATS.map(
    ([id, code]) => `<numFmt numFmtId="${id}" formatCode="${code}"/>`,
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
