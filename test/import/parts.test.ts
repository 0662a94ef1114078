/** The pure parts: CSV reading, decoding, header mapping, cleaning, name normalisation. */
import { expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { CUSTOMERS, column } from '../../sheets-templates/tabs.ts';
import type { ColumnKey } from '../../sheets-templates/types.ts';
import { normalizeCompanyName } from '../../shared/duplicates.ts';
import { cleanCell } from '../../shared/import/clean.ts';
import { parseCsv } from '../../shared/import/csv.ts';
import { checkUserMapping, mapHeaders } from '../../shared/import/mapping.ts';
import { decodeText } from '../../sync-server/import/source.ts';

it('reads RFC 4180: quoted delimiters, line breaks and doubled quotes', () => {
  const text = 'a,b,c\r\n"1,5","line\r\nbreak","say ""hi"""\r\n,,\r\nx;y,"",z';
  expect(parseCsv(text)).toEqual([
    ['a', 'b', 'c'],
    ['1,5', 'line\r\nbreak', 'say "hi"'],
    ['', '', ''],
    ['x;y', '', 'z'],
  ]);
  expect(parseCsv('a\tb\n1\t2\n')).toEqual([
    ['a', 'b'],
    ['1', '2'],
  ]);
});

it('detects BOM, UTF-8 and GBK', () => {
  const text = '客户名称,联系电话\r\n杭州云帆,13800138000\r\n';
  expect(decodeText(Buffer.from(text))).toEqual({ text, encoding: 'utf-8' });
  expect(decodeText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).toEqual({
    text,
    encoding: 'utf-8-bom',
  });
  expect(decodeText(iconv.encode(text, 'gbk'))).toEqual({ text, encoding: 'gbk' });
  expect(decodeText(iconv.encode(text, 'utf16le', { addBOM: true })).text).toBe(text);
});

it('maps headers by name, English name, synonym and mapping file', () => {
  const rows = [
    { row: 1, cells: ['客户名单'] },
    {
      row: 2,
      cells: ['公司', '手机号', 'E-mail', 'industry', '来源', '客户编号', '健康度', '自定义'],
    },
  ];
  const m = mapHeaders(CUSTOMERS, rows);
  expect(m.headerRow).toBe(2);
  expect(m.columns.map((c) => [c.source, c.header, c.by])).toEqual([
    ['公司', '客户名称', 'synonym'],
    ['手机号', '联系电话', 'synonym'],
    ['E-mail', '邮箱', 'synonym'],
    ['industry', '所属行业', 'en'],
    ['来源', '客户来源', 'synonym'],
  ]);
  expect(m.ignored.map((c) => c.source)).toEqual(['客户编号', '健康度', '自定义']);
  const user = mapHeaders(CUSTOMERS, rows, { 自定义: '备注', 公司: null });
  expect(user.columns.find((c) => c.source === '自定义')?.header).toBe('备注');
  expect(user.columns.find((c) => c.source === '公司')).toBeUndefined();
  expect(checkUserMapping(CUSTOMERS, { a: '健康度', b: 'nope', c: 'Phone' })).toHaveLength(2);
});

it('cleans what exports leave behind', () => {
  const col = (key: ColumnKey<typeof CUSTOMERS>) => column(CUSTOMERS, key);
  expect(cleanCell(col('phone'), '="０５７１-88886666"', 'sheets')).toBe('0571-88886666');
  expect(cleanCell(col('email'), ' mailto:ＡＢ＠qq.com\u200b', 'sheets')).toBe('AB@qq.com');
  expect(cleanCell(col('kind'), '公司', 'sheets')).toBe('企业');
  expect(cleanCell(col('intent'), 'b', 'sheets')).toBe('B');
  expect(cleanCell(col('createdDate'), 45809, 'excel1900')).toBe('2025-06-01');
  expect(cleanCell(col('createdDate'), 45809 - 1462, 'excel1904')).toBe('2025-06-01');
  expect(cleanCell(col('notes'), '\u00a0 =1+1 ', 'sheets')).toBe('=1+1');
});

it('normalises company names across widths, brackets and company forms', () => {
  const same = [
    '杭州云帆科技有限公司',
    '杭州云帆科技（有限责任公司）',
    ' 杭州 云帆科技股份有限公司',
    '【杭州云帆科技】',
    '杭州云帆科技公司',
  ];
  expect(new Set(same.map(normalizeCompanyName))).toEqual(new Set(['杭州云帆科技']));
  expect(normalizeCompanyName('Acme Trading Co., Ltd.')).toBe(normalizeCompanyName('ACME TRADING'));
  expect(normalizeCompanyName('杭州云帆')).not.toBe(normalizeCompanyName('杭州云帆科技'));
});
