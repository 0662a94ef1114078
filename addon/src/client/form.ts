/// <reference lib="dom" />
/**
 * One form, rendered from its definition. Every keystroke runs the form's shared schema
 * (the checks a sync runs), so a message appears next to the field before anything is
 * sent; the server checks again and its answers land next to the same fields.
 */
import { wallTimeOf } from '../../../shared/calendar.ts';
import type { FormOptions, TargetItem } from '../../../shared/forms/api.ts';
import { isRequired, type FieldDef, type FormDef } from '../../../shared/forms/definitions.ts';
import { isHidden } from '../../../shared/forms/presentation.ts';
import { checkForm, type FieldProblems } from '../../../shared/forms/schema.ts';
import { refusalMessage } from '../../../shared/forms/submit.ts';
import {
  dependentChanges,
  initialValues,
  recordFor,
  type FormEnv,
  type FormValues,
} from '../../../shared/forms/values.ts';
import type { DuplicateHit } from '../../../shared/forms/entryDuplicates.ts';
import { h, uid } from './dom.ts';
import { duplicateWarning } from './duplicateWarning.ts';
import { pageHeading, signInUrl } from './nav.ts';
import { Picker, type PickItem } from './picker.ts';
import { promptList } from './prompts.ts';
import { Scale } from './scale.ts';
import { customerCard, showCustomerCard, strategyRows } from './strategyCard.ts';
import { proposedOwner } from '../../../shared/forms/customerCard.ts';
import { RpcError, type Rpc } from './rpc.ts';

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;

interface FieldUi {
  def: FieldDef;
  wrap: HTMLDivElement;
  mark: HTMLSpanElement;
  error: HTMLParagraphElement;
  control?: Control;
  picker?: Picker;
  scale?: Scale;
  /** under a customer picker: the chosen customer's 客户分层 and 服务策略 */
  card?: HTMLDListElement;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$/;

/** Form text ↔ what a native date-time box holds ("T" between date and time). */
const toControl = (f: FieldDef, text: string): string =>
  f.input === 'datetime' ? text.replace(' ', 'T') : text;
const fromControl = (f: FieldDef, text: string): string =>
  f.input === 'datetime' ? text.replace('T', ' ') : text;

const message = (e: unknown): string =>
  e instanceof RpcError || e instanceof Error ? e.message : String(e);

export class FormView {
  private values: FormValues;
  private readonly touched = new Set<string>();
  /** fields the person typed into: derived values no longer overwrite them */
  private readonly edited = new Set<string>();
  private serverProblems: FieldProblems = {};
  private attempted = false;
  private busy = false;
  private target: TargetItem | null = null;
  /** 客户编号 → 客户分层 of the customers the pickers found */
  private readonly tiers = new Map<string, string>();
  private readonly ui = new Map<string, FieldUi>();
  private readonly datalists: HTMLDataListElement[] = [];
  private readonly status = h('p', { class: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly summary = h('dl', { class: 'summary', hidden: true });
  private readonly submitButton: HTMLButtonElement;
  private readonly formEl: HTMLFormElement;
  private warning: HTMLElement | null = null;

  constructor(
    private readonly root: HTMLElement,
    private readonly form: FormDef,
    private readonly rpc: Rpc,
    private readonly options: FormOptions,
  ) {
    this.values = initialValues(form, this.env());
    this.submitButton = h('button', { type: 'submit', class: 'primary' }, form.submitLabel);
    this.formEl = h('form', { novalidate: true, autocomplete: 'off' });
  }

  private env(): FormEnv {
    return {
      settings: this.options.settings,
      now: wallTimeOf(Date.now(), this.options.timeZone),
      user: this.options.user,
      routing: this.options.routing,
    };
  }

  render(): void {
    const fields: HTMLElement[] = this.form.fields.map((f) => this.renderField(f));
    const targetIndex = this.form.fields.findIndex((f) => f.input === 'target');
    if (targetIndex >= 0) fields.splice(targetIndex + 1, 0, this.summary);
    this.formEl.replaceChildren(
      ...fields,
      ...this.datalists,
      h('div', { class: 'actions' }, this.submitButton, this.status),
    );
    this.formEl.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.submit();
    });
    const notice = this.noUserNotice();
    this.root.replaceChildren(
      ...pageHeading(this.rpc, this.form.title),
      ...(notice ? [notice] : []),
      this.formEl,
    );
    this.fill(this.values);
    this.validate();
  }

