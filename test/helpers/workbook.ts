/** Test workbooks: written with the product's own template writer, read with its reader. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readWorkbook, type CellValue } from '../../sync-server/xlsx/reader.ts';
import { main } from '../../sync-server/cli/main.ts';

export {
  writeWorkbookWithRows as writeWorkbook,
  type TabRows,
} from '../../sync-server/workbook/withRows.ts';

export interface TabView {
  header: CellValue[];
  /** rows by 1-based row number, keyed by header text */
  rows: Map<number, Record<string, CellValue>>;
  grid: CellValue[][];
}

/** Every tab of a workbook, rows keyed by their header texts. */
export async function readTabs(path: string): Promise<Map<string, TabView>> {
  const book = await readWorkbook(path);
  const tabs = new Map<string, TabView>();
  for (const sheet of book.sheets) {
    const header = sheet.rows.find((r) => r.row === 1)?.values ?? [];
    const rows = new Map<number, Record<string, CellValue>>();
    const grid: CellValue[][] = [];
    for (const r of sheet.rows) {
      grid[r.row - 1] = r.values;
      if (r.row === 1) continue;
      rows.set(r.row, Object.fromEntries(header.map((h, i) => [String(h), r.values[i] ?? null])));
    }
    tabs.set(sheet.name, { header, rows, grid });
  }
  return tabs;
}

const run = promisify(execFile);
export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'crm-sync.js');

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command line in-process through the CLI's `main`, capturing what it prints. */
export async function cli(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await main(args, {
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    env,
    untilStopped: () => Promise.resolve(),
  });
  return { code, stdout, stderr };
}

/** Runs the real `crm-sync` command as a child process; resolves whatever the exit code. */
export async function cliProcess(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<CliRun> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], { maxBuffer: 1 << 26, env });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}
