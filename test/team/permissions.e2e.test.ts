/**
 * docs/team.md's permission table over real HTTP: the team fixture served by `serve`, each
 * person signed in with their password. One test per row of the table; every refused
 * call is a 403 with a Chinese message and leaves the workbook byte-identical.
 */
import { readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTabs } from '../helpers/workbook.ts';
import { Client, signIn, startTeam, type Reply, type TeamServer } from './helpers.ts';

let team: TeamServer;
let url: string;
const as: Record<string, Client> = {};

beforeAll(async () => {
  team = await startTeam();
  url = team.running.url;
  for (const login of ['zhangwei', 'lina', 'dengchao', 'huangzq', 'admin']) {
    const r = await signIn(url, login);
    expect(r.status).toBe(200);
    as[login] = r.client;
  }
});

afterAll(async () => {
  await team?.running.close();
  if (team) await rm(team.dir, { recursive: true, force: true });
});

/** Runs a call that must be refused: 403, the contract's JSON, and not one byte written. */
async function refused(call: () => Promise<Reply>, message?: RegExp): Promise<void> {
  const before = await readFile(team.file);
  const reply = await call();
  expect(reply.status, JSON.stringify(reply.body)).toBe(403);
  expect(reply.body.error.code).toBe('forbidden');
  expect(reply.body.error.message).toMatch(/[\u4e00-\u9fff]/);
  if (message) expect(reply.body.error.message).toMatch(message);
  expect(Buffer.compare(before, await readFile(team.file))).toBe(0);
}

async function ok(call: () => Promise<Reply>): Promise<Reply> {
  const reply = await call();
  expect(reply.status, JSON.stringify(reply.body)).toBe(200);
  return reply;
}

const rowOf = async (tab: string, id: string, idHeader: string) => {
  const tabs = await readTabs(team.file);
  return [...tabs.get(tab)!.rows.values()].find((r) => r[idHeader] === id)!;
};

// Each new customer its own phone: a shared one would be refused as a possible duplicate.
let phones = 0;
const newCustomer = (name: string, owner: string) => ({
  kind: '企业',
  name,
  contact: '钱进',
  phone: `021-6666${8800 + phones++}`,
  industry: '物流',
  source: '展会推广',
  status: '潜在',
  intent: 'B',
  owner,
  createdDate: '2024-06-14',
});
const followUp = (customerId: string, by = '') => ({
  customerId,
  time: '2024-06-14 09:30',
  method: '电话',
  content: '电话沟通',
  by,
});
const ticket = (customerId: string) => ({
  customerId,
  type: '其他',
  description: '咨询开票',
  urgency: '低',
});
const visit = (customerId: string, by = '') => ({
  customerId,
  time: '2024-06-14 09:45',
  method: '电话',
  by,
  productSatisfaction: '好',
});

describe('who is calling', () => {
  it('answers 401 without a cookie or token, and the bearer token acts as 管理员', async () => {
    expect((await new Client(url).get('/api/me')).status).toBe(401);
    expect((await new Client(url, 'crm_session=forged').get('/api/worklist')).status).toBe(401);
    const token = new Client(url, null, team.running.token);
    expect((await token.get('/api/me')).body).toEqual({
      name: '系统管理员',
      login: 'admin',
      role: '管理员',
    });
    expect((await as.lina!.get('/api/me')).body).toEqual({
      name: '李娜',
      login: 'lina',
      role: '销售',
    });
  });

  it('sets the session cookie HttpOnly and SameSite=Strict, and refuses a wrong pair with 401', async () => {
    const r = await signIn(url, 'lina');
    const cookie = r.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^crm_session=[\w-]{40,};/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await signIn(url, 'lina', 'wrong-password')).status).toBe(401);
    expect((await signIn(url, 'nobody', 'whatever-1')).status).toBe(401);
  });

  it('refuses a 停用 person at sign-in with 403, writing nothing', async () => {
    await refused(async () => await signIn(url, 'wangfang'), /已停用/);
  });
});