  /**
   * Apps Script may not say who is signed in (an account outside the script owner's
   * domain): fields it would fill in stay blank, and a form that records the person
   * cannot be submitted, so the page says so up front.
   */
  private noUserNotice(): HTMLElement | null {
    if (this.rpc.transport !== 'google' || this.options.user.trim() !== '') return null;
    const prefilled = this.form.fields.filter((f) => f.prefill === 'user').map((f) => f.label);
    const recorded = Object.values(this.form.set).includes('user');
    if (!recorded && prefilled.length === 0) return null;
    const text = recorded
      ? '无法获取您的 Google 账号邮箱，无法记录审核人：请用与表格同一组织的账号登录后重新打开本表单'
      : `无法获取您的 Google 账号邮箱：请手动填写“${prefilled.join('”“')}”`;
    return h('p', { class: 'notice', role: 'note' }, text);
  }

  private renderField(f: FieldDef): HTMLDivElement {
    const id = uid(`f-${f.key}`);
    const hintId = uid('hint');
    const errorId = uid('err');
    const mark = h('span', { class: 'req', 'aria-hidden': 'true', hidden: true }, '*');
    const error = h('p', { id: errorId, class: 'error', hidden: true });
    const hint = f.hint ? h('p', { id: hintId, class: 'hint' }, f.hint) : null;
    const describedBy = [f.hint ? hintId : '', errorId].filter(Boolean).join(' ');
    const label = h('label', { for: id }, f.label, mark);
    const wrap = h('div', { class: 'field', 'data-field': f.key }, label);
    const ui: FieldUi = { def: f, wrap, mark, error };

    if (f.input === 'customer' || f.input === 'target') {
      ui.picker = new Picker({
        inputId: id,
        describedBy,
        placeholder:
          f.input === 'target'
            ? (this.form.target?.placeholder ?? '')
            : '输入客户名称、编号或电话搜索',
        search: (q) => this.search(f, q),
        onPick: (item) => this.picked(f, item),
        onError: (text) => this.showStatus(text, 'error'),
        card: f.input === 'customer',
      });
      wrap.append(ui.picker.root);
      if (f.input === 'customer') {
        ui.card = customerCard();
        wrap.append(ui.card);
      }
    } else if (f.input === 'scale') {
      ui.scale = new Scale(
        { id, label: f.label, describedBy, min: f.min ?? 0, max: f.max ?? 10 },
        (value) => {
          this.changed(f.key, value);
          this.touched.add(f.key);
          this.validate();
        },
      );
      ui.control = ui.scale.input;
      wrap.append(ui.scale.root);
    } else {
      const control = this.control(f, id, describedBy);
      // Who acts is the signed-in person: a field the server would overwrite is read-only.
      if (this.options.locked?.includes(f.key) && control instanceof HTMLInputElement)
        control.readOnly = true;
      ui.control = control;
      control.addEventListener('input', () => this.changed(f.key, fromControl(f, control.value)));
      control.addEventListener('change', () => this.changed(f.key, fromControl(f, control.value)));
      control.addEventListener('blur', () => {
        this.touched.add(f.key);
        this.validate();
      });
      wrap.append(control);
      if (f.prompts)
        wrap.append(
          promptList(
            f.prompts,
            () => this.values[f.key] ?? '',
            (text) => {
              control.value = text;
              this.changed(f.key, text);
            },
          ),
        );
    }
    if (hint) wrap.append(hint);
    wrap.append(error);
    this.ui.set(f.key, ui);
    return wrap;
  }

