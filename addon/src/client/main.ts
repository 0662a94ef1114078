/// <reference lib="dom" />
/**
 * The page's entry point. The HTML names its form in <body data-form>; a page without
 * one (the local service's /forms) lists the forms instead.
 */
import { FORMS, formByKey } from '../../../shared/forms/definitions.ts';
import { h } from './dom.ts';
import { mountCustomers } from './customers.ts';
import { mountForm } from './form.ts';
import { pageNav } from './nav.ts';
import { connect, type Rpc } from './rpc.ts';
import { mountWorklist } from './worklist.ts';
import { mountSyncProgress } from './syncProgress.ts';

function renderIndex(root: HTMLElement, rpc: Rpc): void {
  root.replaceChildren(
    ...pageNav(rpc, 'forms'),
    h('h1', {}, '客户管理表单'),
    h(
      'ul',
      { class: 'form-list' },
      ...FORMS.map((f) => h('li', {}, h('a', { href: `/forms/${f.key}` }, f.title))),
    ),
    h('p', {}, h('a', { href: '/customers' }, '客户列表与客户详情')),
  );
}

function start(): void {
  const root = document.getElementById('app');
  if (!root) return;
  // Connecting first also takes the token out of the address bar, on the index page too.
  const rpc = connect();
  mountSyncProgress(rpc);
  const key = document.body.dataset.form ?? '';
  if (key === 'worklist') {
    void mountWorklist(root, rpc);
    return;
  }
  if (key === 'customers') {
    mountCustomers(root, rpc);
    return;
  }
  const form = formByKey(key);
  const params = new URLSearchParams(location.search);
  // A sidebar opened from 我的待办 carries them on <body> (it has no address of its own).
  const data = document.body.dataset;
  if (form)
    void mountForm(root, form, rpc, {
      customer: params.get('customer') ?? data.customer ?? null,
      ref: params.get('ref') ?? data.ref ?? null,
    });
  else renderIndex(root, rpc);
}

start();
