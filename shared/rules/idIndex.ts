/**
 * 客户编号 → position, for the million child-row lookups of a computation.
 *
 * A Map of strings compares the looked-up text with the stored key, which on a large
 * workbook is a cache miss on top of the table's own. IDs in the usual shape — one to
 * three capital letters, then 5 to 14 digits (E20240001, VIP2024000123) — are therefore
 * encoded as two exact numbers and kept in an open-addressing table where key and
 * position share a slot; any other text goes to a plain Map. Two IDs get the same code
 * only when they are the same text, so the answer is the Map's.
 */
import { borrowFloat64 } from './scratch.ts';

/** 2^24: positions up to this many customers share a double with the key's high part. */
const SPAN = 16_777_216;

// The low part of the last encode() call, kept outside to spare an allocation per lookup:
// in a typed array rather than a variable, where a number past 2^31 would be boxed anew
// on every write (a million times per computation).
const last = new Float64Array(1);

/**
 * The high part of an ID's code (prefix in base 27, then the 4-digit year), with the low
 * part (digit count beyond the year, then the remaining digits) left in `low`; 0 when the
 * ID is not in the usual shape.
 */
function encode(id: string): number {
  const n = id.length;
  let prefix = 0;
  let k = 0;
  for (; k < n; k++) {
    const c = id.charCodeAt(k);
    if (c < 65 || c > 90) break;
    if (k === 3) return 0;
    prefix = prefix * 27 + (c - 64);
  }
  const digits = n - k;
  if (k === 0 || digits < 5 || digits > 14) return 0;
  let year = 0;
  for (let j = k; j < k + 4; j++) {
    const d = id.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return 0;
    year = year * 10 + d;
  }
  let serial = 0;
  for (let j = k + 4; j < n; j++) {
    const d = id.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return 0;
    serial = serial * 10 + d;
  }
  last[0] = (digits - 4) * 1e10 + serial;
  return prefix * 10_000 + year;
}

function slotOf(high: number, lowPart: number, mask: number): number {
  let h =
    Math.imul(high, 0x85eb_ca6b) ^
    Math.imul(lowPart | 0, 0xc2b2_ae35) ^
    ((lowPart / 4_294_967_296) | 0);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b_3c6d);
  h ^= h >>> 12;
  return h & mask;
}

export class IdIndex {
  /** slot j: [2j] the low part, [2j + 1] high × SPAN + position + 1; 0 when empty */
  private readonly slots: Float64Array;
  private readonly mask: number;
  private readonly other = new Map<string, number>();
  readonly size: number;
  /** no ID was given twice */
  readonly unique: boolean;

  /**
   * Positions are indexes into `ids`; a repeated ID keeps its last position, as Map.set
   * does. A `borrowed` index uses reused memory (scratch.ts) and is valid only until the
   * next borrowed index is made.
   */
  constructor(ids: readonly string[], borrowed = false) {
    const usable = ids.length < SPAN;
    let capacity = 8;
    while (usable && capacity < ids.length * 2) capacity *= 2;
    const length = usable ? capacity * 2 : 2;
    this.slots = borrowed ? borrowFloat64('id index', length) : new Float64Array(length);
    this.mask = usable ? capacity - 1 : 0;
    let unique = true;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const high = usable ? encode(id) : 0;
      if (high === 0) {
        if (this.other.has(id)) unique = false;
        this.other.set(id, i);
        continue;
      }
      const lowPart = last[0]!;
      const slots = this.slots;
      let j = slotOf(high, lowPart, this.mask);
      for (;;) {
        const packed = slots[2 * j + 1]!;
        const rel = packed - high * SPAN;
        if (packed === 0) break;
        if (rel > 0 && rel <= SPAN && slots[2 * j] === lowPart) {
          unique = false;
          break;
        }
        j = (j + 1) & this.mask;
      }
      slots[2 * j] = lowPart;
      slots[2 * j + 1] = high * SPAN + i + 1;
    }
    this.size = ids.length;
    this.unique = unique;
  }

  /** The position of `id`, or −1. */
  get(id: string): number {
    const high = encode(id);
    if (high === 0) return this.other.get(id) ?? -1;
    const lowPart = last[0]!;
    const slots = this.slots;
    let j = slotOf(high, lowPart, this.mask);
    for (;;) {
      const packed = slots[2 * j + 1]!;
      if (packed === 0) return -1;
      const rel = packed - high * SPAN;
      if (rel > 0 && rel <= SPAN && slots[2 * j] === lowPart) return rel - 1;
      j = (j + 1) & this.mask;
    }
  }
}