  private choices(f: FieldDef): readonly string[] {
    return this.options.choices[f.key] ?? f.options ?? [];
  }

  private control(f: FieldDef, id: string, describedBy: string): Control {
    const common = { id, name: f.key, 'aria-describedby': describedBy };
    switch (f.input) {
      case 'select':
        return h('select', common);
      case 'textarea':
        return h('textarea', { ...common, rows: 3 });
      case 'date':
        return h('input', { ...common, type: 'date' });
      case 'datetime':
        return h('input', { ...common, type: 'datetime-local', step: 60 });
      case 'money':
        return h('input', { ...common, type: 'text', inputmode: 'decimal', placeholder: '元' });
      case 'integer':
        return h('input', { ...common, type: 'text', inputmode: 'numeric' });
      case 'number':
        return h('input', { ...common, type: 'text', inputmode: 'decimal' });
      case 'tel':
        return h('input', { ...common, type: 'tel' });
      case 'email':
        return h('input', { ...common, type: 'email' });
      case 'url':
        return h('input', { ...common, type: 'url' });
      default: {
        const input = h('input', { ...common, type: 'text' });
        const choices = this.choices(f);
        if (choices.length > 0) {
          // Suggestions only (处理部门): other text is allowed.
          const listId = uid('choices');
          input.setAttribute('list', listId);
          this.datalists.push(
            h('datalist', { id: listId }, ...choices.map((c) => h('option', { value: c }))),
          );
        }
        return input;
      }
    }
  }

  /** Shows values in the controls; a select keeps a value outside its list visible. */
  private fill(values: FormValues): void {
    for (const [key, text] of Object.entries(values)) {
      const ui = this.ui.get(key);
      if (!ui?.control) continue;
      const f = ui.def;
      const control = ui.control;
      if (control instanceof HTMLSelectElement) {
        const choices = [...this.choices(f)];
        if (text !== '' && !choices.includes(text)) choices.push(text);
        control.replaceChildren(
          h('option', { value: '' }, '请选择'),
          ...choices.map((c) => h('option', { value: c }, f.optionLabels?.[c] ?? c)),
        );
      } else if (
        control instanceof HTMLInputElement &&
        (f.input === 'date' || f.input === 'datetime')
      ) {
        // Text a native date box cannot show (2024年3月1日) stays editable as text.
        const fits = text === '' || (f.input === 'date' ? ISO_DATE : ISO_DATETIME).test(text);
        control.type = fits ? (f.input === 'date' ? 'date' : 'datetime-local') : 'text';
      }
      control.value = toControl(f, text);
      ui.scale?.show(text);
    }
  }

  private changed(key: string, text: string): void {
    if (this.values[key] === text) return;
    this.values[key] = text;
    this.touched.add(key);
    this.edited.add(key);
    // A changed row is checked for duplicates again when saved.
    this.warning?.remove();
    this.warning = null;
    delete this.serverProblems[key];
    delete this.serverProblems[''];
    const patch = dependentChanges(this.form, this.values, key, this.env(), this.edited);
    const owner = this.proposedOwner(key);
    if (owner !== null) patch.owner = owner;
    Object.assign(this.values, patch);
    this.fill(patch);
    this.validate();
  }

  /**
   * 新建客户 for whoever may name the 负责人 (经理, 管理员): the person 线索分配 gives a
   * lead of this 所属行业 and 区域, until they type a 负责人 themselves.
   */
  private proposedOwner(changed: string): string | null {
    if (this.form.key !== 'new-customer' || !['industry', 'region', 'status'].includes(changed))
      return null;
    if (this.edited.has('owner') || this.options.locked?.includes('owner')) return null;
    return proposedOwner(this.values, this.options.leadRules ?? []);
  }

