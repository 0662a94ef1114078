/**
 * Item 4 through the real `crm-sync import` process: every hostile source ends in an 错误
 * or a 警告 naming its row, a refused import exits 1 and leaves the workbook's bytes and
 * mode as they were, and nothing is reported as imported that was not.
 */
import { appendFile, chmod, mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { readTabs } from '../helpers/workbook.ts';
import { editedWorkbook, setText, templateWorkbook, text } from './make.ts';
import * as S from './importSources.ts';
import { measured, type Measured } from './process.ts';

const NOW = ['--now', '2026-11-20T10:00'];
const BOUND_MS = 45_000;
const PEAK_MIB = 400;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-hostile-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

interface Problem {
  sourceRow: number;
  column: string;
  message: string;
  level: string;
}

async function note(name: string, run: Measured): Promise<void> {
  await mkdir('test-output', { recursive: true });
  await appendFile(
    'test-output/hostile-measures.txt',
    `import ${name}\texit ${run.code}\t${run.ms} ms\t${run.peakMiB.toFixed(0)} MiB\n`,
  );
}

/** A fresh workbook (mode 0640), the source made by `make`, one import; bytes and mode kept. */
async function importing(
  name: string,
  make: (file: string) => Promise<void>,
  extra: string[] = [],
): Promise<{ run: Measured; workbook: string; changed: boolean }> {
  const workbook = join(dir, `${name}-crm.xlsx`);
  await templateWorkbook(workbook);
  await chmod(workbook, 0o640);
  const source = join(dir, name);
  await make(source);
  const before = await readFile(workbook);
  const run = await measured(['import', workbook, '--from', source, ...NOW, ...extra], BOUND_MS);
  await note(name, run);
  expect(run.peakMiB).toBeLessThan(PEAK_MIB);
  expect((await stat(workbook)).mode & 0o777).toBe(0o640);
  expect(run.stderr).not.toMatch(/\n\s+at /);
  return { run, workbook, changed: !(await readFile(workbook)).equals(before) };
}

const json = (run: Measured): { added: number; rejected: number; problems: Problem[] } =>
  JSON.parse(run.stdout) as { added: number; rejected: number; problems: Problem[] };

const names = async (workbook: string): Promise<string[]> =>
  [...(await readTabs(workbook)).get(CUSTOMERS.name)!.rows.values()].map((r) =>
    String(r['客户名称']),
  );

describe('hostile import sources (item 4)', () => {
  it('an unclosed quote stops the import at its line; no row is taken', async () => {
    const { run, changed } = await importing('quote.csv', S.unclosedQuote);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('第 3 行有一个双引号没有闭合');
    expect(run.stderr).toContain('没有导入任何行');
    expect(changed).toBe(false);
  }, 60_000);

  it('text past 32,767 characters rejects its row with an 错误; the other rows are imported', async () => {
    const { run, workbook } = await importing('long.csv', S.overlongText, ['--json']);
    expect(run.code).toBe(0);
    const report = json(run);
    expect(report).toMatchObject({ added: 1, rejected: 1 });
    expect(report.problems).toContainEqual(
      expect.objectContaining({ sourceRow: 2, column: '备注', level: '错误' }),
    );
    expect(report.problems.find((p) => p.sourceRow === 2)!.message).toContain('40000 个字符');
    expect(await names(workbook)).toEqual(['测试客户2号']);
  }, 60_000);

  it('when every row is too long nothing is imported, and the import says so and exits 1', async () => {
    const { run, changed } = await importing('only-long.csv', S.onlyOverlong);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('没有导入任何行');
    expect(run.stdout).toContain('第 2 行 [备注] 错误');
    expect(changed).toBe(false);
  }, 60_000);

  it('control characters are removed with a 警告 on their line', async () => {
    const { run, workbook } = await importing('control.csv', S.controlCharacters, ['--json']);
    expect(run.code).toBe(0);
    const report = json(run);
    expect(report.added).toBe(2);
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sourceRow: 2, column: '客户名称', level: '警告' }),
        expect.objectContaining({ sourceRow: 3, column: '备注', level: '警告' }),
      ]),
    );
    expect(report.problems[0]!.message).toContain('U+0007');
    expect(await names(workbook)).toEqual(['测试客户1号', '测试客户2号']);
  }, 60_000);

  it('an .xls file is refused as an old Excel file, not read as CSV', async () => {
    const { run, changed } = await importing('old.xls', S.oldXls);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('旧版 Excel 97-2003 格式（.xls）');
    expect(changed).toBe(false);
  }, 60_000);

  it('a text file named .xlsx is refused with what it really is', async () => {
    const { run, changed } = await importing('renamed.xlsx', S.textNamedXlsx);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('扩展名是 .xlsx，内容却是文本');
    expect(changed).toBe(false);
  }, 60_000);

  it('a UTF-8 file with one GBK line keeps the UTF-8 lines and warns about that line', async () => {
    const { run, workbook } = await importing('mixed.csv', S.utf8WithGbkLine, ['--json']);
    expect(run.code).toBe(0);
    const report = json(run);
    expect(report.added).toBe(3);
    expect(report.problems).toEqual([
      expect.objectContaining({ sourceRow: 3, level: '警告', column: '' }),
    ]);
    expect(report.problems[0]!.message).toContain('GBK');
    expect(await names(workbook)).toEqual(['测试客户1号', '广州旧系统客户', '测试客户3号']);
  }, 60_000);

  it('a file with no recognisable header is refused, naming what line 1 holds', async () => {
    const { run, changed } = await importing('no-header.csv', S.noHeader);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('找不到表头');
    expect(run.stderr).toContain('“个人”');
    expect(changed).toBe(false);
  }, 60_000);

  it('a file of blank lines is refused rather than imported as 0 rows', async () => {
    const { run, changed } = await importing('blank.csv', S.blankFile, ['--dry-run']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('没有任何内容');
    expect(changed).toBe(false);
  }, 60_000);

  it('a workbook without 客户 is refused by the dry run as by the import, in Chinese (item 14)', async () => {
    const workbook = join(dir, 'no-customers.xlsx');
    await editedWorkbook(workbook, (p) =>
      setText(
        p,
        'xl/workbook.xml',
        text(p, 'xl/workbook.xml').replace('name="客户"', 'name="客户名单"'),
      ),
    );
    const source = join(dir, 'one.csv');
    await S.textNamedXlsx(source);
    const before = await readFile(workbook);
    for (const extra of [['--dry-run'], []]) {
      const run = await measured(
        ['import', workbook, '--from', source, ...NOW, ...extra],
        BOUND_MS,
      );
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('工作簿中没有“客户”表，无法导入');
      expect(run.stderr).not.toMatch(/no sheet named/);
    }
    expect((await readFile(workbook)).equals(before)).toBe(true);
  }, 90_000);
});