describe('我的待办 over HTTP', () => {
  it('serves each person their own day for ?date=', async () => {
    const kinds = async (c: Client) =>
      (await ok(() => c.get('/api/worklist?date=2024-06-14'))).body.items.map(
        (i: { kind: string; customerId: string }) => `${i.kind} ${i.customerId}`,
      );
    expect(await kinds(as.zhangwei!)).toEqual([
      '首次回访 E20240001',
      '首次联系 P20240002',
      '投诉回访 E20240001',
      '流失挽回 E20240001',
    ]);
    expect(await kinds(as.dengchao!)).toEqual(['工单 P20240002', '工单 E20240003']);
    const reply = await as.lina!.get('/api/worklist?date=2024-06-14');
    expect(reply.body.person).toBe('李娜');
    expect(reply.body.date).toBe('2024-06-14');
    expect(reply.body.items[0]).toEqual({
      kind: '审核',
      customerId: 'E20240003',
      customerName: '宁波海川贸易有限公司',
      phone: '13812345603',
      due: '2024-06-12',
      overdueDays: 2,
      reason: '回访记录 V20240002 被 黄志强 于 2024-06-12 退回：未记录客户意见，请重新回访',
      form: 'visit-record',
      ref: 'V20240002',
      // the 服务策略 of the customer's 客户分层 (分层策略's default rows)
      strategy: expect.any(String),
    });
    expect((await as.lina!.get('/api/worklist?date=14-06-2024')).status).toBe(400);
  });

  it('pages a long day: the first items of each group, totals, and more of one group by offset', async () => {
    const page = async (q: string) =>
      (await ok(() => as.zhangwei!.get(`/api/worklist?date=2024-06-14&${q}`))).body;
    const first = await page('limit=1');
    expect(first.items.map((i: { kind: string }) => i.kind)).toEqual(['首次回访', '流失挽回']);
    expect(first.total).toEqual({ overdue: 3, today: 1 });
    expect(first.next).toEqual({ overdue: 1, today: null });
    const second = await page('group=overdue&offset=1&limit=1');
    expect(second.items.map((i: { kind: string }) => i.kind)).toEqual(['首次联系']);
    expect(second.next).toEqual({ overdue: 2, today: null });
    const rest = await page('group=overdue&offset=2&limit=5');
    expect(rest.items.map((i: { kind: string }) => i.kind)).toEqual(['投诉回访']);
    expect(rest.next.overdue).toBeNull();
    for (const bad of ['limit=0', 'limit=1001', 'limit=abc', 'group=later', 'offset=3'])
      expect((await as.zhangwei!.get(`/api/worklist?${bad}`)).status, bad).toBe(400);
  });
});

