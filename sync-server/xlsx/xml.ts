/** The XML declaration, namespaces, relationship types and content types of the parts. */

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
/** Strict OOXML's relationships namespace, which a workbook from Excel's Strict save uses */
export const NS_REL_STRICT = 'http://purl.oclc.org/ooxml/officeDocument/relationships';
/** Strict OOXML's SpreadsheetML namespace: parts added to a Strict workbook use it too */
export const NS_MAIN_STRICT = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
export const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** DrawingML: the shapes' own namespace, charts, and a sheet's drawing part, in both dialects */
export const NS_DRAWINGML = 'http://schemas.openxmlformats.org/drawingml/2006/main';
export const NS_CHART = 'http://schemas.openxmlformats.org/drawingml/2006/chart';
export const NS_SPREADSHEET_DRAWING =
  'http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing';
export const NS_DRAWINGML_STRICT = 'http://purl.oclc.org/ooxml/drawingml/main';
export const NS_CHART_STRICT = 'http://purl.oclc.org/ooxml/drawingml/chart';
export const NS_SPREADSHEET_DRAWING_STRICT =
  'http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing';

export const REL_OFFICE_DOCUMENT = `${NS_REL}/officeDocument`;
export const REL_WORKSHEET = `${NS_REL}/worksheet`;
export const REL_STYLES = `${NS_REL}/styles`;
export const REL_COMMENTS = `${NS_REL}/comments`;
export const REL_VML_DRAWING = `${NS_REL}/vmlDrawing`;

const SPREADSHEETML = 'application/vnd.openxmlformats-officedocument.spreadsheetml';
export const CT_WORKBOOK = `${SPREADSHEETML}.sheet.main+xml`;
export const CT_WORKSHEET = `${SPREADSHEETML}.worksheet+xml`;
export const CT_STYLES = `${SPREADSHEETML}.styles+xml`;
export const CT_COMMENTS = `${SPREADSHEETML}.comments+xml`;
export const CT_RELATIONSHIPS = 'application/vnd.openxmlformats-package.relationships+xml';
export const CT_VML_DRAWING = 'application/vnd.openxmlformats-officedocument.vmlDrawing';
/** Content types are the same in Strict and Transitional packages. */
export const CT_DRAWING = 'application/vnd.openxmlformats-officedocument.drawing+xml';
export const CT_CHART = 'application/vnd.openxmlformats-officedocument.drawingml.chart+xml';
