/**
 * 原因 texts already written in one computation, by 回访类型 and the figures that decide
 * them. Most 回访计划 rows share their 原因 with many others — every customer signed on
 * one day gets the same 签约后首次回访 text — so the text is written once per case and
 * the string shared, instead of concatenated anew for each of 100,000 customers.
 */
import type { CallbackKind, Customer } from '../model.ts';
import type { CareFacts } from './careCallbacks.ts';
import type { CustomerFacts } from './metrics.ts';

/** 意向等级 as a digit: 未填 reads differently from C, so it keeps its own. */
function gradeDigit(customer: Customer): number {
  switch (customer.intent) {
    case null:
      return 0;
    case 'A':
      return 1;
    case 'B':
      return 2;
    case 'C':
      return 3;
    default:
      return -1;
  }
}

/** `day` and `digit` (0–3) as one exact key, or null when `day` is not a whole day. */
const dayKey = (day: number, digit: number): number | null =>
  Number.isSafeInteger(day) && Math.abs(day) < 2 ** 40 && digit >= 0 ? day * 4 + digit : null;

/**
 * Everything besides the computation's settings that the 原因 of `kind` reads, as one
 * key; null where the text names a row (工单, 跟进记录) or depends on more than a key
 * holds, and is then written each time. Kept beside callbackReason: a figure the text
 * reads must be in the key.
 */
export function reasonKey(
  kind: CallbackKind,
  customer: Customer,
  facts: CustomerFacts,
  churnWarning: string,
  care: CareFacts,
): number | string | null {
  switch (kind) {
    case '流失挽回':
      return churnWarning;
    case '首次回访':
    case '欢迎引导':
    case '体验问卷':
      return dayKey(customer.signedDate!, 0);
    case '续签提醒':
      return dayKey(customer.contractEnd!, 0);
    case '首次联系':
      return dayKey(customer.createdDate, gradeDigit(customer));
    case '定期跟进':
      return dayKey(facts.latestFollowUpDay!, gradeDigit(customer));
    case '定期回访':
      // A 分层策略 cycle is named in the text; the per-type cycle follows 客户类型.
      return care.strategyMonths === null
        ? dayKey(facts.latestValidVisitDay!, customer.kind === '企业' ? 1 : 0)
        : null;
    default:
      return null;
  }
}

export class ReasonMemo {
  private readonly byKind = new Map<CallbackKind, Map<number | string, string>>();

  get(kind: CallbackKind, key: number | string): string | undefined {
    return this.byKind.get(kind)?.get(key);
  }

  set(kind: CallbackKind, key: number | string, text: string): void {
    let texts = this.byKind.get(kind);
    if (texts === undefined) this.byKind.set(kind, (texts = new Map()));
    texts.set(key, text);
  }
}
