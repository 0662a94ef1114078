/** `crm-sync adopt`: a team's own .xlsx/.xlsm gets the CRM's data and config tabs, nothing rewritten. */
import { existsSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { adoptWorkbook } from '../../workbook/adopt.ts';
import { EXIT, oneFile, parseCommandArgs, UsageError, type Command } from '../args.ts';

const EXTENSIONS = new Set(['.xlsx', '.xlsm']);

export const adoptCommand: Command = {
  name: 'adopt',
  usage: 'adopt <workbook.xlsx|.xlsm> [--json]',
  summary:
    'add the missing data and config tabs (客户, 订单 … 参数, 用户) to an existing workbook; ' +
    'its own tabs, charts, pivot tables, tables, macros, comments and images stay byte for byte; ' +
    'the first sync adds the sync tabs',
  options: [
    '<workbook>            an existing .xlsx or .xlsm file (a copy of the file as it was goes to .crm-backups/)',
    '--json                print one object on stdout: { added, kept, backup }',
  ],
  jsonFailure: { added: [], kept: [] },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
    const file = oneFile(positionals);
    if (file === undefined) throw new UsageError('应指定要接入的工作簿：<workbook.xlsx|.xlsm>');
    if (!EXTENSIONS.has(extname(file).toLowerCase()))
      throw new UsageError(`${file} 不是 .xlsx 或 .xlsm 文件：请先在 Excel 或 WPS 中另存为 .xlsx`);
    const path = resolve(file);
    if (!existsSync(path)) throw new Error(`找不到工作簿 ${file}`);
    const result = await adoptWorkbook(path);
    if (values.json) {
      io.stdout(
        JSON.stringify({ added: result.added, kept: result.kept, backup: result.backup }) + '\n',
      );
      return EXIT.ok;
    }
    io.stdout(
      result.added.length === 0
        ? `${file} 已有全部数据表和配置表，未做修改\n`
        : `已向 ${file} 添加 ${result.added.length} 个工作表：${result.added.join('、')}\n` +
            (result.kept.length > 0 ? `保留原有的：${result.kept.join('、')}\n` : '') +
            `原文件已备份到 ${result.backup}\n` +
            `下一步：crm-sync sync ${file}（首次同步会添加回访计划、报表等同步表）\n`,
    );
    return EXIT.ok;
  },
};
