/**
 * Numbers kept in result objects as small integers where they are ones. V8 stores a
 * field that has ever held a non-integer (or a value read from a Float64Array) as a
 * separately allocated box, one per field per object; at 100,000 customers those boxes
 * were a quarter of the memory the results keep and of the garbage collector's copying.
 * Both functions return the same number they are given — only its representation differs.
 */

/** x, as an int32 when it is one (sums never produce −0: they start from +0). */
export const small = (x: number): number => ((x | 0) === x ? x | 0 : x);

/**
 * A count of rows, which is a whole number far below 2^31, as an int32. A count is never
 * −0 (it starts from +0 and only grows by 1).
 */
export const count = (x: number): number => x | 0;
