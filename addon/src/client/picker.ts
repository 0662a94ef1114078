/// <reference lib="dom" />
/**
 * Search-as-you-type: a text box whose results come from the server, one of which
 * becomes the field's value. Typing again drops the choice until another is picked.
 */
import { h, uid } from './dom.ts';

export interface PickItem {
  id: string;
  label: string;
  detail: string;
}

export interface PickerOptions {
  inputId: string;
  placeholder: string;
  describedBy: string;
  search(q: string): Promise<PickItem[]>;
  onPick(item: PickItem | null): void;
  /** shown in the list when a search fails */
  onError(message: string): void;
  /** show the chosen item whole below the box (a long name does not fit a sidebar's box) */
  card?: boolean;
}

const DEBOUNCE_MS = 200;

export class Picker {
  readonly root: HTMLDivElement;
  readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private items: PickItem[] = [];
  private active = -1;
  private seq = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chosen: PickItem | null = null;
  private readonly card: HTMLDivElement;

  constructor(private readonly opts: PickerOptions) {
    const listId = uid('picker-list');
    this.input = h('input', {
      id: opts.inputId,
      type: 'search',
      class: 'picker-input',
      autocomplete: 'off',
      spellcheck: 'false',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': listId,
      'aria-describedby': opts.describedBy,
      placeholder: opts.placeholder,
    });
    this.list = h('ul', { id: listId, class: 'picker-list', role: 'listbox', hidden: true });
    this.card = h('div', { class: 'picked', hidden: true, 'aria-live': 'polite' });
    this.root = h('div', { class: 'picker' }, this.input, this.list);
    if (opts.card) this.root.append(this.card);

    this.input.addEventListener('input', () => {
      if (this.chosen) {
        this.chosen = null;
        this.showCard();
        this.opts.onPick(null);
      }
      this.searching();
      this.schedule();
    });
    this.input.addEventListener('focus', () => {
      if (!this.chosen) this.schedule(0);
    });
    this.input.addEventListener('keydown', (e) => this.onKey(e));
    this.input.addEventListener('blur', () => this.close());
  }

  /** The text typed that has not become a choice (to tell "nothing picked yet" apart). */
  get pendingText(): string {
    return this.chosen ? '' : this.input.value.trim();
  }

  setChosen(item: PickItem | null): void {
    this.chosen = item;
    this.input.value = item ? item.label : '';
    this.showCard();
    this.close();
  }

  private showCard(): void {
    const item = this.chosen;
    this.card.hidden = !item;
    const parts: HTMLElement[] = [];
    if (item) parts.push(h('span', { class: 'picked-label' }, item.label));
    if (item?.detail) parts.push(h('span', { class: 'picked-detail' }, item.detail));
    this.card.replaceChildren(...parts);
  }

  /**
   * The text changed: answers for what was typed before are dropped, and until the answer
   * for this text arrives the list says 搜索中… with nothing to pick, so a quick Enter or
   * click cannot take a customer the search did not return for this text.
   */
  private searching(): void {
    this.seq++;
    this.items = [];
    this.active = -1;
    if (this.list.hidden) return;
    this.list.replaceChildren(h('li', { class: 'picker-empty', role: 'status' }, '搜索中…'));
    this.highlight();
  }

  private schedule(delay = DEBOUNCE_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), delay);
  }

  private async run(): Promise<void> {
    const seq = ++this.seq;
    const q = this.input.value.trim();
    try {
      const items = await this.opts.search(q);
      // A slower answer to an older query must not replace a newer one.
      if (seq !== this.seq || document.activeElement !== this.input) return;
      this.show(items, q);
    } catch (e) {
      if (seq === this.seq) this.opts.onError(e instanceof Error ? e.message : String(e));
    }
  }

  private show(items: PickItem[], q: string): void {
    this.items = items;
    this.active = items.length > 0 ? 0 : -1;
    const rows = items.map((item, i) =>
      h(
        'li',
        { id: `${this.list.id}-${i}`, role: 'option', 'aria-selected': String(i === this.active) },
        h('span', { class: 'picker-label' }, item.label),
        item.detail ? h('span', { class: 'picker-detail' }, item.detail) : null,
      ),
    );
    rows.forEach((li, i) => {
      // mousedown, not click: choosing must happen before the input's blur closes the list.
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        this.choose(i);
      });
    });
    if (rows.length === 0)
      rows.push(h('li', { class: 'picker-empty' }, q === '' ? '暂无可选项' : '没有找到匹配项'));
    this.list.replaceChildren(...rows);
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
    this.highlight();
  }

  private close(): void {
    clearTimeout(this.timer);
    this.seq++;
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.input.removeAttribute('aria-activedescendant');
  }

  private highlight(): void {
    this.list.querySelectorAll('[role=option]').forEach((li, i) => {
      li.setAttribute('aria-selected', String(i === this.active));
      if (i === this.active) li.scrollIntoView({ block: 'nearest' });
    });
    if (this.active >= 0)
      this.input.setAttribute('aria-activedescendant', `${this.list.id}-${this.active}`);
    else this.input.removeAttribute('aria-activedescendant');
  }

  private choose(i: number): void {
    const item = this.items[i];
    if (!item) return;
    this.setChosen(item);
    this.opts.onPick(item);
  }

  private onKey(e: KeyboardEvent): void {
    const open = !this.list.hidden;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) {
        this.schedule(0);
        return;
      }
      const n = this.items.length;
      if (n === 0) return;
      this.active = (this.active + (e.key === 'ArrowDown' ? 1 : n - 1)) % n;
      this.highlight();
    } else if (e.key === 'Enter') {
      // Enter picks from the list instead of submitting a half-filled form.
      if (open || this.pendingText !== '') e.preventDefault();
      if (open && this.active >= 0) this.choose(this.active);
    } else if (e.key === 'Escape' && open) {
      e.preventDefault();
      this.close();
    }
  }
}
