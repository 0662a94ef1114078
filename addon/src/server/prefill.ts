/**
 * A form sidebar opened from a 我的待办 item, prefilled like the local page's
 * `/forms/<form>?customer=…&ref=…`: a sidebar has no address of its own to carry them,
 * so the customer and the row go into the page's <body> as data attributes, which the
 * page reads when it starts.
 */
import { formByKey, type FormKey } from '../../../shared/forms/definitions.ts';
import { gas } from './gas.ts';

/** IDs as the workbook writes them (客户编号, 工单编号, 回访编号): nothing else is passed on. */
const ID = /^[A-Za-z0-9_-]{1,40}$/;

export interface Prefill {
  customer?: string;
  ref?: string;
}

export function prefillOf(customer: unknown, ref: unknown): Prefill {
  const out: Prefill = {};
  if (typeof customer === 'string' && ID.test(customer.trim())) out.customer = customer.trim();
  if (typeof ref === 'string' && ID.test(ref.trim())) out.ref = ref.trim();
  return out;
}

/** `<body data-form="…">` with data-customer and data-ref added. */
export function withPrefill(html: string, prefill: Prefill): string {
  const attrs =
    (prefill.customer ? ` data-customer="${prefill.customer}"` : '') +
    (prefill.ref ? ` data-ref="${prefill.ref}"` : '');
  if (attrs === '') return html;
  return html.replace(/<body(\s[^>]*)?>/, (tag) => `${tag.slice(0, -1)}${attrs}>`);
}

export function showPrefilledForm(key: FormKey, prefill: Prefill): void {
  const form = formByKey(key)!;
  const page = gas.html().createHtmlOutputFromFile(key);
  page.setContent(withPrefill(page.getContent(), prefill)).setTitle(form.title);
  gas.sheets().getUi().showSidebar(page);
}
