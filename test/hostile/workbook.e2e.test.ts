/**
 * Broken and hostile workbooks through `crm-sync sync` (in-process main, the same code
 * path as the command): each ends with a clear Chinese message and the right exit code,
 * and a workbook the sync could not use is left byte for byte and mode for mode as it was.
 */
import { chmod, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMERS, DATA_TABS, REPORTS } from '../../sheets-templates/tabs.ts';
import { cronProblem } from '../../shared/cron.ts';
import { cli, readTabs, type TabView } from '../helpers/workbook.ts';
import type { CellValue } from '../../shared/cells.ts';
import {
  editedWorkbook,
  partOf,
  parts,
  templateWorkbook,
  text,
  setText,
  writeParts,
} from './make.ts';

const NOW = ['--now', '2026-11-20T10:00'];
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crm-hostile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fileState(file: string): Promise<{ bytes: Buffer; mode: number }> {
  return { bytes: await readFile(file), mode: (await stat(file)).mode & 0o777 };
}

/** Runs a sync expected to fail and checks the file was not touched. */
async function refused(file: string): Promise<string> {
  const before = await fileState(file);
  const started = Date.now();
  const run = await cli(['sync', file, ...NOW]);
  expect(Date.now() - started).toBeLessThan(20_000);
  expect(run.code).toBe(1);
  expect(run.stdout).toBe('');
  const after = await fileState(file);
  expect(after.mode).toBe(before.mode);
  expect(after.bytes.equals(before.bytes)).toBe(true);
  return run.stderr;
}

const renameTab = (from: string, to: string) => (p: Record<string, Uint8Array>) =>
  setText(
    p,
    'xl/workbook.xml',
    text(p, 'xl/workbook.xml').replace(`name="${from}"`, `name="${to}"`),
  );

