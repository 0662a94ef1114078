/** `crm-sync <command> …`: the table of commands; each describes and parses itself (args.ts). */
import { EXIT, processIo, runCommand, type CliIo, type Command } from './args.ts';
import { adoptCommand } from './commands/adopt.ts';
import { dedupeCommand } from './commands/dedupe.ts';
import { importCommand } from './commands/import.ts';
import { initCommand } from './commands/init.ts';
import { previewCommand } from './commands/preview.ts';
import { reportCommand } from './commands/report.ts';
import { serveCommand } from './commands/serve.ts';
import { startCommand } from './commands/start.ts';
import { syncCommand } from './commands/sync.ts';
import { userCommand } from './commands/user.ts';

export const COMMANDS: readonly Command[] = [
  initCommand,
  syncCommand,
  importCommand,
  adoptCommand,
  dedupeCommand,
  previewCommand,
  reportCommand,
  userCommand,
  serveCommand('serve'),
  startCommand,
];

export function usage(): string {
  const lines = COMMANDS.map((c) => `  crm-sync ${c.usage}\n      ${c.summary}`);
  return `Usage:\n${lines.join('\n')}\n\n\`crm-sync <command> --help\` describes one command.\n`;
}

/** Runs one command line; returns the exit code. Tests call it in-process with their own `io`. */
export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.stderr : io.stdout)(usage());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr(`crm-sync: unknown command ${JSON.stringify(name)}\n${usage()}`);
    return EXIT.usage;
  }
  return runCommand(command, args, io);
}
