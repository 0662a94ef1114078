/**
 * Hand-written .xlsx fixtures. The XML is spelled out the way Excel writes it, with the
 * parts a real people-edited workbook carries (shared strings, styles with fills and a
 * custom date format, a data validation, formulas including a shared one, a comment on
 * a legacy drawing, a merged range, column widths, a frozen pane, calcChain), so the
 * reader and patcher meet the same structure they will in production.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate';

const run = promisify(execFile);

export const NS_MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
export const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const NS_PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Zips parts given as text (or bytes), deflated, in the order given. */
export function zipParts(parts: Record<string, string | Uint8Array>, level = 6): Uint8Array {
  const files: Zippable = {};
  for (const [name, body] of Object.entries(parts)) {
    files[name] = [typeof body === 'string' ? strToU8(body) : body, { level: level as 6 }];
  }
  return zipSync(files);
}

export function unzipText(bytes: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, data] of Object.entries(unzipSync(bytes))) out[name] = strFromU8(data);
  return out;
}

export interface SheetSpec {
  name: string;
  /** zip entry; deliberately not sheetN.xml in the fixture */
  part: string;
  xml: string;
  rels?: string;
  state?: 'hidden' | 'veryHidden';
}

export interface BookSpec {
  sheets: SheetSpec[];
  sharedStrings?: string[] | string;
  styles?: string | null;
  calcChain?: string;
  date1904?: boolean;
  extraParts?: Record<string, string>;
  extraOverrides?: string;
}

export function sst(strings: string[]): string {
  const items = strings.map((s) => `<si><t xml:space="preserve">${s}</t></si>`).join('');
  return `${XML_DECL}<sst xmlns="${NS_MAIN}" count="${strings.length}" uniqueCount="${strings.length}">${items}</sst>`;
}

/** Parts of a workbook; sheets are listed in workbook.xml in the given order. */
export function bookParts(spec: BookSpec): Record<string, string> {
  const parts: Record<string, string> = {};
  const overrides: string[] = [
    `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`,
    `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`,
  ];
  // Relationship ids deliberately not in sheet order.
  const rels: string[] = [];
  const sheetEls: string[] = [];
  spec.sheets.forEach((sheet, i) => {
    const id = `rId${10 + spec.sheets.length - i}`;
    rels.push(
      `<Relationship Id="${id}" Type="${NS_R}/worksheet" Target="${sheet.part.replace(/^xl\//, '')}"/>`,
    );
    const state = sheet.state ? ` state="${sheet.state}"` : '';
    sheetEls.push(`<sheet name="${sheet.name}" sheetId="${i + 1}"${state} r:id="${id}"/>`);
    overrides.push(
      `<Override PartName="/${sheet.part}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`,
    );
    parts[sheet.part] = sheet.xml;
    if (sheet.rels) {
      const slash = sheet.part.lastIndexOf('/');
      parts[`${sheet.part.slice(0, slash)}/_rels/${sheet.part.slice(slash + 1)}.rels`] = sheet.rels;
    }
  });
  if (spec.styles !== null) {
    rels.push(`<Relationship Id="rId3" Type="${NS_R}/styles" Target="styles.xml"/>`);
    overrides.push(
      `<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>`,
    );
    parts['xl/styles.xml'] = spec.styles ?? STYLES;
  }
  if (spec.sharedStrings !== undefined) {
    rels.push(`<Relationship Id="rId4" Type="${NS_R}/sharedStrings" Target="sharedStrings.xml"/>`);
    overrides.push(
      `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`,
    );
    parts['xl/sharedStrings.xml'] =
      typeof spec.sharedStrings === 'string' ? spec.sharedStrings : sst(spec.sharedStrings);
  }
  if (spec.calcChain) {
    rels.push(`<Relationship Id="rId5" Type="${NS_R}/calcChain" Target="calcChain.xml"/>`);
    overrides.push(
      `<Override PartName="/xl/calcChain.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>`,
    );
    parts['xl/calcChain.xml'] = spec.calcChain;
  }
  const ordered: Record<string, string> = {
    '[Content_Types].xml': `${XML_DECL}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="vml" ContentType="application/vnd.openxmlformats-officedocument.vmlDrawing"/>${overrides.join('')}${spec.extraOverrides ?? ''}</Types>`,
    '_rels/.rels': `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId1" Type="${NS_R}/officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="${NS_R}/extended-properties" Target="docProps/app.xml"/></Relationships>`,
    'docProps/app.xml': `${XML_DECL}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Excel</Application></Properties>`,
    'xl/workbook.xml': `${XML_DECL}<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_R}"><workbookPr${spec.date1904 ? ' date1904="1"' : ''} defaultThemeVersion="164011"/><bookViews><workbookView xWindow="0" yWindow="0" windowWidth="28800" windowHeight="12300"/></bookViews><sheets>${sheetEls.join('')}</sheets><definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">客户!$A$1:$G$12</definedName></definedNames><calcPr calcId="191029"/></workbook>`,
    'xl/_rels/workbook.xml.rels': `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}">${rels.join('')}</Relationships>`,
    ...parts,
    ...(spec.extraParts ?? {}),
  };
  return ordered;
}

