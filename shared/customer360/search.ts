/**
 * Finding customers as a person types: by 客户编号, by name (width, brackets and the
 * company-form suffix folded the way duplicate detection folds them), by 联系人 or 负责人,
 * and by any four or more digits of the phone number.
 */
import { fold, normalizeCompanyName } from '../duplicates.ts';

/** The columns the list filters on, as shown. */
export type FacetKey = 'owner' | 'tier' | 'healthLevel' | 'region' | 'status';
export const FACET_KEYS: readonly FacetKey[] = ['owner', 'tier', 'healthLevel', 'region', 'status'];

/** What search reads of a directory entry. */
export type Searchable = SearchFields & Readonly<Record<FacetKey, string>> & { id: string };

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

/**
 * Every entry's search fields in one string each, so a query is one indexOf scan over
 * the whole directory rather than one call per customer. `starts[i]` is where entry i
 * begins; each entry ends with a separator no query contains.
 */
export interface SearchCorpus {
  text: string;
  textStarts: Int32Array;
  digits: string;
  digitStarts: Int32Array;
}

const END = '\u0002';

export function buildCorpus(entries: readonly SearchFields[]): SearchCorpus {
  const textStarts = new Int32Array(entries.length);
  const digitStarts = new Int32Array(entries.length);
  const texts: string[] = [];
  const digits: string[] = [];
  let t = 0;
  let d = 0;
  entries.forEach((e, i) => {
    textStarts[i] = t;
    digitStarts[i] = d;
    texts.push(e.haystack, END);
    digits.push(e.digits, END);
    t += e.haystack.length + 1;
    d += e.digits.length + 1;
  });
  return { text: texts.join(''), textStarts, digits: digits.join(''), digitStarts };
}

/** The entry a corpus position belongs to. */
function entryAt(starts: Int32Array, pos: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= pos) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function markAll(corpus: string, starts: Int32Array, needle: string, into: Uint8Array): void {
  let at = corpus.indexOf(needle);
  while (at >= 0) {
    const i = entryAt(starts, at);
    into[i] = 1;
    // On to the next entry: one entry counts once.
    const next = i + 1 < starts.length ? starts[i + 1]! : corpus.length;
    at = corpus.indexOf(needle, next);
  }
}

export type CustomerFilters = Partial<Record<FacetKey, string>>;

export interface CustomerQuery {
  q?: string;
  filters?: CustomerFilters;
  /** how many rows to return (the total is always counted); default 50 */
  limit?: number;
  offset?: number;
}

export interface CustomerMatches<E extends Searchable> {
  total: number;
  entries: E[];
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
    (t) => t !== '' && !t.includes(SEP) && !t.includes(END),
  );
  const digitsOnly = /^[+\d\s\-()（）]+$/.test(trimmed) ? trimmed.replace(/\D+/g, '') : '';
  const digits = digitsOnly.length >= 4 ? digitsOnly : null;
  if (texts.length === 0 && digits === null) return null;
  return { texts, digits };
}

/**
 * Whom a search may return, and whose phone digits it may match (a CustomerViewer). A
 * person who sees a phone masked finds it by the whole number or by its last four digits
 * only: matching hidden digits would let them be guessed four at a time.
 */
export interface SearchScope {
  seesAll: boolean;
  seesAllPhones: boolean;
  sees(owner: string): boolean;
  seesPhone(owner: string): boolean;
}

export const UNLIMITED: SearchScope = {
  seesAll: true,
  seesAllPhones: true,
  sees: () => true,
  seesPhone: () => true,
};

/** Digits a person who sees the phone masked (138****5678) may find it by. */
function maskedMatch(phoneDigits: string, q: string): boolean {
  if (phoneDigits === q) return true;
  // maskPhone shows seven digits or fewer in full
  if (phoneDigits.length <= 7) return phoneDigits.includes(q);
  return q.length <= 4 && phoneDigits.endsWith(q);
}

/** Customers matching the query and every filter given, in 客户编号 order. */
export function searchDirectory<E extends Searchable>(
  dir: { entries: readonly E[]; corpus: SearchCorpus },
  query: CustomerQuery,
  scope: SearchScope = UNLIMITED,
): CustomerMatches<E> {
  const folded = foldQuery(query.q ?? '');
  let byText: Uint8Array | null = null;
  let byDigits: Uint8Array | null = null;
  if (folded !== null) {
    const c = dir.corpus;
    byText = new Uint8Array(dir.entries.length);
    for (const t of folded.texts) markAll(c.text, c.textStarts, t, byText);
    if (folded.digits !== null) {
      byDigits = new Uint8Array(dir.entries.length);
      markAll(c.digits, c.digitStarts, folded.digits, byDigits);
    }
  }
  const qDigits = folded?.digits ?? '';
  const filters = FACET_KEYS.flatMap((k) => {
    const want = query.filters?.[k];
    return want ? [[k, want] as const] : [];
  });
  const limit = Math.max(0, query.limit ?? 50);
  const offset = Math.max(0, query.offset ?? 0);
  const entries: E[] = [];
  let total = 0;
  const all = dir.entries;
  for (let i = 0; i < all.length; i++) {
    const e = all[i]!;
    if (folded !== null && byText![i] === 0) {
      if (byDigits === null || byDigits[i] === 0) continue;
      if (!scope.seesAllPhones && !scope.seesPhone(e.owner) && !maskedMatch(e.digits, qDigits))
        continue;
    }
    if (!scope.seesAll && !scope.sees(e.owner)) continue;
    let ok = true;
    for (const [k, want] of filters) {
      if (e[k] !== want) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
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
