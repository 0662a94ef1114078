import type { ColumnDef, ColumnKey, TabDef } from './types.ts';
import { col, customerRef, oneOf, sync } from './columns.ts';
import { SETTINGS } from './settings.ts';
import * as V from './values.ts';
import {
  EXPERIENCE_SURVEYS,
  LEAD_ASSIGNMENT,
  NEEDS_SURVEYS,
  SERVICE_TARGETS,
  TIER_STRATEGIES,
} from './moreTabs.ts';

export * from './moreTabs.ts';

export const CUSTOMERS = {
  name: '客户',
  key: 'customers',
  kind: 'data',
  idColumn: 'customerId',
  idDateColumn: 'createdDate',
  columns: [
    col('customerId', '客户编号', 'Customer ID', 'id', { width: 13 }),
    col(
      'kind',
      '客户类型',
      'Customer Type',
      'enum',
      oneOf(V.CUSTOMER_KINDS, { required: true, width: 9 }),
    ),
    col('name', '客户名称', 'Customer Name', 'text', { required: true, width: 28 }),
    col('creditCode', '统一社会信用代码', 'Unified Social Credit Code', 'creditCode', {
      width: 22,
    }),
    col('contact', '联系人', 'Contact Person', 'text', {
      required: { column: 'kind', in: ['企业'] },
      width: 10,
    }),
    col('contactTitle', '联系人职位', 'Contact Title', 'text', { width: 10 }),
    col('phone', '联系电话', 'Phone', 'phone', {
      width: 16,
      hint: '手机或座机，联系电话和邮箱至少填一个有效的',
    }),
    col('email', '邮箱', 'Email', 'email', { width: 24 }),
    col('industry', '所属行业', 'Industry', 'enum', {
      required: true,
      values: V.DEFAULT_INDUSTRIES,
      valuesFrom: { kind: 'setting', setting: '行业列表' },
      outsideValues: 'warning',
      width: 12,
    }),
    col(
      'source',
      '客户来源',
      'Source',
      'enum',
      oneOf(V.CUSTOMER_SOURCES, { required: true, width: 11 }),
    ),
    col(
      'level',
      '客户等级',
      'Account Level',
      'enum',
      oneOf(V.ACCOUNT_LEVELS, { defaultValue: '普通客户', width: 11 }),
    ),
    col(
      'status',
      '客户状态',
      'Status',
      'enum',
      oneOf(V.CUSTOMER_STATUSES, { required: true, width: 9 }),
    ),
    col(
      'intent',
      '意向等级',
      'Lead Intent',
      'enum',
      oneOf(V.INTENT_GRADES, { width: 9, hint: '潜在客户填写 A/B/C' }),
    ),
    col('region', '区域', 'Region', 'text', { width: 8 }),
    col('address', '地址', 'Address', 'text', { width: 30 }),
    // A 潜在 customer may come in without one: 线索分配 fills it at the next sync.
    col('owner', '负责人', 'Owner', 'text', {
      required: { column: 'status', in: ['正式', '流失'] },
      width: 10,
      hint: '潜在客户可留空，同步时按线索分配规则填写',
    }),
    col('createdDate', '建档日期', 'Created', 'date', { required: true, width: 12 }),
    col('signedDate', '签约日期', 'Signed', 'date', {
      required: { column: 'status', in: ['正式'] },
      width: 12,
    }),
    col('contractAmount', '合同金额', 'Contract Amount', 'money', { width: 14 }),
    col('contractEnd', '合同到期日', 'Contract End', 'date', { width: 12 }),
    col('birthday', '生日/成立日', 'Birthday / Founded', 'date', { width: 12 }),
    col('preferences', '偏好', 'Preferences', 'text', { width: 18 }),
    col('notes', '备注', 'Notes', 'text', { width: 24 }),
    sync('amount12m', '近12月金额', 'Amount 12m', 'money', { width: 14 }),
    sync('orders12m', '近12月合作次数', 'Orders 12m', 'integer', { width: 10 }),
    sync('healthScore', '健康度', 'Health Score', 'integer', { width: 8 }),
    sync('healthLevel', '健康等级', 'Health Level', 'enum', oneOf(V.HEALTH_LEVELS, { width: 9 })),
    sync('tier', '客户分层', 'Tier', 'text', { width: 11 }),
    sync('churnWarning', '流失预警', 'Churn Warning', 'text', { width: 22 }),
    sync('nextCallbackDate', '下次回访日期', 'Next Callback', 'date', { width: 12 }),
    sync(
      'nextCallbackKind',
      '回访类型',
      'Callback Type',
      'enum',
      oneOf(V.CALLBACK_KINDS, { width: 10 }),
    ),
    sync('customerValue', '客户价值', 'Customer Value', 'money', { width: 14 }),
  ],
} as const satisfies TabDef;

