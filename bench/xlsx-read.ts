/**
 * Read and patch throughput on a large synthetic workbook (default 1M rows × 10 columns
 * = 10M cells, the size of a 100k-customer workbook). Not a test: run it by hand.
 *
 *   node --expose-gc --import tsx bench/xlsx-read.ts [--rows 1000000] [--level 4] [--keep] [--reuse]
 *
 * Wall time depends on what else runs on the machine; CPU time (this process, all
 * threads) and the load average are printed next to it for that reason.
 *
 * The workbook is generated with fflate's streaming zip, the way another writer would
 * produce it, so the numbers include real inflate work.
 */
import { createWriteStream } from 'node:fs';
import { access, mkdir, rm, stat } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { Zip, ZipDeflate, strToU8 } from 'fflate';
import { readWorkbook } from '../sync-server/xlsx/reader.ts';
import { patchWorkbook, type CellPatch } from '../sync-server/xlsx/patcher.ts';
import { columnLetters } from '../sync-server/xlsx/cellRef.ts';

const args = process.argv.slice(2);
const arg = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const ROWS = arg('rows', 1_000_000);
const LEVEL = arg('level', 4);
const KEEP = args.includes('--keep');
const REUSE = args.includes('--reuse');
const COLS = 10;
const OUT = join(import.meta.dirname, 'out');
const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const NS_R = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

