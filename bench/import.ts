/**
 * Import time and memory for a large CSV (default 100,000 rows, 5% duplicates, 3%
 * invalid) into a workbook of 50 customers, the way `crm-sync import` does it: read and
 * decode, plan (map, clean, check, dedupe), write through the store, then the sync.
 * Not a test: run it by hand.
 *
 *   node --import tsx bench/import.ts [--rows 100000] [--gbk]
 *
 * Peak memory is the process's maximum resident set size, as the kernel counts it.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { XlsxFileStore } from '../sync-server/local/xlsxStore.ts';
import { readSourceFile } from '../sync-server/import/source.ts';
import { runImport } from '../sync-server/import/run.ts';
import { runSync } from '../sync-server/sync/runSync.ts';
import { parseWallTime } from '../sync-server/cli/args.ts';
import { writeWorkbookWithRows } from '../sync-server/workbook/withRows.ts';
import {
  csvText,
  existingCustomers,
  gbk,
  generatedRows,
} from '../sync-server/workbook/sample/importFile.ts';

const args = process.argv.slice(2);
const i = args.indexOf('--rows');
const ROWS = i >= 0 ? Number(args[i + 1]) : 100_000;
const GBK = args.includes('--gbk');
const OUT = join(import.meta.dirname, 'out', 'import');
const now = (tz: string): number => parseWallTime('2025-12-31T10:00', tz)!;

let peakHeap = 0;
const sampler = setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 20);
const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

await rm(OUT, { recursive: true, force: true });
await mkdir(OUT, { recursive: true });
const book = join(OUT, 'crm.xlsx');
const src = join(OUT, GBK ? 'source-gbk.csv' : 'source.csv');
await writeWorkbookWithRows(book, { customers: existingCustomers() });
const text = csvText(generatedRows(ROWS));
await writeFile(src, GBK ? gbk(text) : text);

const cpu0 = process.cpuUsage();
const t0 = performance.now();
const source = await readSourceFile(src);
const t1 = performance.now();
const store = new XlsxFileStore(book, { backups: 0 });
const report = await runImport(store, source, { onDuplicate: 'skip', dryRun: false, now });
const t2 = performance.now();
const importRss = process.resourceUsage().maxRSS * 1024;
const importHeap = peakHeap;
const sync = await runSync(store, { source: '命令行', now });
const t3 = performance.now();
clearInterval(sampler);
const cpu = process.cpuUsage(cpu0);

const { plan } = report;
console.log(
  [
    `rows ${ROWS} (${GBK ? 'GBK' : 'UTF-8'} CSV, ${mb(Buffer.byteLength(text))})`,
    `outcome: added ${plan.added}, updated ${plan.updated}, skipped ${plan.skipped}, rejected ${plan.rejected}, cells ${plan.cells.length}`,
    `read+decode ${(t1 - t0).toFixed(0)} ms · plan+write ${(t2 - t1).toFixed(0)} ms · sync ${(t3 - t2).toFixed(0)} ms (read ${sync.timings.readMs}, validate ${sync.timings.validateMs}, compute ${sync.timings.computeMs}, write ${sync.timings.writeMs})`,
    `total ${(t3 - t0).toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, load ${loadavg()[0]!.toFixed(2)}`,
    `peak RSS: import ${mb(importRss)}, with the sync ${mb(process.resourceUsage().maxRSS * 1024)}; peak heap: import ${mb(importHeap)}, with the sync ${mb(peakHeap)}`,
  ].join('\n'),
);
