/**
 * One timed sync of a workbook, in its own process so that its peak memory is its own.
 * Prints one JSON line: the summary with phase timings and the peak resident set size.
 */
import { XlsxFileStore } from '../sync-server/local/xlsxStore.ts';
import { runSync } from '../sync-server/sync/runSync.ts';
import { parseWallTime } from '../sync-server/cli/args.ts';

const [file, nowText] = process.argv.slice(2);
if (!file || !nowText) throw new Error('usage: syncOnce.ts <file.xlsx> <now>');
const summary = await runSync(new XlsxFileStore(file, { backups: 0 }), {
  source: '命令行',
  now: (tz) => parseWallTime(nowText, tz)!,
});
const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
const cpu = process.cpuUsage();
const cpuMs = Math.round((cpu.user + cpu.system) / 1000);
process.stdout.write(JSON.stringify({ ...summary, peakRssMb, cpuMs }) + '\n');
