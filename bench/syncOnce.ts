/**
 * One timed sync of a workbook as `crm-sync sync` runs it, in its own process so that its
 * peak memory is its own. Prints one JSON line: the summary with phase timings, the CPU
 * time, and the peak resident set size, overall and as it stood at the end of each phase.
 */
import { XlsxFileStore } from '../sync-server/local/xlsxStore.ts';
import { runSync } from '../sync-server/sync/runSync.ts';
import { parseWallTime } from '../sync-server/cli/args.ts';
import { collectEagerly } from '../sync-server/cli/coldSyncHeap.ts';
import type { SyncPhase } from '../sync-server/sync/progress.ts';

const [file, nowText] = process.argv.slice(2);
if (!file || !nowText) throw new Error('usage: syncOnce.ts <file.xlsx> <now>');
const maxRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
const peakRssByPhaseMb: Partial<Record<SyncPhase, number>> = {};
let phase = null as SyncPhase | null;
const cpu = process.cpuUsage();
collectEagerly();
const summary = await runSync(new XlsxFileStore(file, { backups: 0 }), {
  source: '命令行',
  now: (tz) => parseWallTime(nowText, tz)!,
  progress: (p) => {
    if (phase && p.phase !== phase) peakRssByPhaseMb[phase] = maxRssMb();
    phase = p.phase;
  },
});
if (phase) peakRssByPhaseMb[phase] = maxRssMb();
const used = process.cpuUsage(cpu);
process.stdout.write(
  JSON.stringify({
    ...summary,
    cpuMs: Math.round((used.user + used.system) / 1000),
    peakRssMb: maxRssMb(),
    peakRssByPhaseMb,
  }) + '\n',
);