export const ORDERS = {
  name: '订单',
  key: 'orders',
  kind: 'data',
  idColumn: 'orderId',
  idPrefix: 'O',
  idDateColumn: 'orderDate',
  columns: [
    col('orderId', '订单编号', 'Order ID', 'id', { width: 13 }),
    customerRef,
    col('orderDate', '下单日期', 'Order Date', 'date', { required: true, width: 12 }),
    col('product', '产品', 'Product', 'text', { width: 18 }),
    col('quantity', '数量', 'Quantity', 'integer', { defaultValue: 1, min: 1, width: 7 }),
    col('amount', '金额', 'Amount', 'money', { required: true, width: 13 }),
    col(
      'paymentStatus',
      '付款状态',
      'Payment Status',
      'enum',
      oneOf(V.PAYMENT_STATUSES, { defaultValue: '未到期', width: 9 }),
    ),
  ],
} as const satisfies TabDef;

export const FOLLOW_UPS = {
  name: '跟进记录',
  key: 'followUps',
  kind: 'data',
  idColumn: 'followUpId',
  idPrefix: 'G',
  idDateColumn: 'time',
  columns: [
    col('followUpId', '跟进编号', 'Follow-up ID', 'id', { width: 13 }),
    customerRef,
    col('time', '跟进时间', 'Time', 'datetime', { required: true, width: 17 }),
    col(
      'method',
      '跟进方式',
      'Method',
      'enum',
      oneOf(V.FOLLOW_UP_METHODS, { required: true, width: 9 }),
    ),
    col('content', '沟通内容', 'Content', 'text', { required: true, width: 30 }),
    col('feedback', '客户反馈', 'Customer Feedback', 'text', { width: 24 }),
    col('nextStep', '下一步计划', 'Next Step', 'text', { width: 22 }),
    col('planDate', '计划日期', 'Planned Date', 'date', { width: 12 }),
    col('by', '跟进人', 'By', 'text', { required: true, width: 10 }),
    col('attachment', '附件', 'Attachment', 'link', { width: 20 }),
  ],
} as const satisfies TabDef;

export const TICKETS = {
  name: '工单',
  key: 'tickets',
  kind: 'data',
  idColumn: 'ticketId',
  idPrefix: 'T',
  idDateColumn: 'createdAt',
  columns: [
    col('ticketId', '工单编号', 'Ticket ID', 'id', { width: 13 }),
    customerRef,
    col(
      'type',
      '工单类型',
      'Ticket Type',
      'enum',
      oneOf(V.TICKET_TYPES, { required: true, width: 10 }),
    ),
    col('description', '问题描述', 'Description', 'text', { required: true, width: 30 }),
    col(
      'requestType',
      '请求类型',
      'Request Type',
      'enum',
      oneOf(V.REQUEST_TYPES, { defaultValue: '投诉', width: 9 }),
    ),
    col('demand', '客户诉求', 'Customer Demand', 'text', { width: 24 }),
    col('urgency', '紧急程度', 'Urgency', 'enum', oneOf(V.URGENCIES, { required: true, width: 9 })),
    col('department', '处理部门', 'Department', 'text', {
      valuesFrom: { kind: 'configColumn', tab: '工单路由', column: 'department' },
      width: 10,
      hint: '按工单路由自动填写，可修改',
    }),
    col('handler', '处理人', 'Handler', 'text', { width: 10 }),
    col('createdAt', '创建时间', 'Created At', 'datetime', { required: true, width: 17 }),
    col('respondedAt', '首次响应时间', 'First Response', 'datetime', { width: 17 }),
    col('resolvedAt', '解决时间', 'Resolved At', 'datetime', { width: 17 }),
    col('status', '状态', 'Status', 'enum', oneOf(V.TICKET_STATUSES, { required: true, width: 9 })),
    col('resolution', '处理结果', 'Resolution', 'text', { width: 24 }),
    col('satisfaction', '满意度', 'Satisfaction', 'integer', {
      min: 1,
      max: 5,
      width: 8,
      hint: '1–5，工单解决或关闭后填写',
    }),
    sync('responseHours', '响应时长(小时)', 'Response Hours', 'number', { width: 10 }),
    sync('resolutionHours', '处理时长(小时)', 'Resolution Hours', 'number', { width: 10 }),
    sync('slaState', 'SLA状态', 'SLA State', 'enum', oneOf(V.SLA_STATES, { width: 10 })),
    sync('closure', '闭环状态', 'Closure', 'enum', oneOf(V.CLOSURE_STATES, { width: 9 })),
  ],
} as const satisfies TabDef;

