/** The 参数 tab read into typed Settings; a missing row means the default. */
import { SETTINGS, SETTINGS_BY_NAME } from '../sheets-templates/settings.ts';
import type { SettingDef } from '../sheets-templates/types.ts';
import { isTimeZone } from './calendar.ts';
import { cronProblem } from './cron.ts';
import {
  cellText,
  isBlank,
  parseNumber,
  parsePercent,
  splitList,
  type Parsed,
  type RawCell,
} from './cells.ts';
import type { Problem, Settings } from './model.ts';

export interface SettingRow {
  row: number;
  name: RawCell;
  value: RawCell;
}

function parseSetting(def: SettingDef, raw: RawCell): Parsed<string | number> {
  const text = cellText(raw);
  switch (def.kind) {
    case 'integer':
    case 'number': {
      const n = parseNumber(raw);
      const min = def.min ?? 0;
      if (!n.ok || n.value < min || (def.kind === 'integer' && !Number.isInteger(n.value)))
        return {
          ok: false,
          message: `应为不小于 ${min} 的${def.kind === 'integer' ? '整数' : '数字'}`,
        };
      return n;
    }
    case 'percent':
      return parsePercent(raw);
    case 'yesNo':
      return text === '是' || text === '否'
        ? { ok: true, value: text }
        : { ok: false, message: '应为“是”或“否”' };
    case 'timeZone':
      return isTimeZone(text)
        ? { ok: true, value: text }
        : { ok: false, message: '应为 IANA 时区名，如 Asia/Shanghai' };
    case 'cron': {
      const problem = cronProblem(text);
      return problem === null
        ? { ok: true, value: text }
        : { ok: false, message: `应为 5 段 cron 表达式，如 0 6 * * *（每天 6:00）：${problem}` };
    }
    case 'list':
      return splitList(text).length > 0
        ? { ok: true, value: text }
        : { ok: false, message: '应为用“、”或逗号分隔的列表' };
    case 'text':
      return text !== '' ? { ok: true, value: text } : { ok: false, message: '不能为空' };
  }
}

export function readSettings(
  rows: readonly SettingRow[],
  tabName: string,
  problems: Problem[],
): Settings {
  const values = new Map<string, string | number>(SETTINGS.map((s) => [s.name, s.defaultValue]));
  const seen = new Set<string>();
  for (const r of rows) {
    const name = cellText(r.name);
    if (name === '' && isBlank(r.value)) continue;
    const def = SETTINGS_BY_NAME.get(name);
    const problem = (message: string, level: Problem['level']): void => {
      problems.push({
        tab: tabName,
        row: r.row,
        column: name === '' || !def ? '参数' : '值',
        value: name === '' || !def ? name : cellText(r.value),
        message,
        level,
      });
    };
    if (!def) {
      problem(`“${name}”不是已知的参数名，本行被忽略；参数名须与说明中的写法完全一致`, '警告');
      continue;
    }
    if (seen.has(name)) {
      problem(`参数“${name}”重复出现，只使用第一行`, '警告');
      continue;
    }
    seen.add(name);
    if (isBlank(r.value)) continue;
    const parsed = parseSetting(def, r.value);
    if (parsed.ok) values.set(name, parsed.value);
    else
      problem(`参数“${name}”的值无效：${parsed.message}；已使用默认值 ${def.defaultValue}`, '错误');
  }
  const num = (name: string): number => Number(values.get(name));
  const str = (name: string): string => String(values.get(name));
  return {
    timeZone: str('时区'),
    visitsNeedReview: str('回访需审核') === '是',
    enterprisePrefix: str('企业客户编号前缀'),
    personPrefix: str('个人客户编号前缀'),
    industries: splitList(str('行业列表')),
    regions: splitList(str('区域列表')),
    syncCron: str('同步计划'),
    defaultTier: str('默认分层'),
    activityFullInteractions: num('活跃度满分互动次数'),
    repurchaseFullOrders: num('复购满分次数'),
    pointsPerComplaint: num('每次投诉扣分'),
    weightActivity: num('健康度权重-活跃度'),
    weightRepurchase: num('健康度权重-复购'),
    weightStability: num('健康度权重-付款稳定性'),
    weightComplaints: num('健康度权重-投诉'),
    healthyThreshold: num('健康阈值'),
    subHealthyThreshold: num('亚健康阈值'),
    newCustomerDays: num('新客户观察期(天)'),
    purchaseDropPercent: num('购买频次下降比例'),
    satisfactionAlertLine: num('满意度预警线'),
    firstVisitDays: num('首次回访天数'),
    enterpriseVisitMonths: num('企业客户回访周期(月)'),
    personVisitMonths: num('个人客户回访周期(月)'),
    complaintVisitDays: num('投诉回访天数'),
    winBackIntervalDays: num('流失挽回间隔天数'),
    renewalNoticeDays: num('续签提醒提前天数'),
    birthdayNoticeDays: num('生日关怀提前天数'),
    analysisTopCustomers: num('客户销售分析行数'),
    analysisTopProducts: num('客户销售分析产品数'),
    leadFirstContactDays: {
      A: num('线索首联天数-A'),
      B: num('线索首联天数-B'),
      C: num('线索首联天数-C'),
    },
    leadFollowUpDays: {
      A: num('线索跟进间隔天数-A'),
      B: num('线索跟进间隔天数-B'),
      C: num('线索跟进间隔天数-C'),
    },
    responseLimitHours: {
      高: num('响应时限(小时)-高'),
      中: num('响应时限(小时)-中'),
      低: num('响应时限(小时)-低'),
    },
    resolutionLimitHours: {
      高: num('解决时限(小时)-高'),
      中: num('解决时限(小时)-中'),
      低: num('解决时限(小时)-低'),
    },
    welcomeDays: num('欢迎引导天数'),
    surveyDays: num('体验问卷天数'),
    careIntervalDays: num('关怀回访间隔天数'),
    grossMarginPercent: num('毛利率'),
    expectedYears: num('预计合作年限'),
    ticketWarningHours: num('工单预警(小时)'),
    sessionTimeoutMinutes: num('会话超时(分钟)'),
    auditKeepRows: num('操作日志保留行数'),
  };
}

/** The settings of an empty 参数 tab. */
export function defaultSettings(): Settings {
  return readSettings([], '参数', []);
}
