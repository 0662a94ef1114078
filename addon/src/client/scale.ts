/// <reference lib="dom" />
/**
 * A score picked with one button per value (1–5, 0–10), as a paper questionnaire is
 * ticked: no typing, no value outside the range. The chosen value lives in a hidden
 * input so the form reads and fills it like any other control; pressing the chosen
 * button again clears it.
 */
import { h } from './dom.ts';

export class Scale {
  readonly root: HTMLDivElement;
  readonly input: HTMLInputElement;
  private readonly buttons: HTMLButtonElement[] = [];

  constructor(
    options: { id: string; label: string; describedBy: string; min: number; max: number },
    private readonly onChoose: (value: string) => void,
  ) {
    this.input = h('input', { type: 'hidden', name: options.id });
    this.root = h('div', {
      class: 'scale',
      role: 'radiogroup',
      id: options.id,
      'aria-label': options.label,
      'aria-describedby': options.describedBy,
    });
    for (let v = options.min; v <= options.max; v++) {
      const text = String(v);
      const button = h(
        'button',
        { type: 'button', role: 'radio', 'aria-checked': 'false', 'data-value': text },
        text,
      );
      button.addEventListener('click', () => {
        const next = this.input.value === text ? '' : text;
        this.show(next);
        this.onChoose(next);
      });
      this.buttons.push(button);
      this.root.append(button);
    }
    this.root.append(this.input);
  }

  /** Marks the button of `value` (none for a blank or a value outside the range). */
  show(value: string): void {
    this.input.value = value;
    for (const b of this.buttons) {
      const on = b.dataset.value === value;
      b.setAttribute('aria-checked', on ? 'true' : 'false');
      b.classList.toggle('chosen', on);
    }
  }
}
