import { describe, expect, it } from 'vitest';
import { workCalendar } from '../../shared/rules/workdays.ts';
import { day } from './build.ts';

describe('working days', () => {
  it('a weekday with no 节假日 row is a working day', () => {
    const cal = workCalendar([]);
    expect(cal.isDayOff(day('2024-06-12'))).toBe(false); // Wednesday
    expect(cal.nextWorkingDay(day('2024-06-12'))).toBe(day('2024-06-12'));
  });

  it('a Saturday or Sunday moves to Monday', () => {
    const cal = workCalendar([]);
    expect(cal.nextWorkingDay(day('2024-06-15'))).toBe(day('2024-06-17'));
    expect(cal.nextWorkingDay(day('2024-06-16'))).toBe(day('2024-06-17'));
  });

  it('a 休息日 on a weekday moves to the next working day', () => {
    const cal = workCalendar([{ date: day('2024-06-12'), kind: '休息日' }]);
    expect(cal.isDayOff(day('2024-06-12'))).toBe(true);
    expect(cal.nextWorkingDay(day('2024-06-12'))).toBe(day('2024-06-13'));
  });

  it('a 调休工作日 on a weekend is a working day', () => {
    // 2024-09-29 (Sunday) and 2024-10-12 (Saturday) were make-up working days.
    const cal = workCalendar([
      { date: day('2024-09-29'), kind: '调休工作日' },
      { date: day('2024-10-12'), kind: '调休工作日' },
    ]);
    expect(cal.nextWorkingDay(day('2024-09-29'))).toBe(day('2024-09-29'));
    expect(cal.nextWorkingDay(day('2024-10-12'))).toBe(day('2024-10-12'));
    expect(cal.nextWorkingDay(day('2024-10-13'))).toBe(day('2024-10-14'));
  });

  it('a run of holidays joined to a weekend is skipped whole', () => {
    // National Day 2024: 10-01 … 10-07 off (10-05 and 10-06 are the weekend anyway).
    const rest = ['01', '02', '03', '04', '07'].map((d) => ({
      date: day(`2024-10-${d}`),
      kind: '休息日' as const,
    }));
    const cal = workCalendar(rest);
    expect(cal.nextWorkingDay(day('2024-10-01'))).toBe(day('2024-10-08'));
  });

  it('a 调休工作日 row wins over a 休息日 row on the same date', () => {
    const cal = workCalendar([
      { date: day('2024-06-12'), kind: '休息日' },
      { date: day('2024-06-12'), kind: '调休工作日' },
    ]);
    expect(cal.isDayOff(day('2024-06-12'))).toBe(false);
  });
});
