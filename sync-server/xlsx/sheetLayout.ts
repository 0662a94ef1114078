/**
 * The layout a sync keeps on the tabs people print — column widths, landscape one page
 * wide, the tab's name and page numbers on every page, repeated header rows — and its
 * charts, as edits for the patcher: the head and the tail of a sheet part, its rels, a
 * drawing with the charts, the chart parts, the workbook's print titles and the content
 * types. What is already as wanted is left alone, so a sync with nothing new to show
 * rewrites none of these parts.
 */
import type { ChartSpec } from '../../shared/charts.ts';
import { toBytes } from './byteText.ts';
import { chartPartXml } from './chartXml.ts';
import { drawingDialectOf, relType, type Dialect } from './dialect.ts';
import { frameXml, newDrawingXml, ownFrames, placeFrames } from './drawingXml.ts';
import {
  parseRelationships,
  relKind,
  relativeTarget,
  relsPartOf,
  resolveTarget,
  type SheetInfo,
  type WorkbookStructure,
} from './package.ts';
import type { SheetEdits, SheetJob } from './patchTypes.ts';
import { CT_CHART, CT_DRAWING, NS_PKG_REL, XML_DECLARATION } from './xml.ts';
import { findElement, findElements, parseAttributes, rootPrefix, setAttr } from './xmlScan.ts';
import { escapeAttr, escapeText } from './xmlText.ts';
import type { ZipArchive } from './zipRead.ts';

export interface SheetLayoutPatch {
  /** column widths in characters; null keeps the sheet's own */
  widths: readonly number[] | null;
  /** top rows repeated on every printed page */
  repeatRows: number;
  charts: readonly ChartSpec[];
}

/** The worksheet's children after sheetData, in the order the schema requires. */
const TAIL_ORDER = [
  'sheetCalcPr',
  'sheetProtection',
  'protectedRanges',
  'scenarios',
  'autoFilter',
  'sortState',
  'dataConsolidate',
  'customSheetViews',
  'mergeCells',
  'phoneticPr',
  'conditionalFormatting',
  'dataValidations',
  'hyperlinks',
  'printOptions',
  'pageMargins',
  'pageSetup',
  'headerFooter',
  'rowBreaks',
  'colBreaks',
  'customProperties',
  'cellWatches',
  'ignoredErrors',
  'smartTags',
  'drawing',
  'legacyDrawing',
  'legacyDrawingHF',
  'drawingHF',
  'picture',
  'oleObjects',
  'controls',
  'webPublishItems',
  'tableParts',
  'extLst',
];

/** `xml` with the element `local` (top level of the tail) replaced by `element`, or inserted in order. */
function putTailElement(
  xml: string,
  local: string,
  make: (old: string | null) => string | null,
): string {
  const extLst = findElement(xml, 'extLst');
  const limit = extLst ? extLst.start : xml.length;
  const have = local === 'extLst' ? extLst : findElement(xml, local, 0, limit);
  if (have) {
    const next = make(xml.slice(have.start, have.end));
    return next === null ? xml : xml.slice(0, have.start) + next + xml.slice(have.end);
  }
  const element = make(null);
  if (element === null) return xml;
  const order = TAIL_ORDER.indexOf(local);
  let at = -1;
  for (const later of TAIL_ORDER.slice(order + 1)) {
    const found = later === 'extLst' ? extLst : findElement(xml, later, 0, limit);
    if (found && (at < 0 || found.start < at)) at = found.start;
  }
  if (at < 0) at = xml.lastIndexOf('</');
  return xml.slice(0, at) + element + xml.slice(at);
}

/** Page header: the tab's name; footer: 第 n 页，共 m 页. */
const HEADER_FOOTER = toBytes(
  `<headerFooter><oddHeader>${escapeText('&C&"-,Bold"&A')}</oddHeader><oddFooter>${escapeText('&C第 &P 页，共 &N 页')}</oddFooter></headerFooter>`,
);

