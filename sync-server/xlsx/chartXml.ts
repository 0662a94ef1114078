/**
 * A chart description as a DrawingML chart part (xl/charts/chartN.xml). The series and
 * categories are formulas on the report cells, with the values as they are now cached
 * beside them, so Excel, WPS and LibreOffice draw the same chart whether or not they
 * recalculate on opening.
 */
import { isMoney, type ChartSpec, type ColumnRange } from '../../shared/charts.ts';
import { columnLetters } from './cellRef.ts';
import { chartPercent, TRANSITIONAL, type Dialect } from './dialect.ts';
import { XML_DECLARATION } from './xml.ts';
import { escapeAttr, escapeText } from './xmlText.ts';

const quoted = (tab: string): string => `'${tab.replaceAll("'", "''")}'`;

function rangeFormula(tab: string, r: ColumnRange): string {
  const col = columnLetters(r.col);
  return `${quoted(tab)}!$${col}$${r.firstRow}:$${col}$${r.lastRow}`;
}

function richText(text: string, size: number, bold: boolean): string {
  const b = bold ? ' b="1"' : ' b="0"';
  return (
    `<c:rich><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="${size}"${b}/></a:pPr>` +
    `<a:r><a:rPr lang="zh-CN" altLang="en-US" sz="${size}"${b}/><a:t>${escapeText(text)}</a:t></a:r></a:p></c:rich>`
  );
}

function stringCache(labels: readonly string[]): string {
  const pts = labels.map((l, i) => `<c:pt idx="${i}"><c:v>${escapeText(l)}</c:v></c:pt>`);
  return `<c:strCache><c:ptCount val="${labels.length}"/>${pts.join('')}</c:strCache>`;
}

function numberCache(values: readonly (number | null)[], format: string): string {
  const pts = values.flatMap((v, i) =>
    v === null ? [] : [`<c:pt idx="${i}"><c:v>${v}</c:v></c:pt>`],
  );
  return (
    `<c:numCache><c:formatCode>${escapeText(format)}</c:formatCode>` +
    `<c:ptCount val="${values.length}"/>${pts.join('')}</c:numCache>`
  );
}

/** Colours of the slices, in order; every program then draws them alike. */
const PALETTE = [
  '4472C4',
  'ED7D31',
  'A5A5A5',
  'FFC000',
  '5B9BD5',
  '70AD47',
  '264478',
  '9E480E',
  '636363',
  '997300',
];
const fill = (rgb: string): string => `<a:solidFill><a:srgbClr val="${rgb}"/></a:solidFill>`;

/** One data point per slice with its own fill and a white edge. */
function slices(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++)
    out +=
      `<c:dPt><c:idx val="${i}"/><c:bubble3D val="0"/><c:spPr>${fill(PALETTE[i % PALETTE.length]!)}` +
      '<a:ln w="12700"><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></a:ln></c:spPr></c:dPt>';
  return out;
}

/** Money columns show fen; counts whole numbers. */
const valueFormat = (spec: ChartSpec): string => (isMoney(spec.seriesLabel) ? '#,##0.00' : '0');

function series(spec: ChartSpec): string {
  const nameCell = `${quoted(spec.tab)}!$${columnLetters(spec.seriesName.col)}$${spec.seriesName.row}`;
  return (
    '<c:ser><c:idx val="0"/><c:order val="0"/>' +
    `<c:tx><c:strRef><c:f>${escapeText(nameCell)}</c:f>${stringCache([spec.seriesLabel])}</c:strRef></c:tx>` +
    (spec.kind === 'column'
      ? `<c:spPr>${fill(PALETTE[0]!)}</c:spPr><c:invertIfNegative val="0"/>`
      : slices(spec.categoryLabels.length)) +
    labels(spec) +
    `<c:cat><c:strRef><c:f>${escapeText(rangeFormula(spec.tab, spec.categories))}</c:f>${stringCache(spec.categoryLabels)}</c:strRef></c:cat>` +
    `<c:val><c:numRef><c:f>${escapeText(rangeFormula(spec.tab, spec.values))}</c:f>${numberCache(spec.seriesValues, valueFormat(spec))}</c:numRef></c:val>` +
    '</c:ser>'
  );
}

