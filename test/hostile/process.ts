/** The real `crm-sync` as a child process, with its wall time and peak memory (GNU time). */
import { spawn } from 'node:child_process';
import { BIN } from '../helpers/workbook.ts';

export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
  /** peak resident memory of the child, MiB */
  peakMiB: number;
}

export function measured(args: string[], timeoutMs: number): Promise<Measured> {
  const started = Date.now();
  return new Promise((ok, fail) => {
    const child = spawn('/usr/bin/time', ['-f', 'PEAK_KB=%M', 'node', BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`crm-sync ${args[0]} hung for over ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const peak = /PEAK_KB=(\d+)/.exec(stderr);
      ok({
        code: code ?? 1,
        stdout,
        stderr: stderr.replace(/.*PEAK_KB=\d+\n?/, ''),
        ms: Date.now() - started,
        peakMiB: peak ? Number(peak[1]) / 1024 : NaN,
      });
    });
  });
}