/** The tail of a sheet part (from `</sheetData>`), printing landscape, one page wide. */
export function editTail(tail: string, p: string, drawingRelId: string | null, d: Dialect): string {
  let xml = putTailElement(
    tail,
    'pageMargins',
    (old) =>
      old ??
      `<${p}pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>`,
  );
  xml = putTailElement(xml, 'pageSetup', (old) => {
    let tag = old ?? `<${p}pageSetup paperSize="9"/>`;
    for (const [k, v] of [
      ['orientation', 'landscape'],
      ['fitToWidth', '1'],
      ['fitToHeight', '0'],
    ] as const)
      tag = setAttr(tag, k, v);
    return tag;
  });
  xml = putTailElement(
    xml,
    'headerFooter',
    (old) => old ?? HEADER_FOOTER.replace(/<(\/?)/g, `<$1${p}`),
  );
  if (drawingRelId !== null) {
    xml = putTailElement(xml, 'drawing', (old) =>
      old ? null : `<${p}drawing xmlns:r="${d.rel}" r:id="${escapeAttr(drawingRelId)}"/>`,
    );
  }
  return xml;
}

/** The head of a sheet part (up to `<sheetData`), fitting to the page and, if given, these widths. */
export function editHead(head: string, widths: readonly number[] | null): string {
  const p = rootPrefix(head.replace(/^<\?[^>]*\?>\s*/, ''));
  let xml = head;
  const sheetPr = findElement(xml, 'sheetPr');
  if (!sheetPr) {
    const root = findElement(xml, 'worksheet');
    const at = root ? root.innerStart : xml.length;
    xml = `${xml.slice(0, at)}<${p}sheetPr><${p}pageSetUpPr fitToPage="1"/></${p}sheetPr>${xml.slice(at)}`;
  } else {
    const setUp = findElement(xml, 'pageSetUpPr', sheetPr.start, sheetPr.end);
    if (setUp) {
      xml =
        xml.slice(0, setUp.start) +
        setAttr(setUp.tag, 'fitToPage', '1') +
        xml.slice(setUp.start + setUp.tag.length);
    } else if (sheetPr.innerStart === sheetPr.end) {
      const open = sheetPr.tag.replace(/\s*\/>$/, '>');
      xml = `${xml.slice(0, sheetPr.start)}${open}<${p}pageSetUpPr fitToPage="1"/></${sheetPr.qname}>${xml.slice(sheetPr.end)}`;
    } else {
      xml = `${xml.slice(0, sheetPr.innerEnd)}<${p}pageSetUpPr fitToPage="1"/>${xml.slice(sheetPr.innerEnd)}`;
    }
  }
  if (widths === null) return xml;
  const cols = widths
    .map((w, i) => `<${p}col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`)
    .join('');
  const wanted = cols ? `<${p}cols>${cols}</${p}cols>` : '';
  const have = findElement(xml, 'cols');
  if (have) return xml.slice(0, have.start) + wanted + xml.slice(have.end);
  return xml + wanted;
}

/** Reads a sheet part up to `<sheetData`: the head is small, the rows are not read. */
async function readHead(zip: ZipArchive, part: string): Promise<string | null> {
  const entry = zip.find(part);
  if (!entry) return null;
  let text = '';
  for await (const chunk of zip.stream(entry)) {
    text += chunk.toString('latin1');
    const at = /<([\w.-]+:)?sheetData[\s/>]/.exec(text);
    if (at) return text.slice(0, at.index);
  }
  return null;
}

export interface LayoutPlan {
  /** parts replaced (existing) by name, the structure's edits included */
  texts: Map<string, string>;
  /** parts added */
  newParts: Map<string, string>;
  /** sheets to rewrite only for their layout (no cell changes) */
  extraJobs: SheetJob[];
}

interface PlanState {
  zip: ZipArchive;
  /** the workbook's: what a new drawing speaks */
  dialect: Dialect;
  texts: Map<string, string>;
  newParts: Map<string, string>;
  taken: Set<string>;
  contentTypes: string[];
}

async function textOf(s: PlanState, part: string): Promise<string | null> {
  const t = s.texts.get(part) ?? s.newParts.get(part);
  if (t !== undefined) return t;
  const entry = s.zip.find(part);
  return entry ? s.zip.readText(entry) : null;
}

