/**
 * The add-on's forms under the same role checks as the local service (docs/team.md): the
 * account's 用户 row says who acts and what they may do; a refusal writes nothing; the
 * search shows only what the role may see; a 我的待办 item opens its form prefilled.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import type { CustomerHit, SubmitResponse } from '../../shared/forms/api.ts';
import { built, type Built } from './build.ts';
import { teamAddon, teamSpreadsheet } from './team.ts';

let build: Built;

beforeAll(async () => {
  build = await built();
}, 60_000);

const followUp = (customerId: string, by = '') => ({
  customerId,
  time: '2024-06-14 09:30',
  method: '电话',
  content: '电话沟通',
  by,
});

function as(email: string) {
  const ss = teamSpreadsheet();
  const addon = teamAddon(build, email, ss);
  return {
    ss,
    addon,
    submit: (form: string, payload: object) =>
      addon.call('submitForm', form, payload) as SubmitResponse,
    search: (q: string) => addon.call('searchCustomers', q) as CustomerHit[],
    followUps: () => ss.sheet(T.FOLLOW_UPS.name).records(),
  };
}

describe('add-on forms and roles', () => {
  it("refuses a 销售 a follow-up on another rep's customer, writing nothing", () => {
    const s = as('zhangwei@example.com');
    const before = JSON.stringify(s.ss.dump());
    const reply = s.submit('follow-up', followUp('E20240003'));
    expect(reply.ok).toBe(false);
    expect(!reply.ok && reply.message).toMatch(
      /张伟（销售）不能.*客户 E20240003 的负责人是“李娜”，销售只能操作自己负责的客户/,
    );
    expect(JSON.stringify(s.ss.dump())).toBe(before);
  });

  it('writes the 销售 as 跟进人 of their own customer, whatever name the form sends', () => {
    const s = as('zhangwei@example.com');
    const reply = s.submit('follow-up', followUp('E20240001', '李娜'));
    expect(reply.ok).toBe(true);
    expect(s.followUps().at(-1)).toMatchObject({ 客户编号: 'E20240001', 跟进人: '张伟' });
  });

  it('lets a 经理 name another active person, and refuses a name not in 用户', () => {
    const s = as('huangzq@example.com');
    expect(s.submit('follow-up', followUp('E20240003', '李娜')).ok).toBe(true);
    expect(s.followUps().at(-1)).toMatchObject({ 客户编号: 'E20240003', 跟进人: '李娜' });
    const reply = s.submit('follow-up', followUp('E20240003', '王芳'));
    expect(reply).toMatchObject({
      ok: false,
      problems: { by: expect.stringMatching(/不是在职用户/) },
    });
  });

  it('refuses a 客服 a new customer, and unknown or 停用 accounts anything, naming the 管理员', () => {
    const service = as('dengchao@example.com').submit('new-customer', {
      kind: '企业',
      name: '上海新客户有限公司',
      owner: '邓超',
    });
    expect(!service.ok && service.message).toMatch(/^客服不能新建客户/);
    for (const email of ['stranger@example.org', 'wangfang@example.com']) {
      const s = as(email);
      const before = JSON.stringify(s.ss.dump());
      const reply = s.submit('follow-up', followUp('E20240001'));
      expect(!reply.ok && reply.message, email).toMatch(
        /请联系管理员 系统管理员（admin@example.com）/,
      );
      expect(JSON.stringify(s.ss.dump())).toBe(before);
    }
  });

  it('searches only the customers the role may see, phones as it may see them', () => {
    const rep = as('zhangwei@example.com').search('');
    expect(rep.map((h) => h.id).sort()).toEqual(['E20240001', 'P20240002']);
    expect(rep.find((h) => h.id === 'E20240001')!.phone).toBe('13812345601');
    const service = as('dengchao@example.com').search('E20240001');
    expect(service.map((h) => [h.id, h.phone])).toEqual([['E20240001', '138****5601']]);
  });

  it('opens a 我的待办 item’s form prefilled with its customer and row', () => {
    const s = as('zhangwei@example.com');
    s.addon.call('openFormFromWorklist', 'visit-record', 'E20240001', '');
    const page = s.addon.gas.ui.sidebars.at(-1)!;
    expect(page.getTitle()).toBe('填写回访记录');
    expect(page.getContent()).toMatch(
      /<body[^>]*data-form="visit-record"[^>]*data-customer="E20240001"/,
    );
    s.addon.call('openFormFromWorklist', 'handle-ticket', 'E20240003', 'T20240003');
    expect(s.addon.gas.ui.sidebars.at(-1)!.getContent()).toMatch(
      /data-customer="E20240003" data-ref="T20240003"/,
    );
    // Anything but an ID is dropped, not written into the page.
    s.addon.call('openFormFromWorklist', 'follow-up', '"><script>x</script>', '');
    expect(s.addon.gas.ui.sidebars.at(-1)!.getContent()).not.toMatch(/<body[^>]*data-customer/);
  });
});
