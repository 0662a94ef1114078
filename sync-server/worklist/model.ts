/**
 * The service's warm 我的待办: what the last sync computed, kept as a WorkSource for its
 * day, so `GET /api/worklist` filters and sorts one person's part without reading the
 * workbook. The source is built when a page first asks after a sync, not by the sync
 * itself: a burst of forms then costs one build, not one per sync, and a sync never waits
 * for it. Another day (`?date=`, or today before the first sync after midnight) is
 * computed once from a full read and kept until the next sync.
 */
import {
  dateOf,
  startOfDay,
  wallTimeOf,
  type EpochDay,
  type WallSeconds,
} from '../../shared/calendar.ts';
import { computeRules } from '../../shared/rules/index.ts';
import { readWorkbookSettings, validateWorkbook } from '../../shared/validate/index.ts';
import { buildWorkSource, type WorkSource } from '../../shared/worklist.ts';
import type { Computed } from '../sync/runSync.ts';
import type { WorkbookStore } from '../sync/store.ts';

export class WorklistModel {
  private warm: WorkSource | null = null;
  /** the last sync's results, until a page asks for their day */
  private pending: Computed | null = null;
  /** the day the last sync computed */
  private warmDate: EpochDay | null = null;
  private timeZone = 'Asia/Shanghai';
  private readonly other = new Map<EpochDay, Promise<WorkSource>>();

  constructor(
    private readonly store: WorkbookStore,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Called by the sync with what it computed (before its write): only kept, so the next
   * request answers from this sync and never from an older one.
   */
  readonly observe = (computed: Computed): void => {
    this.timeZone = computed.validated.dataset.settings.timeZone;
    this.pending = computed;
    this.warm = null;
    this.warmDate = dateOf(computed.now);
    this.other.clear();
  };

  /** The last sync's source, built now if no page has asked since that sync. */
  private warmSource(): WorkSource | null {
    const computed = this.pending;
    if (computed) {
      this.warm = buildWorkSource(
        computed.validated.dataset,
        computed.rules.dueCallbacks,
        dateOf(computed.now),
        (id) => computed.rules.customers.get(id)?.tier ?? null,
      );
      this.pending = null;
    }
    return this.warm;
  }

  /** The workbook's wall time now. */
  now(): WallSeconds {
    return wallTimeOf(this.clock(), this.timeZone);
  }

  today(): EpochDay {
    return dateOf(this.now());
  }

  /** The source for `date`: the warm one when the last sync computed that day. */
  async source(date: EpochDay): Promise<WorkSource> {
    if (this.warmDate === date) {
      const warm = this.warmSource();
      if (warm) return warm;
    }
    let p = this.other.get(date);
    if (!p) {
      p = this.compute(date);
      this.other.set(date, p);
      p.catch(() => this.other.delete(date));
      // A few days at most: each is a whole computed workbook.
      if (this.other.size > 3) this.other.delete(this.other.keys().next().value!);
    }
    return p;
  }

  private async compute(date: EpochDay): Promise<WorkSource> {
    const snapshot = await this.store.read();
    const timeZone = snapshot.timeZone ?? readWorkbookSettings(snapshot.input, []).timeZone;
    const instant = this.now();
    const now = startOfDay(date) + (instant - startOfDay(dateOf(instant)));
    const validated = validateWorkbook(snapshot.input, now, { timeZone });
    const rules = computeRules(validated.dataset, now, { dueCallbacks: true });
    return buildWorkSource(
      validated.dataset,
      rules.dueCallbacks,
      date,
      (id) => rules.customers.get(id)?.tier ?? null,
    );
  }
}
