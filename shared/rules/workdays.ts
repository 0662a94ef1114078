/** Days off and the next working day (docs/rules.md#calendar-words). */
import { weekday, type EpochDay } from '../calendar.ts';
import type { Holiday } from '../model.ts';
import { small } from './smallInts.ts';

export interface WorkCalendar {
  isDayOff(date: EpochDay): boolean;
  nextWorkingDay(date: EpochDay): EpochDay;
}

/** Days either side of `around` whose next working day is looked up in a table. */
const TABLE_REACH = 2048;

/**
 * The calendar of the 节假日 rows. With `around` (today), the next working day of the
 * dates near it — nearly every callback candidate — is read from a table built once.
 */
export function workCalendar(holidays: readonly Holiday[], around?: EpochDay): WorkCalendar {
  const rest = new Set<EpochDay>();
  const work = new Set<EpochDay>();
  for (const h of holidays) (h.kind === '调休工作日' ? work : rest).add(h.date);
  const isDayOff = (date: EpochDay): boolean => {
    // A 调休工作日 row wins over both the weekend and a 休息日 row on the same date.
    if (work.has(date)) return false;
    const wd = weekday(date);
    return wd === 0 || wd === 6 || rest.has(date);
  };
  const walk = (date: EpochDay): EpochDay => {
    let d = date;
    // Every run of days off is at most the 休息日 rows plus a weekend long, so this ends.
    while (isDayOff(d)) d += 1;
    return d;
  };
  if (around === undefined) return { isDayOff, nextWorkingDay: walk };
  const first = around - TABLE_REACH;
  const table = new Float64Array(2 * TABLE_REACH);
  let next = walk(first + table.length);
  for (let k = table.length - 1; k >= 0; k--) {
    if (!isDayOff(first + k)) next = first + k;
    table[k] = next;
  }
  return {
    isDayOff,
    nextWorkingDay(date: EpochDay): EpochDay {
      const k = date - first;
      return k >= 0 && k < table.length && Number.isInteger(k) ? small(table[k]!) : walk(date);
    },
  };
}
