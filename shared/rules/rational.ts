/**
 * Exact rationals on bigint. docs/rules.md#exact-arithmetic: no binary floating point in any comparison
 * or rounding (79.5 must stay 79.5), and settings such as weights may be decimals, so
 * every such figure goes through here.
 */

/** n / d with d > 0; not kept in lowest terms, since the rules only compare and round. */
export interface Q {
  readonly n: bigint;
  readonly d: bigint;
}

export const HUNDRED: Q = { n: 100n, d: 1n };

export function q(n: number | bigint, d: number | bigint = 1n): Q {
  const nn = typeof n === 'bigint' ? n : BigInt(n);
  const dd = typeof d === 'bigint' ? d : BigInt(d);
  if (dd === 0n) throw new RangeError('zero denominator');
  return dd < 0n ? { n: -nn, d: -dd } : { n: nn, d: dd };
}

const DECIMAL_RE = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;

/**
 * The decimal a person meant by a parsed number. Settings and thresholds arrive as
 * doubles (0.3 × 100 is 30.000000000000004); reading them back at 15 significant digits
 * recovers what was typed, which is then taken as exact.
 */
export function fromNumber(x: number): Q {
  if (Number.isSafeInteger(x)) return { n: BigInt(x), d: 1n };
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  const m = DECIMAL_RE.exec(x.toPrecision(15));
  if (!m) throw new RangeError(`unreadable number: ${x}`);
  const fraction = (m[3] ?? '').replace(/0+$/, '');
  let digits = BigInt((m[2] ?? '0') + fraction);
  if (m[1] === '-') digits = -digits;
  const exponent = Number(m[4] ?? 0) - fraction.length;
  return exponent >= 0
    ? { n: digits * 10n ** BigInt(exponent), d: 1n }
    : { n: digits, d: 10n ** BigInt(-exponent) };
}

export const add = (a: Q, b: Q): Q =>
  a.d === b.d ? { n: a.n + b.n, d: a.d } : { n: a.n * b.d + b.n * a.d, d: a.d * b.d };
export const sub = (a: Q, b: Q): Q =>
  a.d === b.d ? { n: a.n - b.n, d: a.d } : { n: a.n * b.d - b.n * a.d, d: a.d * b.d };
export const mul = (a: Q, b: Q): Q => ({ n: a.n * b.n, d: a.d * b.d });
export const div = (a: Q, b: Q): Q => q(a.n * b.d, a.d * b.n);

export function cmp(a: Q, b: Q): number {
  const l = a.n * b.d;
  const r = b.n * a.d;
  return l < r ? -1 : l > r ? 1 : 0;
}

export const min = (a: Q, b: Q): Q => (cmp(a, b) <= 0 ? a : b);

/** floor(a / b) for bigints, b > 0 (bigint division truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const t = a / b;
  return a % b !== 0n && a < 0n ? t - 1n : t;
}

/** Nearest integer, halves going up (towards +∞), as docs/rules.md#exact-arithmetic asks. */
export function roundHalfUp(a: Q): number {
  return Number(floorDiv(2n * a.n + a.d, 2n * a.d));
}

/**
 * a / b rounded half up to `decimals` places, for non-negative safe integers: the
 * report and hour figures, which are divided once and then shown.
 */
export function divRound(a: number, b: number, decimals: number): number {
  const scale = 10 ** decimals;
  const num = 2 * a * scale + b;
  const den = 2 * b;
  if (Number.isSafeInteger(num) && Number.isSafeInteger(den)) {
    let whole = Math.floor(num / den);
    const rest = num - whole * den;
    if (rest < 0) whole -= 1;
    else if (rest >= den) whole += 1;
    return whole / scale;
  }
  return Number(floorDiv(BigInt(a) * BigInt(2 * scale) + BigInt(b), BigInt(den))) / scale;
}

/** A rational kept both ways: safe-integer parts for the common case, bigint for the rest. */
export interface FastQ {
  big: Q;
  /** null when n or d is not a safe integer */
  n: number | null;
  d: number;
}

export function fast(a: Q): FastQ {
  const n = Number(a.n);
  const d = Number(a.d);
  return Number.isSafeInteger(n) && Number.isSafeInteger(d)
    ? { big: a, n, d }
    : { big: a, n: null, d: 0 };
}

/** Compares num / den (safe integers, den > 0) with t, exactly. */
export function cmpFast(num: number, den: number, t: FastQ): number {
  if (t.n !== null) {
    const l = num * t.d;
    const r = t.n * den;
    if (Number.isSafeInteger(l) && Number.isSafeInteger(r)) return l < r ? -1 : l > r ? 1 : 0;
  }
  const l = BigInt(num) * t.big.d;
  const r = t.big.n * BigInt(den);
  return l < r ? -1 : l > r ? 1 : 0;
}
