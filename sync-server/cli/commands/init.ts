/** `crm-sync init`: a new workbook from the templates, optionally with sample data. */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { formatDateTime, wallTimeOf, type WallSeconds } from '../../../shared/calendar.ts';
import { SETTINGS_BY_NAME } from '../../../sheets-templates/index.ts';
import { generateSample, MAX_SAMPLE_CUSTOMERS } from '../../workbook/sample/index.ts';
import { workbookSheets } from '../../workbook/template.ts';
import { writeXlsx } from '../../xlsx/writer.ts';
import { pathExists } from '../../xlsx/zipStream.ts';
import {
  EXIT,
  nowOption,
  parseCommandArgs,
  UsageError,
  wholeNumber,
  type Command,
} from '../args.ts';

/** The workbook's time zone until its 参数 tab says otherwise. */
const DEFAULT_TIME_ZONE = String(SETTINGS_BY_NAME.get('时区')?.defaultValue ?? 'Asia/Shanghai');

export interface InitOptions {
  file: string;
  /** customers in the sample; 0 makes an empty workbook */
  sample: number;
  seed: number;
  now: WallSeconds;
  force: boolean;
}

export function parseInitArgs(
  args: readonly string[],
  clock: () => number = Date.now,
): InitOptions {
  const { values, positionals } = parseCommandArgs(args, {
    sample: { type: 'string' },
    seed: { type: 'string' },
    now: { type: 'string' },
    force: { type: 'boolean' },
  });
  if (positionals.length !== 1)
    throw new UsageError(
      positionals.length === 0 ? '缺少工作簿文件名（如 crm.xlsx）' : '只能指定一个工作簿文件',
    );
  const file = positionals[0]!;
  if (!file.toLowerCase().endsWith('.xlsx'))
    throw new UsageError(`工作簿应为 .xlsx 文件，收到 ${JSON.stringify(file)}`);
  const now = nowOption(values.now);
  return {
    file,
    sample:
      values.sample === undefined
        ? 0
        : wholeNumber('--sample', values.sample, 0, MAX_SAMPLE_CUSTOMERS),
    seed:
      values.seed === undefined
        ? 1
        : wholeNumber('--seed', values.seed, 0, Number.MAX_SAFE_INTEGER),
    now: now ? now(DEFAULT_TIME_ZONE) : wallTimeOf(clock(), DEFAULT_TIME_ZONE),
    force: values.force === true,
  };
}

export const initCommand: Command = {
  name: 'init',
  usage: 'init <file.xlsx> [--sample N] [--seed S] [--now YYYY-MM-DDTHH:mm] [--force]',
  summary: 'create a new workbook, optionally filled with sample data',
  options: [
    '<file.xlsx>     the workbook to create (its folder is created too)',
    `--sample N      N customers of sample data with their orders, follow-ups, tickets and visits (0–${MAX_SAMPLE_CUSTOMERS}, default 0)`,
    '--seed S        the sample’s random seed (default 1): the same seed and --now give the same workbook',
    '--now <time>    the sample’s "today", wall time in Asia/Shanghai (default: now)',
    '--force         replace the file if it exists',
  ],
  async run(args, io) {
    const options = parseInitArgs(args);
    await init(options, (line) => io.stdout(`${line}\n`));
    return EXIT.ok;
  },
};

/** Creates the workbook; `report` gets a one-line summary. */
export async function init(options: InitOptions, report: (line: string) => void): Promise<void> {
  const started = performance.now();
  const file = resolve(options.file);
  // Checked up front so a refusal is instant; the writer refuses again atomically.
  if (!options.force && (await pathExists(file))) {
    throw new Error(`${options.file} already exists (use --force to replace it)`);
  }
  await mkdir(dirname(file), { recursive: true });
  const sample =
    options.sample > 0
      ? generateSample({ customers: options.sample, seed: options.seed, now: options.now })
      : undefined;
  const result = await writeXlsx(file, workbookSheets(sample), { overwrite: options.force });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const what =
    options.sample > 0
      ? `sample of ${options.sample} customers, seed ${options.seed}, now ${formatDateTime(options.now)}`
      : 'no sample data';
  report(
    `created ${options.file}: ${result.sheets} tabs, ${result.rows} rows (${what}), ` +
      `${(result.bytes / 1e6).toFixed(1)} MB in ${seconds} s`,
  );
}
