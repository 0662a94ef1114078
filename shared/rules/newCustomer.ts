/** 新客户观察期 (docs/rules.md#new-customers-新客户观察期). */
import type { EpochDay } from '../calendar.ts';
import type { Customer, Settings } from '../model.ts';

/**
 * A 正式 customer with today − 签约日期 < 新客户观察期(天): with the default 90, day 89
 * after signing is still new and day 90 is not.
 */
export function isNewCustomer(customer: Customer, today: EpochDay, settings: Settings): boolean {
  return (
    customer.status === '正式' &&
    customer.signedDate !== null &&
    today - customer.signedDate < settings.newCustomerDays
  );
}
