import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  creditCodeCheckChar,
  maskPhone,
  parseCreditCode,
  parseDate,
  parseDateTime,
  parseEmail,
  parseInteger,
  parseMoney,
  parsePercent,
  parsePhone,
  splitList,
} from '../../shared/cells.ts';
import {
  addMonths,
  daysFromCivil,
  formatDate,
  formatDateTime,
  serialToDay,
  wallTimeOf,
} from '../../shared/calendar.ts';

const day = (s: string): number => {
  const [y, m, d] = s.split('-').map(Number);
  return daysFromCivil(y!, m!, d!);
};

describe('calendar', () => {
  it('adds months clamped to the end of the month (2024-01-31 + 1 month = 2024-02-29)', () => {
    expect(formatDate(addMonths(day('2024-01-31'), 1))).toBe('2024-02-29');
    expect(formatDate(addMonths(day('2023-01-31'), 1))).toBe('2023-02-28');
    expect(formatDate(addMonths(day('2024-03-31'), -1))).toBe('2024-02-29');
    expect(formatDate(addMonths(day('2024-05-15'), -12))).toBe('2023-05-15');
  });

  it('reads serials in the Sheets epoch and in Excel 1900 with its phantom leap day', () => {
    expect(formatDate(serialToDay(45352, 'sheets')!)).toBe('2024-03-01');
    expect(formatDate(serialToDay(45352, 'excel1900')!)).toBe('2024-03-01');
    expect(formatDate(serialToDay(61, 'excel1900')!)).toBe('1900-03-01');
    expect(serialToDay(60, 'excel1900')).toBeNull();
    expect(formatDate(serialToDay(59, 'excel1900')!)).toBe('1900-02-28');
    expect(formatDate(serialToDay(59, 'sheets')!)).toBe('1900-02-27');
    expect(formatDate(serialToDay(1, 'excel1900')!)).toBe('1900-01-01');
    expect(formatDate(serialToDay(0, 'excel1904')!)).toBe('1904-01-01');
  });

  it('turns an instant into wall time of the workbook time zone', () => {
    const instant = Date.UTC(2024, 2, 1, 16, 30);
    expect(formatDateTime(wallTimeOf(instant, 'Asia/Shanghai'))).toBe('2024-03-02 00:30');
    expect(formatDateTime(wallTimeOf(instant, 'UTC'))).toBe('2024-03-01 16:30');
  });
});

describe('dates and date-times in cells', () => {
  it('accepts the three written forms and serial numbers', () => {
    for (const text of ['2024-03-01', '2024/3/1', '2024年3月1日', ' 2024-03-01 ']) {
      expect(parseDate(text, 'sheets')).toEqual({ ok: true, value: day('2024-03-01') });
    }
    expect(parseDate(45352, 'sheets')).toEqual({ ok: true, value: day('2024-03-01') });
  });

  it('refuses impossible and unreadable dates with what is expected', () => {
    for (const bad of ['2024-02-30', '2023-02-29', '明天', '03/01/2024', -5]) {
      const r = parseDate(bad, 'sheets');
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toContain('2024-03-01');
    }
  });

  it('reads date-times from text and serial fractions, a bare date being midnight', () => {
    const t = parseDateTime('2024-03-01 14:30', 'sheets');
    expect(t.ok && formatDateTime(t.value)).toBe('2024-03-01 14:30');
    const s = parseDateTime(45352.5625, 'sheets');
    expect(s.ok && formatDateTime(s.value)).toBe('2024-03-01 13:30');
    const d = parseDateTime('2024/3/1', 'sheets');
    expect(d.ok && formatDateTime(d.value)).toBe('2024-03-01 00:00');
    expect(parseDateTime('2024-03-01 25:00', 'sheets').ok).toBe(false);
  });
});

