/** The 新建客户 form the benches submit: a 个人 lead of 张伟's, only name, phone and date varying. */
export const newCustomerBody = (name: string, phone: string, createdDate: string) => ({
  kind: '个人',
  name,
  phone,
  industry: '教育',
  source: '官网咨询',
  status: '潜在',
  intent: 'A',
  owner: '张伟',
  createdDate,
});

/** The 记录跟进 form the benches submit: a call by 张伟 at `time` (YYYY-MM-DD HH:mm). */
export const followUpBody = (customerId: string, time: string, content = '首次联系') => ({
  customerId,
  time,
  method: '电话',
  content,
  by: '张伟',
});
