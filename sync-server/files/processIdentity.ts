/**
 * Who holds a lock, so that a lock can outlive neither its process nor a restart. A PID
 * alone is not an identity: after a container restart the new service is PID 1 again,
 * and any PID is reused in time. The kernel's start time of the process (and the boot it
 * belongs to) tells the holder from a later process that happens to have its number.
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { processAlive } from './processAlive.ts';

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** `<boot id>/<start time in clock ticks>` of a running process, or null where unknown. */
export function processStart(pid: number): string | null {
  const stat = readText(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name may hold spaces and parentheses: fields count from the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const start = fields[19];
  if (!start) return null;
  const boot = readText('/proc/sys/kernel/random/boot_id')?.trim() ?? '';
  return `${boot}/${start}`;
}

export interface Holder {
  pid: number;
  start: string | null;
  host: string | null;
}

/** The lines a lock file holds for this process. */
export function holderLines(): string {
  const start = processStart(process.pid);
  return (
    `${process.pid}\n${new Date().toISOString()}\n` +
    `host=${hostname()}\n${start ? `start=${start}\n` : ''}`
  );
}

export function parseHolder(text: string): Holder | null {
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const field = (key: string): string | null =>
    lines.find((l) => l.startsWith(key + '='))?.slice(key.length + 1) ?? null;
  return { pid, start: field('start'), host: field('host') };
}

/**
 * True when the holder is certainly gone: its PID is free, or now belongs to another
 * process (a different start), or is this very process (which holds no lock it is
 * waiting for). A holder on another host (a shared folder) is assumed alive.
 */
export function holderGone(holder: Holder): boolean {
  if (holder.host !== null && holder.host !== hostname()) return false;
  if (holder.pid === process.pid) return true;
  if (!processAlive(holder.pid)) return true;
  if (holder.start === null) return false;
  const now = processStart(holder.pid);
  return now !== null && now !== holder.start;
}
