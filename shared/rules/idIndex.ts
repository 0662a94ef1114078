/**
 * 客户编号 → position, for the million child-row lookups of a computation.
 *
 * A Map of strings compares the looked-up text with the stored key, which on a large
 * workbook is a cache miss on top of the table's own. IDs in the usual shape — one to
 * three capital letters, then 5 to 14 digits (E20240001, VIP2024000123) — are therefore
 * encoded as exact numbers: kept in a dense table by serial when they form a few runs of
 * serials (as IDs the workbook assigns do), else in an open-addressing table where key
 * and position share a slot; any other text goes to a plain Map. Two IDs get the same
 * code only when they are the same text, so the answer is the Map's.
 */
import { borrowFloat64 } from './scratch.ts';

/** 2^24: positions up to this many customers share a double with the key's high part. */
const SPAN = 16_777_216;

// The serial and the digit count past the year of the last encode() call, kept outside
// to spare an allocation per lookup: in a typed array rather than variables, where a
// number past 2^31 would be boxed anew on every write (a million times per computation).
const last = new Float64Array(2);

/**
 * The high part of an ID's code (prefix in base 27, then the 4-digit year), with the
 * serial (the digits after the year) in last[0] and their count in last[1]; 0 when the
 * ID is not in the usual shape.
 */
function encode(id: string): number {
  const n = id.length;
  // 1 to 3 capitals and 5 to 14 digits.
  if (n < 6 || n > 17) return 0;
  let c = id.charCodeAt(0) - 64;
  if (c < 1 || c > 26) return 0;
  let prefix = c;
  let k = 1;
  for (; (c = id.charCodeAt(k) - 64) >= 1 && c <= 26; k++) {
    if (k === 3) return 0;
    prefix = prefix * 27 + c;
  }
  const width = n - k - 4;
  if (width < 1 || width > 10) return 0;
  // The year and the serial in small integers, digit by digit, rather than one double
  // carried through every digit and split by a division (a million lookups: 80 → 76 ms).
  const y0 = id.charCodeAt(k) - 48;
  const y1 = id.charCodeAt(k + 1) - 48;
  const y2 = id.charCodeAt(k + 2) - 48;
  const y3 = id.charCodeAt(k + 3) - 48;
  if (y0 >>> 0 > 9 || y1 >>> 0 > 9 || y2 >>> 0 > 9 || y3 >>> 0 > 9) return 0;
  // At most 9 digits in the int32 loop; a tenth is added as a double after it.
  const end = width === 10 ? n - 1 : n;
  let serial = 0;
  for (let j = k + 4; j < end; j++) {
    const d = id.charCodeAt(j) - 48;
    if (d >>> 0 > 9) return 0;
    serial = serial * 10 + d;
  }
  if (end !== n) {
    const d = id.charCodeAt(end) - 48;
    if (d >>> 0 > 9) return 0;
    last[0] = serial * 10 + d;
  } else last[0] = serial;
  last[1] = width;
  return prefix * 10_000 + (y0 * 1000 + y1 * 100 + y2 * 10 + y3);
}

/** The low part of the hash table's key: digit count past the year, then the serial. */
const lowOf = (serial: number, width: number): number => width * 1e10 + serial;

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

/** Groups of IDs (prefix, year and serial width alike) a dense table may hold at most. */
const MAX_GROUPS = 64;

/**
 * Where the IDs of each group sit in a dense table: IDs of one prefix, year and serial
 * width, whose serials span a range not much wider than their count, are found by
 * serial − the group's smallest, without hashing. Workbook IDs count up per prefix and
 * year (ids.ts), so a customer table is a handful of such groups; the table is then a
 * tenth of the hash table's size and mostly stays in the processor's cache.
 */
interface DenseGroups {
  /** high × 16 + width of each group */
  key: Float64Array;
  min: Float64Array;
  /** the group's first slot in `positions` */
  base: Float64Array;
  span: Float64Array;
  count: number;
  /** position + 1 by slot; 0 when empty */
  positions: Int32Array;
  /** each ID's slot, −1 for an ID not in the usual shape: read once, not again to place it */
  slotOf: Float64Array;
}

