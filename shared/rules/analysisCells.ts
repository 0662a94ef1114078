/** What every 销售分析 table shares: its labels, shares, yuan and row order. */

/** a blank 区域 or 所属行业 */
export const NOT_FILLED = '未填';
export const NO_REGION = NOT_FILLED;
export const OTHER_PRODUCT = '其他';
export const TOTAL = '合计';
/** the tier of a customer whose 客户分层 is blank (invalid rules, nothing typed) */
export const NO_TIER = '（未分层）';

/** A fraction of the column total; a share of nothing is blank. */
export const share = (part: number, whole: number): number | null =>
  whole === 0 ? null : part / whole;
export const yuan = (fen: number): number => fen / 100;
export const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/** first number descending, then the label: the table's order whatever the input's */
export const byFigure =
  <T>(figure: (x: T) => number, label: (x: T) => string) =>
  (a: T, b: T): number =>
    figure(b) - figure(a) || byText(label(a), label(b));
