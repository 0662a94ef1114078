/**
 * The templates against docs/workbook.md and the settings of docs/rules.md#settings-参数
 * The expectations are copied out of the documentation by hand, so a template that drifts from
 * the documentation fails here.
 */
import { describe, expect, it } from 'vitest';
import {
  column,
  CONFIG_TABS,
  CUSTOMERS,
  DATA_TABS,
  SETTINGS,
  SETTINGS_TAB,
  SYNC_TABS,
  TABS,
  TICKET_ROUTING,
  TIER_RULES,
  type RowValues,
  type TabDef,
} from '../sheets-templates/index.ts';

const tab = (name: string): TabDef => {
  const found = TABS.find((t) => t.name === name);
  if (!found) throw new Error(`no tab ${name}`);
  return found;
};

/** docs/workbook.md: every header in order; `*` marks a sync column. */
const HEADERS: Record<string, string[]> = {
  客户: [
    '客户编号',
    '客户类型',
    '客户名称',
    '统一社会信用代码',
    '联系人',
    '联系人职位',
    '联系电话',
    '邮箱',
    '所属行业',
    '客户来源',
    '客户等级',
    '客户状态',
    '意向等级',
    '区域',
    '地址',
    '负责人',
    '建档日期',
    '签约日期',
    '合同金额',
    '合同到期日',
    '生日/成立日',
    '偏好',
    '备注',
    '近12月金额*',
    '近12月合作次数*',
    '健康度*',
    '健康等级*',
    '客户分层*',
    '流失预警*',
    '下次回访日期*',
    '回访类型*',
    '客户价值*',
  ],
  订单: ['订单编号', '客户编号', '下单日期', '产品', '数量', '金额', '付款状态'],
  跟进记录: [
    '跟进编号',
    '客户编号',
    '跟进时间',
    '跟进方式',
    '沟通内容',
    '客户反馈',
    '下一步计划',
    '计划日期',
    '跟进人',
    '附件',
  ],
  工单: [
    '工单编号',
    '客户编号',
    '工单类型',
    '问题描述',
    '请求类型',
    '客户诉求',
    '紧急程度',
    '处理部门',
    '处理人',
    '创建时间',
    '首次响应时间',
    '解决时间',
    '状态',
    '处理结果',
    '满意度',
    '响应时长(小时)*',
    '处理时长(小时)*',
    'SLA状态*',
    '闭环状态*',
  ],
  回访记录: [
    '回访编号',
    '客户编号',
    '回访时间',
    '回访方式',
    '回访人',
    '回访目的',
    '回访结果',
    '产品满意度',
    '服务满意度',
    '客户意见',
    '改善对策',
    '回访中遇到的问题',
    '审核人',
    '审核日期',
    '审核意见',
    '审核结果',
  ],
  需求调查: [
    '调查编号',
    '客户编号',
    '调查日期',
    '调查人',
    '产品需求',
    '服务需求',
    '价格期望',
    '采购计划',
    '主要竞品',
    '建议',
  ],
  体验问卷: [
    '问卷编号',
    '客户编号',
    '填写日期',
    '整体满意度',
    '产品满意度',
    '服务满意度',
    '交付满意度',
    '推荐意愿',
    '改进建议',
    '标签',
  ],
  线索分配: ['优先级', '所属行业', '区域', '负责人'],
  分层策略: ['分层名称', '服务策略', '回访周期(月)'],
  服务目标: ['指标', '目标值'],
  回访计划: [
    '客户编号*',
    '客户名称*',
    '联系电话*',
    '负责人*',
    '计划日期*',
    '回访类型*',
    '原因*',
    '逾期天数*',
    '状态*',
  ],
  分层规则: ['优先级', '分层名称', '指标', '运算符', '阈值'],
  参数: ['参数', '值', '说明'],
  工单路由: ['工单类型', '处理部门'],
  节假日: ['日期', '名称', '类型'],
  数据问题: ['工作表*', '行号*', '列*', '值*', '问题*', '级别*'],
  同步日志: [
    '开始时间*',
    '来源*',
    '读取行数*',
    '写入单元格数*',
    '错误数*',
    '警告数*',
    '耗时(毫秒)*',
    '结果*',
    '说明*',
  ],
  报表: [],
  销售分析: [],
  指标历史: [
    '月份*',
    '正式客户数*',
    '首层占比*',
    '平均健康度*',
    '风险客户数*',
    '投诉数*',
    '按时率*',
  ],
  用户: ['姓名', '登录名', '邮箱', '角色', '部门', '状态'],
  操作日志: ['时间*', '操作人*', '操作*', '工作表*', '编号*', '变更*'],
};

