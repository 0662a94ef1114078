import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as T from '../../sheets-templates/tabs.ts';
import type { MemoryStore } from '../helpers/memoryStore.ts';
import { CUSTOMER_ROWS, newCustomerPayload, sampleStore } from './fixture.ts';
import { startApp, TOKEN, type RunningApp } from './server.ts';

let store: MemoryStore;
let app: RunningApp;

beforeAll(async () => {
  store = sampleStore();
  app = await startApp(store);
});

afterAll(async () => {
  await app.close();
});

const auth = { Authorization: `Bearer ${TOKEN}` };
const json = { 'Content-Type': 'application/json' };

const post = (path: string, body: string, headers: Record<string, string> = { ...auth, ...json }) =>
  fetch(app.url + path, { method: 'POST', headers, body });

describe('form pages', () => {
  it('serves each form as one self-contained page', async () => {
    const res = await fetch(`${app.url}/forms/new-customer`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/default-src 'none'/);
    expect(csp).toMatch(/script-src 'sha256-/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<body data-form="new-customer">');
    expect(html).toContain('<title>新建客户</title>');
    expect(html).not.toMatch(/<script[^>]+src=|<link\b/i);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html.match(/<\/script>/g)).toHaveLength(1);
  });

  it('lists the forms at /forms', async () => {
    const res = await fetch(`${app.url}/forms`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>客户管理表单</title>');
  });

  it('answers an unknown form with a JSON 404', async () => {
    const res = await fetch(`${app.url}/forms/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: { code: 'unknown_form', message: '没有表单“nope”' },
    });
  });
});

describe('form API', () => {
  it('needs the token on every API route', async () => {
    const noToken = [
      await post('/api/forms/new-customer', JSON.stringify(newCustomerPayload()), json),
      await fetch(`${app.url}/api/customers?q=云帆`),
      await fetch(`${app.url}/api/forms/new-ticket/options`),
      await fetch(`${app.url}/api/customers`, { headers: { Authorization: 'Bearer wrong' } }),
    ];
    for (const res of noToken) {
      expect(res.status).toBe(401);
      expect((await res.json()).error.code).toBe('unauthorized');
    }
    expect(store.cellWrites).toEqual([]);
  });

  it('refuses an oversized body with 413 and bad JSON with 400', async () => {
    const big = await post(
      '/api/forms/new-customer',
      JSON.stringify(newCustomerPayload({ notes: 'x'.repeat(300 * 1024) })),
    );
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe('payload_too_large');
    const bad = await post('/api/forms/new-customer', '{"name": ');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe('bad_json');
    const list = await post('/api/forms/new-customer', '["a"]');
    expect(list.status).toBe(400);
  });

  it('answers an unknown form with 404', async () => {
    const res = await post('/api/forms/nope', '{}');
    expect(res.status).toBe(404);
    expect((await res.json()).error.code).toBe('unknown_form');
    expect((await fetch(`${app.url}/api/forms/nope/options`, { headers: auth })).status).toBe(404);
  });

  it('refuses an invalid submission with 422 and a message per field', async () => {
    const res = await post(
      '/api/forms/new-customer',
      JSON.stringify(newCustomerPayload({ name: '', email: 'abc', phone: '' })),
    );
    expect(res.status).toBe(422);
    const body = await res.json();
    expect(body.error.code).toBe('invalid');
    expect(body.error.message).toMatch(/^有 \d+ 项需要修改/);
    expect(body.error.fields.name).toBe('“客户名称”必填');
    expect(body.error.fields.email).toMatch(/应为邮箱地址/);
    expect(store.cellWrites).toEqual([]);
    expect(app.syncRequests()).toBe(0);
  });

  it('saves a valid submission, answers its ID and row, and asks for a sync', async () => {
    const res = await post('/api/forms/new-customer', JSON.stringify(newCustomerPayload()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'E20240008', row: CUSTOMER_ROWS.length + 2 });
    expect(store.records(T.CUSTOMERS.name).at(-1)?.['客户编号']).toBe('E20240008');
    expect(app.syncRequests()).toBe(1);
  });

  it('gives concurrent submissions distinct IDs and rows', async () => {
    const results = await Promise.all(
      ['甲', '乙', '丙'].map((n, i) =>
        post(
          '/api/forms/new-customer',
          JSON.stringify(
            newCustomerPayload({
              name: `并发公司${n}`,
              phone: `021-6666000${i}`,
              email: `c${i}@example.com`,
            }),
          ),
        ).then((r) => r.json() as Promise<{ id: string; row: number }>),
      ),
    );
    expect(new Set(results.map((r) => r.id)).size).toBe(3);
    expect(new Set(results.map((r) => r.row)).size).toBe(3);
    expect(results.map((r) => r.id).sort()).toEqual(['E20240009', 'E20240010', 'E20240011']);
  });

  it('searches customers for the picker', async () => {
    const res = await fetch(`${app.url}/api/customers?q=${encodeURIComponent('云帆')}`, {
      headers: auth,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.customers.map((c: { id: string }) => c.id)).toEqual(['E20240001']);
  });

  it('gives a form its options and, for update forms, the rows it can edit', async () => {
    const res = await fetch(`${app.url}/api/forms/handle-ticket/options?q=T2024`, {
      headers: auth,
    });
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ form: 'handle-ticket', user: '李明', timeZone: 'Asia/Shanghai' });
    expect(body.targets.map((t: { id: string }) => t.id)).toEqual(['T20240001']);
    expect(body.settings.enterprisePrefix).toBe('E');
  });
});
