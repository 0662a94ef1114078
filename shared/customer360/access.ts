/**
 * What one person may see and do on the customers pages, asked of the team's permission
 * rules (shared/permissions.ts) with each customer's 负责人, so the list, the search, the
 * customer page and the add-on sidebar refuse, mask and hide exactly as the forms do.
 */
import type { FormKey } from '../forms/definitions.ts';
import { decide, FORM_ACTIONS, may, phoneAsSeen, type Actor } from '../permissions.ts';

export interface CustomerAccess {
  /** may change the customer (编辑客户, 签约转正, 新建订单, 记录跟进): false shows the page read-only */
  canEdit: boolean;
  /** the forms this person may open on this customer, in the order the page offers them */
  forms: FormKey[];
}

/** The forms a customer page links to, each opened with ?customer=<客户编号>. */
export const CUSTOMER_FORMS: readonly FormKey[] = [
  'edit-customer',
  'new-order',
  'follow-up',
  'new-ticket',
  'visit-record',
];

/** An owner no customer has: asking about it tells whether a role is limited to its own. */
const NOBODY = '\u0000';

export class CustomerViewer {
  /** sees every customer, so lists need no check per row */
  readonly seesAll: boolean;
  /** sees every phone in full */
  readonly seesAllPhones: boolean;

  constructor(readonly actor: Actor) {
    this.seesAll = may(actor, 'viewCustomer', { owner: NOBODY });
    this.seesAllPhones = may(actor, 'viewPhone', { owner: NOBODY });
  }

  /** who and in which role: what this viewer sees depends on nothing else */
  get key(): string {
    return `${this.actor.role}\u0000${this.actor.name}`;
  }

  /**
   * The answers per 负责人, asked once each: a list of 100,000 customers has only a few
   * owners, so a search checks a map rather than the rules for every row.
   */
  private readonly answers = {
    view: new Map<string, boolean>(),
    phone: new Map<string, boolean>(),
  };

  private ask(kind: 'view' | 'phone', owner: string): boolean {
    let ok = this.answers[kind].get(owner);
    if (ok === undefined) {
      ok = may(this.actor, kind === 'view' ? 'viewCustomer' : 'viewPhone', { owner });
      this.answers[kind].set(owner, ok);
    }
    return ok;
  }

  sees(owner: string): boolean {
    return this.seesAll || this.ask('view', owner);
  }

  /** Why this person may not see the customer, in the words of the permission rules; null when they may. */
  refusal(owner: string, id: string): string | null {
    const d = decide(this.actor, 'viewCustomer', { owner, id });
    return d.ok ? null : d.reason;
  }

  seesPhone(owner: string): boolean {
    return this.seesAllPhones || this.ask('phone', owner);
  }

  phone(owner: string, phone: string): string {
    return phoneAsSeen(this.actor, owner, phone);
  }

  access(owner: string): CustomerAccess {
    return {
      canEdit: may(this.actor, 'editCustomer', { owner }),
      forms: CUSTOMER_FORMS.filter((k) => may(this.actor, FORM_ACTIONS[k], { owner })),
    };
  }

  /** may add customers (the list's 新建客户) */
  get canCreate(): boolean {
    return may(this.actor, 'createCustomer');
  }
}
