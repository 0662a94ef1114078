/**
 * The package around the sheets: relationships, the workbook's list of sheets and the
 * content types. Read for the reader and the patcher, edited for the patcher, and
 * written whole for a new workbook.
 */
import type { CellNote } from './comments.ts';
import { dialectOf } from './dialect.ts';
import {
  CT_COMMENTS,
  CT_RELATIONSHIPS,
  CT_STYLES,
  CT_VML_DRAWING,
  CT_WORKBOOK,
  CT_WORKSHEET,
  NS_MAIN,
  NS_PKG_REL,
  NS_REL,
  NS_REL_STRICT,
  REL_COMMENTS,
  REL_OFFICE_DOCUMENT,
  REL_STYLES,
  REL_VML_DRAWING,
  REL_WORKSHEET,
  XML_DECLARATION,
} from './xml.ts';
import { findElement, findElements, parseAttributes, rootPrefix, tagEnd } from './xmlScan.ts';
import { escapeAttr } from './xmlText.ts';
import { PatchError, XlsxFormatError } from './errors.ts';
import type { ZipArchive } from './zipRead.ts';

export type SheetKind = 'worksheet' | 'chartsheet' | 'dialogsheet' | 'macrosheet' | 'other';
export type SheetState = 'visible' | 'hidden' | 'veryHidden';

export interface SheetInfo {
  name: string;
  /** `sheetId` from workbook.xml (stable; calcChain refers to sheets by it) */
  sheetId: number;
  /** 0-based position among the workbook's tabs */
  index: number;
  /** relationship id in workbook.xml.rels */
  relId: string;
  /** zip entry of the sheet part, e.g. `xl/worksheets/sheet3.xml`; null if unresolvable */
  part: string | null;
  kind: SheetKind;
  state: SheetState;
}

export interface WorkbookStructure {
  workbookPart: string;
  workbookRelsPart: string;
  /** every tab in workbook order, worksheets and others */
  sheets: SheetInfo[];
  date1904: boolean;
  sharedStringsPart: string | null;
  stylesPart: string | null;
  calcChainPart: string | null;
}

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

export function parseRelationships(xml: string): Relationship[] {
  return findElements(xml, 'Relationship').map((m) => {
    const a = parseAttributes(m.tag);
    return {
      id: a.get('Id') ?? '',
      type: a.get('Type') ?? '',
      target: a.get('Target') ?? '',
      external: (a.get('TargetMode') ?? '').toLowerCase() === 'external',
    };
  });
}

/** The rels part that describes `part`: xl/workbook.xml → xl/_rels/workbook.xml.rels. */
export function relsPartOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** Resolves a relationship target against the directory of the part that holds it. */
export function resolveTarget(sourcePart: string, target: string): string {
  let path = target;
  try {
    path = decodeURIComponent(target);
  } catch {
    // a stray % is taken literally
  }
  const base = path.startsWith('/') ? [] : sourcePart.split('/').slice(0, -1);
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') base.pop();
    else base.push(seg);
  }
  return base.join('/');
}

/** Relationship types differ between transitional and strict OOXML; the last segment does not. */
export function relKind(type: string): string {
  return type.slice(type.lastIndexOf('/') + 1);
}

const SHEET_KINDS: Readonly<Record<string, SheetKind>> = {
  worksheet: 'worksheet',
  chartsheet: 'chartsheet',
  dialogsheet: 'dialogsheet',
  xlMacrosheet: 'macrosheet',
  xlIntlMacrosheet: 'macrosheet',
};