  private async search(f: FieldDef, q: string): Promise<PickItem[]> {
    if (f.input === 'target') {
      const options = await this.rpc.formOptions(this.form.key, q);
      return options.targets;
    }
    const hits = await this.rpc.searchCustomers(q);
    for (const c of hits) this.tiers.set(c.id, c.tier ?? '');
    return hits.map((c) => ({
      id: c.id,
      label: `${c.name}（${c.id}）`,
      detail: [c.kind, c.status, c.contact, c.phone].filter(Boolean).join(' · '),
    }));
  }

  private picked(f: FieldDef, item: PickItem | null): void {
    this.touched.add(f.key);
    delete this.serverProblems[f.key];
    if (f.input !== 'target') {
      this.values[f.key] = item?.id ?? '';
      const card = this.ui.get(f.key)?.card;
      if (card)
        showCustomerCard(card, this.tiers.get(item?.id ?? ''), this.options.strategies ?? {});
      this.validate();
      return;
    }
    // A new row to edit: the fields start from its values, as if the form had just opened.
    this.target = (item as TargetItem | null) ?? null;
    this.serverProblems = {};
    this.edited.clear();
    for (const key of [...this.touched]) if (key !== f.key) this.touched.delete(key);
    this.values = initialValues(this.form, this.env(), this.target?.record);
    this.values[f.key] = item?.id ?? '';
    this.fill(this.values);
    this.renderSummary();
    this.validate();
  }

  /**
   * Opens on a chosen customer or row (我的待办's buttons carry ?customer= and ?ref=):
   * picked as if the person had searched for it, when they may see it.
   */
  async preselect(wanted: { customer?: string | null; ref?: string | null }): Promise<void> {
    for (const f of this.form.fields) {
      const picker = this.ui.get(f.key)?.picker;
      const id =
        f.input === 'target' ? wanted.ref : f.input === 'customer' ? wanted.customer : null;
      if (!picker || !id) continue;
      try {
        const item = (await this.search(f, id)).find((i) => i.id === id);
        if (!item) continue;
        picker.setChosen(item);
        this.picked(f, item);
      } catch (e) {
        this.showStatus(message(e), 'error');
      }
    }
  }

  private renderSummary(): void {
    const record = this.target?.record;
    if (!record || !this.form.target) {
      this.summary.hidden = true;
      this.summary.replaceChildren();
      return;
    }
    const rows = this.form.target.summary.flatMap((key) => {
      const column = this.form.tab.columns.find((c) => c.key === key);
      const text = record[key] ?? '';
      return column && text !== '' ? [h('dt', {}, column.header), h('dd', {}, text)] : [];
    });
    rows.push(...strategyRows(this.target?.tier, this.options.strategies ?? {}));
    this.summary.replaceChildren(...rows);
    this.summary.hidden = rows.length === 0;
  }

  /** Runs the shared schema and shows messages on the fields touched so far (all, once submitted). */
  private validate(): FieldProblems {
    const env = this.env();
    const base = this.target?.record;
    const checked = checkForm(this.form, this.values, env, base);
    const problems: FieldProblems = checked.ok ? {} : { ...checked.problems };
    for (const [key, text] of Object.entries(this.serverProblems)) problems[key] ??= text;
    const record = recordFor(this.form, this.values, env, base);
    for (const ui of this.ui.values()) {
      const key = ui.def.key;
      // A field that does not apply is neither shown nor checked (its value is not written).
      ui.wrap.hidden = isHidden(this.form.fields, ui.def, this.values);
      if (ui.wrap.hidden) delete problems[key];
      const pending = ui.picker?.pendingText ?? '';
      if (pending !== '' && (this.values[key] ?? '') === '')
        problems[key] = ui.def.input === 'target' ? '请从列表中选择' : '请从搜索结果中选择客户';
      const text = problems[key];
      const show = text !== undefined && (this.attempted || this.touched.has(key));
      ui.error.textContent = show ? text : '';
      ui.error.hidden = !show;
      ui.wrap.classList.toggle('invalid', show);
      const input = ui.control ?? ui.picker?.input;
      if (show) input?.setAttribute('aria-invalid', 'true');
      else input?.removeAttribute('aria-invalid');
      ui.mark.hidden = !isRequired(ui.def, record);
    }
    return problems;
  }

