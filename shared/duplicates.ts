/**
 * Possible duplicate customers: the same phone, email, company name or credit code.
 * Names are compared after folding width, spaces, brackets and the usual company-form
 * suffixes, so 杭州云帆科技有限公司 and 杭州云帆科技(有限责任公司) meet.
 */
import type { Customer, Problem } from './model.ts';
import { halfWidth } from './text.ts';
import { CUSTOMERS, column } from '../sheets-templates/tabs.ts';

// Longest first: only one suffix is dropped, so 有限责任公司 must win over 公司. The
// English forms are as they look after fold() (dots, commas and spaces gone).
const COMPANY_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  'companylimited',
  '有限公司',
  '股份公司',
  '集团公司',
  '公司',
  'coltd',
  'limited',
  'ltd',
  'inc',
];

/** Half-width, lower case, no spaces or brackets. */
export function fold(text: string): string {
  return halfWidth(text)
    .toLowerCase()
    .replace(/[\s()[\]【】（）〔〕「」《》<>{}·.,，、'"‘’“”]/g, '');
}

export function normalizeCompanyName(name: string): string {
  let folded = fold(name);
  for (const suffix of COMPANY_SUFFIXES) {
    if (folded.endsWith(suffix) && folded.length > suffix.length) {
      folded = folded.slice(0, -suffix.length);
      break;
    }
  }
  return folded;
}

export interface DuplicateKey {
  column: 'phone' | 'email' | 'name' | 'creditCode';
  value: string;
  reason: string;
}

export function duplicateKeys(
  c: Pick<Customer, 'kind' | 'name' | 'phone' | 'email' | 'creditCode'>,
): DuplicateKey[] {
  const keys: DuplicateKey[] = [];
  if (c.phone) keys.push({ column: 'phone', value: c.phone, reason: '联系电话相同' });
  if (c.email) keys.push({ column: 'email', value: c.email.toLowerCase(), reason: '邮箱相同' });
  // Two people may share a name; two companies may not.
  if (c.kind === '企业' && c.name)
    keys.push({ column: 'name', value: normalizeCompanyName(c.name), reason: '客户名称相同' });
  if (c.creditCode)
    keys.push({ column: 'creditCode', value: c.creditCode, reason: '统一社会信用代码相同' });
  return keys;
}

/** One index entry per key: a map from `column + NUL + value`. */
export const duplicateKeyId = (key: DuplicateKey): string => key.column + '\u0000' + key.value;

export interface DuplicatePair {
  customer: Customer;
  /** the earliest customer with the same key */
  first: Customer;
  key: DuplicateKey;
}

/** Every customer that shares a key with an earlier one, once per shared key. */
export function duplicatePairs(
  customers: readonly Customer[],
  keysOf: (c: Customer) => readonly DuplicateKey[] = duplicateKeys,
): DuplicatePair[] {
  const seen = new Map<string, Customer>();
  const pairs: DuplicatePair[] = [];
  for (const c of customers) {
    for (const key of keysOf(c)) {
      const id = duplicateKeyId(key);
      const first = seen.get(id);
      if (!first) seen.set(id, c);
      else pairs.push({ customer: c, first, key });
    }
  }
  return pairs;
}

/** The 警告 of a customer that shares `pair.key` with an earlier one. */
export const duplicateProblem = ({ customer: c, first, key }: DuplicatePair): Problem => ({
  tab: CUSTOMERS.name,
  row: c.row,
  column: column(CUSTOMERS, key.column).header,
  value: key.value,
  message: `可能与第 ${first.row} 行的客户 ${first.id} 重复（${key.reason}）：请确认后合并或修改`,
  level: '警告',
});

export function findDuplicateCustomers(
  customers: readonly Customer[],
  keysOf?: (c: Customer) => readonly DuplicateKey[],
): Problem[] {
  return duplicatePairs(customers, keysOf).map(duplicateProblem);
}