const KINDS: Record<string, TabDef['kind']> = {
  用户: 'config',
  操作日志: 'syncTab',
  客户: 'data',
  订单: 'data',
  跟进记录: 'data',
  工单: 'data',
  回访记录: 'data',
  需求调查: 'data',
  体验问卷: 'data',
  线索分配: 'config',
  分层策略: 'config',
  服务目标: 'config',
  回访计划: 'syncTab',
  分层规则: 'config',
  参数: 'config',
  工单路由: 'config',
  节假日: 'config',
  数据问题: 'syncTab',
  同步日志: 'syncTab',
  报表: 'syncTab',
  销售分析: 'syncTab',
  指标历史: 'syncTab',
};

const INDUSTRIES = [
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
];
const CALLBACK_KINDS = [
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
];
const SATISFACTION = ['好', '较好', '一般', '差', '很差'];

/** Every allowed-value list of docs/workbook.md and docs/rules.md, by tab and header. */
const VALUES: [string, string, string[]][] = [
  ['客户', '客户类型', ['企业', '个人']],
  ['客户', '所属行业', INDUSTRIES],
  ['客户', '客户来源', ['展会推广', '转介绍', '线上广告', '官网咨询', '电话营销', '其他']],
  ['客户', '客户等级', ['普通客户', 'VIP客户', '战略客户']],
  ['客户', '客户状态', ['潜在', '正式', '流失']],
  ['客户', '意向等级', ['A', 'B', 'C']],
  ['客户', '健康等级', ['健康', '亚健康', '风险', '新客户']],
  ['客户', '回访类型', CALLBACK_KINDS],
  ['订单', '付款状态', ['按时', '逾期', '未到期']],
  ['跟进记录', '跟进方式', ['电话', '拜访', '邮件', '微信', '其他']],
  ['工单', '工单类型', ['产品质量', '服务响应', '物流配送', '账单费用', '其他']],
  ['工单', '请求类型', ['投诉', '咨询', '技术支持', '售后']],
  ['工单', '闭环状态', ['已闭环', '待回访']],
  ['工单', '紧急程度', ['高', '中', '低']],
  ['工单', '状态', ['新建', '处理中', '已解决', '已关闭']],
  ['工单', 'SLA状态', ['按时', '超时', '响应超时', '处理中']],
  ['回访记录', '回访方式', ['面谈', '电话', 'QQ', '微信', '邮件']],
  ['回访记录', '回访结果', ['完成', '未联系上', '客户拒访', '需再次回访']],
  ['线索分配', '所属行业', INDUSTRIES],
  ['服务目标', '指标', ['按时率', '平均满意度', '重复投诉率', '首次解决率', '平均响应时长']],
  ['回访记录', '产品满意度', SATISFACTION],
  ['回访记录', '服务满意度', SATISFACTION],
  ['回访记录', '审核结果', ['通过', '退回']],
  ['用户', '角色', ['销售', '客服', '经理', '管理员']],
  ['用户', '状态', ['在职', '停用']],
  ['操作日志', '操作', ['新建', '修改', '审核', '导入', '同步']],
  ['回访计划', '回访类型', CALLBACK_KINDS],
  ['回访计划', '状态', ['逾期', '今日', '待办']],
  [
    '分层规则',
    '指标',
    [
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
    ],
  ],
  ['分层规则', '运算符', ['>=', '>', '<=', '<', '=', '!=', '包含', '属于']],
  ['工单路由', '工单类型', ['产品质量', '服务响应', '物流配送', '账单费用', '其他']],
  ['节假日', '类型', ['休息日', '调休工作日']],
  ['数据问题', '级别', ['错误', '警告']],
  ['同步日志', '来源', ['手动', '定时', '命令行', '表单']],
  ['同步日志', '结果', ['成功', '部分成功', '失败']],
];

