/// <reference lib="dom" />
/**
 * The 立即同步 dialog: asks the add-on how the sync is doing every few seconds until it
 * ends. Each question is one short server call, so however long the sync runs, no
 * Apps Script execution waits for it.
 */

/** What the add-on's syncStatus() answers (addon/src/server/sync.ts). */
interface SyncStatus {
  state: string;
  finished: boolean;
  ok: boolean;
  message: string;
}

interface Runner {
  withSuccessHandler(fn: (value: SyncStatus) => void): Runner;
  withFailureHandler(fn: (error: unknown) => void): Runner;
  syncStatus(): void;
}

interface Host {
  google?: { script?: { run?: Runner; host?: { close(): void } } };
}

const POLL_MS = 3000;
/** Failed calls in a row before the dialog stops asking. */
const MAX_FAILURES = 5;

function start(): void {
  const google = (globalThis as Host).google?.script;
  const status = document.getElementById('status')!;
  const close = document.getElementById('close') as HTMLButtonElement;
  close.addEventListener('click', () => google?.host?.close());
  if (!google?.run) {
    status.textContent = '请在表格中通过“客户管理 → 立即同步”打开本窗口';
    return;
  }
  const run = google.run;
  let failures = 0;
  const show = (text: string, kind: 'busy' | 'ok' | 'error') => {
    status.textContent = text;
    status.dataset.state = kind;
  };
  const ask = (): void => {
    run
      .withSuccessHandler((s) => {
        failures = 0;
        if (!s.finished) {
          show(s.message, 'busy');
          setTimeout(ask, POLL_MS);
          return;
        }
        show(s.message, s.ok ? 'ok' : 'error');
        close.textContent = '关闭';
      })
      .withFailureHandler((e) => {
        failures += 1;
        const message = e instanceof Error ? e.message : String(e);
        if (failures >= MAX_FAILURES) {
          show(
            `无法获取同步进度：${message}。同步仍在服务中进行，稍后可查看“同步日志”工作表`,
            'error',
          );
          return;
        }
        setTimeout(ask, POLL_MS * (failures + 1));
      })
      .syncStatus();
  };
  ask();
}

start();
