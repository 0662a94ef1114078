/** The 回访记录 tab: the owner's visits after signing, on schedule and signed off within days. */
import { addMonths, dateOf, type EpochDay, type WallSeconds } from '../../../shared/calendar.ts';
import { REVIEWERS } from './identity.ts';
import { Rng, Stream } from './random.ts';
import { customerTickets } from './tickets.ts';
import { IdCounter, LATE_DAYS, type Customer, type SampleRow, type World } from './world.ts';

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

/**
 * 首次回访天数 and 投诉回访天数 as a new workbook's 参数 sets them. The cycle is a month for
 * everyone: the default 分层策略 visits 高价值客户 monthly (活跃客户 every two months,
 * 个人 customers monthly), and a sample cannot know the tier the sync will give.
 */
const FIRST_VISIT_DAYS = 7;
const CYCLE_MONTHS: Readonly<Record<string, number>> = { 企业: 1, 个人: 1 };
const COMPLAINT_VISIT_DAYS = 1;

export function* visitRows(w: World): Generator<SampleRow> {
  const ids = new IdCounter();
  for (const c of w.customersWithIds()) {
    if (c.signed === null) continue;
    const rng = Rng.of(w.seed, c.index, Stream.Visits);
    for (const v of visitPlan(w, c, rng)) {
      const time = w.workingTime(rng, v.day);
      const visitDay = dateOf(time);
      const reviewDay = visitDay + rng.int(0, 2);
      const reviewed = v.sentBack || reviewDay <= w.today;
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
        purpose: v.complaint ? '投诉处理回访' : rng.pick(VISIT_PURPOSES),
        productSatisfaction: rng.chance(0.85) ? satisfactionWord(rng) : null,
        serviceSatisfaction: rng.chance(0.85) ? satisfactionWord(rng) : null,
        opinion: v.sentBack ? null : rng.chance(0.6) ? rng.pick(OPINIONS) : null,
        improvement: rng.chance(0.4) ? rng.pick(IMPROVEMENTS) : null,
        issues: rng.chance(0.2) ? rng.pick(VISIT_ISSUES) : null,
        reviewer: reviewed ? rng.pick(REVIEWERS) : null,
        reviewDate: reviewed ? Math.min(w.today, reviewDay) : null,
        reviewComment: v.sentBack
          ? SENT_BACK_COMMENT
          : reviewed && rng.chance(0.6)
            ? rng.pick(REVIEW_COMMENTS)
            : null,
        reviewResult: reviewed ? (v.sentBack ? '退回' : '通过') : null,
      };
    }
  }
}

const SENT_BACK_COMMENT = '未记录客户意见，请补充后重新提交';

interface PlannedVisit {
  day: EpochDay;
  complaint: boolean;
  sentBack: boolean;
}

/**
 * The visits a team that keeps its schedule makes: the first one after signing, then
 * one per cycle, and one after every resolved ticket, each on or a day or two before its
 * date. A late customer's last one is still to do; now and then a record was sent back
 * and is being redone (it counts for nothing, so the schedule stands).
 */
function visitPlan(w: World, c: Customer, rng: Rng): PlannedVisit[] {
  const signed = c.signed!;
  const until = Math.min(w.today, c.activeUntil);
  const resolved = customerTickets(w, c)
    .filter((t) => t.resolvedAt !== undefined && t.resolvedAt !== null)
    .map((t) => dateOf(t.resolvedAt as WallSeconds))
    .sort((a, b) => a - b);
  const cycle = CYCLE_MONTHS[c.kind]!;
  const out: PlannedVisit[] = [];
  let last: EpochDay | null = null;
  for (;;) {
    // Long ago only the latest visit matters to a schedule: older history is sparser.
    const sparse = last !== null && addMonths(last, 6) < w.today - 45;
    const regular: EpochDay =
      last === null ? signed + FIRST_VISIT_DAYS : addMonths(last, sparse ? 6 : cycle);
    const open = resolved.find((r) => last === null || r > last);
    const complaintDue = open === undefined ? Infinity : open + COMPLAINT_VISIT_DAYS;
    const due = Math.min(regular, complaintDue);
    if (due > until) break;
    if (c.late && !sparse && due < w.today && w.today - due <= LATE_DAYS) break;
    const earliest = Math.max(signed, (last ?? signed - 1) + 1, due === complaintDue ? open! : 0);
    const day = Math.min(until, Math.max(earliest, due - rng.int(0, 2)));
    out.push({ day, complaint: due === complaintDue, sentBack: false });
    last = day;
  }
  // A record sent back lately, beside the ones that count.
  if (c.status === '正式' && rng.chance(0.04)) {
    const day = Math.max(signed, w.today - rng.int(1, 10));
    out.push({ day, complaint: false, sentBack: true });
    out.sort((a, b) => a.day - b.day);
  }
  return out;
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
