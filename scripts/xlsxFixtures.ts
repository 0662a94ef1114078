/**
 * Workbooks shaped the way other producers write them, built part by part so each quirk
 * is visible here rather than hidden in a binary: the 1904 date system, inline and rich
 * text, shared and array formulas, Strict OOXML, tables, a pivot cache, a VBA project,
 * threaded comments, a chart and a picture, a workbook part outside `xl/`, and what WPS and Google Sheets put
 * in their exports. `tsx scripts/xlsxFixtures.ts <dir>` writes them as files.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { CellValue } from '../shared/cells.ts';

export interface ProducerFixture {
  /** what it reproduces */
  about: string;
  parts: Record<string, string | Uint8Array>;
  /** the first worksheet's name and some of the values it must read as */
  sheet: string;
  expect: { row: number; col: number; value: CellValue }[];
  date1904?: boolean;
}

const DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
const T = 'http://schemas.openxmlformats.org';
const MAIN = `${T}/spreadsheetml/2006/main`;
const R = `${T}/officeDocument/2006/relationships`;
const PKG = `${T}/package/2006/relationships`;
const CT = `${T}/package/2006/content-types`;
const SML = 'application/vnd.openxmlformats-officedocument.spreadsheetml';

interface Layout {
  main?: string;
  rel?: string;
  /** where the workbook part lives */
  dir?: string;
  workbookType?: string;
  /** prefix for the SpreadsheetML elements, e.g. "x:" */
  prefix?: string;
  absoluteTargets?: boolean;
  workbookExtra?: string;
  workbookPr?: string;
  sheets: { name: string; xml: string; rels?: string }[];
  sharedStrings?: string[];
  extraParts?: Record<string, string | Uint8Array>;
  extraWorkbookRels?: string;
  extraOverrides?: string;
}

function book(l: Layout): Record<string, string | Uint8Array> {
  const main = l.main ?? MAIN;
  const rel = l.rel ?? R;
  const dir = l.dir ?? 'xl';
  const p = l.prefix ?? '';
  const ns = p ? `xmlns:${p.slice(0, -1)}="${main}"` : `xmlns="${main}"`;
  const target = (part: string): string => (l.absoluteTargets ? `/${dir}/${part}` : part);
  const parts: Record<string, string | Uint8Array> = {};
  const overrides: string[] = [];
  const wbRels: string[] = [];
  const sheetEls: string[] = [];
  l.sheets.forEach((s, i) => {
    const part = `worksheets/sheet${i + 1}.xml`;
    parts[`${dir}/${part}`] = s.xml;
    if (s.rels) parts[`${dir}/worksheets/_rels/sheet${i + 1}.xml.rels`] = s.rels;
    overrides.push(`<Override PartName="/${dir}/${part}" ContentType="${SML}.worksheet+xml"/>`);
    wbRels.push(
      `<Relationship Id="rId${i + 1}" Type="${rel}/worksheet" Target="${target(part)}"/>`,
    );
    sheetEls.push(`<${p}sheet name="${s.name}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`);
  });
  const n = l.sheets.length;
  wbRels.push(
    `<Relationship Id="rId${n + 1}" Type="${rel}/styles" Target="${target('styles.xml')}"/>`,
  );
  parts[`${dir}/styles.xml`] =
    `${DECL}<${p}styleSheet ${ns}><${p}fonts count="1"><${p}font><${p}sz val="11"/></${p}font></${p}fonts><${p}fills count="2"><${p}fill><${p}patternFill patternType="none"/></${p}fill><${p}fill><${p}patternFill patternType="gray125"/></${p}fill></${p}fills><${p}borders count="1"><${p}border/></${p}borders><${p}cellStyleXfs count="1"><${p}xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></${p}cellStyleXfs><${p}cellXfs count="2"><${p}xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><${p}xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></${p}cellXfs></${p}styleSheet>`;
  overrides.push(`<Override PartName="/${dir}/styles.xml" ContentType="${SML}.styles+xml"/>`);
  if (l.sharedStrings) {
    const items = l.sharedStrings.map((s) =>
      s.startsWith('<') ? s : `<${p}si><${p}t>${s}</${p}t></${p}si>`,
    );
    parts[`${dir}/sharedStrings.xml`] =
      `${DECL}<${p}sst ${ns} count="${items.length}" uniqueCount="${items.length}">${items.join('')}</${p}sst>`;
    wbRels.push(
      `<Relationship Id="rId${n + 2}" Type="${rel}/sharedStrings" Target="${target('sharedStrings.xml')}"/>`,
    );
    overrides.push(
      `<Override PartName="/${dir}/sharedStrings.xml" ContentType="${SML}.sharedStrings+xml"/>`,
    );
  }
  parts[`${dir}/workbook.xml`] =
    `${DECL}<${p}workbook ${ns} xmlns:r="${rel}">${l.workbookPr ?? ''}<${p}sheets>${sheetEls.join('')}</${p}sheets>${l.workbookExtra ?? ''}</${p}workbook>`;
  parts[`${dir}/_rels/workbook.xml.rels`] =
    `${DECL}<Relationships xmlns="${PKG}">${wbRels.join('')}${l.extraWorkbookRels ?? ''}</Relationships>`;
  parts['_rels/.rels'] =
    `${DECL}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="${dir}/workbook.xml"/></Relationships>`;
  parts['[Content_Types].xml'] =
    `${DECL}<Types xmlns="${CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/><Override PartName="/${dir}/workbook.xml" ContentType="${l.workbookType ?? `${SML}.sheet.main+xml`}"/>${overrides.join('')}${l.extraOverrides ?? ''}</Types>`;
  return { ...parts, ...l.extraParts };
}

