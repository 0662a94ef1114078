/**
 * A streaming .xlsx writer. Rows are pulled from iterables one at a time, turned into
 * SpreadsheetML and deflated straight to disk, so a workbook of a million rows needs no
 * more memory than one of ten.
 */
import { columnLetters } from './cellRef.ts';
import { commentsXml, vmlDrawingXml, type CellNote } from './comments.ts';
import type { CellValue } from '../../shared/cells.ts';
import type { CellFormat } from '../../shared/formats.ts';
import { MAX_CELL_CHARS, MAX_INLINE_LIST_CHARS, MAX_ROWS } from './limits.ts';
import {
  contentTypesXml,
  rootRelsXml,
  sheetRelsXml,
  workbookRelsXml,
  workbookXml,
} from './package.ts';
import {
  FORMULA_LIKE,
  HEADER_STYLE,
  SYNC_HEADER_STYLE,
  quotedStyleOf,
  styleOf,
  stylesXml,
} from './styles.ts';
import { NS_MAIN, NS_REL, XML_DECLARATION } from './xml.ts';
import { encodeCellText, escapeText, needsPreserve } from './xmlText.ts';
import { ZipFileWriter, type ZipFileOptions } from './zipStream.ts';

export type { CellFormat } from '../../shared/formats.ts';

export type { CellValue } from '../../shared/cells.ts';

/** A dropdown: a fixed list, or a range reference such as `'工单路由'!$B$2:$B$200`. */
export type Dropdown = (
  { values: readonly string[]; range?: undefined } | { range: string; values?: undefined }
) & {
  /** Let people keep a value outside the list after a warning instead of refusing it. */
  allowOther?: boolean;
};

export interface ColumnSpec {
  header: string;
  /** width in characters */
  width?: number;
  format?: CellFormat;
  /** a column the sync computes: its header gets its own shade */
  sync?: boolean;
  /** a note on the header cell */
  note?: string;
  dropdown?: Dropdown;
}

export type Row = readonly CellValue[];
export type RowSource = Iterable<Row> | AsyncIterable<Row>;

export interface SheetSpec {
  name: string;
  /** row 1; a sheet without columns has no header row */
  columns: readonly ColumnSpec[];
  /** rows from row 2 on, cells in column order */
  rows?: RowSource;
}

export interface WriteXlsxOptions extends ZipFileOptions {
  /** Dropdowns cover rows 2 to at least this row (default 10,000). */
  validationRows?: number;
}

export interface WriteXlsxResult {
  sheets: number;
  /** data rows written, headers not counted */
  rows: number;
  /** size of the file */
  bytes: number;
}

const DEFAULT_VALIDATION_ROWS = 10_000;
/** Rows below the data that dropdowns still cover, for rows people add later. */
const VALIDATION_HEADROOM = 10_000;

export async function writeXlsx(
  path: string,
  sheets: readonly SheetSpec[],
  options: WriteXlsxOptions = {},
): Promise<WriteXlsxResult> {
  checkSheets(sheets);
  const zip = await ZipFileWriter.create(path, options);
  try {
    const notes = sheets.map(headerNotes);
    await zip.entryOf('[Content_Types].xml', contentTypesXml(notes));
    await zip.entryOf('_rels/.rels', rootRelsXml());
    await zip.entryOf('xl/workbook.xml', workbookXml(sheets));
    await zip.entryOf('xl/_rels/workbook.xml.rels', workbookRelsXml(sheets.length));
    await zip.entryOf('xl/styles.xml', stylesXml());
    let rows = 0;
    let drawing = 0;
    for (const [i, sheet] of sheets.entries()) {
      const sheetNotes = notes[i]!;
      await zip.begin(`xl/worksheets/sheet${i + 1}.xml`);
      rows += await writeSheet(zip, sheet, i === 0, sheetNotes.length > 0, options);
      await zip.end();
      if (sheetNotes.length === 0) continue;
      drawing++;
      await zip.entryOf(`xl/worksheets/_rels/sheet${i + 1}.xml.rels`, sheetRelsXml(i + 1));
      await zip.entryOf(`xl/comments${i + 1}.xml`, commentsXml(sheetNotes));
      await zip.entryOf(`xl/drawings/vmlDrawing${i + 1}.vml`, vmlDrawingXml(sheetNotes, drawing));
    }
    await zip.finish();
    return { sheets: sheets.length, rows, bytes: zip.bytes };
  } catch (err) {
    await zip.abort();
    throw err;
  }
}

