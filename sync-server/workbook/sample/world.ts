/**
 * The simulated world: today, the 18 months the sample spans, and each customer's
 * profile — what every tab needs to know about a customer — drawn from its own stream.
 */
import {
  addMonths,
  civilFromDays,
  dateOf,
  SECONDS_PER_DAY,
  type EpochDay,
  type WallSeconds,
} from '../../../shared/calendar.ts';
import type * as V from '../../../sheets-templates/values.ts';
import { OWNERS } from './identity.ts';
import { Rng, Stream } from './random.ts';

export type SampleValue = string | number | null;
/** One row keyed by the template's column keys; absent keys are blank cells. */
export type SampleRow = Readonly<Record<string, SampleValue>>;

export type Kind = (typeof V.CUSTOMER_KINDS)[number];
type Status = (typeof V.CUSTOMER_STATUSES)[number];

/** What every tab needs to know about a customer, drawn from its profile stream. */
export interface Profile {
  index: number;
  kind: Kind;
  status: Status;
  intent: string | null;
  created: EpochDay;
  signed: EpochDay | null;
  /** the last day the customer did business: today unless lost */
  activeUntil: EpochDay;
  owner: string;
  /** orders per 30 days */
  orderRate: number;
  /** orders fell away in the last 3 months (churn signal) */
  fading: boolean;
  bigSpender: boolean;
  /** a lead someone has already talked to */
  contacted: boolean;
  visited: boolean;
  /**
   * the team is behind with this customer: its latest callback, due within the last
   * [LATE_DAYS] days, is not done yet (about one customer in ten)
   */
  late: boolean;
}

/** How far behind a late customer's callback may be. */
export const LATE_DAYS = 45;

/** 线索首联天数 and 线索跟进间隔天数 by 意向等级, as a new workbook's 参数 sets them. */
export const FIRST_CONTACT_DAYS: Readonly<Record<string, number>> = { A: 3, B: 7, C: 15 };
export const LEAD_INTERVAL_DAYS: Readonly<Record<string, number>> = { A: 7, B: 14, C: 30 };

export interface Customer extends Profile {
  id: string;
}

/** Counts serials per prefix and year, as new IDs do. */
export class IdCounter {
  private readonly next = new Map<string, number>();

  take(prefix: string, date: EpochDay): string {
    const year = civilFromDays(date).year;
    const key = `${prefix}${year}`;
    const serial = (this.next.get(key) ?? 0) + 1;
    this.next.set(key, serial);
    return `${key}${String(serial).padStart(4, '0')}`;
  }
}

export const minutes = (m: number): number => Math.round(m) * 60;

export class World {
  readonly today: EpochDay;
  /** the first day of the 18 months the sample spans */
  readonly start: EpochDay;
  readonly last3: EpochDay;
  readonly last6: EpochDay;

  constructor(
    readonly count: number,
    readonly seed: number,
    readonly now: WallSeconds,
  ) {
    this.today = dateOf(now);
    this.start = addMonths(this.today, -18);
    this.last3 = addMonths(this.today, -3);
    this.last6 = addMonths(this.today, -6);
  }

  private profile(index: number): Profile {
    const rng = Rng.of(this.seed, index, Stream.Profile);
    const T = this.today;
    const span = T - this.start;
    const kind: Kind = rng.chance(0.7) ? '企业' : '个人';
    const status = rng.weighted<Status>([
      ['潜在', 25],
      ['正式', 65],
      ['流失', 10],
    ]);
    const owner = rng.pick(OWNERS);
    const orderRate = rng.weighted([
      [0.2, 2],
      [0.4, 3],
      [0.6, 3],
      [1, 2],
      [1.5, 1.5],
      [2.5, 1],
    ]);
    const bigSpender = rng.chance(0.12);
    const visited = rng.chance(0.75);
    const late = Rng.of(this.seed, index, Stream.Pace).chance(0.1);
    const base = { index, kind, status, owner, orderRate, bigSpender, visited, late };

    if (status === '潜在') {
      const intent = rng.weighted<string | null>([
        ['A', 25],
        ['B', 35],
        ['C', 32],
        [null, 8],
      ]);
      const contacted = rng.chance(0.6);
      // A lead nobody has called yet is new: its first contact is still ahead, unless
      // the team is behind with it.
      const first = FIRST_CONTACT_DAYS[intent ?? 'C']!;
      const age = contacted
        ? rng.int(0, rng.chance(0.8) ? 90 : 180)
        : late
          ? first + rng.int(1, LATE_DAYS)
          : rng.int(0, first);
      const created = T - age;
      return {
        ...base,
        intent,
        created,
        signed: null,
        activeUntil: T,
        fading: false,
        contacted,
      };
    }
    if (status === '正式') {
      const created = this.start + rng.int(0, Math.max(0, span - 20));
      const signed = Math.min(T, created + rng.int(0, 60));
      return {
        ...base,
        intent: null,
        created,
        signed,
        activeUntil: T,
        fading: signed <= this.last6 && rng.chance(0.15),
        contacted: true,
      };
    }
    const created = this.start + rng.int(0, Math.max(0, span - 240));
    const signed = Math.min(T, created + rng.int(0, 45));
    const activeUntil = Math.min(T, signed + rng.int(60, Math.max(60, T - 90 - signed)));
    return {
      ...base,
      intent: null,
      created,
      signed,
      activeUntil,
      fading: false,
      contacted: true,
    };
  }

  /** Customers in sheet order with their IDs, recomputed for each tab. */
  *customersWithIds(): Generator<Customer> {
    const ids = new IdCounter();
    for (let index = 0; index < this.count; index++) {
      const profile = this.profile(index);
      const prefix = profile.kind === '企业' ? 'E' : 'P';
      yield { ...profile, id: ids.take(prefix, profile.created) };
    }
  }

  /** A time in office hours on `day`, never later than now. */
  workingTime(rng: Rng, day: EpochDay): WallSeconds {
    const time = day * SECONDS_PER_DAY + minutes(rng.int(9 * 60, 18 * 60 - 1));
    if (time <= this.now) return time;
    return this.now - (this.now % 60) - minutes(rng.int(0, 120));
  }
}