function setText(s: PlanState, part: string, text: string, existed: boolean): void {
  if (existed) s.texts.set(part, text);
  else s.newParts.set(part, text);
}

function freeName(s: PlanState, dir: string, stem: string): string {
  for (let n = 1; ; n++) {
    const name = `${dir}${stem}${n}.xml`;
    if (!s.taken.has(name.toLowerCase())) {
      s.taken.add(name.toLowerCase());
      return name;
    }
  }
}

/** Adds a relationship to a rels part (created when missing); returns its id. */
async function addRel(s: PlanState, relsPart: string, type: string, target: string) {
  const old = await textOf(s, relsPart);
  const xml = old ?? `${XML_DECLARATION}<Relationships xmlns="${NS_PKG_REL}"></Relationships>`;
  const used = new Set(parseRelationships(xml).map((r) => r.id));
  let n = used.size + 1;
  while (used.has(`rId${n}`)) n++;
  const id = `rId${n}`;
  const rel = `<Relationship Id="${id}" Type="${escapeAttr(type)}" Target="${escapeAttr(target)}"/>`;
  const close = xml.lastIndexOf('</');
  setText(
    s,
    relsPart,
    xml.slice(0, close) + rel + xml.slice(close),
    s.zip.find(relsPart) !== undefined,
  );
  return id;
}

/**
 * The charts of one sheet: its drawing found through the sheet's rels (or made), each
 * chart part written when it differs. Returns the relationship id a new drawing needs
 * in the sheet, or null when the sheet already points at its drawing.
 */
async function planCharts(
  s: PlanState,
  sheetPart: string,
  charts: readonly ChartSpec[],
): Promise<string | null> {
  const sheetRels = relsPartOf(sheetPart);
  const relsText = await textOf(s, sheetRels);
  const drawingRel = relsText
    ? parseRelationships(relsText).find((r) => relKind(r.type) === 'drawing' && !r.external)
    : undefined;
  let drawingPart: string;
  let newRelId: string | null = null;
  let drawing: string;
  // A drawing already in the file keeps the dialect it was written in, and what the sync
  // adds to it (frames, charts, their relationships) follows; a new one speaks the workbook's.
  let d = s.dialect;
  if (drawingRel) {
    drawingPart = resolveTarget(sheetPart, drawingRel.target);
    const have = await textOf(s, drawingPart);
    d = (have && drawingDialectOf(have)) || d;
    drawing = have ?? newDrawingXml(d);
  } else {
    drawingPart = freeName(s, 'xl/drawings/', 'drawing');
    newRelId = await addRel(
      s,
      sheetRels,
      relType(d, 'drawing'),
      relativeTarget(sheetPart, drawingPart),
    );
    s.contentTypes.push(`<Override PartName="/${drawingPart}" ContentType="${CT_DRAWING}"/>`);
    drawing = newDrawingXml(d);
  }
  const drawingRels = relsPartOf(drawingPart);
  const rels = parseRelationships((await textOf(s, drawingRels)) ?? '');
  const { frames, maxShapeId } = ownFrames(drawing);
  let shapeId = maxShapeId;
  const placed = new Map<string, string>();
  for (const spec of charts) {
    const frame = frames.find((f) => f.key === spec.key);
    const rel = frame ? rels.find((r) => r.id === frame.chartRelId) : undefined;
    const xml = chartPartXml(spec, d);
    if (frame && rel) {
      const chartPart = resolveTarget(drawingPart, rel.target);
      const existed = s.zip.find(chartPart) !== undefined;
      if ((await textOf(s, chartPart)) !== xml) setText(s, chartPart, xml, existed);
      if (!existed)
        s.contentTypes.push(`<Override PartName="/${chartPart}" ContentType="${CT_CHART}"/>`);
      placed.set(spec.key, frameXml(spec, frame.shapeId, frame.chartRelId, d));
      continue;
    }
    const chartPart = freeName(s, 'xl/charts/', 'chart');
    s.newParts.set(chartPart, xml);
    s.contentTypes.push(`<Override PartName="/${chartPart}" ContentType="${CT_CHART}"/>`);
    const relId = await addRel(
      s,
      drawingRels,
      relType(d, 'chart'),
      relativeTarget(drawingPart, chartPart),
    );
    placed.set(spec.key, frameXml(spec, ++shapeId, relId, d));
  }
  const next = placeFrames(drawing, placed, d);
  if (next !== (await textOf(s, drawingPart)))
    setText(s, drawingPart, next, s.zip.find(drawingPart) !== undefined);
  return newRelId;
}

