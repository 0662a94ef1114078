/**
 * Transitional or Strict OOXML. A workbook saved as "Strict Open XML" uses other namespace
 * names and relationship types (purl.oclc.org instead of schemas.openxmlformats.org) and
 * allows only the percent form of some chart values; every part the patch adds to it —
 * sheets, styles, drawings, charts and their relationships — speaks the same dialect as
 * the workbook, so Excel's Strict reader and LibreOffice read them as one document.
 * Content types and the package's own relationship namespace are the same in both.
 */
import {
  NS_CHART,
  NS_CHART_STRICT,
  NS_DRAWINGML,
  NS_DRAWINGML_STRICT,
  NS_MAIN,
  NS_MAIN_STRICT,
  NS_REL,
  NS_REL_STRICT,
  NS_SPREADSHEET_DRAWING,
  NS_SPREADSHEET_DRAWING_STRICT,
} from './xml.ts';

export interface Dialect {
  strict: boolean;
  /** SpreadsheetML */
  main: string;
  /** r: attributes, and the stem of relationship types */
  rel: string;
  drawingml: string;
  chart: string;
  spreadsheetDrawing: string;
}

export const TRANSITIONAL: Dialect = {
  strict: false,
  main: NS_MAIN,
  rel: NS_REL,
  drawingml: NS_DRAWINGML,
  chart: NS_CHART,
  spreadsheetDrawing: NS_SPREADSHEET_DRAWING,
};

export const STRICT: Dialect = {
  strict: true,
  main: NS_MAIN_STRICT,
  rel: NS_REL_STRICT,
  drawingml: NS_DRAWINGML_STRICT,
  chart: NS_CHART_STRICT,
  spreadsheetDrawing: NS_SPREADSHEET_DRAWING_STRICT,
};

/** The dialect of a workbook part, from the namespace its root element is in. */
export function dialectOf(workbookXml: string): Dialect {
  const root = /<(?:[\w.-]+:)?workbook\b[^>]*>/.exec(workbookXml)?.[0] ?? '';
  return root.includes(`"${NS_MAIN_STRICT}"`) ? STRICT : TRANSITIONAL;
}

/** The dialect a drawing part was written in, or null when its root names neither. */
export function drawingDialectOf(drawingXml: string): Dialect | null {
  const root = /<(?:[\w.-]+:)?wsDr\b[^>]*>/.exec(drawingXml)?.[0] ?? '';
  if (root.includes(`"${NS_SPREADSHEET_DRAWING_STRICT}"`)) return STRICT;
  if (root.includes(`"${NS_SPREADSHEET_DRAWING}"`)) return TRANSITIONAL;
  return null;
}

/** A relationship type, e.g. `drawing` or `chart`, in the dialect. */
export function relType(d: Dialect, kind: string): string {
  return `${d.rel}/${kind}`;
}

/** A chart percentage (gap width, label offset): Strict allows only the form with `%`. */
export function chartPercent(d: Dialect, n: number): string {
  return d.strict ? `${n}%` : String(n);
}
