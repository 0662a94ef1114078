/**
 * Hostile and broken import sources, made by code rather than kept as blobs: each is
 * what a person really ends up with (an Excel export with a stray quote, a note pasted
 * from a long document, a file with one line saved by an older GBK tool, an .xls).
 */
import { writeFile } from 'node:fs/promises';
import iconv from 'iconv-lite';

export const HEADER =
  '客户类型,客户名称,联系人,联系电话,所属行业,客户来源,客户状态,意向等级,负责人,建档日期,备注';

/** A valid customer line; `n` makes name and phone unique. */
export const customerLine = (n: number, notes = ''): string =>
  `个人,测试客户${n}号,,1390000${String(n).padStart(4, '0')},零售,转介绍,潜在,A,王经理,2025-03-0${(n % 9) + 1},${notes}`;

const csv = (lines: readonly string[]): string => lines.join('\r\n') + '\r\n';

/** Line 3 opens a quote that never closes: lines 4–6 would vanish into one cell. */
export const unclosedQuote = (file: string): Promise<void> =>
  writeFile(
    file,
    csv([
      HEADER,
      customerLine(1),
      customerLine(2, '"备注里少了后引号'),
      customerLine(3),
      customerLine(4),
      customerLine(5),
    ]),
  );

/** Line 2's 备注 is 40,000 characters (past Excel's 32,767); line 3 is fine. */
export const overlongText = (file: string): Promise<void> =>
  writeFile(file, csv([HEADER, customerLine(1, '长'.repeat(40_000)), customerLine(2)]));

/** Only one customer, and its 备注 is too long: nothing can be imported. */
export const onlyOverlong = (file: string): Promise<void> =>
  writeFile(file, csv([HEADER, customerLine(1, 'x'.repeat(32_768))]));

/** Line 2's name holds a BEL and a NUL-like control; line 3 a vertical tab in 备注. */
export const controlCharacters = (file: string): Promise<void> =>
  writeFile(
    file,
    csv([
      HEADER,
      customerLine(1).replace('测试客户1号', '测试\u0007客户1号'),
      customerLine(2, '第一段\u000b第二段'),
    ]),
  );

/** An Excel 97-2003 file: the compound-file signature and nothing a CSV reader should take. */
export const oldXls = (file: string): Promise<void> => {
  const head = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
  return writeFile(file, Buffer.concat([head, Buffer.alloc(2048, 0)]));
};

/** A CSV someone renamed to .xlsx. */
export const textNamedXlsx = (file: string): Promise<void> =>
  writeFile(file, csv([HEADER, customerLine(1)]));

/** UTF-8, except line 3, which an older tool wrote in GBK. */
export const utf8WithGbkLine = (file: string): Promise<void> =>
  writeFile(
    file,
    Buffer.concat([
      Buffer.from(csv([HEADER, customerLine(1)]), 'utf8'),
      iconv.encode(csv([customerLine(2).replace('测试客户2号', '广州旧系统客户')]), 'gbk'),
      Buffer.from(csv([customerLine(3)]), 'utf8'),
    ]),
  );

/** Rows of customers with no header line above them. */
export const noHeader = (file: string): Promise<void> =>
  writeFile(file, csv([customerLine(1), customerLine(2), customerLine(3)]));

/** Nothing but line breaks. */
export const blankFile = (file: string): Promise<void> => writeFile(file, '\r\n\r\n');