describe('the permission table', () => {
  it('see a customer: 销售 own only; 客服, 经理, 管理员 all', async () => {
    const ids = async (c: Client, q = '') =>
      (await ok(() => c.get(`/api/customers?q=${encodeURIComponent(q)}`))).body.customers
        .map((h: { id: string }) => h.id)
        .sort();
    expect(await ids(as.zhangwei!)).toEqual(['E20240001', 'P20240002']);
    expect(await ids(as.lina!)).toEqual(['E20240003']);
    expect(await ids(as.zhangwei!, 'E20240003')).toEqual([]);
    const all = ['E20240001', 'E20240003', 'E20240004', 'E20240005', 'P20240002'];
    expect(await ids(as.dengchao!)).toEqual(all);
    expect(await ids(as.huangzq!)).toEqual(all);
    expect(await ids(as.admin!)).toEqual(all);
  });

  it('see the full phone number: 销售 own, 客服 masked, 经理 and 管理员 all', async () => {
    const phone = async (c: Client, id: string) =>
      (await c.get(`/api/customers?q=${id}`)).body.customers[0].phone;
    expect(await phone(as.zhangwei!, 'E20240001')).toBe('13812345601');
    expect(await phone(as.dengchao!, 'E20240001')).toBe('138****5601');
    expect(await phone(as.huangzq!, 'E20240003')).toBe('13812345603');
    expect(await phone(as.admin!, 'E20240005')).toBe('13812345605');
    // A lead offered to 签约转正 carries its phone as the caller may see it.
    const lead = (await as.dengchao!.get('/api/forms/sign-contract/options')).status;
    expect(lead).toBe(403);
    const leads = (await ok(() => as.lina!.get('/api/forms/sign-contract/options'))).body.targets;
    expect(leads.map((t: { id: string }) => t.id)).toEqual(['E20240003']);
    expect(leads[0].record.phone).toBe('13812345603');
  });

  it('新建客户: 销售 as 负责人 themself, 客服 no, 经理 any 在职 负责人, 管理员 yes', async () => {
    const mine = await ok(() =>
      as.zhangwei!.post('/api/forms/new-customer', newCustomer('甲公司', '李娜')),
    );
    expect((await rowOf('客户', mine.body.id, '客户编号')).负责人).toBe('张伟');
    await refused(
      () => as.dengchao!.post('/api/forms/new-customer', newCustomer('乙公司', '邓超')),
      /客服不能新建客户/,
    );
    await refused(() => as.dengchao!.get('/api/forms/new-customer/options'));
    const assigned = await ok(() =>
      as.huangzq!.post('/api/forms/new-customer', newCustomer('丙公司', '李娜')),
    );
    expect((await rowOf('客户', assigned.body.id, '客户编号')).负责人).toBe('李娜');
    const before = await readFile(team.file);
    const disabled = await as.huangzq!.post(
      '/api/forms/new-customer',
      newCustomer('丁公司', '王芳'),
    );
    expect(disabled.status).toBe(422);
    expect(disabled.body.error.fields.owner).toMatch(/不是在职用户/);
    expect(Buffer.compare(before, await readFile(team.file))).toBe(0);
    await ok(() => as.admin!.post('/api/forms/new-customer', newCustomer('戊公司', '')));
  });

  it('edit a customer, 签约转正, 记录跟进: 销售 own, 客服 no, 经理 and 管理员 all', async () => {
    const own = await ok(() =>
      as.zhangwei!.post('/api/forms/follow-up', followUp('E20240001', '李娜')),
    );
    expect((await rowOf('跟进记录', own.body.id, '跟进编号')).跟进人).toBe('张伟');
    await refused(
      () => as.zhangwei!.post('/api/forms/follow-up', followUp('E20240003')),
      /负责人是“李娜”/,
    );
    await refused(() =>
      as.zhangwei!.post('/api/forms/sign-contract', {
        customerId: 'E20240003',
        signedDate: '2024-06-14',
      }),
    );
    await refused(() => as.dengchao!.post('/api/forms/follow-up', followUp('E20240001')));
    await ok(() => as.huangzq!.post('/api/forms/follow-up', followUp('E20240003')));
    const signed = await ok(() =>
      as.lina!.post('/api/forms/sign-contract', {
        customerId: 'E20240003',
        signedDate: '2024-06-14',
      }),
    );
    expect((await rowOf('客户', signed.body.id, '客户编号')).客户状态).toBe('正式');
    await ok(() => as.admin!.post('/api/forms/follow-up', followUp('E20240005')));
  });

  it('新建工单: 销售 for own customers, 客服, 经理 and 管理员 for all', async () => {
    await ok(() => as.zhangwei!.post('/api/forms/new-ticket', ticket('E20240001')));
    await refused(() => as.zhangwei!.post('/api/forms/new-ticket', ticket('E20240004')));
    await ok(() => as.dengchao!.post('/api/forms/new-ticket', ticket('E20240004')));
    await ok(() => as.huangzq!.post('/api/forms/new-ticket', ticket('E20240005')));
    await ok(() => as.admin!.post('/api/forms/new-ticket', ticket('E20240003')));
  });

  it('处理工单: 销售 no; 客服 their own or their department’s; 经理 and 管理员 all', async () => {
    const handle = (ticketId: string, handler = '') => ({ ticketId, handler, status: '处理中' });
    await refused(() => as.zhangwei!.post('/api/forms/handle-ticket', handle('T20240002')));
    await refused(() => as.zhangwei!.get('/api/forms/handle-ticket/options'));
    const offered = (await ok(() => as.dengchao!.get('/api/forms/handle-ticket/options'))).body
      .targets;
    expect(offered.map((t: { id: string }) => t.id).sort()).toContain('T20240002');
    expect(offered.map((t: { id: string }) => t.id)).not.toContain('T20240004');
    await ok(() => as.dengchao!.post('/api/forms/handle-ticket', handle('T20240003')));
    const dept = await ok(() =>
      as.dengchao!.post('/api/forms/handle-ticket', handle('T20240002', '许婷')),
    );
    expect((await rowOf('工单', dept.body.id, '工单编号')).处理人).toBe('邓超');
    await refused(
      () => as.dengchao!.post('/api/forms/handle-ticket', handle('T20240004')),
      /财务部/,
    );
    // A 经理 may name another 在职 person as 处理人, and only such a person.
    const named = await as.huangzq!.post('/api/forms/handle-ticket', handle('T20240004', '许婷'));
    expect(named.status).toBe(422);
    const reassigned = await ok(() =>
      as.huangzq!.post('/api/forms/handle-ticket', handle('T20240004', '邓超')),
    );
    expect((await rowOf('工单', reassigned.body.id, '工单编号')).处理人).toBe('邓超');
  });

  it('填写回访记录: 销售 own, 客服, 经理 and 管理员 all', async () => {
    const own = await ok(() =>
      as.zhangwei!.post('/api/forms/visit-record', visit('E20240001', '黄志强')),
    );
    expect((await rowOf('回访记录', own.body.id, '回访编号')).回访人).toBe('张伟');
    await refused(() => as.zhangwei!.post('/api/forms/visit-record', visit('E20240004')));
    await ok(() => as.dengchao!.post('/api/forms/visit-record', visit('E20240004')));
    await ok(() => as.huangzq!.post('/api/forms/visit-record', visit('E20240003')));
    await ok(() => as.admin!.post('/api/forms/visit-record', visit('E20240005')));
  });

  it('审核回访记录 (通过 or 退回): 经理 and 管理员 only', async () => {
    const review = { visitId: 'V20240001', reviewResult: '通过', reviewComment: '' };
    await refused(
      () => as.zhangwei!.post('/api/forms/review-visit', review),
      /销售不能审核回访记录/,
    );
    await refused(() => as.dengchao!.post('/api/forms/review-visit', review));
    await refused(() => as.zhangwei!.get('/api/forms/review-visit/options'));
    const approved = await ok(() => as.huangzq!.post('/api/forms/review-visit', review));
    expect(await rowOf('回访记录', approved.body.id, '回访编号')).toMatchObject({
      审核人: '黄志强',
      审核结果: '通过',
    });
    // A send-back must say why.
    const pending = (await ok(() => as.admin!.get('/api/forms/review-visit/options'))).body.targets;
    const id = pending[0].id as string;
    const missing = await as.admin!.post('/api/forms/review-visit', {
      visitId: id,
      reviewResult: '退回',
    });
    expect(missing.status).toBe(422);
    const back = await ok(() =>
      as.admin!.post('/api/forms/review-visit', {
        visitId: id,
        reviewResult: '退回',
        reviewComment: '请补充客户意见',
      }),
    );
    expect(await rowOf('回访记录', back.body.id, '回访编号')).toMatchObject({
      审核人: '系统管理员',
      审核结果: '退回',
      审核意见: '请补充客户意见',
    });
  });

  it('import, dedupe, reports export: 经理 and 管理员 only', async () => {
    const csv =
      '客户名称,客户类型,联系人,联系电话,所属行业,客户来源,客户状态,意向等级,负责人,建档日期\n己公司,企业,张三,13900001234,物流,转介绍,潜在,B,李娜,2024-06-14\n';
    const upload = (c: Client) =>
      fetch(`${url}/api/import?dryRun=1`, {
        method: 'POST',
        headers: {
          cookie: (c as unknown as { cookie: string }).cookie,
          'content-type': 'text/csv',
        },
        body: csv,
      }).then(async (res) => ({
        status: res.status,
        body: await res.json(),
        headers: res.headers,
      }));
    await refused(() => upload(as.zhangwei!), /销售不能批量导入/);
    await refused(() => upload(as.dengchao!));
    const dry = await ok(() => upload(as.huangzq!));
    expect(dry.body.added).toBe(1);
    // Without a 建档日期, the service's clock (2024-06-14) gives the ID its year, as for a form.
    const undated = await fetch(`${url}/api/import?dryRun=1`, {
      method: 'POST',
      headers: {
        cookie: (as.huangzq as unknown as { cookie: string }).cookie,
        'content-type': 'text/csv',
      },
      body: csv.replace(',建档日期', '').replace(',2024-06-14', ''),
    }).then((res) => res.json());
    expect(undated.rows[0].id).toMatch(/^E2024\d{4}$/);
  });

  it('keeps one 操作日志 row per accepted write, naming who and what changed', async () => {
    const log = [...(await readTabs(team.file)).get('操作日志')!.rows.values()];
    // Every accepted form write above, and none of the refused ones.
    expect(log.length).toBe(20);
    expect(log.map((r) => r.操作人)).not.toContain('本机');
    const first = log[0]!;
    expect(first).toMatchObject({ 操作人: '张伟', 操作: '新建', 工作表: '客户' });
    expect(String(first.变更)).toContain('负责人: （空） → 张伟');
    const review = log.find((r) => r.操作 === '审核' && r.操作人 === '黄志强')!;
    expect(String(review.变更)).toContain('审核人: （空） → 黄志强');
    const handled = log.find((r) => r.编号 === 'T20240002')!;
    expect(handled).toMatchObject({ 操作人: '邓超', 操作: '修改' });
    expect(String(handled.变更)).toContain('状态: 新建 → 处理中');
  });
});

