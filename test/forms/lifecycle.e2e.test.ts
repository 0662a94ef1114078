/**
 * 新建订单, 编辑客户 and duplicates at entry on a real local .xlsx workbook, over HTTP:
 * workbook in, workbook out, refused submissions leaving the file byte-identical.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import { daysFromCivil, dayToSerial } from '../../shared/calendar.ts';
import { useFormsOnWorkbook } from '../helpers/formsOnWorkbook.ts';
import { byKey, CUSTOMER_ROWS, newCustomerPayload } from './fixture.ts';
import { TOKEN } from './server.ts';

const forms = useFormsOnWorkbook('crm-lifecycle-', {
  customers: CUSTOMER_ROWS.map((r) => byKey(T.CUSTOMERS, r)),
});

const post = forms.post;

const rowsOf = forms.rowsOf;
const customer = async (id: string) => (await rowsOf('客户')).find((r) => r['客户编号'] === id)!;

describe('新建订单', { timeout: 60_000 }, () => {
  it('refuses an order without 金额 and writes nothing', async () => {
    const before = await readFile(forms.file);
    const res = await post('new-order', { customerId: 'E20240007', product: '伺服电机' });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.amount).toBe('“金额”必填');
    expect((await readFile(forms.file)).equals(before)).toBe(true);
  });

  it('refuses an order for a customer that does not exist', async () => {
    const before = await readFile(forms.file);
    const res = await post('new-order', {
      customerId: 'E20249999',
      amount: '100',
      orderDate: '2024-06-15',
    });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.customerId).toContain('不存在');
    expect((await readFile(forms.file)).equals(before)).toBe(true);
  });

  it('appends the order as real cells with a new O ID', async () => {
    const res = await post('new-order', {
      customerId: 'E20240007',
      product: '伺服电机',
      quantity: '3',
      amount: '12,800.50',
      paymentStatus: '未到期',
      orderDate: '2024-06-15',
    });
    expect(res.status).toBe(200);
    const { id } = (await res.json()) as { id: string };
    expect(id).toBe('O20240001');
    const [order] = await rowsOf('订单');
    expect(order).toMatchObject({
      订单编号: 'O20240001',
      客户编号: 'E20240007',
      下单日期: dayToSerial(daysFromCivil(2024, 6, 15)),
      产品: '伺服电机',
      数量: 3,
      金额: 12800.5,
      付款状态: '未到期',
    });
  });
});

describe('编辑客户', { timeout: 60_000 }, () => {
  it('refuses an invalid change and writes nothing', async () => {
    const before = await readFile(forms.file);
    const res = await post('edit-customer', {
      ...(await editable('E20240007')),
      phone: '12345',
      email: '',
    });
    expect(res.status).toBe(422);
    expect((await res.json()).error.fields.phone).toBeDefined();
    expect((await readFile(forms.file)).equals(before)).toBe(true);
  });

  it('writes only the cells that changed, the phone normalised', async () => {
    const old = await customer('E20240007');
    const res = await post('edit-customer', {
      ...(await editable('E20240007')),
      contactTitle: '采购经理',
      phone: '0574-8888 7777',
    });
    expect(res.status).toBe(200);
    const now = await customer('E20240007');
    expect(now['联系人职位']).toBe('采购经理');
    expect(now['联系电话']).toBe('057488887777');
    for (const [header, value] of Object.entries(old))
      if (header !== '联系人职位' && header !== '联系电话')
        expect(now[header], header).toEqual(value);
  });
});

describe('duplicates at entry', { timeout: 60_000 }, () => {
  it('answers 409 possible_duplicate naming the existing customer, and writes nothing', async () => {
    const before = await readFile(forms.file);
    const res = await post(
      'new-customer',
      newCustomerPayload({ name: '宁波海川贸易（有限公司）', phone: '021-55550000' }),
    );
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as {
      error: { code: string; message: string; duplicates: unknown[] };
    };
    expect(error.code).toBe('possible_duplicate');
    expect(error.duplicates).toEqual([
      { id: 'E20240007', name: '宁波海川贸易有限公司', reason: '客户名称相同' },
    ]);
    expect(error.message).toContain('可能与 E20240007 宁波海川贸易有限公司 重复');
    expect((await readFile(forms.file)).equals(before)).toBe(true);
  });

  it('finds the same phone typed another way', async () => {
    const res = await post('new-customer', newCustomerPayload({ phone: '+86 139-1234-5678' }));
    expect(res.status).toBe(409);
    const { error } = (await res.json()) as { error: { duplicates: { id: string }[] } };
    expect(error.duplicates.map((d) => d.id)).toEqual(['P20240003']);
  });

  it('saves once the person confirms', async () => {
    const res = await post('new-customer', {
      ...newCustomerPayload({ phone: '+86 139-1234-5678' }),
      confirmDuplicate: true,
    });
    expect(res.status).toBe(200);
  });

  it('does not hold up an edit that leaves name, phone, email and credit code alone', async () => {
    const res = await post('edit-customer', {
      ...(await editable('E20230099')),
      notes: '年度框架协议',
    });
    expect(res.status).toBe(200);
    expect((await customer('E20230099'))['备注']).toBe('年度框架协议');
  });
});

/** The edit form's prefilled values for a customer, as the page would send them back. */
async function editable(id: string): Promise<Record<string, string>> {
  const res = await fetch(`${forms.url}/api/forms/edit-customer/options?q=${id}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
  });
  const { targets } = (await res.json()) as {
    targets: { id: string; record: Record<string, string> }[];
  };
  const target = targets.find((t) => t.id === id)!;
  return { ...target.record, customerId: id };
}
