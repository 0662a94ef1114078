/// <reference lib="dom" />
/**
 * Phrases offered under a free-text field (the seeds' five visit topics under 回访目的):
 * a click adds the phrase to what is already there, so a person can pick several and
 * still write their own words.
 */
import { h } from './dom.ts';

export const PROMPT_SEPARATOR = '；';

/** The text after adding `phrase`; a phrase already in the text is not added twice. */
export function withPrompt(text: string, phrase: string): string {
  const current = text.trim();
  if (current.split(PROMPT_SEPARATOR).includes(phrase)) return current;
  return current === '' ? phrase : `${current}${PROMPT_SEPARATOR}${phrase}`;
}

export function promptList(
  phrases: readonly string[],
  current: () => string,
  onAdd: (text: string) => void,
): HTMLDivElement {
  return h(
    'div',
    { class: 'prompts', role: 'group', 'aria-label': '常用内容（点击添加）' },
    ...phrases.map((phrase) => {
      const b = h('button', { type: 'button', class: 'prompt' }, phrase);
      b.addEventListener('click', () => onAdd(withPrompt(current(), phrase)));
      return b;
    }),
  );
}