export async function readStructure(zip: ZipArchive): Promise<WorkbookStructure> {
  let workbookPart = 'xl/workbook.xml';
  const rootRels = zip.find('_rels/.rels');
  if (rootRels) {
    const office = parseRelationships(await zip.readText(rootRels)).find(
      (r) => relKind(r.type) === 'officeDocument' && !r.external,
    );
    if (office) workbookPart = resolveTarget('', office.target);
  }
  const workbookEntry = zip.find(workbookPart);
  if (!workbookEntry) throw new XlsxFormatError(`not a spreadsheet: ${workbookPart} is missing`);
  workbookPart = workbookEntry.name;
  const workbookRelsPart = relsPartOf(workbookPart);
  const relsEntry = zip.find(workbookRelsPart);
  const rels = relsEntry ? parseRelationships(await zip.readText(relsEntry)) : [];
  const relById = new Map(rels.map((r) => [r.id, r]));
  const partOf = (kind: string): string | null => {
    const rel = rels.find((r) => relKind(r.type) === kind && !r.external);
    if (!rel) return null;
    const entry = zip.find(resolveTarget(workbookPart, rel.target));
    return entry ? entry.name : null;
  };

  const xml = await zip.readText(workbookEntry);
  const pr = findElement(xml, 'workbookPr');
  const flag = pr ? parseAttributes(pr.tag).get('date1904') : undefined;
  const date1904 = flag === '1' || flag === 'true';
  const sheetsEl = findElement(xml, 'sheets');
  const sheets: SheetInfo[] = [];
  if (sheetsEl) {
    for (const m of findElements(xml, 'sheet', sheetsEl.innerStart, sheetsEl.innerEnd)) {
      const a = parseAttributes(m.tag);
      let relId = '';
      for (const [key, value] of a) if (key.endsWith(':id')) relId = value;
      const rel = relById.get(relId);
      const entry =
        rel && !rel.external ? zip.find(resolveTarget(workbookPart, rel.target)) : undefined;
      const state = a.get('state');
      sheets.push({
        name: a.get('name') ?? '',
        sheetId: Number(a.get('sheetId') ?? 0),
        index: sheets.length,
        relId,
        part: entry ? entry.name : null,
        kind: rel ? (SHEET_KINDS[relKind(rel.type)] ?? 'other') : 'other',
        state: state === 'hidden' || state === 'veryHidden' ? state : 'visible',
      });
    }
  }
  return {
    workbookPart,
    workbookRelsPart,
    sheets,
    date1904,
    sharedStringsPart: partOf('sharedStrings'),
    stylesPart: partOf('styles'),
    calcChainPart: partOf('calcChain'),
  };
}

// Edits for the patcher

/** A sheet the patch adds; its part, relationship and sheet id are filled in here. */
export interface NewSheet {
  name: string;
  newPart?: string;
  newRelId?: string;
  newSheetId?: number;
}

export interface StructurePlan {
  /** new text per part name */
  texts: Map<string, string>;
  newStylesPart: string | null;
}

function relationshipPrefix(rootTag: string): { prefix: string; declare: string } {
  const rel = dialectOf(rootTag).rel;
  for (const [key, value] of parseAttributes(rootTag)) {
    if (key.startsWith('xmlns:') && (value === NS_REL || value === NS_REL_STRICT)) {
      return { prefix: key.slice(6), declare: '' };
    }
  }
  return { prefix: 'r', declare: ` xmlns:r="${rel}"` };
}

/** The target of a relationship from `fromPart` to `toPart`, relative to the former's folder. */
export function relativeTarget(fromPart: string, toPart: string): string {
  const from = fromPart.split('/').slice(0, -1);
  const to = toPart.split('/');
  let common = 0;
  while (common < from.length && common < to.length - 1 && from[common] === to[common]) common++;
  return [...from.slice(common).map(() => '..'), ...to.slice(common)].join('/');
}

function insertBeforeClose(xml: string, local: string, insert: string): string {
  const el = findElement(xml, local);
  if (!el) throw new PatchError(`<${local}> not found`);
  if (el.innerStart === el.end) {
    // self-closing: open it up
    const tag = el.tag.replace(/\s*\/>$/, '>');
    return `${xml.slice(0, el.start)}${tag}${insert}</${el.qname}>${xml.slice(el.end)}`;
  }
  return xml.slice(0, el.innerEnd) + insert + xml.slice(el.innerEnd);
}

/**
 * The workbook, its rels and [Content_Types].xml with new sheets (and a new styles part)
 * added and a removed part's entries dropped; only what changes is returned.
 */
