/**
 * The worked example of the sync (now = 2024-06-14 10:00): a signed company with orders,
 * a follow-up, a resolved ticket and an approved visit; a grade-A lead; a company row with
 * an error; an order of an unknown customer; an order without ID. Expected values are
 * worked out by hand in test/local/sync-cli.test.ts.
 */
import { CUSTOMER } from './customer.ts';
import type { TabRows } from './workbook.ts';

export const EXAMPLE_NOW = '2024-06-14T10:00';

export const EXAMPLE: TabRows = {
  customers: [
    {
      ...CUSTOMER,
      // Someone typed into a sync column: the sync owns it and overwrites it.
      healthScore: 99,
    },
    {
      customerId: 'P20240001',
      kind: '个人',
      name: '张三',
      phone: '13900001111',
      industry: '零售',
      source: '官网咨询',
      status: '潜在',
      intent: 'A',
      owner: '李明',
      createdDate: '2024-06-10',
    },
    {
      // 客户来源 is outside its list: an error row whose sync cells stay as they are.
      ...CUSTOMER,
      customerId: 'E20240002',
      name: '宁波海达贸易有限公司',
      phone: '13700002222',
      source: '朋友圈',
      tier: '旧分层',
    },
  ],
  orders: [
    {
      orderId: 'O20240001',
      customerId: 'E20240001',
      orderDate: '2024-05-01',
      amount: 60000,
      paymentStatus: '按时',
    },
    {
      orderId: 'O20240002',
      customerId: 'E20240001',
      orderDate: '2024-06-01',
      amount: 40000,
      paymentStatus: '按时',
    },
    {
      orderId: 'O20230001',
      customerId: 'E20240001',
      orderDate: '2023-12-01',
      amount: 5000,
      paymentStatus: '按时',
    },
    { orderId: 'O20240003', customerId: 'E20249999', orderDate: '2024-06-01', amount: 100 },
    { customerId: 'E20240001', orderDate: '2024-02-01', amount: '0.1', paymentStatus: '未到期' },
  ],
  followUps: [
    {
      followUpId: 'G20240001',
      customerId: 'E20240001',
      time: '2024-06-10 15:00',
      method: '电话',
      content: '确认下季度采购计划',
      planDate: '2024-06-22',
      by: '李明',
    },
  ],
  tickets: [
    {
      ticketId: 'T20240001',
      customerId: 'E20240001',
      type: '产品质量',
      description: '设备异响',
      urgency: '高',
      createdAt: '2024-06-01 09:00',
      respondedAt: '2024-06-01 10:09',
      resolvedAt: '2024-06-02 09:00',
      status: '已解决',
      satisfaction: 5,
    },
  ],
  visits: [
    {
      visitId: 'V20240001',
      customerId: 'E20240001',
      time: '2024-05-20 10:00',
      method: '面谈',
      by: '李明',
      productSatisfaction: '好',
      serviceSatisfaction: '较好',
      reviewer: '赵经理',
      reviewDate: '2024-05-21',
    },
  ],
};