export const VISITS = {
  name: '回访记录',
  key: 'visits',
  kind: 'data',
  idColumn: 'visitId',
  idPrefix: 'V',
  idDateColumn: 'time',
  columns: [
    col('visitId', '回访编号', 'Visit ID', 'id', { width: 13 }),
    customerRef,
    col('time', '回访时间', 'Visit Time', 'datetime', { required: true, width: 17 }),
    col(
      'method',
      '回访方式',
      'Method',
      'enum',
      oneOf(V.VISIT_METHODS, { required: true, width: 9 }),
    ),
    col('by', '回访人', 'Visited By', 'text', { required: true, width: 10 }),
    col('purpose', '回访目的', 'Purpose', 'text', { width: 20 }),
    col(
      'outcome',
      '回访结果',
      'Outcome',
      'enum',
      oneOf(V.VISIT_OUTCOMES, { defaultValue: '完成', width: 10, hint: '只有“完成”算有效回访' }),
    ),
    col(
      'productSatisfaction',
      '产品满意度',
      'Product Satisfaction',
      'enum',
      oneOf(V.SATISFACTION_WORDS, { width: 10 }),
    ),
    col(
      'serviceSatisfaction',
      '服务满意度',
      'Service Satisfaction',
      'enum',
      oneOf(V.SATISFACTION_WORDS, { width: 10 }),
    ),
    col('opinion', '客户意见', 'Customer Opinion', 'text', { width: 24 }),
    col('improvement', '改善对策', 'Improvement', 'text', { width: 24 }),
    col('issues', '回访中遇到的问题', 'Issues Met', 'text', { width: 24 }),
    col('reviewer', '审核人', 'Reviewer', 'text', { width: 10 }),
    col('reviewDate', '审核日期', 'Review Date', 'date', { width: 12 }),
    // A record sent back says why, so its 回访人 knows what to do again.
    col('reviewComment', '审核意见', 'Review Comment', 'text', {
      width: 20,
      required: { column: 'reviewResult', in: ['退回'] },
    }),
    col(
      'reviewResult',
      '审核结果',
      'Review Result',
      'enum',
      oneOf(V.REVIEW_RESULTS, {
        defaultValue: '通过',
        width: 9,
        hint: '退回的记录回到回访人的待办',
      }),
    ),
  ],
} as const satisfies TabDef;

export const CALLBACK_PLAN = {
  name: '回访计划',
  key: 'callbackPlan',
  kind: 'syncTab',
  columns: [
    sync('customerId', '客户编号', 'Customer ID', 'text', { width: 13 }),
    sync('customerName', '客户名称', 'Customer Name', 'text', { width: 28 }),
    sync('phone', '联系电话', 'Phone (masked)', 'text', { width: 14 }),
    sync('owner', '负责人', 'Owner', 'text', { width: 10 }),
    sync('date', '计划日期', 'Planned Date', 'date', { width: 12 }),
    sync('kind', '回访类型', 'Callback Type', 'enum', oneOf(V.CALLBACK_KINDS, { width: 10 })),
    sync('reason', '原因', 'Reason', 'text', { width: 36 }),
    sync('overdueDays', '逾期天数', 'Days Overdue', 'integer', { width: 9 }),
    sync('state', '状态', 'State', 'enum', oneOf(V.CALLBACK_STATES, { width: 8 })),
  ],
} as const satisfies TabDef;

