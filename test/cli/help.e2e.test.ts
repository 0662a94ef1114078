/**
 * The real `crm-sync` program, as `npx crm-sync <command> --help` runs it: every command
 * prints its own usage and exits 0, and the README shows how to start on another port.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../sync-server/cli/main.ts';
import { cliProcess } from '../helpers/workbook.ts';

describe.concurrent('npx crm-sync <command> --help', { timeout: 120_000 }, () => {
  it.each([...COMMANDS.map((c) => [c.name, '']), ['user', 'add'], ['user', 'passwd']])(
    '`crm-sync %s %s --help` prints its usage and exits 0',
    async (...words: string[]) => {
      const run = await cliProcess([...words.filter(Boolean), '--help']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout.startsWith(`usage: crm-sync ${words[0]}`)).toBe(true);
    },
  );

  it('the README shows npm start on another port', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
    expect(readme).toMatch(/`npm start -- --port \d+`/);
  });
});