/**
 * cellXfs: 0 default · 1 bold header on a blue fill · 2 date (custom yyyy/mm/dd) ·
 * 3 yellow fill, General · 4 money · 5 text (@)
 */
export const STYLES = `${XML_DECL}<styleSheet xmlns="${NS_MAIN}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy/mm/dd"/></numFmts><fonts count="2"><font><sz val="11"/><color theme="1"/><name val="等线"/><family val="2"/><scheme val="minor"/></font><font><b/><sz val="11"/><name val="等线"/></font></fonts><fills count="4"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FF9BC2E6"/><bgColor indexed="64"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFFF00"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="0" fillId="3" borderId="0" xfId="0" applyFill="1"/><xf numFmtId="4" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="常规" xfId="0" builtinId="0"/></cellStyles><dxfs count="1"><dxf><font><color rgb="FF9C0006"/></font></dxf></dxfs><tableStyles count="0" defaultTableStyle="TableStyleMedium2" defaultPivotStyle="PivotStyleLight16"/></styleSheet>`;

/** Shared strings of the customer fixture, by index. */
export const CUSTOMER_STRINGS = [
  '客户编号', // 0
  '客户名称', // 1
  '金额', // 2
  '建档日期', // 3
  '备注', // 4
  '合计', // 5
  '健康度', // 6
  'E20240001', // 7
  'A &amp; B 贸易', // 8
  'E20240002', // 9
  '星河科技', // 10
  '  前后有空格  ', // 11
  'P20240003', // 12
  '张三', // 13
];

