/**
 * Cell notes. The text lives in xl/commentsN.xml; Excel only shows a note that also has
 * a shape in a legacy VML drawing, so each note gets a hidden pop-up box there too.
 */
import { columnLetters } from './cellRef.ts';
import { encodeCellText } from './xmlText.ts';
import { NS_MAIN, XML_DECLARATION } from './xml.ts';

export interface CellNote {
  /** 0-based column */
  col: number;
  /** 0-based row */
  row: number;
  text: string;
}

const AUTHOR = 'crm-sync';

export function commentsXml(notes: readonly CellNote[]): string {
  const list = notes
    .map(
      (n) =>
        `<comment ref="${columnLetters(n.col)}${n.row + 1}" authorId="0"><text><r><t xml:space="preserve">${encodeCellText(n.text)}</t></r></text></comment>`,
    )
    .join('');
  return (
    XML_DECLARATION +
    `<comments xmlns="${NS_MAIN}"><authors><author>${AUTHOR}</author></authors>` +
    `<commentList>${list}</commentList></comments>`
  );
}

/**
 * `drawing` numbers the drawing within the workbook: Excel wants every VML drawing to
 * own a distinct block of 1024 shape ids, announced by o:idmap.
 */
export function vmlDrawingXml(notes: readonly CellNote[], drawing: number): string {
  const shapes = notes
    .map((n, i) => {
      // Anchor: left col, offset, top row, offset, right col, offset, bottom row, offset.
      const anchor = [n.col + 1, 15, n.row, 10, n.col + 3, 15, n.row + 4, 4].join(', ');
      return (
        `<v:shape id="_x0000_s${drawing * 1024 + i + 1}" type="#_x0000_t202" ` +
        'style="position:absolute;margin-left:80pt;margin-top:2pt;width:150pt;height:60pt;z-index:1;visibility:hidden" ' +
        'fillcolor="#ffffe1" o:insetmode="auto">' +
        '<v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/>' +
        '<v:path o:connecttype="none"/>' +
        '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox>' +
        '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/>' +
        `<x:Anchor>${anchor}</x:Anchor><x:AutoFill>False</x:AutoFill>` +
        `<x:Row>${n.row}</x:Row><x:Column>${n.col}</x:Column></x:ClientData>` +
        '</v:shape>'
      );
    })
    .join('');
  return (
    '<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" ' +
    'xmlns:x="urn:schemas-microsoft-com:office:excel">' +
    `<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="${drawing}"/></o:shapelayout>` +
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">' +
    '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>' +
    shapes +
    '</xml>'
  );
}