describe('money', () => {
  it('is exact integer fen', () => {
    expect(parseMoney(12000)).toEqual({ ok: true, value: 1_200_000 });
    expect(parseMoney('¥12,000')).toEqual({ ok: true, value: 1_200_000 });
    expect(parseMoney('1.2万')).toEqual({ ok: true, value: 1_200_000 });
    expect(parseMoney('12,000元')).toEqual({ ok: true, value: 1_200_000 });
    expect(parseMoney(0.1)).toEqual({ ok: true, value: 10 });
    expect(parseMoney(1.005)).toEqual({ ok: true, value: 101 });
    expect(parseMoney('99999.99')).toEqual({ ok: true, value: 9_999_999 });
  });

  it('sums 0.1 + 0.2 yuan to exactly 0.30', () => {
    const a = parseMoney(0.1);
    const b = parseMoney(0.2);
    expect(a.ok && b.ok && a.value + b.value).toBe(30);
  });

  it('refuses negatives and words', () => {
    expect(parseMoney(-1).ok).toBe(false);
    expect(parseMoney('-100').ok).toBe(false);
    expect(parseMoney('一万').ok).toBe(false);
    expect(parseMoney('12abc').ok).toBe(false);
  });
});

describe('phones, emails, credit codes', () => {
  it('normalises and validates mainland mobiles and landlines', () => {
    expect(parsePhone('138 1234 5678')).toEqual({ ok: true, value: '13812345678' });
    expect(parsePhone('+86 138-1234-5678')).toEqual({ ok: true, value: '13812345678' });
    expect(parsePhone(13812345678)).toEqual({ ok: true, value: '13812345678' });
    expect(parsePhone('0571-88886666')).toEqual({ ok: true, value: '057188886666' });
    expect(parsePhone('010-1234567')).toEqual({ ok: true, value: '0101234567' });
    expect(parsePhone('12812345678').ok).toBe(false);
    expect(parsePhone('1381234567').ok).toBe(false);
  });

  it('masks a phone keeping the first 3 and last 4 digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('1234567')).toBe('1234567');
    // Any text, by UTF-16 code units as String.prototype.slice counts them.
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 20 }), (text) => {
        const expected = text.length <= 7 ? text : text.slice(0, 3) + '****' + text.slice(-4);
        expect(maskPhone(text)).toBe(expected);
      }),
    );
  });

  it('checks emails', () => {
    expect(parseEmail('Li.Ming@Example.com')).toEqual({ ok: true, value: 'li.ming@example.com' });
    expect(parseEmail('li.ming@').ok).toBe(false);
  });

  it('checks the GB 32100-2015 check character', () => {
    const body = '91330100MA2B3C4D5';
    const check = creditCodeCheckChar(body)!;
    expect(parseCreditCode(body + check)).toEqual({ ok: true, value: body + check });
    const wrong = check === '0' ? '1' : '0';
    const r = parseCreditCode(body + wrong);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(`末位应为 ${check}`);
    expect(parseCreditCode('91330100MA2B3C4D5I').ok).toBe(false);
  });
});

describe('numbers, percents and lists', () => {
  it('reads satisfaction 1–5 as an integer in range', () => {
    expect(parseInteger(5, 1, 5)).toEqual({ ok: true, value: 5 });
    expect(parseInteger('3', 1, 5)).toEqual({ ok: true, value: 3 });
    expect(parseInteger(6, 1, 5).ok).toBe(false);
    expect(parseInteger(4.5, 1, 5).ok).toBe(false);
  });

  it('reads a percent setting as 30, 30% or the fraction 0.3', () => {
    expect(parsePercent(30)).toEqual({ ok: true, value: 30 });
    expect(parsePercent('30%')).toEqual({ ok: true, value: 30 });
    expect(parsePercent(0.3)).toEqual({ ok: true, value: 30 });
    expect(parsePercent('abc').ok).toBe(false);
  });

  it('splits lists on , ， and 、', () => {
    expect(splitList('制造业、零售,金融，教育')).toEqual(['制造业', '零售', '金融', '教育']);
  });
});