export async function planStructure(
  zip: ZipArchive,
  structure: WorkbookStructure,
  newJobs: NewSheet[],
  createStyles: boolean,
  removedPart: string | null,
): Promise<StructurePlan> {
  const texts = new Map<string, string>();
  if (newJobs.length === 0 && !createStyles && !removedPart) return { texts, newStylesPart: null };

  const relsEntry = zip.find(structure.workbookRelsPart);
  let rels = relsEntry
    ? await zip.readText(relsEntry)
    : `${XML_DECLARATION}<Relationships xmlns="${NS_PKG_REL}"></Relationships>`;
  const relList = parseRelationships(rels);
  const usedIds = new Set(relList.map((r) => r.id));
  const nextRelId = (): string => {
    let n = relList.length + 1;
    while (usedIds.has(`rId${n}`)) n++;
    usedIds.add(`rId${n}`);
    return `rId${n}`;
  };
  const worksheetType = relList.find((r) => relKind(r.type) === 'worksheet')?.type ?? REL_WORKSHEET;
  const stylesType = worksheetType.replace(/worksheet$/, 'styles') || REL_STYLES;

  const ctEntry = zip.find('[Content_Types].xml');
  if (!ctEntry) throw new PatchError('[Content_Types].xml is missing');
  let contentTypes = await zip.readText(ctEntry);

  const taken = new Set(zip.entries.map((e) => e.name.toLowerCase()));
  const firstSheet = structure.sheets.find((s) => s.kind === 'worksheet' && s.part)?.part;
  const sheetDir = firstSheet
    ? firstSheet.slice(0, firstSheet.lastIndexOf('/') + 1)
    : `${structure.workbookPart.slice(0, structure.workbookPart.lastIndexOf('/') + 1)}worksheets/`;

  let relInsert = '';
  let ctInsert = '';
  let newStylesPart: string | null = null;

  if (newJobs.length > 0) {
    const wbEntry = zip.find(structure.workbookPart);
    if (!wbEntry) throw new PatchError('workbook part is missing');
    let workbook = await zip.readText(wbEntry);
    const prefix = rootPrefix(workbook);
    const rootStart = workbook.indexOf(`<${prefix}workbook`);
    const rootTag = workbook.slice(rootStart, tagEnd(workbook, rootStart) + 1);
    const rel = relationshipPrefix(rootTag);
    let maxSheetId = 0;
    for (const s of structure.sheets) maxSheetId = Math.max(maxSheetId, s.sheetId);
    let sheetInsert = '';
    let k = 1;
    for (const job of newJobs) {
      while (taken.has(`${sheetDir}sheet${k}.xml`.toLowerCase())) k++;
      const part = `${sheetDir}sheet${k}.xml`;
      taken.add(part.toLowerCase());
      job.newPart = part;
      job.newRelId = nextRelId();
      job.newSheetId = ++maxSheetId;
      sheetInsert += `<${prefix}sheet name="${escapeAttr(job.name)}" sheetId="${job.newSheetId}"${rel.declare} ${rel.prefix}:id="${job.newRelId}"/>`;
      relInsert += `<Relationship Id="${job.newRelId}" Type="${escapeAttr(worksheetType)}" Target="${escapeAttr(relativeTarget(structure.workbookPart, part))}"/>`;
      ctInsert += `<Override PartName="/${escapeAttr(part)}" ContentType="${CT_WORKSHEET}"/>`;
    }
    workbook = insertBeforeClose(workbook, 'sheets', sheetInsert);
    texts.set(wbEntry.name, workbook);
  }

  if (createStyles) {
    const dir = structure.workbookPart.slice(0, structure.workbookPart.lastIndexOf('/') + 1);
    newStylesPart = `${dir}styles.xml`;
    if (taken.has(newStylesPart.toLowerCase())) {
      throw new PatchError(`${newStylesPart} exists but is not the workbook's styles part`);
    }
    relInsert += `<Relationship Id="${nextRelId()}" Type="${escapeAttr(stylesType)}" Target="${escapeAttr(relativeTarget(structure.workbookPart, newStylesPart))}"/>`;
    ctInsert += `<Override PartName="/${escapeAttr(newStylesPart)}" ContentType="${CT_STYLES}"/>`;
  }

  if (removedPart) {
    const wbPart = structure.workbookPart;
    for (const m of findElements(rels, 'Relationship').reverse()) {
      const a = parseAttributes(m.tag);
      if (resolveTarget(wbPart, a.get('Target') ?? '') === removedPart) {
        rels = rels.slice(0, m.start) + rels.slice(m.end);
      }
    }
    for (const m of findElements(contentTypes, 'Override').reverse()) {
      const name = parseAttributes(m.tag).get('PartName') ?? '';
      if (name.replace(/^\//, '').toLowerCase() === removedPart.toLowerCase()) {
        contentTypes = contentTypes.slice(0, m.start) + contentTypes.slice(m.end);
      }
    }
  }
  if (relInsert) rels = insertBeforeClose(rels, 'Relationships', relInsert);
  if (ctInsert) contentTypes = insertBeforeClose(contentTypes, 'Types', ctInsert);
  if (!relsEntry) throw new PatchError(`${structure.workbookRelsPart} is missing`);
  texts.set(relsEntry.name, rels);
  texts.set(ctEntry.name, contentTypes);
  return { texts, newStylesPart };
}

// A new workbook

/** [Content_Types].xml of a new workbook; `notes` per sheet say which have comments. */
export function contentTypesXml(notes: readonly (readonly CellNote[])[]): string {
  const overrides = notes.flatMap((sheetNotes, i) => {
    const sheet = `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${CT_WORKSHEET}"/>`;
    return sheetNotes.length === 0
      ? [sheet]
      : [sheet, `<Override PartName="/xl/comments${i + 1}.xml" ContentType="${CT_COMMENTS}"/>`];
  });
  return (
    XML_DECLARATION +
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
    `<Default Extension="rels" ContentType="${CT_RELATIONSHIPS}"/>` +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    `<Default Extension="vml" ContentType="${CT_VML_DRAWING}"/>` +
    `<Override PartName="/xl/workbook.xml" ContentType="${CT_WORKBOOK}"/>` +
    `<Override PartName="/xl/styles.xml" ContentType="${CT_STYLES}"/>` +
    overrides.join('') +
    '</Types>'
  );
}

export function rootRelsXml(): string {
  return (
    XML_DECLARATION +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    `<Relationship Id="rId1" Type="${REL_OFFICE_DOCUMENT}" Target="xl/workbook.xml"/>` +
    '</Relationships>'
  );
}

export function workbookXml(sheets: readonly { name: string }[]): string {
  const list = sheets
    .map((s, i) => `<sheet name="${escapeAttr(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`)
    .join('');
  return (
    XML_DECLARATION +
    `<workbook xmlns="${NS_MAIN}" xmlns:r="${NS_REL}">` +
    '<bookViews><workbookView activeTab="0"/></bookViews>' +
    `<sheets>${list}</sheets></workbook>`
  );
}

export function workbookRelsXml(sheetCount: number): string {
  const rels: string[] = [];
  for (let i = 1; i <= sheetCount; i++) {
    rels.push(
      `<Relationship Id="rId${i}" Type="${REL_WORKSHEET}" Target="worksheets/sheet${i}.xml"/>`,
    );
  }
  rels.push(`<Relationship Id="rId${sheetCount + 1}" Type="${REL_STYLES}" Target="styles.xml"/>`);
  return XML_DECLARATION + `<Relationships xmlns="${NS_PKG_REL}">${rels.join('')}</Relationships>`;
}

/** The rels of a sheet with notes: its comments and their VML drawing. */
export function sheetRelsXml(sheet: number): string {
  return (
    XML_DECLARATION +
    `<Relationships xmlns="${NS_PKG_REL}">` +
    `<Relationship Id="rId1" Type="${REL_COMMENTS}" Target="../comments${sheet}.xml"/>` +
    `<Relationship Id="rId2" Type="${REL_VML_DRAWING}" Target="../drawings/vmlDrawing${sheet}.vml"/>` +
    '</Relationships>'
  );
}