const sheet = (rows: string, p = '', main = MAIN, extra = ''): string =>
  `${DECL}<${p}worksheet ${p ? `xmlns:${p.slice(0, -1)}` : 'xmlns'}="${main}" xmlns:r="${R}"${extra}><${p}sheetData>${rows}</${p}sheetData></${p}worksheet>`;

/** Bytes that stand for a compiled VBA project: the patcher must copy them untouched. */
function vbaBytes(): Uint8Array {
  const out = new Uint8Array(4096);
  let x = 0x2545f491;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  out.set([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 0); // compound-file signature
  return out;
}

/** A 1×1 PNG: a picture the patcher must copy untouched. */
function pngBytes(): Uint8Array {
  return Uint8Array.from(
    atob(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    ),
    (c) => c.charCodeAt(0),
  );
}

const HEAD = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>';
const NAMES = ['客户名称', '金额'];

export const PRODUCER_FIXTURES: Record<string, ProducerFixture> = {
  date1904: {
    about: 'a Mac workbook on the 1904 date system',
    parts: book({
      workbookPr: '<workbookPr date1904="1"/>',
      sheets: [
        {
          name: '客户',
          xml: sheet(
            `${HEAD}<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" s="1"><v>43830</v></c></row>`,
          ),
        },
      ],
      sharedStrings: [...NAMES, '甲公司'],
    }),
    sheet: '客户',
    expect: [{ row: 2, col: 1, value: 43830 }],
    date1904: true,
  },
  richText: {
    about: 'inline strings and rich-text runs with phonetic hints, shared and inline',
    parts: book({
      sheets: [
        {
          name: '客户',
          xml: sheet(
            `${HEAD}<row r="2"><c r="A2" t="inlineStr"><is><r><rPr><b/></rPr><t>华</t></r><r><t xml:space="preserve">东 公司</t></r><rPh sb="0" eb="1"><t>ホア</t></rPh></is></c><c r="B2" t="s"><v>2</v></c></row>`,
          ),
        },
      ],
      sharedStrings: [...NAMES, '<si><r><t>共</t></r><r><rPr><i/></rPr><t>享</t></r></si>'],
    }),
    sheet: '客户',
    expect: [
      { row: 2, col: 0, value: '华东 公司' },
      { row: 2, col: 1, value: '共享' },
    ],
  },
  formulas: {
    about: 'shared and array formulas with their cached results',
    parts: book({
      sheets: [
        {
          name: '客户',
          xml: sheet(
            `${HEAD}<row r="2"><c r="A2"><v>1</v></c><c r="B2"><f t="shared" ref="B2:B3" si="0">A2*10</f><v>10</v></c></row><row r="3"><c r="A3"><v>2</v></c><c r="B3"><f t="shared" si="0"/><v>20</v></c></row><row r="4"><c r="A4"><f t="array" ref="A4:B4">{7,8}</f><v>7</v></c><c r="B4"><v>8</v></c></row>`,
          ),
        },
      ],
      sharedStrings: NAMES,
    }),
    sheet: '客户',
    expect: [
      { row: 3, col: 1, value: 20 },
      { row: 4, col: 0, value: 7 },
      { row: 4, col: 1, value: 8 },
    ],
  },
  strict: {
    about: 'Strict OOXML: purl.oclc.org namespaces and relationship types',
    parts: book({
      main: 'http://purl.oclc.org/ooxml/spreadsheetml/main',
      rel: 'http://purl.oclc.org/ooxml/officeDocument/relationships',
      sheets: [
        {
          name: '客户',
          xml: sheet(
            `${HEAD}<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>12.5</v></c></row>`,
            '',
            'http://purl.oclc.org/ooxml/spreadsheetml/main',
          ).replace(R, 'http://purl.oclc.org/ooxml/officeDocument/relationships'),
        },
      ],
      sharedStrings: [...NAMES, '严格'],
    }),
    sheet: '客户',
    expect: [
      { row: 2, col: 0, value: '严格' },
      { row: 2, col: 1, value: 12.5 },
    ],
  },
  table: {
    about: 'an Excel table (ListObject) over the data',
    parts: book({
      sheets: [
        {
          name: '客户',
          xml: sheet(
            `${HEAD}<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>3</v></c></row>`,
          ).replace(
            '</worksheet>',
            '<tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>',
          ),
          rels: `${DECL}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${R}/table" Target="../tables/table1.xml"/></Relationships>`,
        },
      ],
      sharedStrings: [...NAMES, '表'],
      extraParts: {
        'xl/tables/table1.xml': `${DECL}<table xmlns="${MAIN}" id="1" name="客户表" displayName="客户表" ref="A1:B2"><autoFilter ref="A1:B2"/><tableColumns count="2"><tableColumn id="1" name="客户名称"/><tableColumn id="2" name="金额"/></tableColumns><tableStyleInfo name="TableStyleMedium2" showRowStripes="1"/></table>`,
      },
      extraOverrides: `<Override PartName="/xl/tables/table1.xml" ContentType="${SML}.table+xml"/>`,
    }),
    sheet: '客户',
    expect: [{ row: 2, col: 1, value: 3 }],
  },
  pivotCache: {
    about: 'a pivot cache with its records, listed in the workbook',
    parts: book({
      sheets: [
        {
          name: '客户',
          xml: sheet(`${HEAD}<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>9</v></c></row>`),
        },
      ],
      sharedStrings: [...NAMES, '透视'],
      workbookExtra: '<pivotCaches><pivotCache cacheId="1" r:id="rId90"/></pivotCaches>',
      extraWorkbookRels: `<Relationship Id="rId90" Type="${R}/pivotCacheDefinition" Target="pivotCache/pivotCacheDefinition1.xml"/>`,
      extraParts: {
        'xl/pivotCache/pivotCacheDefinition1.xml': `${DECL}<pivotCacheDefinition xmlns="${MAIN}" xmlns:r="${R}" r:id="rId1" refreshOnLoad="1" recordCount="1"><cacheSource type="worksheet"><worksheetSource ref="A1:B2" sheet="客户"/></cacheSource><cacheFields count="2"><cacheField name="客户名称" numFmtId="0"><sharedItems/></cacheField><cacheField name="金额" numFmtId="0"><sharedItems containsNumber="1" minValue="9" maxValue="9"/></cacheField></cacheFields></pivotCacheDefinition>`,
        'xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels': `${DECL}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${R}/pivotCacheRecords" Target="pivotCacheRecords1.xml"/></Relationships>`,
        'xl/pivotCache/pivotCacheRecords1.xml': `${DECL}<pivotCacheRecords xmlns="${MAIN}" count="1"><r><s v="透视"/><n v="9"/></r></pivotCacheRecords>`,
      },
      extraOverrides: `<Override PartName="/xl/pivotCache/pivotCacheDefinition1.xml" ContentType="${SML}.pivotCacheDefinition+xml"/><Override PartName="/xl/pivotCache/pivotCacheRecords1.xml" ContentType="${SML}.pivotCacheRecords+xml"/>`,
    }),
    sheet: '客户',
    expect: [{ row: 2, col: 1, value: 9 }],
  },
  vba: {
    about: 'a macro-enabled workbook (.xlsm) with a VBA project part',
    parts: book({
      workbookType: 'application/vnd.ms-excel.sheet.macroEnabled.main+xml',
      sheets: [
        {
          name: '客户',
          xml: sheet(`${HEAD}<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>1</v></c></row>`),
        },
      ],
      sharedStrings: [...NAMES, '宏'],
      extraWorkbookRels: `<Relationship Id="rId91" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/>`,
      extraParts: { 'xl/vbaProject.bin': vbaBytes() },
    }),
    sheet: '客户',
    expect: [{ row: 2, col: 0, value: '宏' }],
  },
  chartAndImage: {
    about: 'a chart over the data and a picture, both in one drawing',
    parts: book({
      sheets: [
        {
          name: '客户',
          xml: sheet(
            `${HEAD}<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>6</v></c></row>`,
          ).replace('</worksheet>', '<drawing r:id="rId1"/></worksheet>'),
          rels: `${DECL}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${R}/drawing" Target="../drawings/drawing1.xml"/></Relationships>`,
        },
      ],
      sharedStrings: [...NAMES, '图表'],
      extraParts: {
        'xl/drawings/drawing1.xml': `${DECL}<xdr:wsDr xmlns:xdr="${T}/drawingml/2006/spreadsheetDrawing" xmlns:a="${T}/drawingml/2006/main" xmlns:r="${R}" xmlns:c="${T}/drawingml/2006/chart"><xdr:twoCellAnchor><xdr:from><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>15</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="2" name="金额图"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic><a:graphicData uri="${T}/drawingml/2006/chart"><c:chart r:id="rId1"/></a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor><xdr:oneCellAnchor><xdr:from><xdr:col>10</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="952500" cy="952500"/><xdr:pic><xdr:nvPicPr><xdr:cNvPr id="3" name="标志"/><xdr:cNvPicPr/></xdr:nvPicPr><xdr:blipFill><a:blip r:embed="rId2"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/></xdr:oneCellAnchor></xdr:wsDr>`,
        'xl/drawings/_rels/drawing1.xml.rels': `${DECL}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${R}/chart" Target="../charts/chart1.xml"/><Relationship Id="rId2" Type="${R}/image" Target="../media/image1.png"/></Relationships>`,
        'xl/charts/chart1.xml': `${DECL}<c:chartSpace xmlns:c="${T}/drawingml/2006/chart" xmlns:a="${T}/drawingml/2006/main" xmlns:r="${R}"><c:chart><c:plotArea><c:layout/><c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:ser><c:idx val="0"/><c:order val="0"/><c:cat><c:strRef><c:f>客户!$A$2</c:f></c:strRef></c:cat><c:val><c:numRef><c:f>客户!$B$2</c:f></c:numRef></c:val></c:ser><c:axId val="1"/><c:axId val="2"/></c:barChart><c:catAx><c:axId val="1"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:axPos val="b"/><c:crossAx val="2"/></c:catAx><c:valAx><c:axId val="2"/><c:scaling><c:orientation val="minMax"/></c:scaling><c:axPos val="l"/><c:crossAx val="1"/></c:valAx></c:plotArea></c:chart></c:chartSpace>`,
        'xl/media/image1.png': pngBytes(),
      },
      extraOverrides: `<Default Extension="png" ContentType="image/png"/><Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/><Override PartName="/xl/charts/chart1.xml" ContentType="application/vnd.openxmlformats-officedocument.drawingml.chart+xml"/>`,
    }),
    sheet: '客户',
    expect: [{ row: 2, col: 1, value: 6 }],
  },
  threadedComments: {
    about: 'threaded comments with their persons list and legacy-comment fallback',
    parts: book({
      sheets: [
        {
          name: '客户',
          xml: sheet(`${HEAD}<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>5</v></c></row>`),
          rels: `${DECL}<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="http://schemas.microsoft.com/office/2017/10/relationships/threadedComment" Target="../threadedComments/threadedComment1.xml"/><Relationship Id="rId2" Type="${R}/comments" Target="../comments1.xml"/></Relationships>`,
        },
      ],
      sharedStrings: [...NAMES, '讨论'],
      extraWorkbookRels: `<Relationship Id="rId92" Type="http://schemas.microsoft.com/office/2017/10/relationships/person" Target="persons/person.xml"/>`,
      extraParts: {
        'xl/threadedComments/threadedComment1.xml': `${DECL}<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment ref="B2" dT="2026-11-20T10:00:00.00" personId="{00000000-0000-0000-0000-000000000001}" id="{00000000-0000-0000-0000-0000000000A1}"><text>金额核对过了吗？</text></threadedComment></ThreadedComments>`,
        'xl/persons/person.xml': `${DECL}<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><person displayName="王经理" id="{00000000-0000-0000-0000-000000000001}" userId="wang" providerId="None"/></personList>`,
        'xl/comments1.xml': `${DECL}<comments xmlns="${MAIN}"><authors><author>tc={00000000-0000-0000-0000-0000000000A1}</author></authors><commentList><comment ref="B2" authorId="0"><text><t>[Threaded comment] 金额核对过了吗？</t></text></comment></commentList></comments>`,
      },
    }),
    sheet: '客户',
    expect: [{ row: 2, col: 1, value: 5 }],
  },
  outsideXl: {
    about: 'the workbook part outside xl/, found through the root relationships',
    parts: book({
      dir: 'book',
      sheets: [
        {
          name: '客户',
          xml: sheet(`${HEAD}<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>4</v></c></row>`),
        },
      ],
      sharedStrings: [...NAMES, '别处'],
    }),
    sheet: '客户',
    expect: [{ row: 2, col: 0, value: '别处' }],
  },
  wps: {
    about:
      "WPS Office's export: its custom-data namespace, a cellimages part and empty shared strings",
    parts: book({
      sheets: [
        {
          name: '客户',
          xml: sheet(
            `${HEAD}<row r="2" spans="1:2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row><row r="3" spans="1:2"><c r="A3" t="s"><v>4</v></c><c r="B3"><v>6</v></c></row>`,
            '',
            MAIN,
            ' xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"',
          ),
        },
      ],
      sharedStrings: [
        ...NAMES,
        '金山',
        '<si><t/></si>',
        '<si><t xml:space="preserve">  空格  </t></si>',
      ],
      extraParts: {
        'xl/cellimages.xml': `${DECL}<etc:cellImages xmlns:etc="http://www.wps.cn/officeDocument/2017/etCustomData"/>`,
        'docProps/custom.xml': `${DECL}<Properties xmlns="${T}/officeDocument/2006/custom-properties"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer"><vt:lpwstr xmlns:vt="${T}/officeDocument/2006/docPropsVTypes">2052-12.1.0</vt:lpwstr></property></Properties>`,
      },
    }),
    sheet: '客户',
    expect: [
      { row: 2, col: 0, value: '金山' },
      { row: 2, col: 1, value: null },
      { row: 3, col: 0, value: '  空格  ' },
    ],
  },
  googleSheets: {
    about:
      'Google Sheets\' export: absolute relationship targets, formulas cached as t="str", booleans',
    parts: book({
      absoluteTargets: true,
      sheets: [
        {
          name: '客户',
          xml: sheet(
            `${HEAD}<row r="2"><c r="A2" t="str"><f>"谷"&amp;"歌"</f><v>谷歌</v></c><c r="B2" t="b"><v>1</v></c></row>`,
          ),
        },
      ],
      sharedStrings: NAMES,
    }),
    sheet: '客户',
    expect: [
      { row: 2, col: 0, value: '谷歌' },
      { row: 2, col: 1, value: true },
    ],
  },
  prefixed: {
    about: 'SpreadsheetML under a namespace prefix (x:), as the Open XML SDK writes it',
    parts: book({
      prefix: 'x:',
      sheets: [
        {
          name: '客户',
          xml: sheet(
            '<x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="B1" t="s"><x:v>1</x:v></x:c></x:row><x:row r="2"><x:c r="A2" t="s"><x:v>2</x:v></x:c><x:c r="B2"><x:v>2</x:v></x:c></x:row>',
            'x:',
          ),
        },
      ],
      sharedStrings: [...NAMES, '前缀'],
    }),
    sheet: '客户',
    expect: [{ row: 2, col: 0, value: '前缀' }],
  },
};

export function fixtureBytes(f: ProducerFixture): Uint8Array {
  const files: Zippable = {};
  for (const [name, body] of Object.entries(f.parts)) {
    files[name] = [typeof body === 'string' ? strToU8(body) : body, { level: 6 }];
  }
  return zipSync(files);
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const dir = process.argv[2] ?? 'fixtures-xlsx';
  mkdirSync(dir, { recursive: true });
  for (const [name, f] of Object.entries(PRODUCER_FIXTURES)) {
    const ext = name === 'vba' ? 'xlsm' : 'xlsx';
    writeFileSync(join(dir, `${name}.${ext}`), fixtureBytes(f));
    console.log(`${name}.${ext}: ${f.about}`);
  }
}
