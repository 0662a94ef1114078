/**
 * Calendar arithmetic on plain integers, in the workbook's own wall time.
 *
 * A date is an integer count of days since 1970-01-01 ("epoch day"); a date-time is an
 * integer count of seconds since 1970-01-01 00:00 of the workbook's wall clock. Every
 * rule compares wall-clock dates in one time zone, so there is no UTC offset to carry
 * and no Date object whose host time zone could leak in.
 */

export type EpochDay = number;
/** Wall-clock seconds since 1970-01-01 00:00 in the workbook's time zone. */
export type WallSeconds = number;

export const SECONDS_PER_DAY = 86_400;

export interface CivilDate {
  year: number;
  month: number;
  day: number;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
export function daysFromCivil(year: number, month: number, day: number): EpochDay {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export function civilFromDays(days: EpochDay): CivilDate {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** True when y-m-d names a real calendar day. */
export function isValidCivil(year: number, month: number, day: number): boolean {
  return (
    Number.isInteger(year) &&
    Number.isInteger(month) &&
    Number.isInteger(day) &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month)
  );
}

/** Same day of month n months later (or earlier), clamped to the month's last day. */
export function addMonths(date: EpochDay, months: number): EpochDay {
  const { year, month, day } = civilFromDays(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return daysFromCivil(y, m, Math.min(day, daysInMonth(y, m)));
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: EpochDay): number {
  return (((date + 4) % 7) + 7) % 7;
}

export function dateOf(time: WallSeconds): EpochDay {
  return Math.floor(time / SECONDS_PER_DAY);
}

export function startOfDay(date: EpochDay): WallSeconds {
  return date * SECONDS_PER_DAY;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

export function formatDate(date: EpochDay): string {
  const { year, month, day } = civilFromDays(date);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

export function formatDateTime(time: WallSeconds): string {
  const date = dateOf(time);
  const secs = time - startOfDay(date);
  return `${formatDate(date)} ${pad(Math.floor(secs / 3600))}:${pad(Math.floor((secs % 3600) / 60))}`;
}

/**
 * Spreadsheet serial numbers. Google Sheets counts days from 1899-12-30. Excel's 1900
 * system counts from 1900-01-01 = 1 and keeps Lotus's phantom 1900-02-29 (serial 60),
 * so the two agree from 1900-03-01 (serial 61) on and differ by a day before it.
 * Excel's 1904 system (old Mac workbooks) counts from 1904-01-01 = 0.
 */
export type SerialEpoch = 'sheets' | 'excel1900' | 'excel1904';

const SERIAL_1970 = 25_569;
const SERIAL_1970_1904 = 24_107;

/** The date part of a serial, or null for Excel's phantom 1900-02-29. */
export function serialToDay(serial: number, epoch: SerialEpoch): EpochDay | null {
  const whole = Math.floor(serial);
  if (epoch === 'excel1904') return whole - SERIAL_1970_1904;
  if (epoch === 'excel1900' && whole < 61) {
    if (whole === 60) return null;
    return whole - SERIAL_1970 + 1;
  }
  return whole - SERIAL_1970;
}

/** A serial's wall time, rounded to the second (serial fractions carry float noise). */
export function serialToSeconds(serial: number, epoch: SerialEpoch): WallSeconds | null {
  const day = serialToDay(serial, epoch);
  if (day === null) return null;
  const fraction = serial - Math.floor(serial);
  return startOfDay(day) + Math.round(fraction * SECONDS_PER_DAY);
}

/** The serial of a date, in the 1900 system (the same number for Excel and Sheets after 1900-02-28). */
export function dayToSerial(date: EpochDay): number {
  return date + SERIAL_1970;
}

export function secondsToSerial(time: WallSeconds): number {
  return time / SECONDS_PER_DAY + SERIAL_1970;
}

/**
 * The wall time of an instant (milliseconds since the Unix epoch) in an IANA time zone.
 * Intl is part of the language, so this runs in Node, browsers and Apps Script alike.
 */
export function wallTimeOf(instantMs: number, timeZone: string): WallSeconds {
  return wallClock(timeZone)(instantMs);
}

/**
 * wallTimeOf for many instants of one zone: the formatter is built once, since building
 * one costs far more than using it (ten thousand date cells read in a sidebar call).
 */
export function wallClock(timeZone: string): (instantMs: number) => WallSeconds {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  return (instantMs) => {
    const parts = format.formatToParts(new Date(instantMs));
    const get = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
    const day = daysFromCivil(get('year'), get('month'), get('day'));
    return startOfDay(day) + get('hour') * 3600 + get('minute') * 60 + get('second');
  };
}

/** True for a time zone name Intl knows. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
