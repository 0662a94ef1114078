/** The XML declaration, namespaces, relationship types and content types of the parts. */

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const NS_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
/** Strict OOXML's relationships namespace, which a workbook from Excel's Strict save uses */
export const NS_REL_STRICT = 'http://purl.oclc.org/ooxml/officeDocument/relationships';
/** Strict OOXML's SpreadsheetML namespace: parts added to a Strict workbook use it too */
export const NS_MAIN_STRICT = 'http://purl.oclc.org/ooxml/spreadsheetml/main';
export const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';

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

export interface PartNamespaces {
  main: string;
  rel: string;
}

/** The namespaces of the workbook part's root tag: a part added beside it speaks the same dialect. */
export function namespacesOf(workbookXml: string): PartNamespaces {
  const root = /<(?:\w+:)?workbook\b[^>]*>/.exec(workbookXml)?.[0] ?? '';
  return {
    main: root.includes(`"${NS_MAIN_STRICT}"`) ? NS_MAIN_STRICT : NS_MAIN,
    rel: root.includes(`"${NS_REL_STRICT}"`) ? NS_REL_STRICT : NS_REL,
  };
}
