/** The source checks on their own: where a quote stays open, what a cell may hold, mixed encodings. */
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../shared/import/csv.ts';
import { planImport } from '../../shared/import/plan.ts';
import {
  CELL_TEXT_MAX,
  checkSourceCells,
  unclosedQuoteRow,
  unusableSourceMessage,
} from '../../shared/import/sourceChecks.ts';
import { CUSTOMERS } from '../../sheets-templates/tabs.ts';
import { decodeText } from '../../sync-server/import/source.ts';
import { MemoryStore } from '../helpers/memoryStore.ts';

describe('unclosedQuoteRow', () => {
  it('finds the record a quote opens on, counting records as parseCsv does', () => {
    const text = 'a,b\n"x\ny",2\n3,"open\n4,5\n';
    expect(unclosedQuoteRow(text, ',')).toBe(3);
    expect(parseCsv(text)).toHaveLength(3);
  });

  it('accepts doubled quotes, quotes inside an unquoted field and CRLF', () => {
    expect(unclosedQuoteRow('a,"say ""hi"""\r\nb,5" screen\r\n', ',')).toBeNull();
    expect(unclosedQuoteRow('"a;b";c\n"d', ';')).toBe(2);
  });
});

describe('checkSourceCells', () => {
  it('rejects a row with a cell past the limit and keeps a row at the limit', () => {
    const { table, issues } = checkSourceCells({
      rows: [
        { row: 1, cells: ['x'.repeat(CELL_TEXT_MAX)] },
        { row: 2, cells: ['ok', 'y'.repeat(CELL_TEXT_MAX + 1)] },
      ],
      epoch: 'sheets',
    });
    expect(table.rows.map((r) => r.row)).toEqual([1]);
    expect(issues).toMatchObject([{ sourceRow: 2, col: 1, level: '错误', rejectsRow: true }]);
  });

  it('removes control characters but keeps tabs and line breaks', () => {
    const { table, issues } = checkSourceCells({
      rows: [{ row: 4, cells: ['a\u0000b\u001fc', 'd\te\r\nf', 42] }],
      epoch: 'sheets',
    });
    expect(table.rows[0]!.cells).toEqual(['abc', 'd\te\r\nf', 42]);
    expect(issues).toMatchObject([{ sourceRow: 4, col: 0, level: '警告', rejectsRow: false }]);
    expect(issues[0]!.message).toContain('U+0000、U+001F');
  });
});

describe('decodeText', () => {
  it('reads a UTF-8 file with one GBK line line by line', () => {
    const bytes = Buffer.concat([
      Buffer.from('名称\n张三\n'),
      iconv.encode('李四\n', 'gbk'),
      Buffer.from('王五'),
    ]);
    expect(decodeText(bytes)).toEqual({
      text: '名称\n张三\n李四\n王五',
      encoding: 'utf-8',
      gbkLines: [3],
    });
  });

  it('still reads a file that is GBK throughout as GBK', () => {
    const bytes = iconv.encode('名称\n张三\n', 'gbk');
    expect(decodeText(bytes)).toEqual({ text: '名称\n张三\n', encoding: 'gbk' });
  });
});

describe('a file without a header row', () => {
  it('gets one verdict from one check: 找不到表头 naming its first row, no second message from the plan', async () => {
    const table = {
      rows: [
        { row: 1, cells: ['宁波海曙瑞达贸易有限公司', '陈立', '400-820-8820'] },
        { row: 2, cells: ['宁波江北恒信五金有限公司', '吴兵', '0574-87651234'] },
      ],
      epoch: 'sheets' as const,
    };
    const { input } = await MemoryStore.of([[CUSTOMERS, []]]).read();
    const plan = planImport(table, input, {
      tab: CUSTOMERS,
      onDuplicate: 'skip',
      now: Date.UTC(2025, 11, 31, 2) / 1000,
    });
    expect(plan.problems.filter((p) => p.message.includes('表头'))).toEqual([]);
    expect(unusableSourceMessage(plan, table, CUSTOMERS.name, ['“客户名称”'])).toMatch(
      /^找不到表头：.*（第 1 行是 “宁波海曙瑞达贸易有限公司”、“陈立”、“400-820-8820”）/,
    );
  });
});
