/**
 * A team's workbook on Friday 2024-06-14, 10:00: two 销售 (张伟, 李娜), a 客服 of 客服部
 * (邓超), a 经理 (黄志强) who owns one customer, a 停用 销售 (王芳) and a 管理员. The
 * expected 我的待办 of each person is worked out by hand in worklist.test.ts.
 */
import { daysFromCivil, startOfDay, type WallSeconds } from '../../shared/calendar.ts';
import type { TabRows } from '../helpers/workbook.ts';

export const DAY = '2024-06-14';
export const NOW: WallSeconds = startOfDay(daysFromCivil(2024, 6, 14)) + 10 * 3600;
/** 2024-06-14 10:00 in Asia/Shanghai (UTC+8) as an instant */
export const NOW_MS = Date.UTC(2024, 5, 14, 2, 0);

export const PASSWORD = 'correct-horse-9';

/** 姓名, 登录名, 邮箱, 角色, 部门, 状态 */
export const USERS: (string | null)[][] = [
  ['张伟', 'zhangwei', 'zhangwei@example.com', '销售', '销售部', '在职'],
  ['李娜', 'lina', 'lina@example.com', '销售', '销售部', '在职'],
  ['邓超', 'dengchao', 'dengchao@example.com', '客服', '客服部', '在职'],
  ['黄志强', 'huangzq', 'huangzq@example.com', '经理', '客户服务中心', '在职'],
  ['王芳', 'wangfang', 'wangfang@example.com', '销售', '销售部', '停用'],
  ['系统管理员', 'admin', 'admin@example.com', '管理员', '信息部', '在职'],
];

const company = {
  kind: '企业',
  contact: '陈明',
  industry: '制造业',
  source: '转介绍',
};

export const TEAM: TabRows = {
  customers: [
    {
      ...company,
      customerId: 'E20240001',
      name: '杭州云帆科技有限公司',
      phone: '13812345601',
      status: '正式',
      owner: '张伟',
      createdDate: '2024-05-20',
      signedDate: '2024-06-01',
    },
    {
      customerId: 'P20240002',
      kind: '个人',
      name: '赵小红',
      phone: '13812345602',
      industry: '零售',
      source: '官网咨询',
      status: '潜在',
      intent: 'A',
      owner: '张伟',
      createdDate: '2024-06-05',
    },
    {
      ...company,
      customerId: 'E20240003',
      name: '宁波海川贸易有限公司',
      phone: '13812345603',
      status: '潜在',
      intent: 'B',
      owner: '李娜',
      createdDate: '2024-06-01',
    },
    {
      ...company,
      customerId: 'E20240004',
      name: '苏州远景制造有限公司',
      phone: '13812345604',
      status: '正式',
      owner: '黄志强',
      createdDate: '2024-05-28',
      signedDate: '2024-06-05',
    },
    {
      ...company,
      customerId: 'E20240005',
      name: '无锡长风机械有限公司',
      phone: '13812345605',
      status: '正式',
      owner: '王芳',
      createdDate: '2024-05-30',
      signedDate: '2024-06-03',
    },
  ],
  followUps: [
    {
      followUpId: 'G20240001',
      customerId: 'E20240003',
      time: '2024-06-03 10:00',
      method: '电话',
      content: '介绍产品',
      planDate: '2024-06-13',
      by: '李娜',
    },
  ],
  tickets: [
    {
      ticketId: 'T20240001',
      customerId: 'E20240001',
      type: '产品质量',
      description: '设备异响',
      urgency: '中',
      department: '客服部',
      handler: '邓超',
      createdAt: '2024-06-10 09:00',
      respondedAt: '2024-06-10 10:00',
      resolvedAt: '2024-06-11 09:00',
      status: '已解决',
    },
    {
      ticketId: 'T20240002',
      customerId: 'E20240003',
      type: '其他',
      description: '发票抬头有误',
      urgency: '中',
      department: '客服部',
      createdAt: '2024-06-13 14:00',
      status: '新建',
    },
    {
      ticketId: 'T20240003',
      customerId: 'P20240002',
      type: '服务响应',
      description: '安装人员未按约定到场',
      urgency: '高',
      department: '技术部',
      handler: '邓超',
      createdAt: '2024-06-10 09:00',
      respondedAt: '2024-06-10 11:00',
      status: '处理中',
    },
    {
      ticketId: 'T20240004',
      customerId: 'E20240004',
      type: '账单费用',
      description: '多收运费',
      urgency: '低',
      department: '财务部',
      handler: '许婷',
      createdAt: '2024-06-14 08:00',
      status: '新建',
    },
  ],
  visits: [
    {
      visitId: 'V20240001',
      customerId: 'E20240001',
      time: '2024-06-13 15:00',
      method: '电话',
      by: '张伟',
      productSatisfaction: '较好',
    },
    {
      visitId: 'V20240002',
      customerId: 'E20240003',
      time: '2024-06-11 10:00',
      method: '面谈',
      by: '李娜',
      reviewer: '黄志强',
      reviewDate: '2024-06-12',
      reviewComment: '未记录客户意见',
      reviewResult: '退回',
    },
  ],
  config: {
    用户: USERS,
    // The customers here signed this month; without an observation period their low
    // health brings the 流失挽回 this fixture shows beside the other kinds of the day.
    参数: [['新客户观察期(天)', 0, '']],
  },
};
