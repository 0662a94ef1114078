/**
 * Reading what people type into cells. Each parser takes a raw cell value (a string,
 * a number, a boolean or blank) and answers either the typed value or a zh-CN message
 * that says what is expected.
 */
import {
  daysFromCivil,
  isValidCivil,
  serialToDay,
  serialToSeconds,
  startOfDay,
  type EpochDay,
  type SerialEpoch,
  type WallSeconds,
} from './calendar.ts';
import type { Fen } from './model.ts';

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(message: string): Parsed<T> => ({ ok: false, message });

export type RawCell = string | number | boolean | null | undefined;

/** A value as written to a cell: blank is null. */
export type CellValue = string | number | boolean | null;

/** Blank means null, undefined, or text that is only spaces. */
export function isBlank(raw: unknown): boolean {
  return raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '');
}

/** The text of a cell as people see it, trimmed; numbers without float noise. */
export function cellText(raw: unknown): string {
  if (raw === null || raw === undefined) return '';
  if (typeof raw === 'number')
    return Number.isInteger(raw) ? String(raw) : String(Number(raw.toPrecision(15)));
  return String(raw).trim();
}

// Serial numbers from 1900-01-01 to 9999-12-31: anything else in a date cell is not a date.
const MIN_SERIAL = 1;
const MAX_SERIAL = 2_958_465;

const DATE_RE =
  /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)$/;
const DATE_TIME_RE =
  /^(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?)(?:\s*[T\s]\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

const DATE_EXPECTED = '应为日期，如 2024-03-01、2024/3/1 或 2024年3月1日';
const DATE_TIME_EXPECTED = '应为日期时间，如 2024-03-01 14:30';

function civil(y: string, m: string, d: string): EpochDay | null {
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  return isValidCivil(year, month, day) ? daysFromCivil(year, month, day) : null;
}

export function parseDate(raw: unknown, epoch: SerialEpoch): Parsed<EpochDay> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < MIN_SERIAL || raw > MAX_SERIAL) return fail(DATE_EXPECTED);
    const day = serialToDay(raw, epoch);
    return day === null ? fail('1900-02-29 不存在：' + DATE_EXPECTED) : ok(day);
  }
  const text = cellText(raw);
  const m = DATE_RE.exec(text) ?? DATE_TIME_RE.exec(text);
  if (!m) return fail(DATE_EXPECTED);
  const day = civil(m[1]!, (m[2] ?? m[4])!, (m[3] ?? m[5])!);
  return day === null ? fail('日期不存在：' + DATE_EXPECTED) : ok(day);
}

export function parseDateTime(raw: unknown, epoch: SerialEpoch): Parsed<WallSeconds> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < MIN_SERIAL || raw > MAX_SERIAL)
      return fail(DATE_TIME_EXPECTED);
    const time = serialToSeconds(raw, epoch);
    return time === null ? fail('1900-02-29 不存在：' + DATE_TIME_EXPECTED) : ok(time);
  }
  const m = DATE_TIME_RE.exec(cellText(raw));
  if (!m) return fail(DATE_TIME_EXPECTED);
  const day = civil(m[1]!, (m[2] ?? m[4])!, (m[3] ?? m[5])!);
  if (day === null) return fail('日期不存在：' + DATE_TIME_EXPECTED);
  const hour = Number(m[6] ?? 0);
  const minute = Number(m[7] ?? 0);
  const second = Number(m[8] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return fail('时间不存在：' + DATE_TIME_EXPECTED);
  return ok(startOfDay(day) + hour * 3600 + minute * 60 + second);
}

/**
 * A decimal string to an exact integer count of 10^-scale units, rounded half up.
 * Works on the digits, so 1.005 is 1.005 and not 1.00499999.
 */
function decimalToUnits(text: string, scale: number): number | null {
  const m = /^(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null;
  const digits = (m[1] ?? '') + (m[2] ?? '');
  const point = (m[1] ?? '').length + Number(m[3] ?? 0) + scale;
  const whole = point <= 0 ? '0' : digits.slice(0, point).padEnd(point, '0');
  const next = point < 0 ? 0 : Number(digits[point] ?? '0');
  const value = Number(whole) + (next >= 5 ? 1 : 0);
  return Number.isSafeInteger(value) ? value : null;
}

const MONEY_EXPECTED = '应为不小于 0 的金额（元），如 12000、¥12,000 或 1.2万';

/** Yuan to integer fen: plain numbers, `¥12,000`, `12,000元`, `1.2万`. */
export function parseMoney(raw: unknown): Parsed<Fen> {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return fail(MONEY_EXPECTED);
    if (raw < 0) return fail('金额不能为负数：' + MONEY_EXPECTED);
    // A whole number of fen: when fen / 100 gives back this very double, the shortest
    // decimal that round-trips (below) is that of fen / 100, so the answer is fen. Far
    // below 2^53 a double is fine enough that no other decimal of two places is as near.
    if (raw < 1e11) {
      const fen = Math.round(raw * 100);
      if (fen / 100 === raw) return ok(fen);
    }
    // The shortest decimal that round-trips is what the person typed.
    const fen = decimalToUnits(String(raw), 2);
    return fen === null ? fail(MONEY_EXPECTED) : ok(fen);
  }
  let text = cellText(raw)
    .replace(/[\s,，]/g, '')
    .replace(/^[¥￥]|^RMB|^CNY/i, '');
  text = text.replace(/元$/, '');
  if (text.startsWith('-')) return fail('金额不能为负数：' + MONEY_EXPECTED);
  let scale = 2;
  if (text.endsWith('万')) {
    scale = 6;
    text = text.slice(0, -1);
  }
  const fen = decimalToUnits(text.replace(/^\+/, ''), scale);
  return fen === null ? fail(MONEY_EXPECTED) : ok(fen);
}

