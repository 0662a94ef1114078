/**
 * Just enough of an .xlsx reader for tests: sheet names, cell values, data validations
 * and a few view details, pulled out of the XML with regular expressions. Handles both
 * our inline strings and the shared strings LibreOffice and Excel write.
 */
import { readFileSync } from 'node:fs';
import { unzipSync, strFromU8 } from 'fflate';
import { expect } from 'vitest';

export type PeekValue = string | number | boolean | null;

export interface PeekValidation {
  type: string;
  sqref: string;
  formula1: string;
  errorStyle: string;
}

export interface PeekSheet {
  name: string;
  /** the part's path inside the zip */
  path: string;
  xml: string;
  /** rows by 1-based row number; cells by 0-based column index */
  rows: Map<number, PeekValue[]>;
  /** style index by cell reference, for the cells that have one */
  styles: Map<string, number>;
  validations: PeekValidation[];
  frozenRows: number;
  /** header notes by cell reference */
  notes: Map<string, string>;
}

export interface PeekWorkbook {
  files: Record<string, Uint8Array>;
  sheets: PeekSheet[];
  /** the format code of each cellXfs index */
  formats: string[];
  /** whether each cellXfs index sets its text in bold */
  bold: boolean[];
}

export function peekXlsx(path: string): PeekWorkbook {
  const files = unzipSync(readFileSync(path));
  const text = (name: string): string => {
    const data = files[name];
    if (!data) throw new Error(`${path} has no ${name}`);
    return strFromU8(data);
  };
  const shared = files['xl/sharedStrings.xml']
    ? [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)].map((m) => runText(m[1]!))
    : [];
  const rels = relationships(text('xl/_rels/workbook.xml.rels'), 'xl/');
  const sheets = [...text('xl/workbook.xml').matchAll(/<sheet\b([^>]*?)\/?>/g)].map((m) => {
    const attrs = attributes(m[1]!);
    const sheetPath = rels.get(attrs['r:id']!)!;
    const xml = text(sheetPath);
    return {
      name: attrs.name!,
      path: sheetPath,
      xml,
      ...cellsOf(xml, shared),
      validations: validationsOf(xml),
      frozenRows: frozenRowsOf(xml),
      notes: notesOf(files, sheetPath),
    };
  });
  const styles = text('xl/styles.xml');
  return { files, sheets, formats: formatsOf(styles), bold: boldOf(styles) };
}

export function sheet(book: PeekWorkbook, name: string): PeekSheet {
  const found = book.sheets.find((s) => s.name === name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
}

/** Row 1's texts. */
export function headerOf(s: PeekSheet): string[] {
  return (s.rows.get(1) ?? []).map((v) => String(v ?? ''));
}

/** Rows below the header with at least one value. */
export function dataRows(s: PeekSheet): PeekValue[][] {
  return [...s.rows.entries()]
    .filter(([r, cells]) => r > 1 && cells.some((v) => v !== null && v !== ''))
    .sort(([a], [b]) => a - b)
    .map(([, cells]) => cells);
}

function relationships(xml: string, base: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const m of xml.matchAll(/<Relationship\b([^>]*?)\/?>/g)) {
    const a = attributes(m[1]!);
    const target = a.Target!;
    map.set(a.Id!, target.startsWith('/') ? target.slice(1) : resolvePath(base, target));
  }
  return map;
}

function resolvePath(base: string, target: string): string {
  const parts = base.split('/').filter(Boolean);
  for (const piece of target.split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.') parts.push(piece);
  }
  return parts.join('/');
}

function attributes(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([\w:]+)="([^"]*)"/g)) out[m[1]!] = decode(m[2]!);
  return out;
}

