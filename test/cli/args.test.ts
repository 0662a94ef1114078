/** The conventions every command shares: --help, usage errors with exit code 2, one JSON object on failure. */
import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../sync-server/cli/main.ts';
import { nowOption, parseWallTime } from '../../sync-server/cli/args.ts';
import { cli } from '../helpers/workbook.ts';

describe('crm-sync --help', () => {
  it('lists every command and exits 0', async () => {
    const run = await cli(['--help']);
    expect(run.code).toBe(0);
    for (const c of COMMANDS) expect(run.stdout).toContain(`crm-sync ${c.usage}`);
  });

  it('prints the usage on stderr and exits 2 without a command', async () => {
    const run = await cli([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage:');
  });

  it.each(COMMANDS.map((c) => c.name))(
    '`%s --help` prints its usage and options and exits 0',
    async (name) => {
      const run = await cli([name, '--help']);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout.startsWith(`usage: crm-sync ${name}`)).toBe(true);
      expect(run.stdout).toMatch(/\n {2}--/);
    },
  );
});

describe('usage errors', () => {
  it.each([
    [['sync', 'a.xlsx', '--colour'], /不认识的选项 --colour/],
    [['sync', 'a.xlsx', 'b.xlsx'], /多余的参数：b\.xlsx/],
    [['dedupe', 'a.xlsx', '--now', 'tomorrow'], /--now 应为/],
    [['import', 'a.xlsx'], /缺少 --from/],
    [['serve', '--port', 'http'], /--port 应为 0–65535 的整数/],
    [['start', '--workbook', 'x.xlsx'], /不认识的选项 --workbook/],
  ])('%j exits 2 with the reason and the usage', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain(`usage: crm-sync ${args[0]}`);
  });

  it('with --json, a failure still prints exactly one JSON object naming the error', async () => {
    const run = await cli(['dedupe', 'nowhere/none.xlsx', '--json']);
    expect(run.code).toBe(1);
    expect(run.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(run.stdout)).toEqual({
      duplicates: [],
      error: expect.stringContaining('找不到工作簿'),
    });
  });
});

describe('--now', () => {
  it('is wall time in the zone it is read in, unless it carries an offset', () => {
    const shanghai = parseWallTime('2024-06-30T14:00', 'Asia/Shanghai');
    expect(shanghai).toBe(parseWallTime('2024-06-30T14:00', 'UTC'));
    expect(parseWallTime('2024-06-30T06:00Z', 'Asia/Shanghai')).toBe(shanghai);
    expect(parseWallTime('2024-06-30T14:00+08:00', 'UTC')).toBe(
      parseWallTime('2024-06-30T06:00', 'UTC'),
    );
    expect(parseWallTime('2025-02-30', 'UTC')).toBeNull();
    expect(nowOption(undefined)).toBeUndefined();
    expect(() => nowOption('tomorrow')).toThrow(/--now 应为/);
  });
});