describe('workbook permissions (item 3)', () => {
  it('a private 0600 workbook is still 0600 after a sync', async () => {
    const file = join(dir, 'private.xlsx');
    await templateWorkbook(file);
    await chmod(file, 0o600);
    const run = await cli(['sync', file, ...NOW]);
    expect(run.code).toBe(0);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('a read-only workbook is refused, not replaced', async () => {
    const file = join(dir, 'readonly.xlsx');
    await templateWorkbook(file);
    await chmod(file, 0o444);
    const message = await refused(file);
    expect(message).toContain('工作簿是只读的，同步不会写入');
    expect(message).toContain('chmod u+w');
  });
});

/** 报表's content replaced by a person's own: their quarter's summary in A1. */
function ownReport(p: Record<string, Uint8Array>): void {
  const part = partOf(p, REPORTS.name);
  setText(
    p,
    part,
    text(p, part).replace(
      /<sheetData\s*\/>|<sheetData>[\s\S]*<\/sheetData>/,
      '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>我的季度总结</t></is></c></row></sheetData>',
    ),
  );
}

describe('missing, renamed and foreign tabs (items 6, 13, 14)', () => {
  it('客户 renamed with a trailing space: one message naming the tab and the near match', async () => {
    const file = join(dir, 'renamed.xlsx');
    await editedWorkbook(file, renameTab(CUSTOMERS.name, `${CUSTOMERS.name} `), 5);
    const message = await refused(file);
    expect(message).toContain('工作簿缺少数据表“客户”');
    expect(message).toContain('“客户 ”是不是“客户”？');
    expect(message).toContain('现有工作表：');
  });

  it('a workbook with none of the data tabs is not a CRM workbook yet, and says how to adopt it', async () => {
    const file = join(dir, 'foreign.xlsx');
    await editedWorkbook(file, (p) => {
      let wb = text(p, 'xl/workbook.xml');
      for (const { name } of DATA_TABS)
        wb = wb.replace(
          `name="${name}"`,
          `name="Sheet-${name.length}-${Math.random().toString(36).slice(2, 6)}"`,
        );
      setText(p, 'xl/workbook.xml', wb);
    });
    const message = await refused(file);
    expect(message).toContain('这还不是表格客户管理的工作簿');
    expect(message).toContain('crm-sync adopt');
    expect(message).toContain('crm-sync init');
    expect(message).toContain('crm-sync import');
  });

  it('a person’s own 报表 tab is left alone and the sync stops', async () => {
    const file = join(dir, 'own-report.xlsx');
    await editedWorkbook(file, ownReport);
    const message = await refused(file);
    expect(message).toContain('工作表“报表”不是同步生成的');
    expect(message).toContain('改名');
  });
});

describe('a person’s 报表 in a workbook the sync has written (item 13)', () => {
  it('made after the sync’s 报表 was deleted, it is left alone and the sync stops', async () => {
    const file = join(dir, 'own-report-after-sync.xlsx');
    await templateWorkbook(file, 5);
    const first = await cli(['sync', file, ...NOW]);
    expect(first.code).toBe(0);
    // 同步日志 now records a sync; the person replaces 报表's content with their own.
    const p = await parts(file);
    ownReport(p);
    await writeParts(file, p);
    const message = await refused(file);
    expect(message).toContain('工作表“报表”不是同步生成的');
  });

  it('the sync’s own 报表 keeps syncing', async () => {
    const file = join(dir, 'synced-twice.xlsx');
    await templateWorkbook(file, 5);
    expect((await cli(['sync', file, ...NOW])).code).toBe(0);
    expect((await cli(['sync', file, ...NOW])).code).toBe(0);
  });
});

describe('damaged files (items 7, 14)', () => {
  it('a sheet whose CRC-32 does not match is a damaged file, not garbage synced', async () => {
    const file = join(dir, 'crc.xlsx');
    await templateWorkbook(file);
    const bytes = await readFile(file);
    // Flip the stored CRC of every entry in the central directory.
    for (
      let at = bytes.indexOf(Buffer.from([0x50, 0x4b, 1, 2]));
      at >= 0;
      at = bytes.indexOf(Buffer.from([0x50, 0x4b, 1, 2]), at + 4)
    )
      bytes.writeUInt32LE((bytes.readUInt32LE(at + 16) ^ 0x5a5a5a5a) >>> 0, at + 16);
    await writeFile(file, bytes);
    const message = await refused(file);
    expect(message).toContain('校验和（CRC-32）不符');
    expect(message).toContain('.crm-backups');
  });

  it('a shared-string index past the end of the table is a file error; no ID is written over it', async () => {
    const file = join(dir, 'bad-sst.xlsx');
    await editedWorkbook(
      file,
      (p) => {
        const part = partOf(p, CUSTOMERS.name);
        const xml = text(p, part);
        // The ID cell of the first customer (A2) now names string 987654 of a table with fewer.
        setText(
          p,
          part,
          xml.replace(
            /<c r="A2"([^>]*?) t="inlineStr"><is><t>[^<]*<\/t><\/is><\/c>/,
            '<c r="A2"$1 t="s"><v>987654</v></c>',
          ),
        );
      },
      3,
    );
    const message = await refused(file);
    expect(message).toContain('引用了不存在的共享字符串（第 987654 个');
  });

  it('a password-protected workbook is reported as encrypted', async () => {
    const file = join(dir, 'encrypted.xlsx');
    const cfb = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    Buffer.from('EncryptedPackage', 'utf16le').copy(cfb, 1024);
    await writeFile(file, cfb);
    const message = await refused(file);
    expect(message).toContain('设有打开密码（已加密）');
  });

  it('an old .xls saved under .xlsx is named as such', async () => {
    const file = join(dir, 'old.xlsx');
    const cfb = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    await writeFile(file, cfb);
    expect(await refused(file)).toContain('Excel 97-2003 格式（.xls）');
  });

  it('a text file named .xlsx is named as such', async () => {
    const file = join(dir, 'text.xlsx');
    await writeFile(file, '客户名称,联系电话\n华东公司,13800138000\n');
    expect(await refused(file)).toContain('是文本文件（可能是 CSV）');
  });
});

describe('locks (items 9, 11)', () => {
  it('a lock naming this very process (a restarted container’s PID 1) does not block the sync', async () => {
    const file = join(dir, 'pidreuse.xlsx');
    await templateWorkbook(file);
    await writeFile(`${file}.lock`, `${process.pid}\n2020-01-01T00:00:00.000Z\n`);
    const started = Date.now();
    const run = await cli(['sync', file, ...NOW]);
    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('an empty lock file left by a crash does not block the sync', async () => {
    const file = join(dir, 'emptylock.xlsx');
    await templateWorkbook(file);
    await writeFile(`${file}.lock`, '');
    const old = new Date(Date.now() - 60_000);
    await utimes(`${file}.lock`, old, old);
    const run = await cli(['sync', file, ...NOW]);
    expect(run.code).toBe(0);
  });

  it('a lock whose PID now belongs to another process (other start time) is stale', async () => {
    const file = join(dir, 'otherstart.xlsx');
    await templateWorkbook(file);
    // PID 1 exists in every container; its start time is not this one.
    await writeFile(`${file}.lock`, `1\n2020-01-01T00:00:00.000Z\nstart=not-the-same/1\n`);
    const run = await cli(['sync', file, ...NOW]);
    expect(run.code).toBe(0);
  });

  it('an Excel owner file beside the workbook is warned about on sync, naming the person', async () => {
    const file = join(dir, 'opened.xlsx');
    await templateWorkbook(file);
    const owner = Buffer.alloc(165);
    owner[0] = 4;
    owner.write('wang', 1, 'latin1');
    owner[0x36] = 2;
    owner.write('王芳', 0x38, 'utf16le');
    await writeFile(join(dir, '~$opened.xlsx'), owner);
    const run = await cli(['sync', file, ...NOW]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('工作簿正被王芳 用 Excel/WPS 打开');
  });

  it('a LibreOffice lock file beside the workbook is warned about on sync, naming the person and host', async () => {
    const file = join(dir, 'libre.xlsx');
    await templateWorkbook(file);
    await writeFile(
      join(dir, '.~lock.libre.xlsx#'),
      ',王芳,wang-laptop,27.11.2026 09:30,file:///home/wang/.config/libreoffice/4;',
    );
    const run = await cli(['sync', file, ...NOW]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(
      '工作簿正被王芳（wang-laptop） 用 LibreOffice 打开（.~lock.libre.xlsx#）',
    );
    expect(run.stderr).toContain('请先在 LibreOffice 中保存并关闭工作簿');
  });
});

describe('同步计划 is checked field by field', () => {
  it('99 6 * * * has the right shape but no minute 99', () => {
    expect(cronProblem('99 6 * * *')).toContain('第 1 段（分钟）应在 0–59 之间');
    expect(cronProblem('0 6 * * *')).toBeNull();
    expect(cronProblem('*/15 8-18 * * 1-5')).toBeNull();
    expect(cronProblem('0 24 * * *')).toContain('小时');
    expect(cronProblem('0 6 32 * *')).toContain('日');
  });

  it('a bad 同步计划 is an 错误 in 数据问题 and the default is used', async () => {
    const file = join(dir, 'cron.xlsx');
    await editedWorkbook(file, (p) => {
      const part = partOf(p, '参数');
      const xml = text(p, part);
      // the value next to 同步计划: the template writes its rows as inline strings
      const at = xml.indexOf('同步计划');
      expect(at).toBeGreaterThan(0);
      setText(p, part, xml.slice(0, at) + xml.slice(at).replace('0 6 * * *', '99 6 * * *'));
    });
    const run = await cli(['sync', file, ...NOW, '--json']);
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { errors: number };
    expect(summary.errors).toBeGreaterThanOrEqual(1);
  });
});

describe('a duplicated sync header (item 5)', () => {
  it('备注 renamed to 健康度: neither column is written and the sync reports an 错误', async () => {
    const file = join(dir, 'dup-header.xlsx');
    await editedWorkbook(
      file,
      (p) => {
        const part = partOf(p, CUSTOMERS.name);
        const strings = p['xl/sharedStrings.xml'] ? text(p, 'xl/sharedStrings.xml') : '';
        if (strings.includes('>备注<'))
          setText(p, 'xl/sharedStrings.xml', strings.replace('>备注<', '>健康度<'));
        else setText(p, part, text(p, part).replace('>备注<', '>健康度<'));
      },
      5,
    );
    const before = await readTabs(file);
    const grid = (t: Map<string, TabView>): CellValue[][] => t.get(CUSTOMERS.name)!.grid;
    const cols = grid(before)[0]!.flatMap((h, i) => (h === '健康度' ? [i] : []));
    expect(cols).toHaveLength(2);
    const run = await cli(['sync', file, ...NOW, '--json']);
    expect(run.code).toBe(0);
    const after = await readTabs(file);
    for (const c of cols)
      for (let r = 1; r < grid(before).length; r++)
        expect(grid(after)[r]?.[c] ?? null).toEqual(grid(before)[r]?.[c] ?? null);
    const problems = after.get('数据问题')!.grid.map((row) => row.join(' '));
    expect(problems.some((p) => p.includes('同步列“健康度”的表头出现了不止一次'))).toBe(true);
  });
});
