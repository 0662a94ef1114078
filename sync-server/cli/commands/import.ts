/**
 * `crm-sync import`: customers from a CSV or xlsx file, cleaned, checked and deduplicated
 * like a sync checks them, then one sync. Rejected rows and duplicates are reported,
 * not fatal.
 */
import { readFile } from 'node:fs/promises';
import * as T from '../../../sheets-templates/tabs.ts';
import type { TabDef } from '../../../sheets-templates/types.ts';
import { parseMappingFile, type ImportMapping } from '../../../shared/import/mappingFile.ts';
import { ON_DUPLICATE, type ImportPlan, type OnDuplicate } from '../../../shared/import/plan.ts';
import { nothingImported, reportLine, reportObject, runImport } from '../../import/run.ts';
import { readSourceFile } from '../../import/source.ts';
import { runSync, type SyncSummary } from '../../sync/runSync.ts';
import {
  EXIT,
  nowOption,
  oneFile,
  parseCommandArgs,
  UsageError,
  type CliIo,
  type Command,
} from '../args.ts';
import { workbookStore } from '../workbookArg.ts';
import { summaryLine, summaryObject } from './sync.ts';

async function readMapping(path: string, tab: TabDef): Promise<ImportMapping> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`映射文件 ${path} 无法读取或不是 JSON：${(e as Error).message}`);
  }
  const parsed = parseMappingFile(raw, tab);
  if (!parsed.ok) throw new UsageError(`映射文件 ${path}：\n${parsed.problems.join('\n')}`);
  return parsed.mapping;
}

function tabOf(name: string): TabDef {
  const tab = T.DATA_TABS.find((t) => t.name === name || t.key === name);
  if (!tab) throw new UsageError(`没有数据表“${name}”`);
  if (tab !== T.CUSTOMERS) throw new UsageError(`暂只支持导入“${T.CUSTOMERS.name}”表`);
  return tab;
}

export const importCommand: Command = {
  name: 'import',
  usage:
    'import <file.xlsx> | --spreadsheet <id>  --from <file.csv|file.xlsx> [--tab 客户] [--sheet 名称] [--mapping map.json] [--on-duplicate skip|update|add] [--dry-run] [--now YYYY-MM-DDTHH:mm] [--json]',
  summary: 'import customers from a CSV or xlsx file: cleaned, checked, duplicates found',
  options: [
    '<file.xlsx>              the local workbook to import into',
    '--spreadsheet <id>       a Google spreadsheet instead (credentials: GOOGLE_APPLICATION_CREDENTIALS)',
    '--from <file>            CSV (UTF-8, UTF-8 with BOM or GBK) or xlsx to import',
    '--tab 客户               the tab to import into (only 客户 for now)',
    '--sheet <name>           the sheet of an xlsx source (default: its first)',
    '--mapping <map.json>     { "columns": { "source header": "template header or key" | null },',
    '                           "values": { "template header": "value where the source gives none" } }',
    '                         (a flat { "source header": "template header" } is read as columns)',
    '--on-duplicate <what>    skip (default) | update (fills blank cells) | add (with a warning)',
    '--dry-run                report what would happen; write nothing',
    '--now <time>             the clock, wall time in the workbook’s time zone (default: now)',
    '--json                   print one report object on stdout; log lines go to stderr',
  ],
  jsonFailure: { added: 0, updated: 0, skipped: 0, rejected: 0, problems: [], duplicates: [] },
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(args, {
      from: { type: 'string' },
      tab: { type: 'string' },
      sheet: { type: 'string' },
      mapping: { type: 'string' },
      'on-duplicate': { type: 'string' },
      'dry-run': { type: 'boolean' },
      now: { type: 'string' },
      json: { type: 'boolean' },
      spreadsheet: { type: 'string' },
    });
    const file = oneFile(positionals);
    if (!values.from) throw new UsageError('缺少 --from <导入文件>');
    const onDuplicate = (values['on-duplicate'] ?? 'skip') as OnDuplicate;
    if (!ON_DUPLICATE.includes(onDuplicate))
      throw new UsageError(
        `--on-duplicate 应为 skip、update 或 add，收到 ${JSON.stringify(onDuplicate)}`,
      );
    const tab = tabOf(values.tab ?? T.CUSTOMERS.name);
    const now = nowOption(values.now);
    const mapping = values.mapping ? await readMapping(values.mapping, tab) : undefined;
    const store = workbookStore(file, values.spreadsheet, io.env);
    const dryRun = values['dry-run'] === true;
    const log = (line: string): void => io.stderr(line + '\n');

    const source = await readSourceFile(values.from, values.sheet);
    log(
      `读取 ${values.from}：${source.format === 'csv' ? `CSV（${source.encoding}）` : `xlsx 工作表“${source.sheet}”`}，${source.table.rows.length} 行`,
    );
    const report = await runImport(store, source, {
      tab,
      onDuplicate,
      dryRun,
      ...(mapping ? { mapping } : {}),
      ...(now ? { now } : {}),
    });
    log(reportLine(report));
    let sync: SyncSummary | undefined;
    if (!dryRun && report.plan.cells.length > 0) {
      sync = await runSync(store, { source: '命令行', ...(now ? { now } : {}) });
      log(summaryLine(sync));
    }
    if (values.json) {
      const out = reportObject(report);
      if (sync) out.sync = summaryObject(sync);
      io.stdout(JSON.stringify(out) + '\n');
    } else printHuman(report.plan, io);
    return nothingImported(report) ? EXIT.failed : EXIT.ok;
  },
};

function printHuman(plan: ImportPlan, io: CliIo): void {
  const lines: string[] = [];
  const limit = 50;
  for (const p of plan.problems.slice(0, limit))
    lines.push(
      `  第 ${p.sourceRow} 行 ${p.column ? `[${p.column}] ` : ''}${p.level}：${p.message}`,
    );
  if (plan.problems.length > limit)
    lines.push(`  …… 另有 ${plan.problems.length - limit} 个数据问题（用 --json 查看全部）`);
  for (const d of plan.duplicates.slice(0, limit))
    lines.push(`  第 ${d.sourceRow} 行疑似重复：${d.reason}`);
  if (plan.duplicates.length > limit)
    lines.push(`  …… 另有 ${plan.duplicates.length - limit} 个疑似重复`);
  io.stdout(lines.map((l) => l + '\n').join(''));
}
