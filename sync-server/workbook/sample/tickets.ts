/**
 * The 工单 tab: tickets of signed customers, routed as 工单路由's defaults say; recent ones
 * are often open, and about one in ten ran past its SLA.
 */
import { dateOf, type EpochDay, type WallSeconds } from '../../../shared/calendar.ts';
import { TICKET_ROUTING } from '../../../sheets-templates/tabs.ts';
import type * as V from '../../../sheets-templates/values.ts';
import { STAFF } from './identity.ts';
import { Rng, Stream } from './random.ts';
import {
  IdCounter,
  minutes,
  type Customer,
  type SampleRow,
  type SampleValue,
  type World,
} from './world.ts';

const TICKET_TEXT: Readonly<Record<(typeof V.TICKET_TYPES)[number], readonly string[]>> = {
  产品质量: ['设备运行异常，频繁死机', '产品外观有划痕', '软件升级后部分功能无法使用', '配件缺失'],
  服务响应: ['客服电话长时间无人接听', '工单提交后迟迟无人处理', '售后人员未按约定上门'],
  物流配送: ['发货延迟超过一周', '包裹外包装破损', '配送地址错误'],
  账单费用: ['发票金额有误', '重复扣费', '优惠未生效'],
  其他: ['咨询合同条款', '要求更换对接人', '建议增加新功能'],
};
const RESOLUTIONS = [
  '已更换新品',
  '已远程修复',
  '已补发配件',
  '已退还多收款项',
  '已重新开具发票',
  '已致歉并加强培训',
  '已解释说明，客户认可',
] as const;

/** Each ticket type's department, as a new workbook's 工单路由 routes it. */
const DEPARTMENT_OF: ReadonlyMap<string, string> = new Map(
  (TICKET_ROUTING.defaultRows ?? []).map(([type, dept]) => [String(type), String(dept)]),
);

export function* ticketRows(w: World): Generator<SampleRow> {
  const ids = new IdCounter();
  for (const c of w.customersWithIds()) {
    for (const row of customerTickets(w, c)) {
      yield { ticketId: ids.take('T', dateOf(row.createdAt as WallSeconds)), ...row };
    }
  }
}

/** One customer's tickets, oldest first, without IDs (回访记录 reads them to visit after each). */
export function customerTickets(w: World, c: Customer): Record<string, SampleValue>[] {
  if (c.signed === null) return [];
  const rng = Rng.of(w.seed, c.index, Stream.Tickets);
  const count =
    c.status === '正式'
      ? rng.weighted([
          [0, 45],
          [1, 30],
          [2, 15],
          [3, 7],
          [4, 3],
        ])
      : rng.weighted([
          [0, 30],
          [1, 35],
          [2, 25],
          [3, 10],
        ]);
  const until = Math.min(w.today, c.activeUntil + 30);
  const days: EpochDay[] = [];
  for (let k = 0; k < count; k++) {
    // Some tickets are days old, so the open and overdue ones sit near today.
    const recent = c.status === '正式' && rng.chance(0.15);
    days.push(recent ? Math.max(c.signed, w.today - rng.int(0, 6)) : rng.int(c.signed, until));
  }
  days.sort((a, b) => a - b);
  return days.map((day) => {
    const createdAt = w.workingTime(rng, day);
    return { customerId: c.id, ...ticket(w, rng, createdAt) };
  });
}

/** 响应时限 and 解决时限 in hours by 紧急程度, as a new workbook's 参数 sets them. */
const LIMITS: Readonly<Record<string, { respond: number; resolve: number }>> = {
  高: { respond: 24, resolve: 48 },
  中: { respond: 24, resolve: 24 },
  低: { respond: 24, resolve: 24 },
};

function ticket(w: World, rng: Rng, createdAt: WallSeconds): Record<string, SampleValue> {
  const type = rng.weighted<(typeof V.TICKET_TYPES)[number]>([
    ['产品质量', 35],
    ['服务响应', 20],
    ['物流配送', 20],
    ['账单费用', 15],
    ['其他', 10],
  ]);
  const department = DEPARTMENT_OF.get(type) ?? '客服部';
  const row: Record<string, SampleValue> = {
    type,
    description: rng.pick(TICKET_TEXT[type]),
    urgency: rng.weighted([
      ['高', 20],
      ['中', 50],
      ['低', 30],
    ]),
    department,
    handler: rng.chance(0.9) ? rng.pick(STAFF[department] ?? STAFF['客服部']!) : null,
    createdAt,
  };
  // A service desk that mostly keeps its limits: about one ticket in ten runs over.
  const limit = LIMITS[String(row.urgency)] ?? LIMITS['中']!;
  const ageHours = (w.now - createdAt) / 3600;
  const late = rng.chance(0.05);
  // A few run past their limit and are still open, but none for over a month: a desk
  // that forgot a ticket for a year is not the picture a sample should give.
  const stale = ageHours >= limit.resolve + 30 * 24;
  const open = rng.chance(ageHours < limit.resolve ? 0.6 : stale ? 0 : 0.01);
  const responseHours = late
    ? rng.int(limit.respond * 4, (limit.respond + 16) * 4) / 4
    : rng.int(1, Math.min(8, limit.respond) * 4) / 4;
  const respondedAt = createdAt + minutes(responseHours * 60);
  if (open) {
    // 新建 has had no answer yet; 处理中 was answered and is being worked on.
    if (rng.chance(0.5) || respondedAt > w.now) row.status = '新建';
    else {
      row.status = '处理中';
      row.respondedAt = respondedAt;
    }
    return row;
  }
  const answered = rng.chance(0.95);
  const start = answered ? respondedAt : createdAt;
  const resolveHours = late
    ? limit.resolve + rng.int(1, 24)
    : Math.max(0.5, rng.next() * (limit.resolve - (start - createdAt) / 3600));
  const resolvedAt = late
    ? Math.max(start + 3600, createdAt + minutes(resolveHours * 60))
    : start + Math.max(60, minutes(resolveHours * 60) - 60);
  if (resolvedAt > w.now) {
    row.status = respondedAt <= w.now ? '处理中' : '新建';
    if (row.status === '处理中') row.respondedAt = respondedAt;
    return row;
  }
  if (answered) row.respondedAt = respondedAt;
  row.resolvedAt = resolvedAt;
  row.status = rng.chance(0.6) ? '已解决' : '已关闭';
  row.resolution = rng.pick(RESOLUTIONS);
  if (rng.chance(0.8)) {
    row.satisfaction = rng.weighted([
      [5, 35],
      [4, 35],
      [3, 15],
      [2, 10],
      [1, 5],
    ]);
  }
  return row;
}