function decode(text: string): string {
  return text
    .replace(/&(lt|gt|quot|apos|amp|#\d+|#x[0-9a-fA-F]+);/g, (_, e: string) => {
      if (e === 'lt') return '<';
      if (e === 'gt') return '>';
      if (e === 'quot') return '"';
      if (e === 'apos') return "'";
      if (e === 'amp') return '&';
      return String.fromCodePoint(
        e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10),
      );
    })
    .replace(/_x([0-9a-fA-F]{4})_/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** The text of a rich or plain string item, phonetic runs left out. */
function runText(xml: string): string {
  const withoutPhonetic = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  return [...withoutPhonetic.matchAll(/<t\b[^>]*>([\s\S]*?)<\/t>|<t\b[^>]*\/>/g)]
    .map((m) => decode(m[1] ?? ''))
    .join('');
}

function columnIndex(ref: string): number {
  const letters = /^[A-Z]+/.exec(ref)![0];
  let n = 0;
  for (const ch of letters) n = n * 26 + ch.charCodeAt(0) - 64;
  return n - 1;
}

function cellsOf(
  xml: string,
  shared: string[],
): { rows: Map<number, PeekValue[]>; styles: Map<string, number> } {
  const rows = new Map<number, PeekValue[]>();
  const styles = new Map<string, number>();
  let nextRow = 1;
  for (const rm of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const rowAttrs = attributes(rm[1]!);
    const r = rowAttrs.r ? Number(rowAttrs.r) : nextRow;
    nextRow = r + 1;
    const cells: PeekValue[] = [];
    let nextCol = 0;
    for (const cm of (rm[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const a = attributes(cm[1]!);
      const col = a.r ? columnIndex(a.r) : nextCol;
      nextCol = col + 1;
      const body = cm[2] ?? '';
      const v = /<v>([\s\S]*?)<\/v>/.exec(body)?.[1];
      let value: PeekValue = null;
      if (a.t === 'inlineStr') value = runText(/<is>([\s\S]*?)<\/is>/.exec(body)?.[1] ?? '');
      else if (a.t === 's') value = shared[Number(v)] ?? null;
      else if (a.t === 'str') value = v === undefined ? null : decode(v);
      else if (a.t === 'b') value = v === '1';
      else if (v !== undefined) value = Number(v);
      if (a.s) styles.set(a.r ?? `#${r}:${col}`, Number(a.s));
      while (cells.length < col) cells.push(null);
      cells[col] = value;
    }
    rows.set(r, cells);
  }
  return { rows, styles };
}

function validationsOf(xml: string): PeekValidation[] {
  return [...xml.matchAll(/<dataValidation\b([^>]*)>([\s\S]*?)<\/dataValidation>/g)].map((m) => {
    const a = attributes(m[1]!);
    return {
      type: a.type ?? '',
      sqref: a.sqref ?? '',
      errorStyle: a.errorStyle ?? 'stop',
      formula1: decode(/<formula1>([\s\S]*?)<\/formula1>/.exec(m[2]!)?.[1] ?? ''),
    };
  });
}

function frozenRowsOf(xml: string): number {
  const pane = /<pane\b([^>]*?)\/>/.exec(xml);
  if (!pane) return 0;
  const a = attributes(pane[1]!);
  return a.state === 'frozen' || a.state === 'frozenSplit' ? Number(a.ySplit ?? 0) : 0;
}

function notesOf(files: Record<string, Uint8Array>, sheetPath: string): Map<string, string> {
  const notes = new Map<string, string>();
  const slash = sheetPath.lastIndexOf('/');
  const relsPath = `${sheetPath.slice(0, slash)}/_rels/${sheetPath.slice(slash + 1)}.rels`;
  const rels = files[relsPath];
  if (!rels) return notes;
  for (const m of strFromU8(rels).matchAll(/<Relationship\b([^>]*?)\/?>/g)) {
    const a = attributes(m[1]!);
    if (!a.Type?.endsWith('/comments')) continue;
    const target = resolvePath(sheetPath.slice(0, slash + 1), a.Target!);
    const xml = strFromU8(files[target]!);
    for (const c of xml.matchAll(/<comment\b([^>]*)>([\s\S]*?)<\/comment>/g)) {
      notes.set(attributes(c[1]!).ref!, runText(c[2]!));
    }
  }
  return notes;
}

function formatsOf(styles: string): string[] {
  const custom = new Map<number, string>();
  for (const m of styles.matchAll(/<numFmt\b([^>]*?)\/>/g)) {
    const a = attributes(m[1]!);
    custom.set(Number(a.numFmtId), a.formatCode!);
  }
  const builtIn: Record<number, string> = { 0: 'General', 1: '0', 4: '#,##0.00', 49: '@' };
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
  return [...xfs.matchAll(/<xf\b([^>]*?)(?:\/>|>)/g)].map((m) => {
    const id = Number(attributes(m[1]!).numFmtId ?? 0);
    return custom.get(id) ?? builtIn[id] ?? `#${id}`;
  });
}

function boldOf(styles: string): boolean[] {
  const fonts = /<fonts\b[^>]*>([\s\S]*?)<\/fonts>/.exec(styles)?.[1] ?? '';
  const boldFonts = [...fonts.matchAll(/<font\b[^>]*?(?:\/>|>([\s\S]*?)<\/font>)/g)].map((m) =>
    /<b(?:\s+val="(?:1|true)")?\s*\/>/.test(m[1] ?? ''),
  );
  const xfs = /<cellXfs\b[^>]*>([\s\S]*?)<\/cellXfs>/.exec(styles)?.[1] ?? '';
  return [...xfs.matchAll(/<xf\b([^>]*?)(?:\/>|>)/g)].map(
    (m) => boldFonts[Number(attributes(m[1]!).fontId ?? 0)] ?? false,
  );
}

/** Dropdowns by header; sheet names in range references lose optional quotes. */
export function dropdownsOf(book: PeekWorkbook, tabName: string): Record<string, string> {
  const s = sheet(book, tabName);
  const header = headerOf(s);
  const out: Record<string, string> = {};
  for (const v of s.validations) {
    expect(v.type).toBe('list');
    const col = /^([A-Z]+)2:/.exec(v.sqref)?.[1];
    expect(col, v.sqref).toBeDefined();
    const index = [...col!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
    const f = v.formula1;
    out[header[index]!] = f.startsWith('"') ? f : f.replace(/^'?([^'!]+)'?!/, "'$1'!");
  }
  return out;
}
