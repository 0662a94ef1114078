/**
 * 我的待办 of each person of the team fixture on 2024-06-14 10:00, from the workbook as
 * written (read back, validated and computed like a sync), against lists worked out by
 * hand. No holidays: 2024-06-08 is a Saturday, so a date falling there moves to Monday
 * 06-10.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byName } from '../../shared/users.ts';
import { worklistFor, type WorkItem, type WorkSource } from '../../shared/worklist.ts';
import { NOW } from './fixture.ts';
import { teamDay, type TeamDay } from './teamDay.ts';

let day: TeamDay;
let source: WorkSource;
let people: TeamDay['people'];

beforeAll(async () => {
  day = await teamDay();
  ({ source, people } = day);
});

afterAll(() => day.close());

type Short = [
  kind: string,
  customer: string,
  due: string,
  overdue: number,
  form: string,
  ref: string,
];
const short = (items: WorkItem[]): Short[] =>
  items.map((i) => [i.kind, i.customerId, i.due, i.overdueDays, i.form, i.ref]);
const listOf = (name: string) => worklistFor(source, byName(people, name)!, NOW);

describe('我的待办 on 2024-06-14', () => {
  it('张伟 (销售): every due candidate of his two customers, by date then candidate order', () => {
    // E20240001 signed 06-01: 首次回访 06-01 + 7 = Sat 06-08 → Mon 06-10.
    // P20240002 lead A created 06-05: 首次联系 06-05 + 3 = Sat 06-08 → Mon 06-10; on the
    //   same day 首次回访 comes before 首次联系 in the candidate order.
    // T20240001 resolved 06-11 with no valid visit since: 投诉回访 06-11 + 1 = 06-12.
    // E20240001 health: A 0 (V20240001 is not reviewed, so not valid), R 0, S 100, one
    //   complaint C 25 → (20·100 + 20·75) / 100 = 35 → 风险 → 流失挽回 today.
    const list = listOf('张伟');
    expect(list.person).toBe('张伟');
    expect(list.date).toBe('2024-06-14');
    expect(short(list.items)).toEqual([
      ['首次回访', 'E20240001', '2024-06-10', 4, 'visit-record', ''],
      ['首次联系', 'P20240002', '2024-06-10', 4, 'follow-up', ''],
      ['投诉回访', 'E20240001', '2024-06-12', 2, 'visit-record', ''],
      ['流失挽回', 'E20240001', '2024-06-14', 0, 'visit-record', ''],
    ]);
    expect(list.items.map((i) => i.reason)).toEqual([
      '签约后首次回访（签约日期 2024-06-01）',
      '新线索首次联系（建档日期 2024-06-05，意向等级 A）',
      '工单 T20240001 已解决，需回访',
      '流失预警：健康度风险',
    ]);
    // His own customers: phones in full.
    expect(list.items[0]!.phone).toBe('13812345601');
    expect(list.items[0]!.customerName).toBe('杭州云帆科技有限公司');
  });

  it('李娜 (销售): the visit sent back to her, then her follow-up plan', () => {
    // V20240002 退回 by 黄志强 on 06-12 → due 06-12; G20240001 计划日期 06-13 → 跟进计划;
    // 定期跟进 06-03 + 14 = 06-17 is not due yet.
    const list = listOf('李娜');
    expect(short(list.items)).toEqual([
      ['审核', 'E20240003', '2024-06-12', 2, 'visit-record', 'V20240002'],
      ['跟进计划', 'E20240003', '2024-06-13', 1, 'follow-up', ''],
    ]);
    expect(list.items[0]!.reason).toBe(
      '回访记录 V20240002 被 黄志强 于 2024-06-12 退回：未记录客户意见，请重新回访',
    );
  });

  it('邓超 (客服, 客服部): open tickets he handles or his department holds, with SLA flags', () => {
    // T20240003 高, 48 h from 06-10 09:00 → deadline 06-12 09:00: past → 超时 (his own).
    // T20240002 中, 24 h from 06-13 14:00 → 06-14 14:00: 4 h left ≤ 工单预警 4 h → 即将超时.
    // T20240001 is resolved; T20240004 belongs to 财务部 and 许婷.
    const list = listOf('邓超');
    expect(short(list.items)).toEqual([
      ['工单', 'P20240002', '2024-06-12', 2, 'handle-ticket', 'T20240003'],
      ['工单', 'E20240003', '2024-06-14', 0, 'handle-ticket', 'T20240002'],
    ]);
    expect(list.items.map((i) => i.flag)).toEqual(['超时', '即将超时']);
    // 客服 see phones masked.
    expect(list.items[0]!.phone).toBe('138****5602');
  });

  it('黄志强 (经理): his own customer, the review waiting, and every 超时 ticket', () => {
    // E20240004 signed 06-05: 首次回访 06-12; health (20·100 + 20·100) / 100 = 40 → 风险 →
    // 流失挽回 today. V20240001 waits for review (due 06-13). T20240003 is 超时 (06-12).
    // On 06-12 the callback comes before the ticket.
    const list = listOf('黄志强');
    expect(short(list.items)).toEqual([
      ['首次回访', 'E20240004', '2024-06-12', 2, 'visit-record', ''],
      ['工单', 'P20240002', '2024-06-12', 2, 'handle-ticket', 'T20240003'],
      ['审核', 'E20240001', '2024-06-13', 1, 'review-visit', 'V20240001'],
      ['流失挽回', 'E20240004', '2024-06-14', 0, 'visit-record', ''],
    ]);
    expect(list.items[1]!.phone).toBe('13812345602');
  });

  it('系统管理员: reviews and 超时 tickets, no callbacks of others', () => {
    expect(short(listOf('系统管理员').items)).toEqual([
      ['工单', 'P20240002', '2024-06-12', 2, 'handle-ticket', 'T20240003'],
      ['审核', 'E20240001', '2024-06-13', 1, 'review-visit', 'V20240001'],
    ]);
  });

  it('王芳 (停用): nothing, though her customer has a callback due', () => {
    expect(listOf('王芳').items).toEqual([]);
    // E20240005 signed 06-03: 首次回访 06-10; health 40 → 风险 → 流失挽回 today.
    expect(
      source.callbacks
        .get('王芳')
        ?.map((e) => e.kind)
        .sort(),
    ).toEqual(['流失挽回', '首次回访'].sort());
  });
});
