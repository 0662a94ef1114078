/**
 * What every `crm-sync` command shares: its I/O, argument parsing, usage errors, `--now`,
 * `--help`, `--json` failures and exit codes. A command only describes itself and does
 * its work; the conventions live here once.
 */
import { describeError } from '../sync/errorText.ts';
import { parseArgs } from 'node:util';
import {
  daysFromCivil,
  isValidCivil,
  SECONDS_PER_DAY,
  wallTimeOf,
  type WallSeconds,
} from '../../shared/calendar.ts';

/** 0: the command ran (data problems are reported, not fatal); 1: it could not; 2: a wrong command line. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Where a command writes and what it reads from its surroundings: the process, or a test. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** true when stderr is a terminal, which can redraw a progress line in place */
  stderrIsTTY?: boolean;
  /** true when the command is the whole process, whose runtime settings it may tune */
  ownsProcess?: boolean;
  env: NodeJS.ProcessEnv;
  /** Resolves when a long-running command (`serve`) should stop and close what it opened. */
  untilStopped(): Promise<void>;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stderrIsTTY: process.stderr.isTTY === true,
    ownsProcess: true,
    env: process.env,
    // Only a server traps the signals: Ctrl-C stops any other command at once.
    untilStopped: () =>
      new Promise((ok) => {
        process.once('SIGINT', () => ok());
        process.once('SIGTERM', () => ok());
      }),
  };
}

/** A mistake in the command line: reported with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export interface Command {
  name: string;
  /** the arguments after `crm-sync` */
  usage: string;
  summary: string;
  /** one line per option for `--help` */
  options: readonly string[];
  /** with --json, stdout's one object when the command fails (an `error` key is added) */
  jsonFailure?: Readonly<Record<string, unknown>>;
  /** Returns the exit code; throws UsageError for a wrong command line, anything else for a failure. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}

export function helpOf(command: Command): string {
  const options = command.options.map((o) => `  ${o}\n`).join('');
  return `usage: crm-sync ${command.usage}\n\n${command.summary}\n${options ? `\n${options}` : ''}`;
}

/** Arguments before a `--` terminator: only those can be flags. */
const flags = (args: readonly string[]): readonly string[] => {
  const end = args.indexOf('--');
  return end < 0 ? args : args.slice(0, end);
};

/** Runs a command with the shared conventions; never throws. */
export async function runCommand(
  command: Command,
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  if (flags(args).some((a) => a === '--help' || a === '-h')) {
    io.stdout(helpOf(command));
    return EXIT.ok;
  }
  try {
    return await command.run(args, io);
  } catch (e) {
    const usage = e instanceof UsageError;
    const message = usage ? e.message : describeError(e);
    io.stderr(
      `crm-sync ${command.name}: ${message}\n${usage ? `usage: crm-sync ${command.usage}\n` : ''}`,
    );
    if (command.jsonFailure && flags(args).includes('--json'))
      io.stdout(JSON.stringify({ ...command.jsonFailure, error: message }) + '\n');
    return usage ? EXIT.usage : EXIT.failed;
  }
}

type OptionSpec = Readonly<Record<string, { type: 'string' | 'boolean'; short?: string }>>;

/** node:util's parseArgs, strict, with its complaints turned into Chinese usage errors. */
export function parseCommandArgs<const O extends OptionSpec>(args: readonly string[], options: O) {
  // parseArgs takes `--sample -3` for a missing value; the option's own check says more.
  const joined: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = args[i + 1];
    const spec = arg.startsWith('--') ? options[arg.slice(2)] : undefined;
    if (spec?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i++;
    } else joined.push(arg);
  }
  try {
    return parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(parseArgsMessage(e as Error & { code?: string }));
  }
}

function parseArgsMessage(e: Error & { code?: string }): string {
  const flag = /'(-{1,2}[^'\s]+)/.exec(e.message)?.[1] ?? '';
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `不认识的选项 ${flag}（用 --help 查看可用选项）`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return /does not take an argument/.test(e.message) ? `${flag} 不带值` : `${flag} 需要一个值`;
    default:
      return e.message;
  }
}

/** At most one positional argument: the workbook file. */
export function oneFile(positionals: readonly string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError('多余的参数：' + positionals.slice(1).join(' '));
  return positionals[0];
}

/** A whole number option within [min, max]. */
export function wholeNumber(flag: string, text: string, min: number, max: number): number {
  const n = /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} 应为 ${min} 到 ${max} 的整数，收到 ${JSON.stringify(text)}`);
  return n;
}

/** `--now` as a clock in a time zone: the workbook's zone is known only once it is read. */
export type NowOption = (timeZone: string) => WallSeconds;

export function nowOption(text: string | undefined): NowOption | undefined {
  if (text === undefined) return undefined;
  if (parseWallTime(text, 'UTC') === null)
    throw new UsageError(
      `--now 应为 YYYY-MM-DDTHH:mm（如 2024-06-30T14:00，可带时区如 +08:00），收到 ${JSON.stringify(text)}`,
    );
  return (timeZone) => parseWallTime(text, timeZone)!;
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
