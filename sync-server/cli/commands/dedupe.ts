/** `crm-sync dedupe`: the possible duplicate customers a sync reports, as text or one JSON object. */
import * as T from '../../../sheets-templates/tabs.ts';
import { column } from '../../../sheets-templates/tabs.ts';
import { duplicatePairs } from '../../../shared/duplicates.ts';
import { validateWorkbook } from '../../../shared/validate/index.ts';
import { EXIT, oneFile, parseCommandArgs, type Command } from '../args.ts';
import { readAsOf, READ_OPTIONS } from '../workbookArg.ts';

export const dedupeCommand: Command = {
  name: 'dedupe',
  usage: 'dedupe <file.xlsx> | --spreadsheet <id>  [--now YYYY-MM-DDTHH:mm] [--json]',
  summary: 'list the possible duplicate customers a sync reports, as text or JSON',
  options: [
    '<file.xlsx>           the local workbook',
    '--spreadsheet <id>    a Google spreadsheet instead (credentials: GOOGLE_APPLICATION_CREDENTIALS)',
    '--now <time>          the clock, wall time in the workbook’s time zone (default: now)',
    '--json                print one object on stdout: { customers, duplicates }',
  ],
  jsonFailure: { duplicates: [] },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, READ_OPTIONS);
    const { snapshot, wall } = await readAsOf(oneFile(positionals), values, io.env, [
      T.CUSTOMERS.name,
      T.SETTINGS_TAB.name,
    ]);
    // The customers exactly as a sync validates them, so the findings are the sync's.
    const { dataset } = validateWorkbook(snapshot.input, wall);
    const duplicates = duplicatePairs(dataset.customers).map(({ customer, first, key }) => ({
      row: customer.row,
      id: customer.id,
      column: column(T.CUSTOMERS, key.column).header,
      value: key.value,
      matchesRow: first.row,
      matchesId: first.id,
      reason: key.reason,
      message: `可能与第 ${first.row} 行的客户 ${first.id} 重复（${key.reason}）：请确认后合并或修改`,
    }));
    if (values.json) {
      io.stdout(JSON.stringify({ customers: dataset.customers.length, duplicates }) + '\n');
      return EXIT.ok;
    }
    io.stdout(
      `${dataset.customers.length} 个客户中发现 ${duplicates.length} 处疑似重复\n` +
        duplicates.map((d) => `  第 ${d.row} 行 ${d.id}：${d.message}\n`).join(''),
    );
    return EXIT.ok;
  },
};
