/** 导出报表 over real HTTP: a 经理 downloads the report, a 销售 or 客服 is refused with 403. */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTabs } from '../helpers/workbook.ts';
import { signIn, startTeam, type TeamServer } from './helpers.ts';

let team: TeamServer;

beforeAll(async () => {
  team = await startTeam();
}, 60_000);

afterAll(async () => {
  await team?.running.close();
  if (team) await rm(team.dir, { recursive: true, force: true });
});

describe('GET /api/report', () => {
  it('gives a 经理 the report as an xlsx download, phones masked, the workbook untouched', async () => {
    const { client } = await signIn(team.running.url, 'huangzq');
    const before = await readFile(team.file);
    const res = await fetch(`${team.running.url}/api/report?format=xlsx`, {
      headers: { cookie: client.cookie! },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    expect(res.headers.get('content-disposition')).toContain(
      `filename*=UTF-8''${encodeURIComponent('销售报表-')}`,
    );
    const file = join(team.dir, 'download.xlsx');
    await writeFile(file, Buffer.from(await res.arrayBuffer()));
    const tabs = await readTabs(file);
    expect([...tabs.keys()]).toEqual(['报表', '销售分析', '指标历史', '回访计划']);
    for (const tab of tabs.values())
      for (const row of tab.grid)
        expect(JSON.stringify(row ?? [])).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
    expect(Buffer.compare(before, await readFile(team.file))).toBe(0);
  }, 60_000);

  it.each(['zhangwei', 'dengchao'])(
    'refuses %s (销售 / 客服) with 403 and a reason',
    async (login) => {
      const { client } = await signIn(team.running.url, login);
      const reply = await client.get('/api/report?format=pdf');
      expect(reply.status).toBe(403);
      expect(reply.body.error.code).toBe('forbidden');
      expect(reply.body.error.message).toMatch(/导出报表/);
    },
  );

  it('says what format it expects', async () => {
    const { client } = await signIn(team.running.url, 'admin');
    const reply = await client.get('/api/report?format=docx');
    expect(reply.status).toBe(400);
    expect(reply.body.error.message).toContain('pdf 或 xlsx');
  });
});