describe('sessions and secrets', () => {
  it('signs out: the cookie is refused afterwards', async () => {
    const r = await signIn(url, 'lina');
    expect((await r.client.get('/api/me')).status).toBe(200);
    expect((await r.client.call('DELETE', '/api/session')).status).toBe(204);
    expect((await r.client.get('/api/me')).status).toBe(401);
  });

  it('locks a login for 15 minutes after 5 wrong passwords (429), then lets it in', async () => {
    for (let i = 0; i < 5; i++)
      expect((await signIn(url, 'zhangwei', `wrong-${i}-pass`)).status).toBe(401);
    const locked = await signIn(url, 'zhangwei');
    expect(locked.status).toBe(429);
    expect(locked.body.error.message).toMatch(/已锁定/);
    team.clock.ms += 14 * 60_000;
    expect((await signIn(url, 'zhangwei')).status).toBe(429);
    team.clock.ms += 61_000;
    expect((await signIn(url, 'zhangwei')).status).toBe(200);
    // Another login was never locked.
    expect((await signIn(url, 'lina')).status).toBe(200);
  });

  it('ends a session idle longer than 会话超时(分钟) = 480', async () => {
    const r = await signIn(url, 'lina');
    team.clock.ms += 479 * 60_000;
    expect((await r.client.get('/api/me')).status).toBe(200);
    team.clock.ms += 481 * 60_000;
    expect((await r.client.get('/api/me')).status).toBe(401);
  });

  it('keeps .crm-token and the password file 0600, and no password hash in the workbook', async () => {
    const dir = team.dir;
    expect((await stat(join(dir, '.crm-token'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, '.crm-passwords.json'))).mode & 0o777).toBe(0o600);
    const hashes = JSON.parse(await readFile(join(dir, '.crm-passwords.json'), 'utf8')).users;
    const tabs = await readTabs(team.file);
    const everything = JSON.stringify([...tabs.values()].map((t) => t.grid));
    for (const entry of Object.values(hashes) as { hash: string; salt: string }[]) {
      expect(everything).not.toContain(entry.hash);
      expect(everything).not.toContain(entry.salt);
    }
  });
});
