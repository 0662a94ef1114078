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
