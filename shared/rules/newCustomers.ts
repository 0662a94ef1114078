/**
 * 新客户观察期 (docs/rules.md#new-customers-新客户观察期): a customer signed fewer than
 * [新客户观察期(天)] days ago has too little history for a fair 健康度, so its 健康等级 is
 * 新客户 and a low score alone raises no churn warning.
 */
import type { EpochDay } from '../calendar.ts';
import type { Customer, HealthLevel, Settings } from '../model.ts';

export const NEW_CUSTOMER_LEVEL: HealthLevel = '新客户';

/** True from 签约日期 (day 0) through day 新客户观察期 − 1; day 新客户观察期 is no longer new. */
export function isNewCustomer(
  c: Pick<Customer, 'status' | 'signedDate'>,
  today: EpochDay,
  settings: Pick<Settings, 'newCustomerDays'>,
): boolean {
  if (c.status !== '正式' || c.signedDate === null) return false;
  const age = today - c.signedDate;
  return age >= 0 && age < settings.newCustomerDays;
}
