/** The add-on's pure pieces, without the bundle. */
import { describe, expect, it } from 'vitest';
import { cellInput, rawCell } from '../../addon/src/server/cells.ts';
import { checkServiceUrl, errorMessage } from '../../addon/src/server/service.ts';
import { summaryMessage } from '../../addon/src/server/sync.ts';

describe('cells between Apps Script and the shared code', () => {
  it('turns Date cells into serials in the spreadsheet’s zone', () => {
    // 2024-07-01 00:00 in New York (EDT, UTC-4) is serial 45474 there.
    expect(rawCell(new Date(Date.UTC(2024, 6, 1, 4)), 'America/New_York')).toBe(45474);
    // The same instant is already 12:00 in Shanghai.
    expect(rawCell(new Date(Date.UTC(2024, 6, 1, 4)), 'Asia/Shanghai')).toBe(45474.5);
    expect(rawCell('', 'Asia/Shanghai')).toBeNull();
    expect(rawCell(12, 'Asia/Shanghai')).toBe(12);
    expect(rawCell(new Date(NaN), 'Asia/Shanghai')).toBeNull();
  });

  it('keeps text that Sheets would parse as text', () => {
    expect(cellInput('=')).toBe("'=");
    expect(cellInput('0574-88886666')).toBe("'0574-88886666");
    expect(cellInput('TRUE')).toBe("'TRUE");
    expect(cellInput('E20240001')).toBe('E20240001');
    expect(cellInput('杭州')).toBe('杭州');
    expect(cellInput(45474)).toBe(45474);
    expect(cellInput(null)).toBe('');
  });
});

describe('the service address', () => {
  const allowed = 'https://crm.example.com/';
  it('accepts an https address under the build’s whitelist', () => {
    expect(checkServiceUrl(' https://crm.example.com/ ', allowed)).toEqual({
      ok: true,
      url: 'https://crm.example.com',
    });
    expect(checkServiceUrl('https://crm.example.com/sync', allowed)).toMatchObject({ ok: true });
  });
  it('refuses http, queries and addresses the manifest does not allow', () => {
    expect(checkServiceUrl('http://crm.example.com', allowed)).toMatchObject({ ok: false });
    expect(checkServiceUrl('https://crm.example.com/?a=1', allowed)).toMatchObject({ ok: false });
    expect(checkServiceUrl('https://crm.example.com.evil.test', allowed)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/CRM_SERVICE_URL/),
    });
  });
  it('shows the service’s own error message, else the status', () => {
    expect(errorMessage(403, '{"error":{"code":"forbidden","message":"不允许"}}')).toBe('不允许');
    expect(errorMessage(502, '<html>')).toBe('同步服务返回 HTTP 502');
  });
  it('summarises a partial sync with a pointer to 数据问题', () => {
    const s = { rowsRead: 10, cellsWritten: 2, errors: 3, warnings: 0, durationMs: 50 };
    expect(summaryMessage({ ...s, result: 'partial' })).toMatch(/数据问题/);
    expect(summaryMessage({ ...s, result: 'success' })).toMatch(/^同步完成：读取 10 行/);
  });
});
