/// <reference lib="dom" />
/**
 * The answer to a possible duplicate at entry (新建客户, 编辑客户): which customers the row
 * may repeat, each a link to its customer page (opened beside the form, so nothing typed
 * is lost), and 仍然保存 to save it anyway with `confirmDuplicate: true`.
 */
import type { DuplicateHit } from '../../../shared/forms/entryDuplicates.ts';
import { h } from './dom.ts';

export interface DuplicateWarningOptions {
  hits: readonly DuplicateHit[];
  /** local pages link each customer to /customers/<ID>; the add-on names it */
  links: boolean;
  /** saves again with confirmDuplicate: true */
  confirm: () => void;
  /** back to the form to change what was typed */
  dismiss: () => void;
}

export function duplicateWarning(options: DuplicateWarningOptions): HTMLElement {
  const save = h('button', { type: 'button', class: 'primary' }, '仍然保存');
  const change = h('button', { type: 'button' }, '返回修改');
  save.addEventListener('click', () => options.confirm());
  change.addEventListener('click', () => options.dismiss());
  const who = (hit: DuplicateHit): Node =>
    options.links
      ? h(
          'a',
          {
            href: `/customers/${encodeURIComponent(hit.id)}`,
            target: '_blank',
            // same origin: the new tab shares this one's sign-in token
            rel: 'opener',
            'data-customer': hit.id,
          },
          `${hit.id} ${hit.name}`,
        )
      : h('strong', {}, `${hit.id} ${hit.name}`);
  return h(
    'section',
    { class: 'duplicate-warning', role: 'alert' },
    h('h2', {}, '可能是已有客户'),
    h(
      'ul',
      {},
      ...options.hits.map((hit) =>
        h(
          'li',
          {},
          '可能与 ',
          who(hit),
          ' 重复',
          hit.reason ? h('span', { class: 'muted' }, `（${hit.reason}）`) : null,
        ),
      ),
    ),
    h('p', { class: 'muted' }, '请先核对；确认不是同一客户后再保存。'),
    h('div', { class: 'choices' }, save, change),
  );
}