  private showStatus(text: string, kind: 'error' | 'info' | ''): void {
    this.status.textContent = text;
    this.status.className = kind ? `status ${kind}` : 'status';
  }

  private async submit(confirmDuplicate = false): Promise<void> {
    if (this.busy) return;
    this.warning?.remove();
    this.warning = null;
    this.attempted = true;
    const problems = this.validate();
    if (Object.keys(problems).length > 0) {
      this.showStatus(refusalMessage(problems), 'error');
      const first = this.form.fields.find((f) => problems[f.key] !== undefined);
      const ui = first && this.ui.get(first.key);
      (ui?.control ?? ui?.picker?.input)?.focus();
      return;
    }
    this.busy = true;
    this.submitButton.disabled = true;
    this.showStatus('正在保存…', 'info');
    try {
      const result = await this.rpc.submitForm(this.form.key, {
        ...this.values,
        ...(confirmDuplicate ? { confirmDuplicate: true } : {}),
      });
      if (result.ok) {
        this.done(result.id, result.row);
        return;
      }
      if (result.duplicates?.length) {
        this.showDuplicates(result.duplicates);
        return;
      }
      this.serverProblems = result.problems;
      this.validate();
      this.showStatus(result.message || refusalMessage(result.problems), 'error');
    } catch (e) {
      this.showStatus(message(e), 'error');
    } finally {
      this.busy = false;
      this.submitButton.disabled = false;
    }
  }

  /** Possible duplicates: shown above the buttons until the person confirms or changes the row. */
  private showDuplicates(hits: readonly DuplicateHit[]): void {
    this.showStatus('', '');
    this.warning = duplicateWarning({
      hits,
      links: this.rpc.transport === 'http',
      confirm: () => void this.submit(true),
      dismiss: () => {
        this.warning?.remove();
        this.warning = null;
        this.formEl.querySelector<HTMLElement>('input, select, textarea')?.focus();
      },
    });
    this.submitButton.parentElement!.before(this.warning);
    this.warning.querySelector('button')?.focus();
  }

  private done(id: string, row: number): void {
    const again = h('button', { type: 'button', class: 'primary' }, '再填一条');
    again.addEventListener('click', () => void mountForm(this.root, this.form, this.rpc));
    const verb = this.form.mode === 'append' ? '已保存' : '已更新';
    this.root.replaceChildren(
      ...pageHeading(this.rpc, this.form.title),
      h(
        'section',
        { class: 'done', role: 'status' },
        h('p', {}, `${verb}到“${this.form.tab.name}”表第 ${row} 行`),
        h('p', { class: 'done-id' }, '编号 ', h('strong', { class: 'new-id' }, id)),
        h(
          'div',
          { class: 'actions' },
          again,
          // Local mode: back to the day this form was opened from.
          this.rpc.transport === 'http'
            ? h('a', { class: 'back', href: '/' }, '返回我的待办')
            : null,
        ),
      ),
    );
    again.focus();
  }
}

export async function mountForm(
  root: HTMLElement,
  form: FormDef,
  rpc: Rpc,
  preselect?: { customer?: string | null; ref?: string | null },
): Promise<void> {
  root.replaceChildren(
    ...pageHeading(rpc, form.title),
    h('p', { class: 'status info' }, '正在读取表格…'),
  );
  try {
    const options = await rpc.formOptions(form.key);
    const view = new FormView(root, form, rpc, options);
    view.render();
    if (preselect) await view.preselect(preselect);
  } catch (e) {
    // Nothing typed yet: a person who is not signed in goes to sign in, and comes back.
    if (e instanceof RpcError && e.signIn && rpc.transport === 'http') {
      location.replace(signInUrl(e.signIn));
      return;
    }
    root.replaceChildren(
      ...pageHeading(rpc, form.title),
      h('p', { class: 'status error', role: 'alert' }, message(e)),
    );
  }
}