export const TIER_RULES = {
  name: '分层规则',
  key: 'tierRules',
  kind: 'config',
  columns: [
    col('priority', '优先级', 'Priority', 'number', { required: true, width: 8 }),
    col('tier', '分层名称', 'Tier', 'text', { required: true, width: 12 }),
    col('metric', '指标', 'Metric', 'enum', oneOf(V.TIER_METRICS, { required: true, width: 14 })),
    col(
      'operator',
      '运算符',
      'Operator',
      'enum',
      oneOf(V.TIER_OPERATORS, { required: true, width: 8 }),
    ),
    col('threshold', '阈值', 'Threshold', 'text', { required: true, width: 16 }),
  ],
  defaultRows: [
    [1, '高价值客户', '近12月金额', '>=', 100000],
    [2, '活跃客户', '近12月合作次数', '>=', 5],
    [3, '潜力客户', '客户状态', '=', '潜在'],
    [3, '潜力客户', '意向等级', '=', 'A'],
  ],
} as const satisfies TabDef;

export const SETTINGS_TAB = {
  name: '参数',
  key: 'settings',
  kind: 'config',
  columns: [
    col('name', '参数', 'Setting', 'text', { required: true, width: 22 }),
    col('value', '值', 'Value', 'text', { width: 22 }),
    col('description', '说明', 'Description', 'text', { width: 56 }),
  ],
  defaultRows: SETTINGS.map((s) => [s.name, s.defaultValue, s.description]),
} as const satisfies TabDef;

export const TICKET_ROUTING = {
  name: '工单路由',
  key: 'ticketRouting',
  kind: 'config',
  columns: [
    col(
      'type',
      '工单类型',
      'Ticket Type',
      'enum',
      oneOf(V.TICKET_TYPES, { required: true, width: 12 }),
    ),
    col('department', '处理部门', 'Department', 'text', { required: true, width: 12 }),
  ],
  defaultRows: [
    ['产品质量', '技术部'],
    ['服务响应', '运营部'],
    ['物流配送', '运营部'],
    ['账单费用', '财务部'],
    ['其他', '客服部'],
  ],
} as const satisfies TabDef;

export const HOLIDAYS = {
  name: '节假日',
  key: 'holidays',
  kind: 'config',
  columns: [
    col('date', '日期', 'Date', 'date', { required: true, width: 12 }),
    col('name', '名称', 'Name', 'text', { width: 14 }),
    col('kind', '类型', 'Kind', 'enum', oneOf(V.HOLIDAY_KINDS, { required: true, width: 12 })),
  ],
  defaultRows: [],
} as const satisfies TabDef;

export const DATA_PROBLEMS = {
  name: '数据问题',
  key: 'dataProblems',
  kind: 'syncTab',
  columns: [
    sync('tab', '工作表', 'Tab', 'text', { width: 10 }),
    sync('row', '行号', 'Row', 'integer', { width: 7 }),
    sync('column', '列', 'Column', 'text', { width: 14 }),
    sync('value', '值', 'Value', 'text', { width: 20 }),
    sync('message', '问题', 'Problem', 'text', { width: 50 }),
    sync('level', '级别', 'Level', 'enum', oneOf(V.PROBLEM_LEVELS, { width: 7 })),
  ],
} as const satisfies TabDef;

export const SYNC_LOG = {
  name: '同步日志',
  key: 'syncLog',
  kind: 'syncTab',
  columns: [
    sync('startedAt', '开始时间', 'Started At', 'datetime', { width: 17 }),
    sync('source', '来源', 'Source', 'enum', oneOf(V.SYNC_SOURCES, { width: 8 })),
    sync('rowsRead', '读取行数', 'Rows Read', 'integer', { width: 10 }),
    sync('cellsWritten', '写入单元格数', 'Cells Written', 'integer', { width: 12 }),
    sync('errors', '错误数', 'Errors', 'integer', { width: 8 }),
    sync('warnings', '警告数', 'Warnings', 'integer', { width: 8 }),
    sync('durationMs', '耗时(毫秒)', 'Duration (ms)', 'integer', { width: 10 }),
    sync('result', '结果', 'Result', 'enum', oneOf(V.SYNC_RESULTS, { width: 9 })),
    sync('note', '说明', 'Note', 'text', { width: 40 }),
  ],
} as const satisfies TabDef;

/** docs/team.md § 用户: edited by 管理员; passwords never live here. */
export const USERS: TabDef = {
  name: '用户',
  key: 'users',
  kind: 'config',
  columns: [
    col('name', '姓名', 'Name', 'text', { required: true, width: 10 }),
    col('login', '登录名', 'Login', 'text', {
      width: 14,
      hint: '本地模式登录用：2–32 位小写字母、数字、点、下划线或连字符',
    }),
    col('email', '邮箱', 'Email', 'email', { width: 26, hint: 'Google 模式下识别本人的账号' }),
    col('role', '角色', 'Role', 'enum', oneOf(V.ROLES, { required: true, width: 8 })),
    col('department', '部门', 'Department', 'text', { width: 10 }),
    col('state', '状态', 'State', 'enum', oneOf(V.USER_STATES, { defaultValue: '在职', width: 8 })),
  ],
  defaultRows: [],
};