export class IdIndex {
  /** slot j: [2j] the low part, [2j + 1] high × SPAN + position + 1; 0 when empty */
  private readonly slots: Float64Array;
  private readonly mask: number;
  private readonly dense: DenseGroups | null;
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
    this.dense = usable ? denseGroups(ids) : null;
    let capacity = 8;
    while (usable && this.dense === null && capacity < ids.length * 2) capacity *= 2;
    const length = usable && this.dense === null ? capacity * 2 : 2;
    this.slots = borrowed ? borrowFloat64('id index', length) : new Float64Array(length);
    this.mask = length > 2 ? capacity - 1 : 0;
    let unique = true;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const dense = this.dense;
      if (dense !== null) {
        const slot = dense.slotOf[i]!;
        if (slot >= 0) {
          if (dense.positions[slot] !== 0) unique = false;
          dense.positions[slot] = i + 1;
          continue;
        }
      }
      const high = usable && dense === null ? encode(id) : 0;
      if (high === 0) {
        if (this.other.has(id)) unique = false;
        this.other.set(id, i);
        continue;
      }
      const lowPart = lowOf(last[0]!, last[1]!);
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
    const dense = this.dense;
    if (dense !== null) {
      const slot = denseSlot(dense, high);
      return slot < 0 ? -1 : dense.positions[slot]! - 1;
    }
    const lowPart = lowOf(last[0]!, last[1]!);
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

/** The dense slot of the ID encode() has just read, −1 when its group or serial is outside. */
function denseSlot(dense: DenseGroups, high: number): number {
  const key = high * 16 + last[1]!;
  const keys = dense.key;
  for (let g = 0; g < dense.count; g++) {
    if (keys[g] !== key) continue;
    const k = last[0]! - dense.min[g]!;
    return k >= 0 && k < dense.span[g]! ? dense.base[g]! + k : -1;
  }
  return -1;
}

/**
 * The groups of the encodable IDs, when there are at most MAX_GROUPS of them and their
 * serial ranges together are at most 4 slots per ID (plus a little); otherwise null and
 * the hash table serves.
 */
function denseGroups(ids: readonly string[]): DenseGroups | null {
  const key = new Float64Array(MAX_GROUPS);
  const min = new Float64Array(MAX_GROUPS).fill(Infinity);
  const max = new Float64Array(MAX_GROUPS).fill(-Infinity);
  let count = 0;
  // Each ID's group and serial, to place it without reading it again (group −1: none).
  const groupOf = new Int8Array(ids.length);
  const slotOf = new Float64Array(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const high = encode(ids[i]!);
    if (high === 0) {
      groupOf[i] = -1;
      continue;
    }
    const k = high * 16 + last[1]!;
    let g = 0;
    while (g < count && key[g] !== k) g++;
    if (g === count) {
      if (count === MAX_GROUPS) return null;
      key[count++] = k;
    }
    const serial = last[0]!;
    groupOf[i] = g;
    slotOf[i] = serial;
    if (serial < min[g]!) min[g] = serial;
    if (serial > max[g]!) max[g] = serial;
  }
  const base = new Float64Array(count);
  const span = new Float64Array(count);
  let total = 0;
  for (let g = 0; g < count; g++) {
    base[g] = total;
    span[g] = max[g]! - min[g]! + 1;
    total += span[g]!;
    if (total > 4 * ids.length + 1024) return null;
  }
  for (let i = 0; i < ids.length; i++) {
    const g = groupOf[i]!;
    slotOf[i] = g < 0 ? -1 : base[g]! + slotOf[i]! - min[g]!;
  }
  return {
    key: key.subarray(0, count),
    min: min.subarray(0, count),
    base,
    span,
    count,
    positions: new Int32Array(total),
    slotOf,
  };
}
