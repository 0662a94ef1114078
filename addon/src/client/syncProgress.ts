/// <reference lib="dom" />
/**
 * The progress line of local mode's pages: while the service syncs, a small status line
 * at the foot of the page says the phase and percent (GET /api/status), so someone who
 * just saved a form sees why the computed columns are not there yet. It asks every
 * second while a sync runs and every few seconds otherwise; a sync over within two
 * seconds never shows. The add-on's sidebar has the 立即同步 dialog instead.
 */
import { h } from './dom.ts';
import type { Rpc, SyncStatusView } from './rpc.ts';

const BUSY_MS = 1000;
const IDLE_MS = 5000;
/** A sync shorter than this shows no line. */
const SHOW_AFTER_MS = 2000;

export function syncProgressText(status: SyncStatusView, nowMs: number): string | null {
  if (!status.running || !status.progress) return null;
  const started = Date.parse(status.progress.startedAt);
  if (Number.isFinite(started) && nowMs - started < SHOW_AFTER_MS) return null;
  return `正在同步：${status.progress.phase} ${status.progress.percent}%`;
}

export function mountSyncProgress(rpc: Pick<Rpc, 'transport' | 'syncStatus'>): void {
  const ask = rpc.syncStatus;
  if (rpc.transport !== 'http' || !ask) return;
  const line = h('p', { class: 'sync-progress', role: 'status', 'aria-live': 'polite' });
  line.hidden = true;
  document.body.append(line);
  const tick = async (): Promise<void> => {
    let delay = IDLE_MS;
    try {
      const status = await ask();
      const text = syncProgressText(status, Date.now());
      if (status.running) delay = BUSY_MS;
      line.hidden = text === null;
      if (text !== null && line.textContent !== text) line.textContent = text;
    } catch {
      // Signed out or the service is gone: the page says so where it matters.
      line.hidden = true;
      delay = IDLE_MS * 2;
    }
    setTimeout(() => void tick(), delay);
  };
  void tick();
}
