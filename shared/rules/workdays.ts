/** Days off and the next working day (docs/rules.md#calendar-words). */
import { weekday, type EpochDay } from '../calendar.ts';
import type { Holiday } from '../model.ts';

export interface WorkCalendar {
  isDayOff(date: EpochDay): boolean;
  nextWorkingDay(date: EpochDay): EpochDay;
}

export function workCalendar(holidays: readonly Holiday[]): WorkCalendar {
  const rest = new Set<EpochDay>();
  const work = new Set<EpochDay>();
  for (const h of holidays) (h.kind === '调休工作日' ? work : rest).add(h.date);
  const isDayOff = (date: EpochDay): boolean => {
    // A 调休工作日 row wins over both the weekend and a 休息日 row on the same date.
    if (work.has(date)) return false;
    const wd = weekday(date);
    return wd === 0 || wd === 6 || rest.has(date);
  };
  return {
    isDayOff,
    nextWorkingDay(date: EpochDay): EpochDay {
      let d = date;
      // Every run of days off is at most the 休息日 rows plus a weekend long, so this ends.
      while (isDayOff(d)) d += 1;
      return d;
    },
  };
}
