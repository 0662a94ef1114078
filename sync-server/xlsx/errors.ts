/** A file that is a zip but not a workbook this reader can make sense of. */
export class XlsxFormatError extends Error {
  override name = 'XlsxFormatError';
}
