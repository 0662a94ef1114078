/**
 * The drawing part of a sheet (xl/drawings/drawingN.xml) holding the sync's charts. The
 * sync's frames carry `crm-sync:<key>` as their description; each sync finds them by it,
 * moves them to where their tables now end, and leaves every other shape as it was.
 */
import { chartMark, type ChartSpec } from '../../shared/charts.ts';
import type { Dialect } from './dialect.ts';
import { XML_DECLARATION } from './xml.ts';
import { findElements, parseAttributes } from './xmlScan.ts';
import { escapeAttr } from './xmlText.ts';

export interface OwnFrame {
  key: string;
  /** the relationship id of its chart in the drawing's rels */
  chartRelId: string;
  /** the cNvPr id, kept when the frame is rewritten */
  shapeId: number;
  start: number;
  end: number;
}

const ANCHORS = ['twoCellAnchor', 'oneCellAnchor', 'absoluteAnchor'];
const MARK = /crm-sync:([\w-]+)/;

/** The sync's frames in a drawing, and the largest shape id in it. */
export function ownFrames(xml: string): { frames: OwnFrame[]; maxShapeId: number } {
  const frames: OwnFrame[] = [];
  let maxShapeId = 0;
  for (const local of ANCHORS) {
    for (const anchor of findElements(xml, local)) {
      const inner = xml.slice(anchor.start, anchor.end);
      const pr = findElements(inner, 'cNvPr')[0];
      const attrs = pr ? parseAttributes(pr.tag) : new Map<string, string>();
      const id = Number(attrs.get('id') ?? 0);
      if (Number.isFinite(id)) maxShapeId = Math.max(maxShapeId, id);
      const mark = MARK.exec(attrs.get('descr') ?? '');
      const chart = findElements(inner, 'chart')[0];
      if (!mark || !chart) continue;
      let relId = '';
      for (const [k, v] of parseAttributes(chart.tag)) if (k.endsWith(':id')) relId = v;
      frames.push({
        key: mark[1]!,
        chartRelId: relId,
        shapeId: id,
        start: anchor.start,
        end: anchor.end,
      });
    }
  }
  return { frames, maxShapeId };
}

/** One chart frame, with the prefixes this module declares on the drawing's root. */
export function frameXml(spec: ChartSpec, shapeId: number, chartRelId: string, d: Dialect): string {
  const a = spec.anchor;
  const marker = (col: number, row: number) =>
    `<xdr:col>${col}</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>${row}</xdr:row><xdr:rowOff>0</xdr:rowOff>`;
  return (
    '<xdr:twoCellAnchor editAs="oneCell">' +
    `<xdr:from>${marker(a.fromCol, a.fromRow)}</xdr:from><xdr:to>${marker(a.toCol, a.toRow)}</xdr:to>` +
    '<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>' +
    `<xdr:cNvPr id="${shapeId}" name="${escapeAttr(spec.title)}" descr="${escapeAttr(`${chartMark(spec.key)}（由同步服务生成，每次同步更新）`)}"/>` +
    '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr>' +
    '<xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm>' +
    `<a:graphic><a:graphicData uri="${d.chart}">` +
    `<c:chart xmlns:c="${d.chart}" xmlns:r="${d.rel}" r:id="${escapeAttr(chartRelId)}"/>` +
    '</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor>'
  );
}

export function newDrawingXml(d: Dialect): string {
  return (
    XML_DECLARATION +
    `<xdr:wsDr xmlns:xdr="${d.spreadsheetDrawing}" xmlns:a="${d.drawingml}"></xdr:wsDr>`
  );
}

/**
 * The drawing with the sync's frames placed anew: a frame already there is replaced in
 * its place, a new one is added at the end. `frames` maps a key to its new XML.
 */
export function placeFrames(xml: string, frames: ReadonlyMap<string, string>, d: Dialect): string {
  const { frames: own } = ownFrames(xml);
  const seen = new Set<string>();
  let out = xml;
  for (const f of [...own].sort((a, b) => b.start - a.start)) {
    const next = frames.get(f.key);
    if (next === undefined || seen.has(f.key)) {
      // a duplicate of a frame (a copy pasted in the same drawing) or one no longer drawn
      if (next !== undefined) out = out.slice(0, f.start) + out.slice(f.end);
      continue;
    }
    seen.add(f.key);
    out = out.slice(0, f.start) + withPrefixes(xml, next, d) + out.slice(f.end);
  }
  const added = [...frames].filter(([k]) => !own.some((f) => f.key === k)).map(([, x]) => x);
  if (added.length === 0) return out;
  const close = out.lastIndexOf('</');
  return (
    out.slice(0, close) + added.map((x) => withPrefixes(xml, x, d)).join('') + out.slice(close)
  );
}

/**
 * Our frames use the prefixes xdr: and a:; a drawing written by another program may bind
 * other ones, so the frame declares them on itself when the root does not.
 */
function withPrefixes(drawing: string, frame: string, d: Dialect): string {
  const root = /<([\w.-]+:)?wsDr\b[^>]*>/.exec(drawing)?.[0] ?? '';
  const declares = (p: string, ns: string) => root.includes(`xmlns:${p}="${ns}"`);
  const extra =
    (declares('xdr', d.spreadsheetDrawing) ? '' : ` xmlns:xdr="${d.spreadsheetDrawing}"`) +
    (declares('a', d.drawingml) ? '' : ` xmlns:a="${d.drawingml}"`);
  return extra ? frame.replace('<xdr:twoCellAnchor', `<xdr:twoCellAnchor${extra}`) : frame;
}
