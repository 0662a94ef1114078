/**
 * Finding customers as a person types: by 客户编号, by name (width, brackets and the
 * company-form suffix folded the way duplicate detection folds them), by 联系人 or 负责人,
 * and by any four or more digits of the phone number.
 */
import { fold, normalizeCompanyName } from '../duplicates.ts';
import type { CustomerDirectory, DirectoryEntry, FacetKey } from './directory.ts';
import { FACET_KEYS } from './directory.ts';

/** What a query is matched against, folded once when the directory is built. */
export interface SearchFields {
  /** folded ID, name, name without its suffix, contact and owner, joined by \u0001 */
  haystack: string;
  /** the phone's digits */
  digits: string;
}

const SEP = '\u0001';

export function searchFields(
  id: string,
  name: string,
  contact: string,
  owner: string,
  phone: string,
): SearchFields {
  return {
    haystack: [fold(id), fold(name), normalizeCompanyName(name), fold(contact), fold(owner)].join(
      SEP,
    ),
    digits: phone.replace(/\D+/g, ''),
  };
}

export type CustomerFilters = Partial<Record<FacetKey, string>>;

export interface CustomerQuery {
  q?: string;
  filters?: CustomerFilters;
  /** how many rows to return (the total is always counted); default 50 */
  limit?: number;
  offset?: number;
}

export interface CustomerMatches {
  total: number;
  entries: DirectoryEntry[];
}

/** The folded forms of a query; null when nothing searchable is left. */
export interface FoldedQuery {
  texts: string[];
  /** set when the query is four or more digits, with spaces, dashes or a leading + */
  digits: string | null;
}

export function foldQuery(q: string): FoldedQuery | null {
  const trimmed = q.trim();
  if (!trimmed) return null;
  const texts = [...new Set([fold(trimmed), normalizeCompanyName(trimmed)])].filter(
    (t) => t !== '' && !t.includes(SEP),
  );
  const digitsOnly = /^[+\d\s\-()（）]+$/.test(trimmed) ? trimmed.replace(/\D+/g, '') : '';
  const digits = digitsOnly.length >= 4 ? digitsOnly : null;
  if (texts.length === 0 && digits === null) return null;
  return { texts, digits };
}

export function matchesQuery(e: SearchFields, q: FoldedQuery): boolean {
  if (q.digits !== null && e.digits.includes(q.digits)) return true;
  for (const t of q.texts) if (e.haystack.includes(t)) return true;
  return false;
}

/** Customers matching the query and every filter given, in 客户编号 order. */
export function searchDirectory(dir: CustomerDirectory, query: CustomerQuery): CustomerMatches {
  const folded = foldQuery(query.q ?? '');
  const filters = FACET_KEYS.flatMap((k) => {
    const want = query.filters?.[k];
    return want ? [[k, want] as const] : [];
  });
  const limit = Math.max(0, query.limit ?? 50);
  const offset = Math.max(0, query.offset ?? 0);
  const entries: DirectoryEntry[] = [];
  let total = 0;
  for (const e of dir.entries) {
    let ok = true;
    for (const [k, want] of filters) {
      if (e[k] !== want) {
        ok = false;
        break;
      }
    }
    if (!ok || (folded !== null && !matchesQuery(e, folded))) continue;
    if (total >= offset && entries.length < limit) entries.push(e);
    total++;
  }
  // An exact 客户编号 goes first, so typing an ID opens that customer at the top.
  const exact = query.q?.trim().toUpperCase();
  if (exact) {
    const at = entries.findIndex((e) => e.id === exact);
    if (at > 0) entries.unshift(...entries.splice(at, 1));
  }
  return { total, entries };
}
