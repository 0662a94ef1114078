/**
 * The parts of a sheet the patch creates around its rows: the head up to `<sheetData>`
 * (extent, a frozen header, column widths) and the tail after it.
 */
import { extentOf, formatRange } from './cellRef.ts';
import type { Dialect } from './dialect.ts';
import type { PatchRowX, SheetContent } from './patchTypes.ts';
import { XML_DECLARATION } from './xml.ts';

export function newSheetHead(
  rows: readonly PatchRowX[],
  content: SheetContent | undefined,
  dialect: Dialect,
): string {
  const headerRows = content?.headerRows ?? 1;
  const extent = extentOf(rows);
  const out: string[] = [
    `${XML_DECLARATION}<worksheet xmlns="${dialect.main}" xmlns:r="${dialect.rel}">`,
    `<dimension ref="${extent ? formatRange(extent) : 'A1'}"/>`,
  ];
  if ((content?.freezeHeader ?? true) && headerRows > 0) {
    const top = `A${headerRows + 1}`;
    out.push(
      `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${headerRows}" topLeftCell="${top}" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="${top}" sqref="${top}"/></sheetView></sheetViews>`,
    );
  } else {
    out.push(`<sheetViews><sheetView workbookViewId="0"/></sheetViews>`);
  }
  out.push(`<sheetFormatPr defaultRowHeight="15"/>`);
  const cols: string[] = [];
  (content?.colWidths ?? []).forEach((w, i) => {
    if (typeof w === 'number' && Number.isFinite(w) && w > 0)
      cols.push(`<col min="${i + 1}" max="${i + 1}" width="${Math.min(255, w)}" customWidth="1"/>`);
  });
  if (cols.length > 0) out.push(`<cols>${cols.join('')}</cols>`);
  return out.join('');
}

export const NEW_SHEET_TAIL =
  '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>';
