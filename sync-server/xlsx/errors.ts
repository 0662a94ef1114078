/** A file that is a zip but not a workbook this reader can make sense of. */
export class XlsxFormatError extends Error {
  override name = 'XlsxFormatError';
}

/** A patch that cannot be applied as asked: the message says what and where. */
export class PatchError extends Error {
  override name = 'PatchError';
}
