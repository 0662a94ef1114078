/** What the import CLI tests share: the JSON report, workbooks to import into, and one run. */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { cli, readTabs, writeWorkbook } from '../helpers/workbook.ts';
import { existingCustomers } from '../../sync-server/workbook/sample/importFile.ts';

export interface Report {
  added: number;
  updated: number;
  skipped: number;
  rejected: number;
  problems: { sourceRow: number; column: string; value: string; message: string; level: string }[];
  duplicates: {
    sourceRow: number;
    matches: { customerId?: string; row?: number; sourceRow?: number; reasons: string[] }[];
    reason: string;
    action: string;
  }[];
  rows: { sourceRow: number; action: string; id?: string; row?: number; reason?: string }[];
  source: { format: string; encoding?: string; sheet?: string; rows: number };
  headerRow: number;
  blankRows: number;
  mapping: { source: string; header: string; by: string }[];
  sync?: { result: string };
  dryRun: boolean;
}

export const NOW = '2025-12-31T10:00';

/** A workbook with the existing customers of the sample import file. */
export async function freshWorkbook(dir: string, name: string): Promise<string> {
  const file = join(dir, name);
  await writeWorkbook(file, { customers: existingCustomers() });
  return file;
}

/**
 * One `crm-sync import … --json` through the CLI's main: exactly one JSON object, and exit
 * 0 — or 1 with `{ nothingImported: true }`, for a file none of whose rows can be taken.
 */
export async function importJson(
  args: string[],
  expected: { nothingImported?: boolean } = {},
): Promise<Report> {
  const run = await cli(['import', ...args, '--now', NOW, '--json']);
  expect(run.code, run.stderr).toBe(expected.nothingImported ? 1 : 0);
  const lines = run.stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]!) as Report;
}

export const sha = async (file: string): Promise<string> =>
  createHash('sha256')
    .update(await readFile(file))
    .digest('hex');

export const customersOf = async (file: string) => (await readTabs(file)).get(CUSTOMERS.name)!;
