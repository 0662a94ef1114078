/// <reference lib="dom" />
/**
 * The way back from any page of local mode: to the list of forms and to 我的待办. In
 * the add-on the sheet's 客户管理 menu is that way, so a sidebar shows none.
 */
import { h } from './dom.ts';
import type { Rpc } from './rpc.ts';

export function pageNav(
  rpc: Pick<Rpc, 'transport'>,
  here: 'forms' | 'form' | 'worklist',
): HTMLElement[] {
  if (rpc.transport !== 'http') return [];
  const links: HTMLElement[] = [];
  if (here !== 'forms') links.push(h('a', { href: '/forms' }, '‹ 全部表单'));
  if (here !== 'worklist') links.push(h('a', { href: '/' }, '我的待办'));
  return [h('nav', { class: 'page-nav', 'aria-label': '页面导航' }, ...links)];
}

/** A page's title with the way back above it. */
export function pageHeading(rpc: Pick<Rpc, 'transport'>, title: string): HTMLElement[] {
  return [...pageNav(rpc, 'form'), h('h1', {}, title)];
}

/** The sign-in page, told why the person is sent there and where to come back to. */
export function signInUrl(why: 'required' | 'expired'): string {
  const next = location.pathname + location.search;
  return `/login?next=${encodeURIComponent(next)}&why=${why}`;
}
