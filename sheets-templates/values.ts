/** Fixed value lists of docs/workbook.md, named once and shared by templates and rules. */

export const CUSTOMER_KINDS = ['企业', '个人'] as const;
export const CUSTOMER_SOURCES = [
  '展会推广',
  '转介绍',
  '线上广告',
  '官网咨询',
  '电话营销',
  '其他',
] as const;
export const ACCOUNT_LEVELS = ['普通客户', 'VIP客户', '战略客户'] as const;
export const CUSTOMER_STATUSES = ['潜在', '正式', '流失'] as const;
export const INTENT_GRADES = ['A', 'B', 'C'] as const;
export const DEFAULT_INDUSTRIES = [
  '制造业',
  '信息技术',
  '互联网电商',
  '零售',
  '批发',
  '金融',
  '医疗健康',
  '教育',
  '物流',
  '建筑',
  '餐饮服务',
  '其他',
] as const;
export const PAYMENT_STATUSES = ['按时', '逾期', '未到期'] as const;
export const FOLLOW_UP_METHODS = ['电话', '拜访', '邮件', '微信', '其他'] as const;
export const TICKET_TYPES = ['产品质量', '服务响应', '物流配送', '账单费用', '其他'] as const;
export const URGENCIES = ['高', '中', '低'] as const;
export const TICKET_STATUSES = ['新建', '处理中', '已解决', '已关闭'] as const;
export const RESOLVED_TICKET_STATUSES = ['已解决', '已关闭'] as const;
export const VISIT_METHODS = ['面谈', '电话', 'QQ', '微信', '邮件'] as const;
/** 好 5, 较好 4, 一般 3, 差 2, 很差 1 */
export const SATISFACTION_WORDS = ['好', '较好', '一般', '差', '很差'] as const;
export const HEALTH_LEVELS = ['健康', '亚健康', '风险', '新客户'] as const;
export const DEFAULT_REGIONS = ['华东', '华南', '华北', '华中', '西南', '西北', '东北'] as const;
export const SLA_STATES = ['按时', '超时', '响应超时', '处理中'] as const;
export const CALLBACK_KINDS = [
  '投诉回访',
  '流失挽回',
  '首次回访',
  '首次联系',
  '跟进计划',
  '续签提醒',
  '定期回访',
  '定期跟进',
  '生日关怀',
] as const;
export const CALLBACK_STATES = ['逾期', '今日', '待办'] as const;
export const HOLIDAY_KINDS = ['休息日', '调休工作日'] as const;
export const PROBLEM_LEVELS = ['错误', '警告'] as const;
export const SYNC_SOURCES = ['手动', '定时', '命令行', '表单'] as const;
export const SYNC_RESULTS = ['成功', '部分成功', '失败'] as const;
export const TIER_METRICS = [
  '近12月金额',
  '近12月合作次数',
  '近6月合作次数',
  '近6月投诉次数',
  '近3月互动次数',
  '健康度',
  '满意度',
  '客户类型',
  '客户等级',
  '客户状态',
  '意向等级',
  '所属行业',
  '客户来源',
  '区域',
] as const;
export const TIER_OPERATORS = ['>=', '>', '<=', '<', '=', '!=', '包含', '属于'] as const;
/** Operators people also type, read as their canonical form. */
export const TIER_OPERATOR_ALIASES: Readonly<Record<string, (typeof TIER_OPERATORS)[number]>> = {
  '≥': '>=',
  '≤': '<=',
  '≠': '!=',
};

/** A person's role (docs/team.md). */
export const ROLES = ['销售', '客服', '经理', '管理员'] as const;
export const USER_STATES = ['在职', '停用'] as const;
/** A review approves a visit record or sends it back to its 回访人. */
export const REVIEW_RESULTS = ['通过', '退回'] as const;
export const AUDIT_ACTIONS = ['新建', '修改', '审核', '导入', '同步'] as const;
