/**
 * Duplicates at entry: before 新建客户 or 编辑客户 saves, the customers that share a
 * normalised phone, email, company name or 统一社会信用代码 with the row — the very keys
 * of `crm-sync dedupe` and the sync's 数据问题 (shared/duplicates.ts). Pure, so the
 * import preview can ask the same question of each row.
 */
import * as T from '../../sheets-templates/tabs.ts';
import { cellText, parseCreditCode, parseEmail, parsePhone } from '../cells.ts';
import { duplicateKeyId, duplicateKeys } from '../duplicates.ts';
import type { CustomerKind } from '../model.ts';
import type { WorkbookInput } from '../validate/index.ts';
import { cellOf, viewTab } from './sheet.ts';

export interface DuplicateHit {
  id: string;
  name: string;
  /** 联系电话相同 / 邮箱相同 / 客户名称相同 / 统一社会信用代码相同, joined by 、 */
  reason: string;
}

/** The fields of a customer the keys are made of, as typed. */
export interface DuplicateProbe {
  id?: string;
  kind: string;
  name: string;
  phone: string;
  email: string;
  creditCode: string;
}

const valid = <V>(p: { ok: true; value: V } | { ok: false }): V | null => (p.ok ? p.value : null);

function keysOf(p: DuplicateProbe): string[] {
  const kind = p.kind.trim() as CustomerKind;
  return duplicateKeys({
    kind,
    name: p.name.trim(),
    phone: p.phone.trim() === '' ? null : valid(parsePhone(p.phone)),
    email: p.email.trim() === '' ? null : valid(parseEmail(p.email)),
    creditCode: p.creditCode.trim() === '' ? null : valid(parseCreditCode(p.creditCode)),
  } as Parameters<typeof duplicateKeys>[0]).map(duplicateKeyId);
}

/** The existing customers sharing a key with `probe` (itself, by 客户编号, excluded). */
export function findEntryDuplicates(
  probe: DuplicateProbe,
  existing: readonly DuplicateProbe[],
): DuplicateHit[] {
  const wanted = new Map<string, string>();
  for (const key of keysOf(probe)) wanted.set(key, key.slice(0, key.indexOf('\u0000')));
  if (wanted.size === 0) return [];
  const hits = new Map<string, DuplicateHit>();
  for (const other of existing) {
    const id = other.id ?? '';
    if (id !== '' && id === probe.id) continue;
    for (const key of keysOf(other)) {
      if (!wanted.has(key)) continue;
      const reason = REASONS[wanted.get(key)!] ?? '';
      const hit = hits.get(id);
      if (!hit) hits.set(id, { id, name: other.name.trim(), reason });
      else if (!hit.reason.includes(reason)) hit.reason += '、' + reason;
    }
  }
  return [...hits.values()];
}

const REASONS: Readonly<Record<string, string>> = {
  phone: '联系电话相同',
  email: '邮箱相同',
  name: '客户名称相同',
  creditCode: '统一社会信用代码相同',
};

/** Every customer of the workbook as a probe. */
export function workbookCustomers(input: WorkbookInput): DuplicateProbe[] {
  const view = viewTab(input, T.CUSTOMERS);
  const text = (r: (typeof view.rows)[number], key: string) => cellText(cellOf(view, r, key));
  return view.rows.map((r) => ({
    id: text(r, 'customerId'),
    kind: text(r, 'kind'),
    name: text(r, 'name'),
    phone: text(r, 'phone'),
    email: text(r, 'email'),
    creditCode: text(r, 'creditCode'),
  }));
}

/** 可能与 E20260001 上海瑞丰精密机械有限公司 重复（联系电话相同） */
export function duplicateMessage(hits: readonly DuplicateHit[]): string {
  return hits.map((h) => `可能与 ${h.id} ${h.name} 重复（${h.reason}）`).join('；');
}