/** docs/rules.md#settings-参数: every setting with its default. */
const SETTING_DEFAULTS: Record<string, string | number> = {
  客户销售分析行数: 20,
  客户销售分析产品数: 8,
  活跃度满分互动次数: 6,
  复购满分次数: 3,
  每次投诉扣分: 25,
  '健康度权重-活跃度': 30,
  '健康度权重-复购': 30,
  '健康度权重-付款稳定性': 20,
  '健康度权重-投诉': 20,
  健康阈值: 80,
  亚健康阈值: 60,
  '新客户观察期(天)': 90,
  区域列表: '华东、华南、华北、华中、西南、西北、东北',
  购买频次下降比例: 30,
  满意度预警线: 80,
  默认分层: '普通客户',
  首次回访天数: 7,
  '企业客户回访周期(月)': 3,
  '个人客户回访周期(月)': 1,
  投诉回访天数: 1,
  流失挽回间隔天数: 30,
  续签提醒提前天数: 30,
  生日关怀提前天数: 7,
  '线索首联天数-A': 3,
  '线索首联天数-B': 7,
  '线索首联天数-C': 15,
  '线索跟进间隔天数-A': 7,
  '线索跟进间隔天数-B': 14,
  '线索跟进间隔天数-C': 30,
  '响应时限(小时)-高': 24,
  '响应时限(小时)-中': 24,
  '响应时限(小时)-低': 24,
  '解决时限(小时)-高': 48,
  '解决时限(小时)-中': 24,
  '解决时限(小时)-低': 24,
  时区: 'Asia/Shanghai',
  回访需审核: '是',
  企业客户编号前缀: 'E',
  个人客户编号前缀: 'P',
  行业列表: INDUSTRIES.join('、'),
  同步计划: '0 6 * * *',
  欢迎引导天数: 1,
  体验问卷天数: 30,
  关怀回访间隔天数: 30,
  毛利率: 30,
  预计合作年限: 3,
  '工单预警(小时)': 4,
  '会话超时(分钟)': 480,
  操作日志保留行数: 50000,
};

