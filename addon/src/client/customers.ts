/// <reference lib="dom" />
/**
 * The customers list and the customer page (客户 360): one page that shows the list, or
 * one customer when the address names it (/customers/E2026… or #c=E2026…). The same
 * bundle runs as the add-on's sidebar, where google.script.run answers instead of HTTP.
 */
import type { Customer360, CustomerListView, Field } from '../../../shared/customer360/view.ts';
import type { FacetKey } from '../../../shared/customer360/directory.ts';
import { formByKey, targetField } from '../../../shared/forms/definitions.ts';
import { h } from './dom.ts';
import { signInUrl } from './nav.ts';
import { RpcError, type Rpc } from './rpc.ts';

const FILTERS: ReadonlyArray<[FacetKey, string]> = [
  ['owner', '负责人'],
  ['tier', '客户分层'],
  ['healthLevel', '健康等级'],
  ['region', '区域'],
  ['status', '客户状态'],
];
const PAGE = 50;

function idFromAddress(): string {
  const hash = new URLSearchParams(location.hash.replace(/^#/, '')).get('c');
  if (hash) return hash;
  const m = /^\/customers\/([^/]+)$/.exec(location.pathname);
  return m ? decodeURIComponent(m[1]!) : '';
}

/** The message of a failed call; a signed-out person goes to the sign-in page and back. */
function errorText(e: unknown): string {
  if (e instanceof RpcError && e.status === 401) {
    location.assign(signInUrl(e.signIn ?? 'required'));
    return '请先登录…';
  }
  return e instanceof RpcError || e instanceof Error ? e.message : String(e);
}

function fields(list: readonly Field[]): HTMLElement {
  return h(
    'dl',
    { class: 'fields' },
    ...list.flatMap((f) => [h('dt', {}, f.label), h('dd', {}, f.value || '—')]),
  );
}

function section(title: string, ...children: (Node | string | null)[]): HTMLElement {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

function chip(text: string, kind = ''): HTMLElement | null {
  return text ? h('span', { class: `chip ${kind}`.trim() }, text) : null;
}

const levelKind = (level: string): string =>
  level === '风险' ? 'bad' : level === '亚健康' ? 'warn' : level === '健康' ? 'good' : '';

export class CustomersPage {
  private state: Record<string, string> = {};
  private timer: ReturnType<typeof setTimeout> | undefined;
  private asked = 0;
  private readonly list = h('div', { class: 'customer-list', 'aria-live': 'polite' });
  private readonly count = h('p', { class: 'muted' });
  private readonly more = h(
    'button',
    { type: 'button', class: 'secondary', hidden: true },
    '显示更多',
  );
  private shown = 0;
  private filtersBuilt = false;
  /** 新建客户, shown once the list says the viewer may add customers */
  private readonly create = h(
    'a',
    { class: 'button', href: '/forms/new-customer', hidden: true },
    '新建客户',
  );
  private readonly filterBar = h('div', { class: 'filters' });
  private readonly search = h('input', {
    type: 'search',
    id: 'customer-search',
    placeholder: '编号、名称、联系人、负责人或电话（4 位以上）',
    'aria-label': '搜索客户',
  });

  constructor(
    private readonly root: HTMLElement,
    private readonly rpc: Rpc,
  ) {
    root.classList.add('wide');
    this.search.addEventListener('input', () => {
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.load(false), 200);
    });
    this.more.addEventListener('click', () => void this.load(true));
    window.addEventListener('hashchange', () => void this.route());
  }

  route(): Promise<void> {
    const id = idFromAddress();
    return id ? this.showCustomer(id) : this.showList();
  }

  private nav(): HTMLElement {
    const local = this.rpc.transport === 'http';
    return h(
      'nav',
      { class: 'crumbs' },
      local ? h('a', { href: '/' }, '我的待办') : null,
      local ? h('a', { href: '/forms' }, '全部表单') : null,
      h('a', { href: '#', 'data-nav': 'list' }, '客户列表'),
      this.create,
    );
  }

  private async showList(): Promise<void> {
    this.root.replaceChildren(
      this.nav(),
      h('h1', {}, '客户'),
      h('div', { class: 'searchbar' }, this.search, this.filterBar),
      this.count,
      this.list,
      this.more,
    );
    await this.load(false);
  }

  private buildFilters(view: CustomerListView): void {
    if (this.filtersBuilt) return;
    this.filtersBuilt = true;
    for (const [key, label] of FILTERS) {
      const select = h(
        'select',
        { 'aria-label': label, 'data-filter': key },
        h('option', { value: '' }, `${label}：全部`),
        ...view.facets[key].map((v) => h('option', { value: v }, v)),
      );
      select.value = this.state[key] ?? '';
      select.addEventListener('change', () => {
        this.state[key] = select.value;
        void this.load(false);
      });
      this.filterBar.append(select);
    }
  }

  private async load(append: boolean): Promise<void> {
    const ask = ++this.asked;
    const query: Record<string, string> = { limit: String(PAGE) };
    const q = this.search.value.trim();
    if (q) query.q = q;
    for (const [key] of FILTERS) if (this.state[key]) query[key] = this.state[key]!;
    if (append) query.offset = String(this.shown);
    let view: CustomerListView;
    try {
      view = await this.rpc.customerList(query);
    } catch (e) {
      if (ask === this.asked) this.count.textContent = errorText(e);
      return;
    }
    if (ask !== this.asked) return;
    this.create.hidden = !view.canCreate || this.rpc.transport !== 'http';
    this.buildFilters(view);
    if (!append) {
      this.list.replaceChildren();
      this.shown = 0;
    }
    for (const r of view.rows) {
      this.list.append(
        h(
          'a',
          { class: 'customer-row', href: `#c=${encodeURIComponent(r.id)}`, 'data-id': r.id },
          h(
            'div',
            { class: 'line1' },
            h('strong', {}, r.name || '（未填名称）'),
            h('span', { class: 'muted' }, r.id),
            chip(r.tier),
            chip(
              r.healthLevel + (r.healthScore === null ? '' : ` ${r.healthScore}`),
              levelKind(r.healthLevel),
            ),
            r.hasProblem ? chip('有数据问题', 'bad') : null,
          ),
          h(
            'div',
            { class: 'line2 muted' },
            [r.status, r.owner, r.region, r.contact, r.phone].filter(Boolean).join(' · '),
          ),
          r.churnWarning ? h('div', { class: 'line2 warn' }, `流失预警：${r.churnWarning}`) : null,
          r.nextCallback ? h('div', { class: 'line2' }, `下次回访：${r.nextCallback}`) : null,
        ),
      );
    }
    this.shown += view.rows.length;
    this.count.textContent = `共 ${view.total} 个客户${view.total > this.shown ? `，显示前 ${this.shown} 个` : ''}（数据截至 ${view.asOf} 的同步）`;
    this.more.hidden = this.shown >= view.total;
  }

  private async showCustomer(id: string): Promise<void> {
    this.root.replaceChildren(this.nav(), h('p', { class: 'muted' }, '正在加载…'));
    let view: Customer360 | null;
    const cannot = (why: string): void =>
      this.root.replaceChildren(
        this.nav(),
        h('h1', {}, `无法打开客户 ${id}`),
        h('p', { class: 'notice', role: 'alert' }, why),
        h('p', {}, h('a', { href: '#', 'data-nav': 'list' }, '返回客户列表')),
      );
    try {
      view = await this.rpc.customer360(id);
    } catch (e) {
      cannot(errorText(e));
      return;
    }
    if (!view) {
      cannot(`没有客户 ${id}（以最近一次同步为准；新建的客户在下次同步后出现）`);
      return;
    }
    this.root.replaceChildren(this.nav(), ...this.render360(view));
  }

  /** Links to the forms this viewer may use on the customer (local pages; the add-on has its menu). */
  private actions(v: Customer360): HTMLElement | null {
    if (v.access.forms.length === 0 || this.rpc.transport !== 'http') return null;
    return h(
      'div',
      { class: 'actions' },
      ...v.access.forms.map((key) => {
        const form = formByKey(key);
        // An update form of 客户 opens on its row (?ref=); the others pick the customer.
        const param = form && targetField(form) ? 'ref' : 'customer';
        return h(
          'a',
          {
            class: 'button',
            href: `/forms/${key}?${param}=${encodeURIComponent(v.id)}`,
            'data-form': key,
          },
          form?.title ?? key,
        );
      }),
    );
  }

  private render360(v: Customer360): HTMLElement[] {
    const out: HTMLElement[] = [
      h(
        'header',
        { class: 'customer-head' },
        h('h1', {}, v.name || v.id),
        h('p', { class: 'muted' }, `${v.id} · 数据截至 ${v.asOf} 的同步`),
        v.access.canEdit
          ? null
          : h(
              'p',
              { class: 'muted readonly' },
              '只读：你不能修改这个客户的资料、签约、下单或记录跟进',
            ),
      ),
    ];
    const actions = this.actions(v);
    if (actions) out.push(actions);
    if (v.problem) out.push(h('p', { class: 'error' }, v.problem));
    const profile = section('客户资料', fields(v.profile));
    if (v.problem) out.push(profile);
    else {
      // Two columns on a desktop; on a phone the left one (who, what now) comes first.
      const churn = section(
        '流失预警',
        v.churn.length === 0
          ? h('p', { class: 'muted' }, '无')
          : h(
              'ul',
              {},
              ...v.churn.map((c) =>
                h('li', {}, h('strong', {}, c.reason), c.basis ? `：${c.basis}` : ''),
              ),
            ),
      );
      out.push(
        h(
          'div',
          { class: 'customer360-grid' },
          h(
            'div',
            { class: 'column' },
            profile,
            section('计算结果', fields(v.computed)),
            this.callbackSection(v),
          ),
          h(
            'div',
            { class: 'column' },
            this.healthSection(v),
            this.tierSection(v),
            churn,
            section('指标', fields(v.metrics)),
          ),
        ),
      );
    }
    out.push(this.timelineSection(v));
    return out;
  }

  private healthSection(v: Customer360): HTMLElement {
    const b = v.health.breakdown;
    if (!b) return section('健康度', h('p', { class: 'muted' }, v.health.note || '—'));
    return section(
      '健康度',
      h(
        'p',
        {},
        h('strong', { class: 'score' }, v.health.score === null ? '—' : String(v.health.score)),
        ' ',
        chip(v.health.level, levelKind(v.health.level)),
        h('span', { class: 'muted' }, ` 健康 ≥ ${b.healthyFrom}，亚健康 ≥ ${b.subHealthyFrom}`),
      ),
      h(
        'table',
        { class: 'breakdown' },
        h(
          'tr',
          {},
          h('th', {}, '分项'),
          h('th', {}, '得分'),
          h('th', {}, '权重'),
          h('th', {}, '依据'),
        ),
        ...b.parts.map((p) =>
          h(
            'tr',
            {},
            h('td', {}, `${p.key} ${p.label}`),
            h('td', {}, p.score.toFixed(2)),
            h('td', {}, String(p.weight)),
            h('td', { class: 'basis' }, p.basis),
          ),
        ),
      ),
      h(
        'p',
        { class: 'muted' },
        b.weighted === null
          ? '四项权重都为 0，不计算健康度'
          : `加权：Σ 权重 × 得分 ÷ ${b.weightSum} = ${b.weighted.toFixed(2)}，四舍五入为 ${v.health.score ?? '—'}`,
      ),
    );
  }

  private tierSection(v: Customer360): HTMLElement {
    const t = v.tier;
    if (!t) return section('客户分层', h('p', { class: 'muted' }, '—'));
    if (!t.rulesValid)
      return section(
        '客户分层',
        h(
          'p',
          { class: 'warn' },
          `${t.tier ?? '—'}：分层规则有误，本次同步未更新“客户分层”，详见“数据问题”`,
        ),
      );
    const why = t.isDefault
      ? `没有一个分层的条件全部满足，按默认分层“${t.defaultTier}”`
      : `“${t.tier ?? ''}”的条件全部满足（按优先级先试更高的分层）`;
    return section(
      '客户分层',
      h('p', {}, h('strong', {}, t.tier ?? '—'), ' ', h('span', { class: 'muted' }, why)),
      t.checks.length === 0
        ? null
        : h(
            'table',
            { class: 'breakdown' },
            h(
              'tr',
              {},
              h('th', {}, '行'),
              h('th', {}, '分层'),
              h('th', {}, '条件'),
              h('th', {}, '实际'),
              h('th', {}, ''),
            ),
            ...t.checks.map((c) =>
              h(
                'tr',
                { class: c.held ? 'held' : 'failed' },
                h('td', {}, String(c.row)),
                h('td', {}, c.tier),
                h('td', { class: 'basis' }, c.condition),
                h('td', {}, c.actual),
                h('td', {}, c.held ? '✓ 满足' : '✗ 不满足'),
              ),
            ),
          ),
    );
  }

  private callbackSection(v: Customer360): HTMLElement {
    const n = v.callbacks.next;
    return section(
      '回访',
      n
        ? h(
            'p',
            {},
            h('strong', {}, `${n.date} ${n.kind}`),
            ' ',
            chip(
              n.state === '逾期' ? `逾期 ${n.overdueDays} 天` : n.state,
              n.state === '逾期' ? 'bad' : '',
            ),
            h('br', {}),
            h('span', { class: 'muted' }, n.reason),
          )
        : h('p', { class: 'muted' }, '没有待办的回访'),
      v.callbacks.candidates.length > 1
        ? h(
            'ul',
            { class: 'candidates' },
            ...v.callbacks.candidates.map((c) =>
              h(
                'li',
                { class: c.chosen ? 'chosen' : '' },
                `${c.date} ${c.kind}`,
                c.chosen ? h('strong', {}, '（下次回访）') : '',
                h('br', {}),
                h('span', { class: 'muted' }, c.reason),
              ),
            ),
          )
        : null,
    );
  }

  private timelineSection(v: Customer360): HTMLElement {
    return section(
      `时间线（${v.timeline.length}）`,
      v.timeline.length === 0
        ? h('p', { class: 'muted' }, '还没有订单、跟进、工单或回访')
        : h(
            'ol',
            { class: 'timeline' },
            ...v.timeline.map((t) =>
              h(
                'li',
                { 'data-kind': t.kind, 'data-id': t.id },
                h(
                  'div',
                  { class: 'when' },
                  h('span', { class: `chip kind-${t.kind}` }, t.kind),
                  ' ',
                  t.at,
                  ' ',
                  h('span', { class: 'muted' }, t.id),
                ),
                h('div', {}, t.title),
                t.detail ? h('div', { class: 'muted' }, t.detail) : null,
                t.hasProblem ? h('div', { class: 'error' }, '这一行有数据问题，未计入指标') : null,
              ),
            ),
          ),
    );
  }
}

export function mountCustomers(root: HTMLElement, rpc: Rpc): void {
  const page = new CustomersPage(root, rpc);
  root.addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest('a[data-nav="list"]');
    if (a) {
      e.preventDefault();
      if (location.pathname.startsWith('/customers/')) location.assign('/customers');
      else location.hash = '';
    }
  });
  void page.route();
}
