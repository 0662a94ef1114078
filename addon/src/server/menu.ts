/** The 客户管理 menu and the sidebars it opens. */
import { FORMS, formByKey, type FormKey } from '../../../shared/forms/definitions.ts';
import { gas, type Ui } from './gas.ts';

export const MENU_TITLE = '客户管理';

/** The global function each form's menu item calls (index.ts declares them). */
export const FORM_OPENERS: Readonly<Record<FormKey, string>> = {
  'new-customer': 'openNewCustomer',
  'sign-contract': 'openSignContract',
  'follow-up': 'openFollowUp',
  'new-ticket': 'openNewTicket',
  'handle-ticket': 'openHandleTicket',
  'visit-record': 'openVisitRecord',
  'review-visit': 'openReviewVisit',
};

/** caption → entry point; null is a separator */
export const MENU_ITEMS: readonly ({ caption: string; fn: string } | null)[] = [
  { caption: '初始化表格', fn: 'initWorkbook' },
  null,
  ...FORMS.map((f) => ({ caption: f.title, fn: FORM_OPENERS[f.key] })),
  null,
  { caption: '客户列表', fn: 'openCustomers' },
  { caption: '立即同步', fn: 'syncNow' },
  { caption: '设置', fn: 'openSettings' },
];

export function addMenu(ui: Ui): void {
  const menu = ui.createMenu(MENU_TITLE);
  for (const item of MENU_ITEMS) {
    if (item) menu.addItem(item.caption, item.fn);
    else menu.addSeparator();
  }
  menu.addToUi();
}

/** The build writes each form's page as <form key>.html next to Code.js. */
export function showForm(key: FormKey): void {
  const form = formByKey(key)!;
  const page = gas.html().createHtmlOutputFromFile(key).setTitle(form.title);
  gas.sheets().getUi().showSidebar(page);
}

/** The customers list and customer page, written by the build as customers.html. */
export function showCustomers(): void {
  const page = gas.html().createHtmlOutputFromFile('customers').setTitle('客户');
  gas.sheets().getUi().showSidebar(page);
}
