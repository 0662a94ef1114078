/// <reference lib="dom" />
/** The add-on's 我的待办 sidebar: the account's day, or why it cannot be shown. */
import type { WorkItem } from '../../../shared/worklist.ts';
import { h } from './dom.ts';
import { RpcError, type Rpc } from './rpc.ts';

const ACTION: Readonly<Record<string, string>> = {
  'follow-up': '记录跟进',
  'visit-record': '填写回访记录',
  'handle-ticket': '处理工单',
  'review-visit': '审核',
};

function item(it: WorkItem, rpc: Rpc, status: HTMLElement): HTMLLIElement {
  const open = h('button', { type: 'button', class: 'primary' }, ACTION[it.form] ?? '去处理');
  open.addEventListener('click', () => {
    rpc.openForm?.(it.form).catch((e: unknown) => {
      status.textContent = e instanceof RpcError ? e.message : String(e);
    });
  });
  return h(
    'li',
    {
      class: 'work-item',
      'data-kind': it.kind,
      'data-customer': it.customerId,
      'data-ref': it.ref,
    },
    h(
      'p',
      { class: 'work-who' },
      h('span', { class: 'kind' }, it.kind),
      ` ${it.customerName} `,
      h('span', { class: 'muted' }, it.customerId),
    ),
    h(
      'p',
      { class: 'muted' },
      `到期 ${it.due}`,
      it.overdueDays > 0 ? h('strong', { class: 'late' }, ` 逾期 ${it.overdueDays} 天`) : null,
      it.flag ? h('strong', { class: 'late' }, ` ${it.flag}`) : null,
      it.phone ? ` · ${it.phone}` : null,
      it.ref ? ` · ${it.ref}` : null,
    ),
    h('p', {}, it.reason),
    open,
  );
}

export async function mountWorklist(root: HTMLElement, rpc: Rpc): Promise<void> {
  root.replaceChildren(h('h1', {}, '我的待办'), h('p', { class: 'status info' }, '正在读取表格…'));
  try {
    if (!rpc.worklist) throw new RpcError('请在浏览器中打开同步服务的首页查看我的待办');
    const reply = await rpc.worklist();
    if (!reply.ok) {
      root.replaceChildren(
        h('h1', {}, '我的待办'),
        h('p', { class: 'status error', role: 'alert' }, reply.message),
      );
      return;
    }
    const status = h('p', { class: 'status', role: 'status' });
    const items = reply.worklist.items;
    const late = items.filter((i) => i.overdueDays > 0);
    const today = items.filter((i) => i.overdueDays === 0);
    const group = (title: string, list: WorkItem[], empty: string) =>
      h(
        'section',
        { class: 'work-group' },
        h('h2', {}, `${title}（${list.length}）`),
        list.length > 0
          ? h('ol', { class: 'work-items' }, ...list.map((i) => item(i, rpc, status)))
          : h('p', { class: 'muted' }, empty),
      );
    root.replaceChildren(
      h('h1', {}, '我的待办'),
      h('p', { class: 'muted who' }, `${reply.name}（${reply.role}）· ${reply.worklist.date}`),
      group('逾期', late, '没有逾期的事项'),
      group('今日', today, '今天没有待办事项'),
      status,
    );
  } catch (e) {
    root.replaceChildren(
      h('h1', {}, '我的待办'),
      h('p', { class: 'status error', role: 'alert' }, e instanceof Error ? e.message : String(e)),
    );
  }
}
