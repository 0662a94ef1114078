/**
 * Seeded randomness. Each customer draws from its own streams seeded from (seed, index,
 * purpose), so a tab can regenerate the facts it needs without keeping any customer.
 */
import type { EpochDay } from '../../../shared/calendar.ts';

function mix32(value: number): number {
  let h = value | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function seedOf(seed: number): number {
  const whole = Math.floor(seed);
  return mix32((whole % 2 ** 32) ^ mix32(Math.floor(whole / 2 ** 32) + 0x9e3779b9));
}

/** What a stream is for; each purpose of each customer has its own stream. */
export const Stream = {
  Profile: 1,
  Details: 2,
  Orders: 3,
  FollowUps: 4,
  Tickets: 5,
  Visits: 6,
  /** whether the team is behind with this customer's callbacks */
  Pace: 7,
  Surveys: 8,
} as const;
export type Stream = (typeof Stream)[keyof typeof Stream];

/** mulberry32: tiny, fast, and good enough for sample data. */
export class Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  static of(seed: number, index: number, stream: Stream): Rng {
    return new Rng(
      mix32(mix32(seed + Math.imul(index, 0x9e3779b1)) ^ Math.imul(stream, 0x27d4eb2f)),
    );
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = Math.imul(this.state ^ (this.state >>> 15), 1 | this.state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return hi <= lo ? lo : lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1]![0];
  }
}

/**
 * `(a·i + b) mod m` visits every residue once when a and m are coprime, which gives
 * each customer a distinct name, phone and credit code without remembering any.
 */
export function permute(
  index: number,
  modulus: number,
  multiplier: number,
  offset: number,
): number {
  // The product stays below 2^53 for every index this generator accepts.
  return ((index % modulus) * (multiplier % modulus) + (offset % modulus)) % modulus;
}

/** `count` days drawn from [from, to], in order. */
export function randomDays(rng: Rng, from: EpochDay, to: EpochDay, count: number): EpochDay[] {
  if (to < from) return [];
  const days: EpochDay[] = [];
  for (let k = 0; k < count; k++) days.push(rng.int(from, to));
  return days.sort((a, b) => a - b);
}
