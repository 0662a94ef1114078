/// <reference lib="dom" />
/** The add-on's 我的待办 sidebar: the account's day, or why it cannot be shown. */
import type { WorkItem } from '../../../shared/worklist.ts';
import { DEFAULT_PAGE_LIMIT, GROUP_TITLES, type WorkGroup } from '../../../shared/worklistPage.ts';
import { h } from './dom.ts';
import { RpcError, type Rpc } from './rpc.ts';

const ACTION: Readonly<Record<string, string>> = {
  'follow-up': '记录跟进',
  'visit-record': '填写回访记录',
  'experience-survey': '填写体验问卷',
  'handle-ticket': '处理工单',
  'review-visit': '审核',
};

function item(it: WorkItem, rpc: Rpc, status: HTMLElement): HTMLLIElement {
  const open = h('button', { type: 'button', class: 'primary' }, ACTION[it.form] ?? '去处理');
  open.addEventListener('click', () => {
    rpc.openForm?.(it.form, it.customerId, it.ref).catch((e: unknown) => {
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
    it.strategy ? h('p', { class: 'muted strategy' }, `服务策略：${it.strategy}`) : null,
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
    const page = reply.worklist;
    const group = (key: WorkGroup, empty: string) => {
      const list = page.items.filter((i) => i.overdueDays > 0 === (key === 'overdue'));
      const ol = h('ol', { class: 'work-items' }, ...list.map((i) => item(i, rpc, status)));
      const count = h('span', {}, String(page.total[key]));
      const section = h(
        'section',
        { class: 'work-group', 'data-group': key },
        h('h2', {}, `${GROUP_TITLES[key]}（`, count, '）'),
        page.total[key] > 0 ? ol : h('p', { class: 'muted' }, empty),
      );
      const more = (total: number, next: number | null): HTMLButtonElement | null => {
        if (next === null || !rpc.worklist) return null;
        const left = total - next;
        const button = h(
          'button',
          { type: 'button', class: 'more' },
          `还有 ${left} 项，再显示 ${Math.min(left, DEFAULT_PAGE_LIMIT)} 项`,
        );
        button.addEventListener('click', () => {
          button.disabled = true;
          button.textContent = '正在读取…';
          rpc.worklist!({ group: key, offset: next })
            .then((r) => {
              if (!r.ok) throw new RpcError(r.message);
              for (const i of r.worklist.items) ol.append(item(i, rpc, status));
              count.textContent = String(r.worklist.total[key]);
              const again = more(r.worklist.total[key], r.worklist.next[key]);
              if (again) button.replaceWith(again);
              else button.remove();
            })
            .catch((e: unknown) => {
              button.disabled = false;
              button.textContent = '读取失败，再试一次';
              status.textContent = e instanceof Error ? e.message : String(e);
            });
        });
        return button;
      };
      const button = more(page.total[key], page.next[key]);
      if (button) section.append(button);
      return section;
    };
    root.replaceChildren(
      h('h1', {}, '我的待办'),
      h('p', { class: 'muted who' }, `${reply.name}（${reply.role}）· ${reply.worklist.date}`),
      group('overdue', '没有逾期的事项'),
      group('today', '今天没有待办事项'),
      status,
    );
  } catch (e) {
    root.replaceChildren(
      h('h1', {}, '我的待办'),
      h('p', { class: 'status error', role: 'alert' }, e instanceof Error ? e.message : String(e)),
    );
  }
}
