/**
 * Fields that apply only to some customers, over HTTP on a real .xlsx workbook: a 个人
 * customer needs no 联系人 (and a 联系人 sent anyway is not written), a 潜在 customer
 * without 意向等级 is refused in Chinese with the file left byte-identical, and a sync
 * flags such a row typed by hand with the same words on the same column.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { cli, readTabs, writeWorkbook } from '../helpers/workbook.ts';
import { useFormsOnWorkbook } from '../helpers/formsOnWorkbook.ts';
import { byKey, customer, CUSTOMER_ROWS, newCustomerPayload } from './fixture.ts';

const forms = useFormsOnWorkbook('crm-applies-', {
  customers: CUSTOMER_ROWS.map((r) => byKey(T.CUSTOMERS, r)),
});

const post = forms.post;

const customerRow = async (id: string) =>
  [...(await readTabs(forms.file)).get('客户')!.rows.values()].find((r) => r['客户编号'] === id)!;

const INTENT_MESSAGE = '潜在客户必须填写意向等级（A/B/C）；同步时未填的暂按 C 级安排跟进';

describe('fields that apply only to some customers', { timeout: 60_000 }, () => {
  it('accepts a 个人 customer without 联系人 and writes no 联系人 or 统一社会信用代码 for them', async () => {
    const res = await post('new-customer', {
      ...newCustomerPayload({
        kind: '个人',
        name: '王芳',
        contact: '',
        phone: '+86 139-0000-1234',
        email: '',
      }),
      // typed while the form still said 企业, then hidden: not the form's to write
      creditCode: '91310000MA1FL8TQ3X',
      contactTitle: '采购经理',
    });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    expect(id).toMatch(/^P2024\d{4}$/);
    const row = await customerRow(id);
    expect(row).toMatchObject({ 客户类型: '个人', 客户名称: '王芳', 联系电话: '13900001234' });
    expect(row['联系人']).toBeNull();
    expect(row['联系人职位']).toBeNull();
    expect(row['统一社会信用代码']).toBeNull();
  });

  it('refuses a 潜在 customer without 意向等级 in Chinese and leaves the file byte-identical', async () => {
    const before = await readFile(forms.file);
    const res = await post(
      'new-customer',
      newCustomerPayload({ name: '杭州未定科技有限公司', phone: '0571-88880000', intent: '' }),
    );
    expect(res.status).toBe(422);
    const body = (await res.json()) as {
      error: { message: string; fields: Record<string, string> };
    };
    expect(body.error.fields.intent).toBe(INTENT_MESSAGE);
    expect(body.error.message).toBe('有 1 项需要修改');
    expect((await readFile(forms.file)).equals(before)).toBe(true);
  });

  it('does not write 签约日期 or 合同金额 for a 潜在 customer', async () => {
    const res = await post(
      'new-customer',
      newCustomerPayload({
        name: '南京意向电子有限公司',
        phone: '025-86660000',
        signedDate: '2024-06-01',
        contractAmount: '50000',
      }),
    );
    expect(res.status).toBe(200);
    const row = await customerRow(((await res.json()) as { id: string }).id);
    expect(row['签约日期']).toBeNull();
    expect(row['合同金额']).toBeNull();
    expect(row['意向等级']).toBe('B');
  });

  it('a sync flags the same row typed by hand the same way, on 意向等级', async () => {
    const typed = join(forms.dir, 'typed.xlsx');
    await writeWorkbook(typed, {
      customers: [
        byKey(T.CUSTOMERS, customer()),
        byKey(
          T.CUSTOMERS,
          customer({
            客户编号: 'E20240011',
            客户名称: '杭州未定科技有限公司',
            联系电话: '0571-88880000',
            客户状态: '潜在',
            意向等级: null,
            签约日期: null,
          }),
        ),
      ],
    });
    const run = await cli(['sync', typed, '--now', '2024-06-15T10:30', '--json']);
    expect(run.code).toBe(0);
    const problems = [...(await readTabs(typed)).get('数据问题')!.rows.values()];
    expect(problems.filter((p) => p['行号'] === 3)).toEqual([
      expect.objectContaining({ 工作表: '客户', 列: '意向等级', 问题: INTENT_MESSAGE }),
    ]);
  });
});
