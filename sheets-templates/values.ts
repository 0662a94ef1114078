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
/** In tie order (docs/rules.md#next-callback): on one day the earlier kind wins. */
export const CALLBACK_KINDS = [
  '投诉回访',
  '流失挽回',
  '欢迎引导',
  '首次回访',
  '首次联系',
  '关怀回访',
  '体验问卷',
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

/** 工单 请求类型: only 投诉 feeds 月度投诉分析 and 重复投诉率. */
export const REQUEST_TYPES = ['投诉', '咨询', '技术支持', '售后'] as const;
/** 闭环状态 of a resolved ticket: answered by a valid visit, or still waiting for one. */
export const CLOSURE_STATES = ['已闭环', '待回访'] as const;
/** 回访结果: only 完成 makes a valid visit. */
export const VISIT_OUTCOMES = ['完成', '未联系上', '客户拒访', '需再次回访'] as const;
/** A review approves a visit record or sends it back to its 回访人. */
export const REVIEW_RESULTS = ['通过', '退回'] as const;
/** 服务目标 指标: the 服务指标 figures a manager can set a target for. */
export const SERVICE_TARGET_METRICS = [
  '按时率',
  '平均满意度',
  '重复投诉率',
  '首次解决率',
  '平均响应时长',
] as const;
/** The seeds' five things a visit asks about (客户回访管理制度 第 6 条), offered as prompts. */
export const VISIT_TOPICS = [
  '客户对产品和服务的意见和评价',
  '客户对改进产品或服务的期望和具体建议',
  '客户对投诉、争议处理的满意程度',
  '提醒客户把控和调整库存产品',
  '了解当地市场需求，为下次订货做准备',
] as const;
/** The 标签 a new 体验问卷 row gets. */
export const FIRST_FEEDBACK_TAG = '新客户首次反馈';
/** A person's role (docs/team.md). */
export const ROLES = ['销售', '客服', '经理', '管理员'] as const;
export const USER_STATES = ['在职', '停用'] as const;
export const AUDIT_ACTIONS = ['新建', '修改', '审核', '导入', '同步'] as const;
