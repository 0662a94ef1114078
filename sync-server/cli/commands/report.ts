/** `crm-sync report`: 报表 and 销售分析 as of a moment, exported to a PDF or an xlsx; the workbook is only read. */
import { reportBook, reportFormatOf, writeReport } from '../../report/export.ts';
import { EXIT, oneFile, parseCommandArgs, UsageError, type Command } from '../args.ts';
import { readAsOf, READ_OPTIONS } from '../workbookArg.ts';

export const reportCommand: Command = {
  name: 'report',
  usage:
    'report <file.xlsx> | --spreadsheet <id>  --out FILE.pdf|FILE.xlsx  [--now YYYY-MM-DDTHH:mm] [--json]',
  summary: 'export 报表 and 销售分析 (摘要, tables, charts) to a PDF or an xlsx, phones masked',
  options: [
    '<file.xlsx>           the local workbook (only read)',
    '--spreadsheet <id>    a Google spreadsheet instead (credentials: GOOGLE_APPLICATION_CREDENTIALS)',
    '--out <file>          FILE.pdf (报表 and 销售分析, printed by LibreOffice) or FILE.xlsx',
    '                      (报表, 销售分析, 指标历史 and 回访计划, phones masked)',
    '--now <time>          the clock, wall time in the workbook’s time zone (default: now)',
    '--json                print one object on stdout: { out, format, bytes, ms }',
  ],
  jsonFailure: {},
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      ...READ_OPTIONS,
      out: { type: 'string' },
    });
    const out = values.out;
    if (!out) throw new UsageError('缺少 --out：导出到哪个文件（.pdf 或 .xlsx）');
    const format = reportFormatOf(out);
    if (!format) throw new UsageError(`--out ${out}：应以 .pdf 或 .xlsx 结尾`);
    const started = Date.now();
    const { snapshot, wall } = await readAsOf(oneFile(positionals), values, io.env);
    const book = reportBook(snapshot, wall, format);
    const bytes = await writeReport(book, format, out);
    const ms = Date.now() - started;
    io.stdout(
      values.json
        ? JSON.stringify({ out, format, bytes, ms }) + '\n'
        : `已导出 ${book.tabs.map((t) => t.tab.name).join('、')} 到 ${out}（${Math.round(bytes / 1024)} KB，${ms} 毫秒）\n`,
    );
    return EXIT.ok;
  },
};
