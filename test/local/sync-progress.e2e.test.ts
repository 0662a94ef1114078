/**
 * A sync of a workbook large enough to take a while shows its phase and percent on
 * /api/status while it runs, and nothing once it is over.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type Running } from '../../sync-server/cli/commands/serve.ts';

let dir: string;
let running: Running;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-progress-'));
  running = await serve({
    workbook: join(dir, 'crm.xlsx'),
    port: 0,
    host: '127.0.0.1',
    sampleIfMissing: 3000,
    user: '李明',
    log: () => {},
  });
});

afterAll(async () => {
  await running?.close();
  await rm(dir, { recursive: true, force: true });
});

interface Status {
  running: boolean;
  progress: { phase: string; percent: number; startedAt: string } | null;
}

describe('/api/status during a sync', () => {
  it('names the running sync’s phase and percent and when it started, then clears them', async () => {
    const auth = { Authorization: `Bearer ${running.token}` };
    const status = async (): Promise<Status> =>
      (await fetch(`${running.url}/api/status`, { headers: auth })).json() as Promise<Status>;
    expect((await status()).progress).toBeNull();

    const before = Date.now();
    let done = false;
    const sync = fetch(`${running.url}/api/sync`, { method: 'POST', headers: auth }).then(
      async (r) => {
        done = true;
        return r.status;
      },
    );
    const seen: NonNullable<Status['progress']>[] = [];
    while (!done) {
      const s = await status();
      if (s.progress) {
        expect(s.running).toBe(true);
        seen.push(s.progress);
      }
      await new Promise((ok) => setTimeout(ok, 20));
    }
    expect(await sync).toBe(200);
    expect(seen.length).toBeGreaterThan(0);
    for (const p of seen) {
      expect(['读取', '校验', '计算', '写入']).toContain(p.phase);
      expect(p.percent).toBeGreaterThanOrEqual(0);
      expect(p.percent).toBeLessThan(100);
      expect(Date.parse(p.startedAt)).toBeGreaterThanOrEqual(before - 1000);
    }
    const after = await status();
    expect(after.running).toBe(false);
    expect(after.progress).toBeNull();
  });
});
