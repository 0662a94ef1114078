/** The 跟进记录 tab: the owner's calls, visits and messages; leads are called when due. */
import { dateOf, type EpochDay } from '../../../shared/calendar.ts';
import type * as V from '../../../sheets-templates/values.ts';
import { OWNERS } from './identity.ts';
import { randomDays, Rng, Stream } from './random.ts';
import {
  FIRST_CONTACT_DAYS,
  IdCounter,
  LATE_DAYS,
  LEAD_INTERVAL_DAYS,
  type Customer,
  type SampleRow,
  type World,
} from './world.ts';

const FOLLOW_UP_CONTENT: Readonly<Record<(typeof V.FOLLOW_UP_METHODS)[number], readonly string[]>> =
  {
    电话: ['电话介绍产品方案', '电话确认采购需求', '电话沟通报价细节', '电话回访使用情况'],
    拜访: ['上门演示产品', '拜访客户负责人，了解业务痛点', '现场调研实施环境'],
    邮件: ['发送产品资料和报价单', '邮件确认合同条款', '发送案例介绍'],
    微信: ['微信发送产品介绍', '微信沟通试用反馈', '微信确认会议时间'],
    其他: ['展会现场交流', '参加客户线上会议'],
  };
const FEEDBACK = [
  '对方案感兴趣，需内部讨论',
  '认为价格偏高',
  '希望先试用',
  '暂无采购计划',
  '要求提供更多案例',
  '对售后服务比较关注',
  '同意进一步沟通',
] as const;
const NEXT_STEPS = [
  '发送正式报价',
  '安排产品演示',
  '约见决策人',
  '跟进试用情况',
  '准备合同草稿',
  '下月再次联系',
] as const;

export function* followUpRows(w: World): Generator<SampleRow> {
  const ids = new IdCounter();
  for (const c of w.customersWithIds()) {
    const rng = Rng.of(w.seed, c.index, Stream.FollowUps);
    const plan = c.status === '潜在' ? leadFollowUps(w, c, rng) : customerFollowUps(w, c, rng);
    for (const { day, planDate } of plan) {
      const time = w.workingTime(rng, day);
      const id = ids.take('G', dateOf(time));
      const method = rng.weighted<(typeof V.FOLLOW_UP_METHODS)[number]>([
        ['电话', 40],
        ['微信', 25],
        ['拜访', 15],
        ['邮件', 15],
        ['其他', 5],
      ]);
      yield {
        followUpId: id,
        customerId: c.id,
        time,
        method,
        content: rng.pick(FOLLOW_UP_CONTENT[method]),
        feedback: rng.chance(0.8) ? rng.pick(FEEDBACK) : null,
        nextStep: rng.chance(0.7) ? rng.pick(NEXT_STEPS) : null,
        planDate,
        by: rng.chance(0.9) ? c.owner : rng.pick(OWNERS),
        attachment: rng.chance(0.05) ? `https://files.example.com/crm/${id}.pdf` : null,
      };
    }
  }
}

interface Planned {
  day: EpochDay;
  planDate: EpochDay | null;
}

/**
 * A lead is called when its 首次联系 or 定期跟进 falls due (or on the 计划日期 its last
 * follow-up set), a day or two early at times; a late lead's last one is still to do.
 */
function leadFollowUps(w: World, c: Customer, rng: Rng): Planned[] {
  if (!c.contacted) return [];
  const grade = c.intent ?? 'C';
  const out: Planned[] = [];
  let due = c.created + rng.int(0, FIRST_CONTACT_DAYS[grade]!);
  let last = c.created - 1;
  while (due <= w.today) {
    if (c.late && out.length > 0 && due < w.today && w.today - due <= LATE_DAYS) break;
    const day = Math.min(w.today, Math.max(last + 1, due - rng.int(0, 2)));
    const planDate = rng.chance(0.35) ? day + rng.int(3, 14) : null;
    out.push({ day, planDate });
    last = day;
    due = planDate ?? day + LEAD_INTERVAL_DAYS[grade]!;
  }
  return out;
}

/**
 * A customer's follow-ups come when there is business to discuss; a plan set by the
 * latest one is still ahead, except where the team is behind.
 */
function customerFollowUps(w: World, c: Customer, rng: Rng): Planned[] {
  let count: number;
  let until = w.today;
  if (c.status === '正式') count = rng.int(0, 6);
  else {
    count = rng.int(1, 3);
    until = Math.min(w.today, c.activeUntil + 60);
  }
  const days = randomDays(rng, c.created, until, count);
  return days.map((day, i) => {
    const plan = rng.chance(0.35) ? day + rng.int(3, 21) : null;
    const latest = i === days.length - 1;
    const kept =
      plan === null || !latest || plan >= w.today || (c.late && w.today - plan <= LATE_DAYS);
    return { day, planDate: kept ? plan : null };
  });
}
