/**
 * A sync's progress as people see it: the phase and percent runSync reports, the CLI's
 * one redrawn line on a terminal (only past two seconds, throttled, cleared at the end),
 * and the pages' status line text.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { percentOf, phaseReporter, type SyncProgress } from '../../sync-server/sync/progress.ts';
import { ProgressLine, progressText } from '../../sync-server/cli/progressLine.ts';
import { syncProgressText } from '../../addon/src/client/syncProgress.ts';
import { runSync } from '../../sync-server/sync/runSync.ts';
import { XlsxFileStore } from '../../sync-server/local/xlsxStore.ts';
import { initCommand } from '../../sync-server/cli/commands/init.ts';

describe('sync progress', () => {
  it('maps each phase onto its own span of the percent, in order, never reaching 100', () => {
    expect(percentOf('读取', 0)).toBe(0);
    expect(percentOf('读取', 1)).toBeLessThanOrEqual(percentOf('校验', 0));
    expect(percentOf('校验', 1)).toBeLessThanOrEqual(percentOf('计算', 0));
    expect(percentOf('计算', 1)).toBeLessThanOrEqual(percentOf('写入', 0));
    expect(percentOf('写入', 1)).toBe(99);
    expect(percentOf('写入', 7)).toBe(99);
    expect(percentOf('校验', Number.NaN)).toBe(percentOf('校验', 0));
  });

  it('reports only when the phase or the whole percent changes', () => {
    const heard: SyncProgress[] = [];
    const report = phaseReporter((p) => heard.push(p));
    report('读取', 0);
    report('读取', 0.001);
    report('读取', 0.5);
    report('读取', 0.5001);
    report('校验', 0);
    expect(heard).toEqual([
      { phase: '读取', percent: 0 },
      { phase: '读取', percent: 15 },
      { phase: '校验', percent: 30 },
    ]);
  });

  it('reports every phase in order through a real sync of a local workbook', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'crm-progress-'));
    try {
      const file = join(dir, 'crm.xlsx');
      const io = { stdout: () => {}, stderr: () => {}, env: {}, untilStopped: async () => {} };
      await initCommand.run(
        [file, '--sample', '40', '--seed', '3', '--now', '2026-11-20T10:00'],
        io,
      );
      const heard: SyncProgress[] = [];
      await runSync(new XlsxFileStore(file, { backups: 0 }), {
        source: '命令行',
        progress: (p) => heard.push(p),
      });
      const phases = [...new Set(heard.map((p) => p.phase))];
      expect(phases).toEqual(['读取', '校验', '计算', '写入']);
      const percents = heard.map((p) => p.percent);
      expect(percents).toEqual([...percents].sort((a, b) => a - b));
      expect(Math.max(...percents)).toBeGreaterThan(90);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the CLI progress line', () => {
  const clock = () => {
    let t = 0;
    return { now: () => t, at: (ms: number) => void (t = ms) };
  };

  it('stays silent for the first two seconds, then redraws one line in place and clears it', () => {
    const out: string[] = [];
    const c = clock();
    const line = new ProgressLine({ write: (s) => out.push(s), isTTY: true, now: c.now });
    line.update({ phase: '读取', percent: 10 });
    c.at(1999);
    line.update({ phase: '校验', percent: 31 });
    expect(out).toEqual([]);
    c.at(2000);
    line.update({ phase: '校验', percent: 32 });
    expect(out).toEqual(['\r同步中：校验 32%\x1b[K']);
    line.done();
    expect(out.at(-1)).toBe('\r\x1b[K');
  });

  it('redraws a phase at most every 250 ms, but a new phase at once', () => {
    const out: string[] = [];
    const c = clock();
    const line = new ProgressLine({ write: (s) => out.push(s), isTTY: true, now: c.now });
    c.at(3000);
    line.update({ phase: '读取', percent: 20 });
    c.at(3100);
    line.update({ phase: '读取', percent: 21 });
    c.at(3200);
    line.update({ phase: '校验', percent: 30 });
    c.at(3300);
    line.update({ phase: '校验', percent: 31 });
    c.at(3450);
    line.update({ phase: '校验', percent: 33 });
    expect(out.map((s) => s.replaceAll('\r', '').replaceAll('\x1b[K', ''))).toEqual([
      '同步中：读取 20%',
      '同步中：校验 30%',
      '同步中：校验 33%',
    ]);
  });

  it('writes nothing at all when stderr is not a terminal', () => {
    const out: string[] = [];
    const c = clock();
    const line = new ProgressLine({ write: (s) => out.push(s), isTTY: false, now: c.now });
    c.at(5000);
    line.update({ phase: '写入', percent: 80 });
    line.done();
    expect(out).toEqual([]);
  });

  it('says the phase and percent in one short line', () => {
    expect(progressText({ phase: '计算', percent: 61 })).toBe('同步中：计算 61%');
  });
});

describe('the pages’ status line', () => {
  const at = Date.parse('2026-11-20T02:00:10Z');
  const status = (startedAt: string) => ({
    running: true,
    progress: { phase: '写入', percent: 84, startedAt },
  });

  it('shows the phase and percent of a sync that has run over two seconds', () => {
    expect(syncProgressText(status('2026-11-20T02:00:05Z'), at)).toBe('正在同步：写入 84%');
  });

  it('shows nothing for a sync younger than two seconds, or none running', () => {
    expect(syncProgressText(status('2026-11-20T02:00:09Z'), at)).toBeNull();
    expect(syncProgressText({ running: false, progress: null }, at)).toBeNull();
  });
});
