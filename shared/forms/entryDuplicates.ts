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
import type { SheetRow, WorkbookInput } from '../validate/index.ts';
import { cellOf, onDerive, viewTab, type TabView } from './sheet.ts';

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

/** Each key of `probe` with the kind of key it is (phone, email, name, creditCode). */
function wantedOf(probe: DuplicateProbe): Map<string, string> {
  const wanted = new Map<string, string>();
  for (const key of keysOf(probe)) wanted.set(key, key.slice(0, key.indexOf('\u0000')));
  return wanted;
}

function addHit(
  hits: Map<string, DuplicateHit>,
  wanted: ReadonlyMap<string, string>,
  key: string,
  id: string,
  name: () => string,
): void {
  const reason = REASONS[wanted.get(key)!] ?? '';
  const hit = hits.get(id);
  if (!hit) hits.set(id, { id, name: name(), reason });
  else if (!hit.reason.includes(reason)) hit.reason += '、' + reason;
}

/** The existing customers sharing a key with `probe` (itself, by 客户编号, excluded). */
export function findEntryDuplicates(
  probe: DuplicateProbe,
  existing: readonly DuplicateProbe[],
): DuplicateHit[] {
  const wanted = wantedOf(probe);
  if (wanted.size === 0) return [];
  const hits = new Map<string, DuplicateHit>();
  for (const other of existing) {
    const id = other.id ?? '';
    if (id !== '' && id === probe.id) continue;
    for (const key of keysOf(other)) {
      if (wanted.has(key)) addHit(hits, wanted, key, id, () => other.name.trim());
    }
  }
  return [...hits.values()];
}

/** A row of 客户's 客户编号 and keys (computed again for a removed row rather than kept per row). */
function keysOfRow(view: TabView, r: SheetRow): { id: string; keys: string[] } {
  const text = (key: string) => cellText(cellOf(view, r, key));
  const keys = keysOf({
    kind: text('kind'),
    name: text('name'),
    phone: text('phone'),
    email: text('email'),
    creditCode: text('creditCode'),
  });
  return { id: text('customerId'), keys };
}

/** Per view of 客户: each key → the row holding it, or the rows (in no order) when several do. */
type KeyIndex = Map<string, SheetRow | SheetRow[]>;
const keyIndexes = new WeakMap<TabView, KeyIndex>();

/** Made once per view of 客户 not made from an earlier one. */
function keyIndex(view: TabView): KeyIndex {
  let index = keyIndexes.get(view);
  if (index) return index;
  index = new Map();
  for (const r of view.rows) addKeys(index, view, r);
  keyIndexes.set(view, index);
  return index;
}

function addKeys(index: KeyIndex, view: TabView, r: SheetRow): void {
  for (const key of keysOfRow(view, r).keys) {
    const held = index.get(key);
    if (held === undefined) index.set(key, r);
    else if (Array.isArray(held)) held.push(r);
    else index.set(key, [held, r]);
  }
}

/**
 * The index moves to the next view, changed by the rows that changed: a kept workbook
 * replaces only the rows a write touches, so a form at 100,000 customers looks at the
 * keys of a few rows, not of every customer.
 */
onDerive((delta, to) => {
  const index = keyIndexes.get(delta.from);
  if (!index || to.tab !== T.CUSTOMERS) return;
  keyIndexes.delete(delta.from);
  for (const r of delta.removed)
    for (const key of keysOfRow(to, r).keys) {
      const held = index.get(key);
      if (held === r) index.delete(key);
      else if (Array.isArray(held)) {
        const rest = held.filter((x) => x !== r);
        index.set(key, rest.length === 1 ? rest[0]! : rest);
      }
    }
  for (const r of delta.added) addKeys(index, to, r);
  keyIndexes.set(to, index);
});

/** `findEntryDuplicates` against every customer of the workbook, with the same answer. */
export function findWorkbookDuplicates(
  probe: DuplicateProbe,
  input: WorkbookInput,
): DuplicateHit[] {
  const wanted = wantedOf(probe);
  if (wanted.size === 0) return [];
  const view = viewTab(input, T.CUSTOMERS);
  const index = keyIndex(view);
  const found = new Set<SheetRow>();
  for (const key of wanted.keys()) {
    const held = index.get(key);
    if (Array.isArray(held)) held.forEach((r) => found.add(r));
    else if (held) found.add(held);
  }
  const hits = new Map<string, DuplicateHit>();
  for (const r of [...found].sort((a, b) => a.row - b.row)) {
    const { id, keys } = keysOfRow(view, r);
    if (id !== '' && id === probe.id) continue;
    for (const key of keys)
      if (wanted.has(key))
        addHit(hits, wanted, key, id, () => cellText(cellOf(view, r, 'name')).trim());
  }
  return [...hits.values()];
}

const REASONS: Readonly<Record<string, string>> = {
  phone: '联系电话相同',
  email: '邮箱相同',
  name: '客户名称相同',
  creditCode: '统一社会信用代码相同',
};

/** Makes (or brings up to date) the index of 客户's identifying keys ahead of a form. */
export function prepareDuplicateKeys(input: WorkbookInput): void {
  const view = viewTab(input, T.CUSTOMERS);
  if (view.exists) keyIndex(view);
}

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