export function fenToYuan(fen: Fen): number {
  return fen / 100;
}

const NUMBER_EXPECTED = '应为数字';

export function parseNumber(raw: unknown): Parsed<number> {
  if (typeof raw === 'number') return Number.isFinite(raw) ? ok(raw) : fail(NUMBER_EXPECTED);
  const text = cellText(raw).replace(/[,，]/g, '');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return fail(NUMBER_EXPECTED);
  return ok(Number(text));
}

export function parseInteger(raw: unknown, min?: number, max?: number): Parsed<number> {
  const n = parseNumber(raw);
  if (
    n.ok &&
    Number.isInteger(n.value) &&
    (min === undefined || n.value >= min) &&
    (max === undefined || n.value <= max)
  )
    return n;
  const range =
    min !== undefined && max !== undefined
      ? `${min} 到 ${max} 之间的整数`
      : min !== undefined
        ? `不小于 ${min} 的整数`
        : '整数';
  return fail('应为' + range);
}

const PHONE_EXPECTED =
  '应为手机号（1开头11位）、座机号（如 0571-88886666）或 400/800 服务号（如 400-820-8820），可带 +86';

/** Digits only, country code dropped: `+86 138-1234-5678` → `13812345678`. */
export function parsePhone(raw: unknown): Parsed<string> {
  let digits = cellText(raw).replace(/[\s\-()（）]/g, '');
  if (digits.startsWith('+86')) digits = digits.slice(3);
  else if (digits.startsWith('0086')) digits = digits.slice(4);
  else if (/^86(1[3-9]\d{9})$/.test(digits)) digits = digits.slice(2);
  if (/^1[3-9]\d{9}$/.test(digits) || /^0\d{2,3}\d{7,8}$/.test(digits)) return ok(digits);
  // 400/800 service numbers: companies list them as their contact line.
  if (/^[48]00\d{7}$/.test(digits)) return ok(digits);
  return fail(PHONE_EXPECTED);
}

/** `13812345678` → `138****5678`; other numbers keep their first 3 and last 4 digits. */
export function maskPhone(p: string): string {
  const n = p.length;
  if (n <= 7) return p;
  // One string from the kept code units rather than two slices joined in two steps: the
  // 回访计划 masks a phone per row, and the pieces were most of its garbage. No helper
  // closure: tsx names each one it creates, which a call per row would pay for.
  return String.fromCharCode(
    p.charCodeAt(0),
    p.charCodeAt(1),
    p.charCodeAt(2),
    STAR,
    STAR,
    STAR,
    STAR,
    p.charCodeAt(n - 4),
    p.charCodeAt(n - 3),
    p.charCodeAt(n - 2),
    p.charCodeAt(n - 1),
  );
}

const STAR = 42; // '*'

const EMAIL_RE = /^[^\s@，,;；]+@[^\s@，,;；]+\.[^\s@，,;；]+$/;

export function parseEmail(raw: unknown): Parsed<string> {
  const text = cellText(raw);
  return EMAIL_RE.test(text) ? ok(text.toLowerCase()) : fail('应为邮箱地址，如 name@example.com');
}

const CREDIT_CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_CODE_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** The GB 32100-2015 check character for the first 17 characters, or null when one is not allowed. */
export function creditCodeCheckChar(first17: string): string | null {
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = CREDIT_CODE_CHARS.indexOf(first17[i] ?? '');
    if (v < 0) return null;
    sum += v * CREDIT_CODE_WEIGHTS[i]!;
  }
  return CREDIT_CODE_CHARS[(31 - (sum % 31)) % 31]!;
}

export function parseCreditCode(raw: unknown): Parsed<string> {
  const text = cellText(raw).toUpperCase().replace(/\s/g, '');
  const expected = '应为18位统一社会信用代码（数字和大写字母，末位为校验码）';
  if (text.length !== 18) return fail(expected);
  const check = creditCodeCheckChar(text.slice(0, 17));
  if (check === null) return fail(expected);
  if (check !== text[17]) return fail(`校验码不符（末位应为 ${check}）：${expected}`);
  return ok(text);
}

/** 好 5, 较好 4, 一般 3, 差 2, 很差 1. */
export const SATISFACTION_SCORES: Readonly<Record<string, number>> = {
  好: 5,
  较好: 4,
  一般: 3,
  差: 2,
  很差: 1,
};

/** Splits a one-cell list on `,` `，` or `、`. */
export function splitList(text: string): string[] {
  return text
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * A percent setting: 30, `30%`, or 0.3 from a percent-formatted cell. Below 1 it is a
 * fraction, otherwise a percent.
 */
export function parsePercent(raw: unknown): Parsed<number> {
  const text = cellText(raw);
  const hasSign = text.endsWith('%') || text.endsWith('％');
  const n = parseNumber(hasSign ? text.slice(0, -1) : raw);
  if (!n.ok || n.value < 0) return fail('应为百分比，如 30、30% 或 0.3');
  if (hasSign || n.value >= 1) return n;
  return ok(Number((n.value * 100).toPrecision(12)));
}

/** Header texts match after trimming and folding full-width brackets. */
export function normalizeHeader(text: unknown): string {
  return cellText(text).replace(/（/g, '(').replace(/）/g, ')');
}
