/**
 * `crm-sync import` and `crm-sync dedupe`. As with `sync`: with --json, stdout carries
 * exactly one JSON object and every log line goes to stderr; exit 0 when the command
 * ran (rejected rows and duplicates are reported, not fatal), 1 when it could not,
 * 2 for a wrong command line.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import * as T from '../../sheets-templates/tabs.ts';
import type { TabDef } from '../../sheets-templates/types.ts';
import { column } from '../../sheets-templates/tabs.ts';
import { duplicatePairs } from '../../shared/duplicates.ts';
import { workbookNow } from '../../shared/forms/submit.ts';
import { checkUserMapping, type UserMapping } from '../../shared/import/mapping.ts';
import { ON_DUPLICATE, type ImportPlan, type OnDuplicate } from '../../shared/import/plan.ts';
import { readWorkbookSettings, validateWorkbook } from '../../shared/validate/index.ts';
import { parseWallTime } from '../cli/init.ts';
import { summaryJson, summaryLine } from '../cli/sync.ts';
import { createSheetsStore } from '../google/sheetsStore.ts';
import { XlsxFileStore } from '../local/xlsxStore.ts';
import { runSync, type SyncSummary } from '../sync/runSync.ts';
import type { WorkbookStore } from '../sync/store.ts';
import { reportLine, reportObject, runImport } from './run.ts';
import { readSourceFile } from './source.ts';

export const IMPORT_USAGE =
  'import <file.xlsx> | --spreadsheet <id>  --from <file.csv|file.xlsx> [--tab 客户] [--sheet 名称] [--mapping map.json] [--on-duplicate skip|update|add] [--dry-run] [--now YYYY-MM-DDTHH:mm] [--json]';
export const DEDUPE_USAGE =
  'dedupe <file.xlsx> | --spreadsheet <id>  [--now YYYY-MM-DDTHH:mm] [--json]';

const log = (line: string): void => {
  process.stderr.write(line + '\n');
};

class UsageError extends Error {}

const MAPPING_FILE = z.record(z.string(), z.string().nullable());

async function readMapping(path: string, tab: TabDef): Promise<UserMapping> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new UsageError(`映射文件 ${path} 无法读取或不是 JSON：${(e as Error).message}`);
  }
  const parsed = MAPPING_FILE.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(
      `映射文件 ${path} 格式不对：应为 { "源表头": "模板表头或列键" }，值为字符串或 null（忽略该列）`,
    );
  const problems = checkUserMapping(tab, parsed.data);
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return parsed.data;
}

function tabOf(name: string): TabDef {
  const tab = T.DATA_TABS.find((t) => t.name === name || t.key === name);
  if (!tab) throw new UsageError(`没有数据表“${name}”`);
  if (tab !== T.CUSTOMERS) throw new UsageError(`暂只支持导入“${T.CUSTOMERS.name}”表`);
  return tab;
}

function nowOption(text: string | undefined): ((tz: string) => number) | undefined {
  if (text === undefined) return undefined;
  if (parseWallTime(text, 'UTC') === null)
    throw new UsageError(`--now 应为 YYYY-MM-DDTHH:mm，收到 ${JSON.stringify(text)}`);
  return (tz) => parseWallTime(text, tz)!;
}

/** The workbook a command names: a local file, or a spreadsheet (credentials from the environment). */
function storeOf(file: string | undefined, spreadsheet: string | undefined): WorkbookStore {
  if (spreadsheet !== undefined && file === undefined) return createSheetsStore(spreadsheet);
  if (file === undefined || spreadsheet !== undefined)
    throw new UsageError('应指定一个工作簿：<file.xlsx> 或 --spreadsheet <id>');
  if (!existsSync(file)) throw new Error(`找不到工作簿 ${file}（可先运行 crm-sync init ${file}）`);
  return new XlsxFileStore(file);
}

