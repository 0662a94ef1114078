/**
 * 立即同步 and 设置 in the bundle, against a fake sync service reached through a fake
 * UrlFetchApp: the sync is started with one request and followed by short ones, so no
 * execution waits for it; a missing ID token is asked for, never sent as "null".
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZATION_REQUIRED, BUTTONS } from './fakes/services.ts';
import { FakeSpreadsheet } from './fakes/spreadsheet.ts';
import { built, SERVICE_URL, type Built } from './build.ts';
import { env as makeEnv, type Env } from './env.ts';
import { fakeService } from './service.ts';

let build: Built;

beforeAll(async () => {
  build = await built();
}, 60_000);

const env = (ss?: FakeSpreadsheet) => makeEnv(build, ss);

type Status = { state: string; finished: boolean; ok: boolean; message: string };

/** What the dialog does: ask until the answer says the sync has ended. */
function follow(e: Env, limit = 10): Status[] {
  const seen: Status[] = [];
  for (let i = 0; i < limit; i++) {
    const s = e.call<Status>('syncStatus');
    seen.push(s);
    if (s.finished) break;
  }
  return seen;
}

describe('立即同步', () => {
  it('starts the sync with one request and opens the dialog that follows it', () => {
    const e = env();
    e.call('syncNow');
    expect(e.urlFetch.requests).toEqual([
      {
        url: `${SERVICE_URL}/api/sync`,
        method: 'post',
        contentType: 'application/json',
        payload: JSON.stringify({ spreadsheetId: e.ss.id }),
        headers: { Authorization: `Bearer ${e.idToken}` },
        muteHttpExceptions: true,
      },
    ]);
    expect(e.ss.toasts.at(-1)).toEqual({ title: '立即同步', message: '同步已排队，等待开始…' });
    expect(e.ui.dialogs.map((d) => [d.page.file, d.title])).toEqual([['sync-status', '立即同步']]);
    expect(e.ui.dialogs[0]!.page.getContent()).toContain('syncStatus');
    expect(e.ui.alerts).toEqual([]);
  });

  it('follows the job with one GET per look until it is done', () => {
    const e = env();
    e.service.steps = 3;
    e.call('syncNow');
    const seen = follow(e);
    expect(seen.map((s) => s.state)).toEqual(['queued', 'running', 'running', 'done']);
    expect(seen.at(-1)).toEqual({
      job: 'job-1',
      state: 'done',
      finished: true,
      ok: true,
      message: '同步完成：读取 42 行，写入 7 个单元格，错误 0 个，警告 1 个，用时 1.2 秒',
    });
    expect(e.urlFetch.requests.slice(1).map((r) => [r.method, r.url, r.headers])).toEqual(
      seen.map(() => [
        'get',
        `${SERVICE_URL}/api/sync/job-1`,
        { Authorization: `Bearer ${e.idToken}` },
      ]),
    );
  });

  it('says so when the sync fails, in the service’s words', () => {
    const e = env();
    e.service.outcome = { kind: 'failed', code: 'sheets_unreachable', message: '无法访问表格' };
    e.call('syncNow');
    expect(follow(e).at(-1)).toMatchObject({
      state: 'failed',
      finished: true,
      ok: false,
      message: '同步失败：无法访问表格',
    });
  });

  it('stops following a job the service no longer knows', () => {
    const e = env();
    e.call('syncNow');
    e.service.jobs.clear();
    expect(e.call<Status>('syncStatus')).toMatchObject({
      finished: true,
      ok: false,
      message: expect.stringMatching(/找不到这次同步.*重新点击/),
    });
  });

  it('keeps asking after a dropped connection', () => {
    const e = env();
    e.call('syncNow');
    const handler = e.service.handler;
    e.urlFetch.handler = () => {
      throw new Error('Exception: Timeout');
    };
    expect(e.call<Status>('syncStatus')).toMatchObject({ finished: false, ok: false });
    e.urlFetch.handler = handler;
    expect(follow(e).at(-1)).toMatchObject({ state: 'done', ok: true });
  });

  it("shows the service's refusal and opens no dialog", () => {
    const e = env(new FakeSpreadsheet('1AnotherSpreadsheet_xyz'));
    e.urlFetch.handler = fakeService(SERVICE_URL, e.idToken, ['1OnlyThisOne_abcdefgh']).handler;
    e.call('syncNow');
    expect(e.ui.alerts).toEqual([
      { title: '同步未开始', prompt: '本服务没有配置这个表格，请联系管理员' },
    ]);
    expect(e.ui.dialogs).toEqual([]);
  });

  it('asks for the openid scope when there is no ID token, and never sends "Bearer null"', () => {
    const e = env();
    e.identity.token = null;
    // Apps Script shows the consent screen and ends the run.
    expect(() => e.call('syncNow')).toThrow(AUTHORIZATION_REQUIRED);
    expect(e.identity.requested).toEqual([
      { mode: 'FULL', scopes: ['openid', 'https://www.googleapis.com/auth/userinfo.email'] },
    ]);
    expect(e.urlFetch.requests).toEqual([]);

    // Consent given: the token is there on the next try.
    e.identity.onRequire = 'grant';
    e.call('syncNow');
    expect(e.urlFetch.requests.map((r) => r.headers.Authorization)).toEqual([
      `Bearer ${e.idToken}`,
    ]);
  });

  it('tells the person what to do when consent gives no token either', () => {
    const e = env();
    e.identity.token = null;
    e.identity.onRequire = 'nothing';
    e.call('syncNow');
    expect(e.urlFetch.requests).toEqual([]);
    expect(e.ui.alerts).toEqual([
      { title: '同步未开始', prompt: expect.stringMatching(/身份令牌.*重新授权/) },
    ]);
    e.properties.setProperty('CRM_SYNC_JOB', 'job-7');
    expect(e.call<Status>('syncStatus')).toMatchObject({ finished: true, ok: false });
    expect(e.urlFetch.requests).toEqual([]);
  });
});