/** docs/team.md § 操作日志: one row per accepted write, appended, never rewritten. */
export const AUDIT_LOG: TabDef = {
  name: '操作日志',
  key: 'auditLog',
  kind: 'syncTab',
  columns: [
    sync('time', '时间', 'Time', 'datetime', { width: 17 }),
    sync('actor', '操作人', 'Actor', 'text', { width: 10 }),
    sync('action', '操作', 'Action', 'enum', oneOf(V.AUDIT_ACTIONS, { width: 7 })),
    sync('tab', '工作表', 'Tab', 'text', { width: 10 }),
    sync('id', '编号', 'ID', 'text', { width: 13 }),
    sync('changes', '变更', 'Changes', 'text', { width: 60 }),
  ],
};

/** 报表 is laid out as titled tables one under another, so it has no fixed header row. */
export const REPORTS = {
  name: '报表',
  key: 'reports',
  kind: 'syncTab',
  columns: [],
} as const satisfies TabDef;

/** 销售分析: titled tables like 报表 (docs/rules.md#analysis-销售分析). */
export const ANALYSIS = {
  name: '销售分析',
  key: 'analysis',
  kind: 'syncTab',
  columns: [],
} as const satisfies TabDef;

/**
 * 指标历史: one row per month, the current month's written anew at every sync; the 摘要
 * at the top of 报表 compares it with the previous month's (docs/rules.md#month-on-month-summary-摘要).
 */
export const METRIC_HISTORY = {
  name: '指标历史',
  key: 'metricHistory',
  kind: 'syncTab',
  columns: [
    sync('month', '月份', 'Month', 'text', { width: 9 }),
    sync('formalCustomers', '正式客户数', 'Signed Customers', 'integer', { width: 11 }),
    sync('firstTierShare', '首层占比', 'First Tier Share', 'number', {
      width: 10,
      hint: '正式客户中处于优先级最小的分层的比例',
    }),
    sync('averageHealth', '平均健康度', 'Average Health', 'number', { width: 11 }),
    sync('riskCustomers', '风险客户数', 'Customers at Risk', 'integer', { width: 11 }),
    sync('complaints', '投诉数', 'Complaints', 'integer', { width: 8 }),
    sync('onTimeRate', '按时率', 'On-time Rate', 'number', { width: 9 }),
  ],
} as const satisfies TabDef;

/** A sync tab of titled tables one under another: a format per cell, no header row. */
export const isTablesTab = (tab: TabDef): boolean =>
  tab.kind === 'syncTab' && tab.columns.length === 0;

/** Every tab, in the order a new workbook shows them. */
export const TABS: readonly TabDef[] = [
  CUSTOMERS,
  ORDERS,
  FOLLOW_UPS,
  TICKETS,
  VISITS,
  NEEDS_SURVEYS,
  EXPERIENCE_SURVEYS,
  CALLBACK_PLAN,
  REPORTS,
  ANALYSIS,
  METRIC_HISTORY,
  DATA_PROBLEMS,
  SYNC_LOG,
  AUDIT_LOG,
  TIER_RULES,
  SETTINGS_TAB,
  TICKET_ROUTING,
  HOLIDAYS,
  LEAD_ASSIGNMENT,
  TIER_STRATEGIES,
  SERVICE_TARGETS,
  USERS,
];

export const DATA_TABS = TABS.filter((t) => t.kind === 'data');
export const SYNC_TABS = TABS.filter((t) => t.kind === 'syncTab');
export const CONFIG_TABS = TABS.filter((t) => t.kind === 'config');

/** The note on every sync column's header. */
export const SYNC_COLUMN_NOTE = '由同步服务计算，请勿手工修改';

/** A tab's column by key; with a tab declared here, a misspelled key does not compile. */
export function column<T extends TabDef>(tab: T, key: ColumnKey<T>): ColumnDef {
  const found = tab.columns.find((c) => c.key === key);
  if (!found) throw new Error(`${tab.name} has no column ${key}`);
  return found;
}
