import type { SettingDef } from './types.ts';
import { DEFAULT_INDUSTRIES, DEFAULT_REGIONS } from './values.ts';

const days = (name: string, defaultValue: number, description: string): SettingDef => ({
  name,
  kind: 'integer',
  defaultValue,
  description,
  min: 0,
});

const hours = (name: string, defaultValue: number, description: string): SettingDef => ({
  name,
  kind: 'number',
  defaultValue,
  description,
  min: 0,
});

/** Every setting with its default (docs/rules.md#settings-参数): the rows of a new 参数 tab. */
export const SETTINGS: readonly SettingDef[] = [
  {
    name: '时区',
    kind: 'timeZone',
    defaultValue: 'Asia/Shanghai',
    description: '本地模式下工作簿的时区（Google 表格使用表格自身的时区）',
  },
  {
    name: '回访需审核',
    kind: 'yesNo',
    defaultValue: '是',
    description: '为“是”时，回访记录须填写审核人和审核日期才算完成',
  },
  {
    name: '企业客户编号前缀',
    kind: 'text',
    defaultValue: 'E',
    description: '新企业客户编号的前缀字母',
  },
  {
    name: '个人客户编号前缀',
    kind: 'text',
    defaultValue: 'P',
    description: '新个人客户编号的前缀字母',
  },
  {
    name: '行业列表',
    kind: 'list',
    defaultValue: DEFAULT_INDUSTRIES.join('、'),
    description: '所属行业的可选值，用“、”或逗号分隔',
  },
  {
    name: '区域列表',
    kind: 'list',
    defaultValue: DEFAULT_REGIONS.join('、'),
    description: '区域的可选值（表单下拉），用“、”或逗号分隔',
  },
  {
    name: '同步计划',
    kind: 'cron',
    defaultValue: '0 6 * * *',
    description: '定时同步的 cron 表达式（默认每天 6:00）',
  },
  {
    name: '默认分层',
    kind: 'text',
    defaultValue: '普通客户',
    description: '不满足任何分层规则时的客户分层',
  },
  {
    name: '活跃度满分互动次数',
    kind: 'integer',
    defaultValue: 6,
    description: '近3个月互动达到此次数时活跃度为100分',
    min: 1,
  },
  {
    name: '复购满分次数',
    kind: 'integer',
    defaultValue: 3,
    description: '近6个月下单达到此次数时复购为100分',
    min: 1,
  },
  {
    name: '每次投诉扣分',
    kind: 'number',
    defaultValue: 25,
    description: '近6个月每次投诉扣除的投诉分',
    min: 0,
  },
  {
    name: '健康度权重-活跃度',
    kind: 'number',
    defaultValue: 30,
    description: '健康度中活跃度的权重',
    min: 0,
  },
  {
    name: '健康度权重-复购',
    kind: 'number',
    defaultValue: 30,
    description: '健康度中复购的权重',
    min: 0,
  },
  {
    name: '健康度权重-付款稳定性',
    kind: 'number',
    defaultValue: 20,
    description: '健康度中付款稳定性的权重',
    min: 0,
  },
  {
    name: '健康度权重-投诉',
    kind: 'number',
    defaultValue: 20,
    description: '健康度中投诉（扣分）的权重',
    min: 0,
  },
  {
    name: '健康阈值',
    kind: 'number',
    defaultValue: 80,
    description: '健康度不低于此值为“健康”',
    min: 0,
  },
  {
    name: '亚健康阈值',
    kind: 'number',
    defaultValue: 60,
    description: '健康度不低于此值为“亚健康”，否则为“风险”',
    min: 0,
  },
  days('新客户观察期(天)', 90, '签约后这么多天内健康等级为“新客户”，不因健康度低而预警'),
  {
    name: '购买频次下降比例',
    kind: 'percent',
    defaultValue: 30,
    description: '近3个月订单数比前3个月下降达到此比例时预警（30 或 30%）',
    min: 0,
  },
  {
    name: '满意度预警线',
    kind: 'number',
    defaultValue: 80,
    description: '满意度低于此值时预警（满分100）',
    min: 0,
  },
  days('首次回访天数', 7, '签约后第几天首次回访'),
  {
    name: '企业客户回访周期(月)',
    kind: 'integer',
    defaultValue: 3,
    description: '企业客户定期回访的间隔月数',
    min: 1,
  },
  {
    name: '个人客户回访周期(月)',
    kind: 'integer',
    defaultValue: 1,
    description: '个人客户定期回访的间隔月数',
    min: 1,
  },
  days('投诉回访天数', 1, '工单解决后第几天回访'),
  days('流失挽回间隔天数', 30, '有流失预警且这么多天内没有有效回访时，今天安排挽回'),
  days('续签提醒提前天数', 30, '合同到期前多少天提醒续签'),
  days('生日关怀提前天数', 7, '生日/成立日前多少天开始安排关怀'),
  days('线索首联天数-A', 3, 'A级线索建档后几天内首次联系'),
  days('线索首联天数-B', 7, 'B级线索建档后几天内首次联系'),
  days('线索首联天数-C', 15, 'C级线索建档后几天内首次联系'),
  days('线索跟进间隔天数-A', 7, 'A级线索两次跟进的间隔天数'),
  days('线索跟进间隔天数-B', 14, 'B级线索两次跟进的间隔天数'),
  days('线索跟进间隔天数-C', 30, 'C级线索两次跟进的间隔天数'),
  hours('响应时限(小时)-高', 24, '紧急程度为高的工单须在此小时数内首次响应'),
  hours('响应时限(小时)-中', 24, '紧急程度为中的工单须在此小时数内首次响应'),
  hours('响应时限(小时)-低', 24, '紧急程度为低的工单须在此小时数内首次响应'),
  hours('解决时限(小时)-高', 48, '紧急程度为高的工单须在此小时数内解决'),
  hours('解决时限(小时)-中', 24, '紧急程度为中的工单须在此小时数内解决'),
  hours('解决时限(小时)-低', 24, '紧急程度为低的工单须在此小时数内解决'),
];

export const SETTINGS_BY_NAME: ReadonlyMap<string, SettingDef> = new Map(
  SETTINGS.map((s) => [s.name, s]),
);