/** The people-edited customer sheet: every cell here must survive a patch untouched. */
export const CUSTOMER_SHEET = `${XML_DECL}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_R}" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" mc:Ignorable="x14ac" xmlns:x14ac="http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><sheetPr><tabColor rgb="FF00B050"/></sheetPr><dimension ref="A1:G12"/><sheetViews><sheetView tabSelected="1" workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="B3" sqref="B3"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="14.25" x14ac:dyDescent="0.2"/><cols><col min="1" max="1" width="12.625" customWidth="1"/><col min="2" max="2" width="20" customWidth="1"/><col min="7" max="7" width="9" style="3" customWidth="1"/></cols><sheetData><row r="1" spans="1:7" x14ac:dyDescent="0.2"><c r="A1" s="1" t="s"><v>0</v></c><c r="B1" s="1" t="s"><v>1</v></c><c r="C1" s="1" t="s"><v>2</v></c><c r="D1" s="1" t="s"><v>3</v></c><c r="E1" s="1" t="s"><v>4</v></c><c r="F1" s="1" t="s"><v>5</v></c><c r="G1" s="1" t="s"><v>6</v></c></row><row r="2" spans="1:7" x14ac:dyDescent="0.2"><c r="A2" t="s"><v>7</v></c><c r="B2" t="s"><v>8</v></c><c r="C2" s="4"><v>1200.5</v></c><c r="D2" s="2"><v>45292</v></c><c r="E2" t="inlineStr"><is><t xml:space="preserve"> 行内 &amp; &lt;文本&gt; &#x4E2D;&#20013; </t></is></c><c r="F2"><f>C2*2</f><v>2401</v></c><c r="G2" s="3"><v>80</v></c></row><row r="3" spans="1:7" x14ac:dyDescent="0.2"><c r="A3" t="s"><v>9</v></c><c r="B3" t="s"><v>10</v></c><c r="C3" s="4"><v>-35</v></c><c r="D3" s="2"><v>45300.5</v></c><c r="E3" t="s"><v>11</v></c><c r="F3"><f>C3*2</f><v>-70</v></c></row><row r="5" spans="1:7" ht="20" customHeight="1" x14ac:dyDescent="0.2"><c r="A5" t="s"><v>12</v></c><c r="B5" t="s"><v>13</v></c><c r="C5" t="b"><v>1</v></c><c r="D5" t="e"><v>#N/A</v></c><c r="E5" t="str"><f>"合"&amp;"计"</f><v>合计</v></c><c r="F5" s="3"/></row><row r="7" spans="1:7"><c r="A7" t="inlineStr"><is><r><rPr><b/><sz val="11"/><color rgb="FFFF0000"/></rPr><t>富</t></r><r><t xml:space="preserve">文本 </t></r><rPh sb="0" eb="1"><t>フ</t></rPh></is></c><c r="C7" t="d"><v>2024-03-01T00:00:00</v></c></row><row r="10"><c r="C10"><v>1</v></c><c r="F10"><f t="shared" ref="F10:F12" si="0">C10*2+$C$2</f><v>1202.5</v></c></row><row r="11"><c r="C11"><v>2</v></c><c r="F11"><f t="shared" si="0"/><v>1204.5</v></c></row><row r="12"><c r="C12"><v>3</v></c><c r="F12"><f t="shared" si="0"/><v>1206.5</v></c></row></sheetData><autoFilter ref="A1:G12"/><mergeCells count="1"><mergeCell ref="A7:B7"/></mergeCells><conditionalFormatting sqref="G2:G100"><cfRule type="cellIs" dxfId="0" priority="1" operator="lessThan"><formula>60</formula></cfRule></conditionalFormatting><dataValidations count="1"><dataValidation type="list" allowBlank="1" showInputMessage="1" showErrorMessage="1" sqref="E2:E100"><formula1>"重要,普通"</formula1></dataValidation></dataValidations><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/><pageSetup paperSize="9" orientation="portrait"/><legacyDrawing r:id="rId1"/><extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:dataValidations count="0" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"/></ext></extLst></worksheet>`;

export const CUSTOMER_RELS = `${XML_DECL}<Relationships xmlns="${NS_PKG_REL}"><Relationship Id="rId2" Type="${NS_R}/comments" Target="../comments1.xml"/><Relationship Id="rId1" Type="${NS_R}/vmlDrawing" Target="../drawings/vmlDrawing1.vml"/></Relationships>`;

export const COMMENTS = `${XML_DECL}<comments xmlns="${NS_MAIN}"><authors><author>王经理</author></authors><commentList><comment ref="B2" authorId="0"><text><r><t>老客户，注意回访</t></r></text></comment></commentList></comments>`;

export const VML = `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"><o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype><v:shape id="_x0000_s1025" type="#_x0000_t202" style="position:absolute;margin-left:107pt;margin-top:1pt;width:108pt;height:59.25pt;z-index:1;visibility:hidden" fillcolor="#ffffe1" o:insetmode="auto"><v:fill color2="#ffffe1"/><v:shadow on="t" color="black" obscured="t"/><v:path o:connecttype="none"/><v:textbox style="mso-direction-alt:auto"><div style="text-align:left"></div></v:textbox><x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:Anchor>2, 15, 0, 2, 4, 15, 4, 4</x:Anchor><x:AutoFill>False</x:AutoFill><x:Row>1</x:Row><x:Column>1</x:Column></x:ClientData></v:shape></xml>`;

