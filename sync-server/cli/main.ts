/** `crm-sync <command> …`: one row per subcommand; each parses its own arguments. */
import { runInit } from './init.ts';
import { runSyncCommand } from './sync.ts';
import { runServe } from './serve.ts';
import { runUserCommand, USER_USAGE } from './user.ts';
import { DEDUPE_USAGE, IMPORT_USAGE, runDedupeCommand, runImportCommand } from '../import/cli.ts';

export interface Command {
  usage: string;
  summary: string;
  /** Returns the process exit code. */
  run(args: readonly string[]): Promise<number>;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  init: {
    usage: 'init <file.xlsx> [--sample N] [--seed S] [--now YYYY-MM-DDTHH:mm] [--force]',
    summary: 'create a new workbook, optionally filled with sample data',
    run: runInit,
  },
  sync: {
    usage: 'sync <file.xlsx> | --spreadsheet <id>  [--now YYYY-MM-DDTHH:mm] [--json]',
    summary: 'compute every sync column and tab of a workbook and write them back',
    run: runSyncCommand,
  },
  import: {
    usage: IMPORT_USAGE,
    summary: 'import customers from a CSV or xlsx file: cleaned, checked, duplicates found',
    run: runImportCommand,
  },
  dedupe: {
    usage: DEDUPE_USAGE,
    summary: 'list the possible duplicate customers a sync reports, as text or JSON',
    run: runDedupeCommand,
  },
  user: {
    usage: USER_USAGE,
    summary: 'add a person to 用户 with a password, change a password, or disable a person',
    run: runUserCommand,
  },
  serve: {
    usage: 'serve [--workbook data/crm.xlsx] [--port 8787] [--host 127.0.0.1]',
    summary:
      'serve the sync API and the forms for one local workbook (token: CRM_TOKEN or generated)',
    run: (args) => runServe(args),
  },
  start: {
    usage: 'start [--port 8787]',
    summary: 'serve data/crm.xlsx, creating it with sample data when missing',
    run: (args) => runServe(args, { workbook: 'data/crm.xlsx', sampleIfMissing: 200 }),
  },
};

export function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  crm-sync ${c.usage}\n      ${c.summary}`);
  return `Usage:\n${lines.join('\n')}\n`;
}

export async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? process.stderr : process.stdout).write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    process.stderr.write(`crm-sync: unknown command ${JSON.stringify(name)}\n${usage()}`);
    return 2;
  }
  return command.run(args);
}
