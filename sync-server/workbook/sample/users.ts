/**
 * The 用户 rows of a sample workbook: every sample 负责人 as a 销售, the sample 处理人 as
 * 客服 of their department, the sample 审核人 as 经理, and one 管理员 — so a newcomer can
 * sign in as any of them and see that person's day.
 */
import { OWNERS, REVIEWERS, STAFF } from './identity.ts';

/** 姓名 → 登录名 (pinyin), for every name the sample generator uses. */
const LOGINS: Readonly<Record<string, string>> = {
  张伟: 'zhangwei',
  李娜: 'lina',
  王芳: 'wangfang',
  刘洋: 'liuyang',
  陈静: 'chenjing',
  杨帆: 'yangfan',
  赵磊: 'zhaolei',
  周敏: 'zhoumin',
  黄志强: 'huangzq',
  吴秀英: 'wuxy',
  郑浩: 'zhenghao',
  冯涛: 'fengtao',
  韩雪: 'hanxue',
  何静: 'hejing',
  曹丽: 'caoli',
  许婷: 'xuting',
  邓超: 'dengchao',
  彭悦: 'pengyue',
  系统管理员: 'admin',
};

export const SAMPLE_ADMIN = '系统管理员';

/** Rows in 用户 column order: 姓名, 登录名, 邮箱, 角色, 部门, 状态. */
export function sampleUserRows(): string[][] {
  const row = (name: string, role: string, department: string): string[] => {
    const login = LOGINS[name];
    if (!login) throw new Error(`no sample login for ${name}`);
    return [name, login, `${login}@example.com`, role, department, '在职'];
  };
  return [
    ...OWNERS.map((n) => row(n, '销售', '销售部')),
    ...Object.entries(STAFF).flatMap(([dept, names]) => names.map((n) => row(n, '客服', dept))),
    ...REVIEWERS.map((n) => row(n, '经理', '客户服务中心')),
    row(SAMPLE_ADMIN, '管理员', '信息部'),
  ];
}