/** A pie's slices say their share; a column says its value when its spec asks. */
function labels(spec: ChartSpec): string {
  const pie = spec.kind === 'pie';
  if (!pie && !spec.valueLabels) return '';
  const fmt = pie ? '0.0%' : valueFormat(spec);
  return (
    `<c:dLbls><c:numFmt formatCode="${escapeAttr(fmt)}" sourceLinked="0"/>` +
    '<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>' +
    `<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"/></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>` +
    (pie ? '<c:dLblPos val="bestFit"/>' : '<c:dLblPos val="outEnd"/>') +
    '<c:showLegendKey val="0"/>' +
    `<c:showVal val="${pie ? 0 : 1}"/><c:showCatName val="0"/><c:showSerName val="0"/>` +
    `<c:showPercent val="${pie ? 1 : 0}"/><c:showBubbleSize val="0"/>` +
    (pie ? '<c:showLeaderLines val="1"/>' : '') +
    '</c:dLbls>'
  );
}

const CAT_AX = 500001;
const VAL_AX = 500002;

function plot(spec: ChartSpec, d: Dialect): string {
  if (spec.kind === 'pie') {
    return `<c:pieChart><c:varyColors val="1"/>${series(spec)}<c:firstSliceAng val="0"/></c:pieChart>`;
  }
  const axisText =
    '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"/></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr>';
  return (
    '<c:barChart><c:barDir val="col"/><c:grouping val="clustered"/><c:varyColors val="0"/>' +
    series(spec) +
    `<c:gapWidth val="${chartPercent(d, 80)}"/><c:axId val="${CAT_AX}"/><c:axId val="${VAL_AX}"/></c:barChart>` +
    `<c:catAx><c:axId val="${CAT_AX}"/><c:scaling><c:orientation val="minMax"/></c:scaling>` +
    '<c:delete val="0"/><c:axPos val="b"/><c:numFmt formatCode="General" sourceLinked="1"/>' +
    '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>' +
    `${axisText}<c:crossAx val="${VAL_AX}"/><c:crosses val="autoZero"/><c:auto val="1"/>` +
    `<c:lblAlgn val="ctr"/><c:lblOffset val="${chartPercent(d, 100)}"/><c:noMultiLvlLbl val="0"/></c:catAx>` +
    `<c:valAx><c:axId val="${VAL_AX}"/><c:scaling><c:orientation val="minMax"/></c:scaling>` +
    '<c:delete val="0"/><c:axPos val="l"/><c:majorGridlines/>' +
    // The axis is a scale: whole yuan, thousands separated.
    `<c:numFmt formatCode="${isMoney(spec.seriesLabel) ? '#,##0' : '0'}" sourceLinked="0"/>` +
    '<c:majorTickMark val="out"/><c:minorTickMark val="none"/><c:tickLblPos val="nextTo"/>' +
    `${axisText}<c:crossAx val="${CAT_AX}"/><c:crosses val="autoZero"/><c:crossBetween val="between"/></c:valAx>`
  );
}

/** The chart part, in the dialect of the drawing that shows it. */
export function chartPartXml(spec: ChartSpec, d: Dialect = TRANSITIONAL): string {
  const legend =
    spec.kind === 'pie'
      ? '<c:legend><c:legendPos val="r"/><c:overlay val="0"/>' +
        '<c:txPr><a:bodyPr/><a:lstStyle/><a:p><a:pPr><a:defRPr sz="900"/></a:pPr><a:endParaRPr lang="zh-CN"/></a:p></c:txPr></c:legend>'
      : '';
  return (
    XML_DECLARATION +
    `<c:chartSpace xmlns:c="${d.chart}" xmlns:a="${d.drawingml}" xmlns:r="${d.rel}">` +
    '<c:date1904 val="0"/><c:lang val="zh-CN"/><c:roundedCorners val="0"/>' +
    '<c:chart>' +
    `<c:title><c:tx>${richText(spec.title, 1200, true)}</c:tx><c:overlay val="0"/></c:title>` +
    '<c:autoTitleDeleted val="0"/>' +
    `<c:plotArea><c:layout/>${plot(spec, d)}</c:plotArea>` +
    legend +
    '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>' +
    '<c:spPr><a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill><a:ln><a:solidFill><a:srgbClr val="D9D9D9"/></a:solidFill></a:ln></c:spPr>' +
    '</c:chartSpace>'
  );
}