/** `'tab'!$1:$n` as the print titles of the sheet at `index`, unless already so. */
function printTitles(workbook: string, index: number, tab: string, rows: number): string | null {
  const p = rootPrefix(workbook);
  const ref = `'${tab.replaceAll("'", "''")}'!$1:$${rows}`;
  const element = `<${p}definedName name="_xlnm.Print_Titles" localSheetId="${index}">${escapeText(ref)}</${p}definedName>`;
  const names = findElement(workbook, 'definedNames');
  if (names) {
    for (const d of findElements(workbook, 'definedName', names.innerStart, names.innerEnd)) {
      const a = parseAttributes(d.tag);
      if (a.get('name') === '_xlnm.Print_Titles' && a.get('localSheetId') === String(index))
        return null;
    }
    return workbook.slice(0, names.innerEnd) + element + workbook.slice(names.innerEnd);
  }
  let at = -1;
  for (const before of ['sheets', 'functionGroups', 'externalReferences']) {
    const el = findElement(workbook, before);
    if (el) at = Math.max(at, el.end);
  }
  if (at < 0) return null;
  return `${workbook.slice(0, at)}<${p}definedNames>${element}</${p}definedNames>${workbook.slice(at)}`;
}

export interface LayoutTarget {
  name: string;
  layout: SheetLayoutPatch;
  /** the existing sheet, or null for one this patch creates */
  info: SheetInfo | null;
  /** the sheet's job when the patch rewrites it anyway */
  job: SheetJob | undefined;
  /** 0-based position among the tabs */
  index: number;
}

export async function planLayouts(
  zip: ZipArchive,
  structure: WorkbookStructure,
  targets: readonly LayoutTarget[],
  texts: ReadonlyMap<string, string>,
  dialect: Dialect,
): Promise<LayoutPlan> {
  const s: PlanState = {
    zip,
    dialect,
    texts: new Map(texts),
    newParts: new Map(),
    taken: new Set(zip.entries.map((e) => e.name.toLowerCase())),
    contentTypes: [],
  };
  const extraJobs: SheetJob[] = [];
  const workbookAsGiven = await textOf(s, structure.workbookPart);
  let workbook = workbookAsGiven;
  for (const t of targets) {
    const part = t.info?.part ?? t.job?.newPart;
    if (!part) continue;
    const drawingRelId =
      t.layout.charts.length > 0 ? await planCharts(s, part, t.layout.charts) : null;
    const edits: SheetEdits = {
      head: (head) => editHead(head, t.layout.widths),
      tail: (tail, prefix) => editTail(tail, prefix, drawingRelId, dialect),
    };
    if (t.job) {
      t.job.edits = edits;
    } else if (t.info) {
      const head = await readHead(zip, part);
      if (head !== null && (drawingRelId !== null || editHead(head, t.layout.widths) !== head)) {
        extraJobs.push({ name: t.info.name, info: t.info, mode: 'merge', rows: [], edits });
      }
    }
    if (workbook !== null && t.layout.repeatRows > 0) {
      workbook = printTitles(workbook, t.index, t.name, t.layout.repeatRows) ?? workbook;
    }
  }
  if (workbook !== null && workbook !== workbookAsGiven)
    s.texts.set(structure.workbookPart, workbook);
  if (s.contentTypes.length > 0) {
    const ct = await textOf(s, '[Content_Types].xml');
    if (ct !== null) {
      const close = ct.lastIndexOf('</');
      s.texts.set(
        '[Content_Types].xml',
        ct.slice(0, close) + s.contentTypes.join('') + ct.slice(close),
      );
    }
  }
  return { texts: s.texts, newParts: s.newParts, extraJobs };
}