let peakRss = 0;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
}, 50);
const mb = (n: number): string => `${(n / 2 ** 20).toFixed(0)} MB`;
const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Wall and CPU time of `fn` (CPU = this process's user + system time, all threads). */
async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const c = process.cpuUsage(c0);
  return { value, wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

const INDUSTRIES = ['制造业', '信息技术', '互联网电商', '零售', '批发', '金融', '医疗健康', '教育'];
const NOTES = 5_000;

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
}

async function generate(path: string): Promise<void> {
  const file = createWriteStream(path);
  let failed: Error | null = null;
  const zip = new Zip((err, data) => {
    if (err) failed = err;
    else file.write(data);
  });
  const drain = async (): Promise<void> => {
    if (file.writableNeedDrain) await once(file, 'drain');
  };
  const add = (name: string, text: string): void => {
    const entry = new ZipDeflate(name, { level: 6 });
    zip.add(entry);
    entry.push(strToU8(text), true);
  };
  add(
    '[Content_Types].xml',
    `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`,
  );
  add(
    '_rels/.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${NS_R}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  );
  add(
    'xl/workbook.xml',
    `<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="${NS}" xmlns:r="${NS_R}"><sheets><sheet name="订单" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  );
  add(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${NS_R}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${NS_R}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="${NS_R}/styles" Target="styles.xml"/></Relationships>`,
  );
  add(
    'xl/styles.xml',
    `<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="${NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts><fonts count="1"><font><sz val="11"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164" applyNumberFormat="1"/></cellXfs></styleSheet>`,
  );

  // Shared strings: one ID per row, 100k customer refs, the industries, 5k notes.
  const sst = new ZipDeflate('xl/sharedStrings.xml', { level: 6 });
  zip.add(sst);
  sst.push(strToU8(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="${NS}">`));
  const customers = Math.max(1, Math.floor(ROWS / 10));
  const pieces: string[] = [];
  const flushSst = async (last = false): Promise<void> => {
    sst.push(strToU8(pieces.join('') + (last ? '</sst>' : '')), last);
    pieces.length = 0;
    await drain();
  };
  for (let i = 0; i < ROWS; i++) {
    pieces.push(`<si><t>O2024${String(i).padStart(7, '0')}</t></si>`);
    if (pieces.length >= 20_000) await flushSst();
  }
  for (let i = 0; i < customers; i++) {
    pieces.push(`<si><t>E2024${String(i).padStart(6, '0')}</t></si>`);
    if (pieces.length >= 20_000) await flushSst();
  }
  for (const s of INDUSTRIES) pieces.push(`<si><t>${s}</t></si>`);
  for (let i = 0; i < NOTES; i++) {
    pieces.push(
      `<si><t xml:space="preserve">${escape(`第${i}条备注：客户要求 A&B 方案，预计下季度续约 `)}</t></si>`,
    );
  }
  await flushSst(true);
  const refBase = ROWS;
  const indBase = ROWS + customers;
  const noteBase = indBase + INDUSTRIES.length;

  const sheet = new ZipDeflate('xl/worksheets/sheet1.xml', { level: 6 });
  zip.add(sheet);
  const header = [
    '订单编号',
    '客户编号',
    '下单日期',
    '行业',
    '金额',
    '数量',
    '备注',
    '已付',
    '小计',
    '同步列',
  ]
    .map((h, c) => `<c r="${columnLetters(c)}1" t="inlineStr"><is><t>${h}</t></is></c>`)
    .join('');
  sheet.push(
    strToU8(
      `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="${NS}" xmlns:r="${NS_R}"><dimension ref="A1:J${ROWS + 1}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><cols><col min="3" max="3" width="12" style="1" customWidth="1"/></cols><sheetData><row r="1">${header}</row>`,
    ),
  );
  const rows: string[] = [];
  for (let i = 0; i < ROWS; i++) {
    const r = i + 2;
    rows.push(
      `<row r="${r}" spans="1:10"><c r="A${r}" t="s"><v>${i}</v></c><c r="B${r}" t="s"><v>${refBase + (i % customers)}</v></c><c r="C${r}" s="1"><v>${45000 + (i % 540)}</v></c><c r="D${r}" t="s"><v>${indBase + (i % INDUSTRIES.length)}</v></c><c r="E${r}"><v>${((i * 7919) % 100000) / 100}</v></c><c r="F${r}"><v>${1 + (i % 9)}</v></c><c r="G${r}" t="s"><v>${noteBase + (i % NOTES)}</v></c><c r="H${r}" t="b"><v>${i % 2}</v></c><c r="I${r}"><f>E${r}*F${r}</f><v>${(((i * 7919) % 100000) / 100) * (1 + (i % 9))}</v></c><c r="J${r}"><v>${i % 100}</v></c></row>`,
    );
    if (rows.length >= 5_000) {
      sheet.push(strToU8(rows.join('')));
      rows.length = 0;
      await drain();
    }
  }
  sheet.push(strToU8(`${rows.join('')}</sheetData></worksheet>`), true);
  zip.end();
  file.end();
  await once(file, 'finish');
  if (failed) throw failed;
}

async function main(): Promise<void> {
  await mkdir(OUT, { recursive: true });
  const src = join(OUT, `bench-${ROWS}.xlsx`);
  const dest = join(OUT, `bench-${ROWS}-patched.xlsx`);
  const exists = await access(src).then(
    () => true,
    () => false,
  );
  if (!(REUSE && exists)) {
    const gen = await timed(() => generate(src));
    console.log(`generated ${ROWS + 1} rows × ${COLS} cols in ${secs(gen.wall)}`);
  }
  const size = (await stat(src)).size;
  console.log(
    `workbook ${mb(size)}; load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on 2 cores`,
  );

  if (global.gc) global.gc();
  peakRss = process.memoryUsage.rss();
  const rssBefore = peakRss;
  const read = await timed(() => readWorkbook(src));
  let cells = 0;
  for (const s of read.value.sheets)
    for (const r of s.rows) for (const v of r.values) if (v !== null) cells++;
  const expectCells = ROWS * COLS + COLS;
  console.log(
    `read: ${cells.toLocaleString()} cells${cells === expectCells ? '' : ` (EXPECTED ${expectCells})`} in ${secs(read.wall)} wall, ${secs(read.cpu)} CPU = ${(cells / read.wall / 1000).toFixed(2)} M cells/s wall, ${(cells / read.cpu / 1000).toFixed(2)} M cells per CPU-s; peak RSS ${mb(peakRss)} (before ${mb(rssBefore)})`,
  );
  const lastRow = read.value.sheets[0]?.lastRow ?? 0;
  read.value.sheets.length = 0;
  if (global.gc) global.gc();

  // A sync-sized write: every 10th row's sync column, an ID in every 1000th row, and a
  // 10,000-row sync tab created.
  const patch: CellPatch[] = [];
  for (let r = 2; r <= lastRow; r += 10)
    patch.push({ row: r, col: 9, value: r % 97, numFmt: 'integer' });
  for (let r = 3; r <= lastRow; r += 1000) patch.push({ row: r, col: 0, value: `O2025${r}` });
  patch.sort((a, b) => a.row - b.row || a.col - b.col);
  const problems = Array.from({ length: 10_000 }, (_, i) => [
    '订单',
    i + 2,
    '金额',
    String(i),
    '金额应为数字',
    '错误',
  ]);
  peakRss = process.memoryUsage.rss();
  const written = await timed(() =>
    patchWorkbook(
      src,
      dest,
      {
        cells: { 订单: patch },
        replaceSheets: {
          数据问题: { rows: [['工作表', '行号', '列', '值', '问题', '级别'], ...problems] },
        },
      },
      { compressionLevel: LEVEL },
    ),
  );
  console.log(
    `patch (level ${LEVEL}): ${written.value.cellsWritten.toLocaleString()} cells, whole ${mb(size)} workbook rewritten in ${secs(written.wall)} wall, ${secs(written.cpu)} CPU; output ${mb(written.value.bytes)}; peak RSS ${mb(peakRss)}`,
  );

  const check = await timed(() => readWorkbook(dest));
  const sheet = check.value.sheets[0];
  const row12 = sheet?.rows.find((r) => r.row === 12);
  console.log(
    `re-read patched file in ${secs(check.wall)} wall, ${secs(check.cpu)} CPU: J12 = ${row12?.values[9]} (expect ${12 % 97}), sheets ${check.value.sheets.map((s) => s.name).join(', ')}`,
  );
  console.log(`max RSS over the run: ${mb(process.resourceUsage().maxRSS * 1024)}`);
  clearInterval(sampler);
  if (!KEEP) await rm(OUT, { recursive: true, force: true });
}

await main();
