/** `crm-sync init <file.xlsx> [--sample N] [--seed S] [--now YYYY-MM-DDTHH:mm] [--force]` */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  daysFromCivil,
  formatDateTime,
  isValidCivil,
  SECONDS_PER_DAY,
  wallTimeOf,
  type WallSeconds,
} from '../../shared/calendar.ts';
import { SETTINGS_BY_NAME } from '../../sheets-templates/index.ts';
import { generateSample, MAX_SAMPLE_CUSTOMERS } from '../workbook/sample/index.ts';
import { workbookSheets } from '../workbook/template.ts';
import { writeXlsx } from '../xlsx/writer.ts';
import { pathExists } from '../xlsx/zipStream.ts';

export const INIT_USAGE =
  'usage: crm-sync init <file.xlsx> [--sample N] [--seed S] [--now YYYY-MM-DDTHH:mm] [--force]';

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

/** A mistake in the command line: reported with the usage, exit code 2. */
export class UsageError extends Error {}

export function parseInitArgs(
  args: readonly string[],
  clock: () => number = Date.now,
): InitOptions {
  const files: string[] = [];
  let sample = 0;
  let seed = 1;
  let now: WallSeconds | undefined;
  let force = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      files.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const flag = eq < 0 ? arg : arg.slice(0, eq);
    const value = (): string => {
      if (eq >= 0) return arg.slice(eq + 1);
      const next = args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--sample':
        sample = wholeNumber(flag, value(), 0, MAX_SAMPLE_CUSTOMERS);
        break;
      case '--seed':
        seed = wholeNumber(flag, value(), 0, Number.MAX_SAFE_INTEGER);
        break;
      case '--now': {
        const text = value();
        const parsed = parseWallTime(text, DEFAULT_TIME_ZONE);
        if (parsed === null) {
          throw new UsageError(
            `--now must look like 2024-06-30T14:00, not ${JSON.stringify(text)}`,
          );
        }
        now = parsed;
        break;
      }
      case '--force':
        if (eq >= 0) throw new UsageError('--force takes no value');
        force = true;
        break;
      default:
        throw new UsageError(`unknown option ${flag}`);
    }
  }
  if (files.length !== 1) {
    throw new UsageError(files.length === 0 ? 'which file?' : 'only one file, please');
  }
  const file = files[0]!;
  if (!file.toLowerCase().endsWith('.xlsx')) {
    throw new UsageError(`the workbook must be an .xlsx file, not ${JSON.stringify(file)}`);
  }
  return { file, sample, seed, now: now ?? wallTimeOf(clock(), DEFAULT_TIME_ZONE), force };
}

function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(
      `${flag} must be a whole number from ${min} to ${max}, not ${JSON.stringify(text)}`,
    );
  }
  return n;
}

const WALL_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * `YYYY-MM-DD[THH:mm[:ss]]` as wall time in `timeZone` (a date alone is 00:00). With an
 * offset (`Z`, `+08:00`) it names an instant, which is then read on the zone's clock.
 */
export function parseWallTime(text: string, timeZone: string): WallSeconds | null {
  const m = WALL_TIME.exec(text.trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (!isValidCivil(year, month, day) || hour > 23 || minute > 59 || second > 59) return null;
  const wall =
    daysFromCivil(year, month, day) * SECONDS_PER_DAY + hour * 3600 + minute * 60 + second;
  const zone = m[7];
  if (zone === undefined) return wall;
  let offset = 0;
  if (zone !== 'Z') {
    const digits = zone.replace(':', '');
    const oh = Number(digits.slice(1, 3));
    const om = Number(digits.slice(3, 5));
    if (oh > 23 || om > 59) return null;
    offset = (zone.startsWith('-') ? -1 : 1) * (oh * 3600 + om * 60);
  }
  return wallTimeOf((wall - offset) * 1000, timeZone);
}

export async function runInit(args: readonly string[]): Promise<number> {
  let options: InitOptions;
  try {
    options = parseInitArgs(args);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`crm-sync init: ${err.message}\n${INIT_USAGE}\n`);
    return 2;
  }
  try {
    await init(options, (line) => process.stdout.write(`${line}\n`));
    return 0;
  } catch (err) {
    process.stderr.write(`crm-sync init: ${(err as Error).message}\n`);
    return 1;
  }
}

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