describe('templates match docs/workbook.md', () => {
  it('has exactly the tabs of the contract, each of its kind', () => {
    expect(TABS.map((t) => t.name).sort()).toEqual(Object.keys(HEADERS).sort());
    for (const t of TABS) expect([t.name, t.kind]).toEqual([t.name, KINDS[t.name]]);
    expect(DATA_TABS.map((t) => t.name)).toEqual([
      '客户',
      '订单',
      '跟进记录',
      '工单',
      '回访记录',
      '需求调查',
      '体验问卷',
    ]);
    expect(CONFIG_TABS.map((t) => t.name).sort()).toEqual(
      ['分层规则', '参数', '工单路由', '节假日', '线索分配', '分层策略', '服务目标', '用户'].sort(),
    );
    expect(SYNC_TABS.map((t) => t.name).sort()).toEqual(
      ['回访计划', '报表', '销售分析', '指标历史', '数据问题', '同步日志', '操作日志'].sort(),
    );
  });

  it.each(Object.entries(HEADERS))('%s: headers in order, sync columns marked', (name, headers) => {
    const actual = tab(name).columns.map((c) => c.header + (c.owner === 'sync' ? '*' : ''));
    expect(actual).toEqual(headers);
  });

  it('gives every tab unique headers and keys', () => {
    for (const t of TABS) {
      expect(new Set(t.columns.map((c) => c.header)).size).toBe(t.columns.length);
      expect(new Set(t.columns.map((c) => c.key)).size).toBe(t.columns.length);
    }
  });

  it.each(VALUES)('%s.%s allows exactly the listed values', (tabName, header, values) => {
    const column = tab(tabName).columns.find((c) => c.header === header);
    expect(column?.values).toEqual(values);
  });

  it('lists a value list for no column the contract leaves free', () => {
    const listed = new Set(VALUES.map(([t, h]) => `${t}.${h}`));
    const extra = TABS.flatMap((t) =>
      t.columns
        .filter((c) => c.values && !listed.has(`${t.name}.${c.header}`))
        .map((c) => `${t.name}.${c.header}`),
    );
    expect(extra).toEqual([]);
  });

  it('reads 处理部门 from 工单路由 and 所属行业 from the 行业列表 setting', () => {
    const department = tab('工单').columns.find((c) => c.header === '处理部门');
    expect(department?.valuesFrom).toEqual({
      kind: 'configColumn',
      tab: '工单路由',
      column: 'department',
    });
    const routingColumn = TICKET_ROUTING.columns.find((c) => c.key === 'department');
    expect(routingColumn?.header).toBe('处理部门');
    const industry = tab('客户').columns.find((c) => c.header === '所属行业');
    expect(industry?.valuesFrom).toEqual({ kind: 'setting', setting: '行业列表' });
    expect(industry?.outsideValues).toBe('warning');
  });

  it('names each ID column and the date its year comes from (docs/workbook.md#ids)', () => {
    const ids = Object.fromEntries(
      DATA_TABS.map((t) => {
        const idHeader = t.columns.find((c) => c.key === t.idColumn)?.header;
        const dateHeader = t.columns.find((c) => c.key === t.idDateColumn)?.header;
        return [t.name, [idHeader, dateHeader]];
      }),
    );
    expect(ids).toEqual({
      客户: ['客户编号', '建档日期'],
      订单: ['订单编号', '下单日期'],
      跟进记录: ['跟进编号', '跟进时间'],
      工单: ['工单编号', '创建时间'],
      回访记录: ['回访编号', '回访时间'],
      需求调查: ['调查编号', '调查日期'],
      体验问卷: ['问卷编号', '填写日期'],
    });
  });

  it('defaults 数量 to 1, 付款状态 to 未到期 and 客户等级 to 普通客户', () => {
    const def = (t: string, h: string) => tab(t).columns.find((c) => c.header === h)?.defaultValue;
    expect(def('订单', '数量')).toBe(1);
    expect(def('订单', '付款状态')).toBe('未到期');
    expect(def('客户', '客户等级')).toBe('普通客户');
  });

  it('ships the default tier rules of docs/rules.md#tiers', () => {
    expect(TIER_RULES.defaultRows).toEqual([
      [1, '高价值客户', '近12月金额', '>=', 100000],
      [2, '活跃客户', '近12月合作次数', '>=', 5],
      [3, '潜力客户', '客户状态', '=', '潜在'],
      [3, '潜力客户', '意向等级', '=', 'A'],
    ]);
  });

  it('ships the default ticket routing of docs/workbook.md', () => {
    expect(TICKET_ROUTING.defaultRows).toEqual([
      ['产品质量', '技术部'],
      ['服务响应', '运营部'],
      ['物流配送', '运营部'],
      ['账单费用', '财务部'],
      ['其他', '客服部'],
    ]);
  });
});

describe('settings match docs/rules.md', () => {
  it('has exactly the settings docs/rules.md names, with their defaults', () => {
    const actual = Object.fromEntries(SETTINGS.map((s) => [s.name, s.defaultValue]));
    expect(actual).toEqual(SETTING_DEFAULTS);
    expect(SETTINGS).toHaveLength(Object.keys(SETTING_DEFAULTS).length);
  });

  it('fills a new 参数 tab with one row per setting: name, default, description', () => {
    const rows = SETTINGS_TAB.defaultRows ?? [];
    expect(Object.fromEntries(rows.map((r) => [r[0], r[1]]))).toEqual(SETTING_DEFAULTS);
    expect(rows).toHaveLength(Object.keys(SETTING_DEFAULTS).length);
    for (const row of rows) expect(String(row[2]).length).toBeGreaterThan(0);
  });
});

describe('column keys are known to the compiler', () => {
  it('rejects a misspelled key where a tab declared in the templates is named', () => {
    // @ts-expect-error 'phon' is not a column of 客户: this line must not compile.
    expect(() => column(CUSTOMERS, 'phon')).toThrow('客户 has no column phon');
    expect(column(CUSTOMERS, 'phone').header).toBe('联系电话');
  });

  it('derives a row type from the columns: enums as their values, dates and money as numbers', () => {
    const row = {} as RowValues<typeof CUSTOMERS>;
    // @ts-expect-error a customer row has no key 'phon'.
    void row.phon;
    const kind: '企业' | '个人' = row.kind;
    const created: number = row.createdDate;
    const signed: number | null = row.signedDate;
    expect([kind, created, signed]).toEqual([undefined, undefined, undefined]);
  });
});