export const OTHER_SHEET = `${XML_DECL}<worksheet xmlns="${NS_MAIN}" xmlns:r="${NS_R}"><dimension ref="A1:B3"/><sheetViews><sheetView workbookViewId="0"/></sheetViews><sheetFormatPr defaultRowHeight="15"/><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>参数</t></is></c><c r="B1" t="inlineStr"><is><t>值</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>时区</t></is></c><c r="B2" t="inlineStr"><is><t>Asia/Shanghai</t></is></c></row><row r="3"><c r="A3" t="inlineStr"><is><t>合计</t></is></c><c r="B3"><f>SUM(客户!C2:C3)</f><v>1165.5</v></c></row></sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>`;

/** Rows and cells without `r`: positions come from order alone. */
export const POSITIONAL_SHEET = `${XML_DECL}<worksheet xmlns="${NS_MAIN}"><sheetData><row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row><c><v>2</v></c><c/><c t="inlineStr"><is><t>c</t></is></c></row><row r="5"><c r="B5"><v>5</v></c><c><v>6</v></c></row><row><c t="b"><v>0</v></c></row></sheetData></worksheet>`;

export const CALC_CHAIN = `${XML_DECL}<calcChain xmlns="${NS_MAIN}"><c r="F2" i="1"/><c r="F3"/><c r="E5"/><c r="F10"/><c r="F11"/><c r="F12"/><c r="B3" i="3"/></calcChain>`;

/** The standard fixture: 客户 (people data), 参数, a hidden positional sheet. */
export function customerBook(overrides: Partial<BookSpec> = {}): Record<string, string> {
  return bookParts({
    sheets: [
      {
        name: '客户',
        part: 'xl/worksheets/customers.xml',
        xml: CUSTOMER_SHEET,
        rels: CUSTOMER_RELS,
      },
      { name: 'Positional', part: 'xl/worksheets/pos.xml', xml: POSITIONAL_SHEET, state: 'hidden' },
      { name: '参数', part: 'xl/worksheets/other.xml', xml: OTHER_SHEET },
    ],
    sharedStrings: CUSTOMER_STRINGS,
    calcChain: CALC_CHAIN,
    extraParts: {
      'xl/comments1.xml': COMMENTS,
      'xl/drawings/vmlDrawing1.vml': VML,
    },
    extraOverrides: `<Override PartName="/xl/comments1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml"/>`,
    ...overrides,
  });
}

// ---------------------------------------------------------------------------
// LibreOffice

export const SOFFICE = '/usr/bin/soffice';

/**
 * Converts with a headless LibreOffice using its own profile directory, so runs never
 * share (or wait on) a user profile. Returns the produced files.
 */
export async function soffice(input: string, convertTo: string, outDir: string): Promise<string[]> {
  const profile = await mkdtemp(join(tmpdir(), 'lo-profile-'));
  try {
    await run(
      SOFFICE,
      [
        '--headless',
        '--norestore',
        `-env:UserInstallation=file://${profile}`,
        '--convert-to',
        convertTo,
        '--outdir',
        outDir,
        input,
      ],
      { timeout: 120_000 },
    );
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
  return (await readdir(outDir)).map((f) => join(outDir, f));
}

/** Every sheet as CSV (LibreOffice ≥ 7.2: sheet selector -1), keyed by sheet name. */
export async function sheetsAsCsv(input: string, outDir: string): Promise<Record<string, string>> {
  const files = await soffice(
    input,
    'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
    outDir,
  );
  const base = input.slice(input.lastIndexOf('/') + 1).replace(/\.xlsx$/, '');
  const out: Record<string, string> = {};
  for (const file of files) {
    const name = file.slice(file.lastIndexOf('/') + 1);
    if (!name.startsWith(`${base}-`) || !name.endsWith('.csv')) continue;
    out[name.slice(base.length + 1, -4)] = await readFile(file, 'utf8');
  }
  return out;
}
