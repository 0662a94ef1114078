/**
 * The report charts in a Strict OOXML workbook (item 14): the drawings, charts and the
 * relationships the sync adds speak Strict like the rest of the file — no Transitional
 * namespace anywhere in the package, Strict's relationship types, chart percentages in
 * the only form Strict allows — a second sync leaves them byte for byte, and LibreOffice
 * still opens the file and draws every chart. A drawing already in the file keeps the
 * dialect it was written in.
 */
import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartPages, convertWithLibreOffice } from '../helpers/libreoffice.ts';
import { cli } from '../helpers/workbook.ts';
import {
  parts,
  setText,
  STRICT_REL,
  templateWorkbook,
  text,
  toStrict,
  writeParts,
} from './make.ts';

const NOW = ['--now', '2026-11-20T10:00'];
const OUT = join(import.meta.dirname, '..', '..', 'test-output', 'strict-charts');
/** Any Transitional SpreadsheetML, DrawingML or officeDocument name (the package's own are shared). */
const TRANSITIONAL = /schemas\.openxmlformats\.org\/(spreadsheetml|drawingml|officeDocument)\//;
const STRICT_CHART = 'http://purl.oclc.org/ooxml/drawingml/chart';
const STRICT_DRAWING = 'http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing';
let dir: string;
let file: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-strict-charts-'));
  file = join(dir, 'strict.xlsx');
  await templateWorkbook(file, 30);
  const p = await parts(file);
  toStrict(p);
  await writeParts(file, p);
  const run = await cli(['sync', file, ...NOW]);
  expect(run.code, run.stderr).toBe(0);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const named = (p: Record<string, Uint8Array>, re: RegExp): string[] =>
  Object.keys(p)
    .filter((n) => re.test(n))
    .sort();

describe('report charts in a Strict OOXML workbook', { timeout: 300_000 }, () => {
  it('drawings, charts and their relationships use Strict namespaces and types only', async () => {
    const p = await parts(file);
    const charts = named(p, /^xl\/charts\/chart\d+\.xml$/);
    const drawings = named(p, /^xl\/drawings\/drawing\d+\.xml$/);
    expect(charts).toHaveLength(5);
    expect(drawings).toHaveLength(2);
    for (const name of named(p, /\.(xml|rels)$/))
      expect(TRANSITIONAL.test(text(p, name)), name).toBe(false);
    for (const d of drawings) {
      expect(text(p, d)).toContain(`<xdr:wsDr xmlns:xdr="${STRICT_DRAWING}"`);
      expect(text(p, d)).toContain(`<a:graphicData uri="${STRICT_CHART}">`);
      const rels = text(p, d.replace('drawings/', 'drawings/_rels/') + '.rels');
      expect(rels.match(/Type="[^"]*"/g)!.every((t) => t === `Type="${STRICT_REL}/chart"`)).toBe(
        true,
      );
    }
    const sheetRels = named(p, /^xl\/worksheets\/_rels\/sheet\d+\.xml\.rels$/).map((n) =>
      text(p, n),
    );
    expect(sheetRels.filter((r) => r.includes(`Type="${STRICT_REL}/drawing"`))).toHaveLength(2);
    const column = charts.map((c) => text(p, c)).find((x) => x.includes('<c:barChart>'))!;
    expect(column).toContain(`<c:chartSpace xmlns:c="${STRICT_CHART}"`);
    expect(column).toContain('<c:gapWidth val="80%"/>');
    expect(column).toContain('<c:lblOffset val="100%"/>');
  });

  it('a second sync of the same data leaves the drawings and charts byte for byte', async () => {
    const before = await parts(file);
    expect((await cli(['sync', file, ...NOW])).code).toBe(0);
    const after = await parts(file);
    for (const name of named(before, /^xl\/(charts|drawings)\//))
      expect(Buffer.from(after[name]!).equals(Buffer.from(before[name]!)), name).toBe(true);
  });

  it('LibreOffice opens it and draws every chart', () => {
    const pdfDir = join(dir, 'pdf');
    mkdirSync(pdfDir, { recursive: true });
    const pages = chartPages(convertWithLibreOffice(file, 'pdf', pdfDir), pdfDir, OUT);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    const all = pages.join('\n');
    for (const title of ['客户分层分布', '健康度分布', '月度投诉', '区域销售', '产品销售'])
      expect(all).toContain(title);
  });

  it('a Transitional drawing already in a Strict workbook keeps its dialect; what is added follows it', async () => {
    const old = join(dir, 'mixed.xlsx');
    const p = await parts(file);
    // As an earlier sync wrote it: 报表's drawing and charts in Transitional, one chart gone.
    const [drawing] = named(p, /^xl\/drawings\/drawing\d+\.xml$/).filter((d) =>
      text(p, d).includes('crm-sync:tiers'),
    );
    const toTransitional = (xml: string): string =>
      xml
        .replaceAll(
          'http://purl.oclc.org/ooxml/drawingml/',
          'http://schemas.openxmlformats.org/drawingml/2006/',
        )
        .replaceAll(
          STRICT_REL,
          'http://schemas.openxmlformats.org/officeDocument/2006/relationships',
        );
    const frames = text(p, drawing!).split('<xdr:twoCellAnchor');
    const withoutHealth = frames
      .filter((f) => !f.includes('crm-sync:health'))
      .join('<xdr:twoCellAnchor');
    setText(p, drawing!, toTransitional(withoutHealth));
    await writeParts(old, p);

    expect((await cli(['sync', old, ...NOW])).code).toBe(0);
    const after = text(await parts(old), drawing!);
    expect(after).toContain('crm-sync:health');
    expect(after).not.toContain('purl.oclc.org');
  });
});
