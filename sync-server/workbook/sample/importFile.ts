/**
 * Deterministic import files: N customer rows where every 20th row (from the 14th) is a
 * duplicate — of a customer already in the workbook by phone, email or credit code, or
 * of an earlier row by a differently written company name — and 3 rows in 100 are
 * invalid in one of three ways. Each row's expected fate is known, so tests can check
 * every count and reason.
 */
import iconv from 'iconv-lite';
import type { SampleRow } from './index.ts';
import { creditCodeCheckChar } from '../../../shared/cells.ts';

export const EXISTING = 50;

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export function creditCode(region: string, n: number): string {
  const first17 = `9133${region}${pad(n, 9)}`.slice(0, 17);
  return first17 + creditCodeCheckChar(first17)!;
}

const fullWidthDigits = (text: string): string =>
  text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

/** The customers already in the workbook (by template key), IDs E20240001…; 地址 and 备注 blank. */
export function existingCustomers(count = EXISTING): SampleRow[] {
  return Array.from({ length: count }, (_, e) => ({
    customerId: `E2024${pad(e + 1, 4)}`,
    kind: '企业',
    name: `宁波老客户${e}有限公司`,
    creditCode: creditCode('0200', e),
    contact: `老联系人${e}`,
    phone: `137${pad(e, 8)}`,
    email: `old${e}@example.com`,
    industry: '制造业',
    source: '转介绍',
    level: '普通客户',
    status: '潜在',
    intent: 'B',
    owner: '赵经理',
    createdDate: '2024-02-01',
  }));
}

export const HEADER = [
  '客户类型',
  '公司名称',
  '统一社会信用代码',
  '联系人',
  '手机',
  'E-mail',
  '行业',
  '来源',
  '客户状态',
  '意向等级',
  '负责人',
  '建档日期',
  '地址',
  '备注',
];

export type Expected =
  | { kind: 'unique' }
  | { kind: 'invalid'; message: string }
  | { kind: 'existing'; existing: number; reason: string }
  | { kind: 'source'; sourceRow: number; reason: string };

/** Source row number (header = 1) of 0-based data row i. */
export const sourceRowOf = (i: number): number => i + 2;

export function expectedOf(i: number): Expected {
  const m = i % 100;
  if (m === 7) return { kind: 'invalid', message: '“客户名称”必填' };
  if (m === 37) return { kind: 'invalid', message: '“建档日期”日期不存在' };
  if (m === 77) return { kind: 'invalid', message: '联系电话和邮箱都没有有效值' };
  if (i % 20 !== 13) return { kind: 'unique' };
  const j = Math.floor(i / 20);
  if (j % 2 === 1)
    return { kind: 'source', sourceRow: sourceRowOf(i - 13), reason: '客户名称相同' };
  const h = j / 2;
  const reason = ['联系电话相同', '邮箱相同', '统一社会信用代码相同'][h % 3]!;
  return { kind: 'existing', existing: h % EXISTING, reason };
}

/** Row i of the source, in HEADER order. */
export function sourceRow(i: number): string[] {
  const personal = i % 10 === 5;
  const month = 1 + (i % 12);
  const row = [
    personal ? '个人' : '企业',
    personal ? `李${i}` : `杭州测试${i}科技有限公司`,
    personal ? '' : creditCode('0100', i),
    personal ? '' : `张${i}`,
    `139${pad(i, 8)}`,
    `c${i}@example.com`,
    i % 3 === 0 ? '信息技术' : '零售',
    '展会推广',
    '潜在',
    'ABC'[i % 3]!,
    '王经理',
    `2025-${pad(month, 2)}-${pad(1 + (i % 28), 2)}`,
    `杭州市西湖区文三路${i}号, ${i % 7}楼`,
    i % 50 === 1 ? '=HYPERLINK("http://x")' : `第${i}行`,
  ];
  const e = expectedOf(i);
  if (e.kind === 'invalid') {
    if (e.message.includes('客户名称')) row[1] = '';
    else if (e.message.includes('建档日期')) row[11] = '2025-13-45';
    else {
      row[4] = 'abc';
      row[5] = '';
    }
  } else if (e.kind === 'existing') {
    const old = existingCustomers()[e.existing]!;
    // A branch of the same company: a phone or e-mail shared between clearly different
    // names would be a shared contact (an agent's), not a duplicate.
    if (e.reason !== '统一社会信用代码相同') row[1] = `${String(old.name)}杭州第${i}分公司`;
    if (e.reason === '联系电话相同') {
      const p = String(old.phone);
      row[4] = `+86 ${p.slice(0, 3)}-${p.slice(3, 7)}-${p.slice(7)}`;
    } else if (e.reason === '邮箱相同') row[5] = String(old.email).toUpperCase();
    else
      row[2] = String(old.creditCode)
        .toLowerCase()
        .replace(/(.{6})/g, '$1 ');
  } else if (e.kind === 'source') {
    const k = i - 13;
    row[1] = ` 杭州测试${fullWidthDigits(String(k))}科技（有限责任公司）`;
  }
  return row;
}

const quote = (cell: string): string =>
  /[",\r\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;

/** CSV lines the way Excel writes them: CRLF, quotes only where needed. */
export function csvText(rows: readonly (readonly string[])[]): string {
  return rows.map((r) => r.map(quote).join(',')).join('\r\n') + '\r\n';
}

export function generatedRows(n: number): string[][] {
  return [HEADER, ...Array.from({ length: n }, (_, i) => sourceRow(i))];
}

/** “CSV (逗号分隔)” of Excel for Chinese Windows: GBK, CRLF, no BOM. */
export const gbk = (text: string): Buffer => iconv.encode(text, 'gbk');

export function counts(n: number): {
  unique: number;
  invalid: number;
  existing: number;
  source: number;
} {
  const c = { unique: 0, invalid: 0, existing: 0, source: 0 };
  for (let i = 0; i < n; i++) c[expectedOf(i).kind]++;
  return c;
}