function checkSheets(sheets: readonly SheetSpec[]): void {
  if (sheets.length === 0) throw new Error('a workbook needs at least one sheet');
  const seen = new Set<string>();
  for (const sheet of sheets) {
    const name = sheet.name;
    if (name.length === 0 || name.length > 31 || /[\\/?*[\]:]/.test(name) || /^'|'$/.test(name)) {
      throw new Error(`invalid sheet name ${JSON.stringify(name)}`);
    }
    const folded = name.toLowerCase();
    if (seen.has(folded)) throw new Error(`duplicate sheet name ${JSON.stringify(name)}`);
    seen.add(folded);
    for (const column of sheet.columns) {
      if (column.dropdown?.values) listFormula(column.dropdown.values);
    }
  }
}

function headerNotes(sheet: SheetSpec): CellNote[] {
  const notes: CellNote[] = [];
  sheet.columns.forEach((c, col) => {
    if (c.note) notes.push({ col, row: 0, text: c.note });
  });
  return notes;
}

/** Streams one worksheet part; returns the number of data rows. */
async function writeSheet(
  zip: ZipFileWriter,
  sheet: SheetSpec,
  selected: boolean,
  hasNotes: boolean,
  options: WriteXlsxOptions,
): Promise<number> {
  const columns = sheet.columns;
  const hasHeader = columns.length > 0;
  await zip.write(
    XML_DECLARATION +
      `<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
      sheetViewXml(selected, hasHeader) +
      '<sheetFormatPr defaultRowHeight="15"/>' +
      colsXml(columns) +
      '<sheetData>' +
      (hasHeader ? headerRowXml(columns) : ''),
  );

  const cells = new RowEncoder(sheet.name, columns);
  let rowNumber = hasHeader ? 1 : 0;
  const emit = (row: Row): Promise<void> | undefined => {
    rowNumber++;
    if (rowNumber > MAX_ROWS) throw new Error(`${sheet.name}: more than ${MAX_ROWS} rows`);
    const xml = cells.encode(row, rowNumber);
    return xml === '' ? undefined : zip.write(xml);
  };
  const rows = sheet.rows ?? [];
  if (Symbol.asyncIterator in rows) {
    for await (const row of rows) await emit(row);
  } else {
    for (const row of rows) {
      const wait = emit(row);
      if (wait) await wait;
    }
  }

  const lastRow = Math.min(
    MAX_ROWS,
    Math.max(options.validationRows ?? DEFAULT_VALIDATION_ROWS, rowNumber + VALIDATION_HEADROOM),
  );
  await zip.write(
    '</sheetData>' +
      dataValidationsXml(columns, lastRow) +
      '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>' +
      (hasNotes ? '<legacyDrawing r:id="rId2"/>' : '') +
      '</worksheet>',
  );
  return rowNumber - (hasHeader ? 1 : 0);
}

function sheetViewXml(selected: boolean, frozenHeader: boolean): string {
  const pane = frozenHeader
    ? '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
      '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    : '';
  return `<sheetViews><sheetView${selected ? ' tabSelected="1"' : ''} workbookViewId="0">${pane}</sheetView></sheetViews>`;
}

function colsXml(columns: readonly ColumnSpec[]): string {
  if (columns.length === 0) return '';
  const cols = columns.map((c, i) => {
    const style = styleOf(c.format ?? 'general');
    const width = c.width ?? 10;
    return `<col min="${i + 1}" max="${i + 1}" width="${width}" customWidth="1"${style ? ` style="${style}"` : ''}/>`;
  });
  return `<cols>${cols.join('')}</cols>`;
}

function headerRowXml(columns: readonly ColumnSpec[]): string {
  const cells = columns.map((c, i) => {
    const style = c.sync ? SYNC_HEADER_STYLE : HEADER_STYLE;
    return `<c r="${columnLetters(i)}1" s="${style}" t="inlineStr"><is>${textXml(c.header)}</is></c>`;
  });
  return `<row r="1">${cells.join('')}</row>`;
}

function textXml(text: string): string {
  if (text.length > MAX_CELL_CHARS) {
    throw new RangeError(`text of ${text.length} characters does not fit in a cell`);
  }
  return needsPreserve(text)
    ? `<t xml:space="preserve">${encodeCellText(text)}</t>`
    : `<t>${encodeCellText(text)}</t>`;
}

/** Turns rows into `<row>` elements with per-column pieces worked out once. */
class RowEncoder {
  private readonly letters: string[];
  private readonly styles: string[];
  private readonly quoted: string[];

  constructor(
    private readonly sheet: string,
    columns: readonly ColumnSpec[],
  ) {
    this.letters = columns.map((_, i) => columnLetters(i));
    this.styles = columns.map((c) => {
      const style = styleOf(c.format ?? 'general');
      return style ? ` s="${style}"` : '';
    });
    this.quoted = columns.map((c) => ` s="${quotedStyleOf(c.format ?? 'general')}"`);
  }

  /** The row's XML, or '' when every cell is blank. */
  encode(row: Row, r: number): string {
    let cells = '';
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      if (value === null || value === undefined || value === '') continue;
      const ref = (this.letters[i] ?? this.extendLetters(i)) + r;
      const style = this.styles[i] ?? '';
      if (typeof value === 'string') {
        // Always an inline string, never a formula, whatever its first character; a
        // formula-like one also carries the quote prefix, so an edit in Excel keeps it text.
        const s = FORMULA_LIKE.test(value)
          ? (this.quoted[i] ?? ` s="${quotedStyleOf('general')}"`)
          : style;
        cells += `<c r="${ref}"${s} t="inlineStr"><is>${this.text(value, ref)}</is></c>`;
      } else if (typeof value === 'number') {
        if (!Number.isFinite(value)) throw new RangeError(`${this.sheet}!${ref}: ${value}`);
        cells += `<c r="${ref}"${style}><v>${value === 0 ? 0 : value}</v></c>`;
      } else {
        cells += `<c r="${ref}"${style} t="b"><v>${value ? 1 : 0}</v></c>`;
      }
    }
    return cells === '' ? '' : `<row r="${r}">${cells}</row>`;
  }

  private text(value: string, ref: string): string {
    try {
      return textXml(value);
    } catch (err) {
      throw new RangeError(`${this.sheet}!${ref}: ${(err as Error).message}`);
    }
  }

  private extendLetters(i: number): string {
    while (this.letters.length <= i) this.letters.push(columnLetters(this.letters.length));
    return this.letters[i]!;
  }
}

function dataValidationsXml(columns: readonly ColumnSpec[], lastRow: number): string {
  const items: string[] = [];
  columns.forEach((c, i) => {
    const dropdown = c.dropdown;
    if (!dropdown) return;
    const formula = dropdown.values ? listFormula(dropdown.values) : dropdown.range;
    const letters = columnLetters(i);
    items.push(
      `<dataValidation type="list" errorStyle="${dropdown.allowOther ? 'warning' : 'stop'}" ` +
        `allowBlank="1" showInputMessage="1" showErrorMessage="1" sqref="${letters}2:${letters}${lastRow}">` +
        `<formula1>${escapeText(formula)}</formula1></dataValidation>`,
    );
  });
  return items.length === 0
    ? ''
    : `<dataValidations count="${items.length}">${items.join('')}</dataValidations>`;
}

/** A list literal as a formula: `"a,b,c"`. */
function listFormula(values: readonly string[]): string {
  for (const v of values) {
    if (v.includes(',')) throw new Error(`dropdown value ${JSON.stringify(v)} contains a comma`);
  }
  const list = values.join(',').replaceAll('"', '""');
  if (list.length > MAX_INLINE_LIST_CHARS) {
    throw new Error(`dropdown list of ${list.length} characters is too long to inline`);
  }
  return `"${list}"`;
}
