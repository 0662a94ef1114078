/** The add-on's Code.js loaded in a vm over fresh fakes, for the add-on's tests. */
import type { Context } from 'node:vm';
import { fakeAppsScript, loadBundle, type AppsScript } from './fakes/services.ts';
import { FakeSpreadsheet } from './fakes/spreadsheet.ts';
import { SERVICE_URL, type Built } from './build.ts';
import { fakeService, type ServiceFake } from './service.ts';

type Fn = (...args: unknown[]) => unknown;

export interface Env extends AppsScript {
  ctx: Context;
  call<R = unknown>(name: string, ...args: unknown[]): R;
  service: ServiceFake;
}

export const ID_TOKEN = 'eyJhbGciOiJSUzI1NiJ9.test-token.sig';

export function env(build: Built, ss?: FakeSpreadsheet): Env {
  const spreadsheet = ss ?? new FakeSpreadsheet();
  const service = fakeService(SERVICE_URL, ID_TOKEN, [spreadsheet.id]);
  const gas = fakeAppsScript({
    dist: build.dir,
    whitelist: build.manifest.urlFetchWhitelist,
    ss: spreadsheet,
    idToken: ID_TOKEN,
    fetch: (req) => service.handler(req),
  });
  const ctx = loadBundle(build.code, gas.globals);
  const call = <R>(name: string, ...args: unknown[]) => (ctx[name] as Fn)(...args) as R;
  return { ...gas, ctx, call, service };
}

export const customerPayload = (extra: Record<string, string> = {}): Record<string, string> => ({
  kind: '企业',
  name: '杭州云帆科技有限公司',
  contact: '王芳',
  phone: '0571-88886666',
  industry: '信息技术',
  source: '转介绍',
  level: '普通客户',
  status: '潜在',
  intent: 'A',
  owner: '李明',
  createdDate: '2024-06-15',
  ...extra,
});

export type Submit = {
  ok: boolean;
  id?: string;
  row?: number;
  message?: string;
  problems?: object;
};