describe('设置', () => {
  it('keeps a service URL only when it is https, allowed and answers /healthz', () => {
    const e = env();
    e.ui.answers.push(
      { text: 'http://crm-sync.test.example.com', button: BUTTONS.OK },
      { text: 'https://elsewhere.example.com', button: BUTTONS.OK },
      { text: ` ${SERVICE_URL}/ `, button: BUTTONS.OK },
    );
    e.call('openSettings');
    e.call('openSettings');
    expect(e.urlFetch.requests).toEqual([]);
    expect(e.properties.store.size).toBe(0);
    e.call('openSettings');
    expect(e.urlFetch.requests.map((r) => [r.method, r.url])).toEqual([
      ['get', `${SERVICE_URL}/healthz`],
    ]);
    expect(e.properties.getProperty('CRM_SERVICE_URL')).toBe(SERVICE_URL);
    const answers = e.ui.alerts.filter((a) => a.title !== '设置');
    expect(answers.map((a) => a.title)).toEqual(['设置未保存', '设置未保存', '设置已保存']);
    expect(answers[0]!.prompt).toMatch(/https:\/\//);
    expect(answers[1]!.prompt).toMatch(/CRM_SERVICE_URL/);

    e.service.handler = () => ({ status: 502, body: '<html>Bad gateway</html>' });
    expect(e.call('saveSettings', SERVICE_URL + '/sync')).toEqual({
      ok: false,
      message: expect.stringMatching(/HTTP 502.*未保存/),
    });
  });

  it('matches the host without regard to case', () => {
    const e = env();
    const upper = SERVICE_URL.replace('crm-sync.test', 'CRM-Sync.Test');
    expect(e.call('saveSettings', upper)).toMatchObject({ ok: true });
    expect(e.properties.getProperty('CRM_SERVICE_URL')).toBe(SERVICE_URL);
  });
});
