/** Excel's limits, which a workbook written here must respect to open there. */

/** rows per worksheet */
export const MAX_ROWS = 1_048_576;
/** columns per worksheet (XFD) */
export const MAX_COLS = 16_384;
/** characters in one cell */
export const MAX_CELL_CHARS = 32_767;
/** characters in a sheet name */
export const MAX_SHEET_NAME = 31;
/** characters of an inline list in a data validation */
export const MAX_INLINE_LIST_CHARS = 255;
