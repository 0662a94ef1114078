/** The 回访记录 tab: the owner's visits after signing, most of the older ones signed off. */
import { dateOf } from '../../../shared/calendar.ts';
import { REVIEWERS } from './identity.ts';
import { randomDays, Rng, Stream } from './random.ts';
import { IdCounter, type SampleRow, type World } from './world.ts';

const VISIT_PURPOSES = [
  '了解产品使用情况',
  '售后满意度回访',
  '续约意向沟通',
  '投诉处理回访',
  '新功能介绍',
] as const;
const OPINIONS = [
  '希望提升响应速度',
  '产品稳定，整体满意',
  '价格偏高',
  '希望增加培训',
  '发货速度有待提高',
  '界面操作不够直观',
] as const;
const IMPROVEMENTS = [
  '安排专人对接',
  '提供免费培训',
  '优化配送流程',
  '给予续约折扣',
  '纳入产品改进计划',
] as const;
const VISIT_ISSUES = ['联系人已变更', '客户较忙，约定下次详谈', '客户对接人休假'] as const;
const REVIEW_COMMENTS = ['同意', '已阅', '请落实改善措施', '继续保持'] as const;

export function* visitRows(w: World): Generator<SampleRow> {
  const ids = new IdCounter();
  for (const c of w.customersWithIds()) {
    if (c.signed === null || !c.visited) continue;
    const rng = Rng.of(w.seed, c.index, Stream.Visits);
    const from = c.signed + 3;
    const to = c.activeUntil;
    if (to < from) continue;
    const every = c.kind === '企业' ? 100 : 60;
    const count = Math.min(
      8,
      Math.floor(((to - from) / every) * (0.5 + 0.7 * rng.next()) + rng.next()),
    );
    for (const day of randomDays(rng, from, to, count)) {
      const time = w.workingTime(rng, day);
      const visitDay = dateOf(time);
      const approved = rng.chance(w.today - visitDay > 7 ? 0.85 : 0.35);
      yield {
        visitId: ids.take('V', visitDay),
        customerId: c.id,
        time,
        method: rng.weighted([
          ['电话', 45],
          ['微信', 20],
          ['面谈', 20],
          ['邮件', 10],
          ['QQ', 5],
        ]),
        by: c.owner,
        purpose: rng.pick(VISIT_PURPOSES),
        productSatisfaction: rng.chance(0.85) ? satisfactionWord(rng) : null,
        serviceSatisfaction: rng.chance(0.85) ? satisfactionWord(rng) : null,
        opinion: rng.chance(0.6) ? rng.pick(OPINIONS) : null,
        improvement: rng.chance(0.4) ? rng.pick(IMPROVEMENTS) : null,
        issues: rng.chance(0.2) ? rng.pick(VISIT_ISSUES) : null,
        reviewer: approved ? rng.pick(REVIEWERS) : null,
        reviewDate: approved ? Math.min(w.today, visitDay + rng.int(0, 5)) : null,
        reviewComment: approved && rng.chance(0.6) ? rng.pick(REVIEW_COMMENTS) : null,
      };
    }
  }
}

function satisfactionWord(rng: Rng): string {
  return rng.weighted<string>([
    ['好', 40],
    ['较好', 35],
    ['一般', 15],
    ['差', 7],
    ['很差', 3],
  ]);
}