/** Runs a command body with the exit-code and --json conventions shared by both commands. */
async function guarded(
  name: string,
  usage: string,
  json: () => boolean,
  failure: (message: string) => Record<string, unknown>,
  body: () => Promise<void>,
): Promise<number> {
  try {
    await body();
    return 0;
  } catch (e) {
    const message = (e as Error).message;
    const usageError =
      e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    process.stderr.write(
      `crm-sync ${name}: ${message}\n${usageError ? `usage: crm-sync ${usage}\n` : ''}`,
    );
    if (json())
      process.stdout.write(JSON.stringify({ ...failure(message), error: message }) + '\n');
    return usageError ? 2 : 1;
  }
}

export async function runImportCommand(args: readonly string[]): Promise<number> {
  let json = args.includes('--json');
  return guarded(
    'import',
    IMPORT_USAGE,
    () => json,
    () => ({ added: 0, updated: 0, skipped: 0, rejected: 0, problems: [], duplicates: [] }),
    async () => {
      const { values, positionals } = parseArgs({
        args: [...args],
        allowPositionals: true,
        options: {
          from: { type: 'string' },
          tab: { type: 'string', default: T.CUSTOMERS.name },
          sheet: { type: 'string' },
          mapping: { type: 'string' },
          'on-duplicate': { type: 'string', default: 'skip' },
          'dry-run': { type: 'boolean', default: false },
          now: { type: 'string' },
          json: { type: 'boolean', default: false },
          spreadsheet: { type: 'string' },
        },
      });
      json = values.json === true;
      if (positionals.length > 1)
        throw new UsageError('多余的参数：' + positionals.slice(1).join(' '));
      if (!values.from) throw new UsageError('缺少 --from <导入文件>');
      const onDuplicate = values['on-duplicate'] as OnDuplicate;
      if (!ON_DUPLICATE.includes(onDuplicate))
        throw new UsageError(
          `--on-duplicate 应为 skip、update 或 add，收到 ${JSON.stringify(onDuplicate)}`,
        );
      const tab = tabOf(values.tab!);
      const now = nowOption(values.now);
      const mapping = values.mapping ? await readMapping(values.mapping, tab) : undefined;
      const store = storeOf(positionals[0], values.spreadsheet);
      const dryRun = values['dry-run'] === true;

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
      if (json) {
        const out = reportObject(report);
        if (sync) out.sync = JSON.parse(summaryJson(sync)) as unknown;
        process.stdout.write(JSON.stringify(out) + '\n');
        return;
      }
      printHuman(report.plan);
    },
  );
}

function printHuman(plan: ImportPlan): void {
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
  process.stdout.write(lines.map((l) => l + '\n').join(''));
}

export async function runDedupeCommand(args: readonly string[]): Promise<number> {
  let json = args.includes('--json');
  return guarded(
    'dedupe',
    DEDUPE_USAGE,
    () => json,
    () => ({ duplicates: [] }),
    async () => {
      const { values, positionals } = parseArgs({
        args: [...args],
        allowPositionals: true,
        options: {
          now: { type: 'string' },
          json: { type: 'boolean', default: false },
          spreadsheet: { type: 'string' },
        },
      });
      json = values.json === true;
      if (positionals.length > 1)
        throw new UsageError('多余的参数：' + positionals.slice(1).join(' '));
      const now = nowOption(values.now);
      const store = storeOf(positionals[0], values.spreadsheet);
      const snapshot = await store.exclusive(() =>
        store.read([T.CUSTOMERS.name, T.SETTINGS_TAB.name]),
      );
      const timeZone = snapshot.timeZone ?? readWorkbookSettings(snapshot.input, []).timeZone;
      const wall = now ? now(timeZone) : workbookNow(snapshot.input, Date.now(), snapshot.timeZone);
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
      if (json) {
        process.stdout.write(
          JSON.stringify({ customers: dataset.customers.length, duplicates }) + '\n',
        );
        return;
      }
      process.stdout.write(
        `${dataset.customers.length} 个客户中发现 ${duplicates.length} 处疑似重复\n` +
          duplicates.map((d) => `  第 ${d.row} 行 ${d.id}：${d.message}\n`).join(''),
      );
    },
  );
}
