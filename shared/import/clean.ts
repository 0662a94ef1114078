/**
 * Tidying a source cell before the shared checks see it: what exports and copy-paste
 * leave behind (invisible characters, full-width letters and digits, Excel's `="…"`
 * wrapper that keeps leading zeros, date cells from a workbook with another epoch,
 * everyday spellings of a dropdown value). Nothing here decides validity.
 */
import type { ColumnDef } from '../../sheets-templates/types.ts';
import { formatDate, formatDateTime, type SerialEpoch } from '../calendar.ts';
import { parseDate, parseDateTime, type RawCell } from '../cells.ts';
import { halfWidth } from '../text.ts';

// Byte-order marks, zero-width spaces and joiners: invisible, but they break matching.
const INVISIBLE = /[\uFEFF\u200B-\u200D\u2060\u00AD]/g;

/** Everyday spellings of dropdown values, by column key. */
const VALUE_SYNONYMS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  kind: { 公司: '企业', 单位: '企业', 企业客户: '企业', 个人客户: '个人', 个体: '个人' },
  level: { 普通: '普通客户', vip: 'VIP客户', VIP: 'VIP客户', 战略: '战略客户' },
};

export function cleanCell(column: ColumnDef, raw: RawCell, epoch: SerialEpoch): RawCell {
  if (typeof raw === 'number') {
    // Date cells of the source's own epoch become text, which reads the same anywhere.
    if (column.type === 'date') {
      const d = parseDate(raw, epoch);
      return d.ok ? formatDate(d.value) : raw;
    }
    if (column.type === 'datetime') {
      const t = parseDateTime(raw, epoch);
      return t.ok ? formatDateTime(t.value) : raw;
    }
    return raw;
  }
  if (typeof raw === 'boolean') return raw ? 'TRUE' : 'FALSE';
  if (raw === null || raw === undefined) return null;
  let text = raw.replace(INVISIBLE, '').replace(/\u00A0/g, ' ');
  switch (column.type) {
    case 'phone':
    case 'creditCode':
      text = halfWidth(text).trim();
      text = /^="(.*)"$/.exec(text)?.[1] ?? text;
      break;
    case 'email':
      text = halfWidth(text)
        .trim()
        .replace(/^mailto:/i, '')
        .replace(/。/g, '.');
      break;
    case 'enum':
    case 'date':
    case 'datetime':
    case 'money':
    case 'integer':
    case 'number': {
      text = halfWidth(text).trim();
      const synonyms = VALUE_SYNONYMS[column.key];
      if (synonyms && Object.hasOwn(synonyms, text)) text = synonyms[text]!;
      if (column.key === 'intent' && /^[abc]$/.test(text)) text = text.toUpperCase();
      break;
    }
    default:
      text = text.replace(/\u3000/g, ' ').trim();
  }
  return text === '' ? null : text;
}
