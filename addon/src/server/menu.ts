/** The 客户管理 menu and the sidebars it opens. */
import { FORMS, formByKey, type FormKey } from '../../../shared/forms/definitions.ts';
import { gas, type Ui } from './gas.ts';

export const MENU_TITLE = '客户管理';

/** Replaced by the build: 'addon' for an Editor add-on, else a script bound to one spreadsheet. */
declare const __CRM_ADDON_MODE__: string | undefined;

export const isEditorAddon = (): boolean =>
  typeof __CRM_ADDON_MODE__ === 'string' && __CRM_ADDON_MODE__ === 'addon';

/** The sync dialog's page, written by the build next to the form pages. */
export const SYNC_PAGE = 'sync-status';

/** The global function each form's menu item calls (index.ts declares them). */
export const FORM_OPENERS: Readonly<Record<FormKey, string>> = {
  'new-customer': 'openNewCustomer',
  'sign-contract': 'openSignContract',
  'follow-up': 'openFollowUp',
  'new-ticket': 'openNewTicket',
  'handle-ticket': 'openHandleTicket',
  'visit-record': 'openVisitRecord',
  'review-visit': 'openReviewVisit',
  'new-order': 'openNewOrder',
  'edit-customer': 'openEditCustomer',
  'needs-survey': 'openNeedsSurvey',
  'experience-survey': 'openExperienceSurvey',
};

/** caption → entry point; null is a separator */
export const MENU_ITEMS: readonly ({ caption: string; fn: string } | null)[] = [
  { caption: '我的待办', fn: 'openWorklist' },
  null,
  { caption: '初始化表格', fn: 'initWorkbook' },
  { caption: '更新权限', fn: 'updatePermissions' },
  null,
  ...FORMS.map((f) => ({ caption: f.title, fn: FORM_OPENERS[f.key] })),
  null,
  { caption: '客户列表', fn: 'openCustomers' },
  { caption: '立即同步', fn: 'syncNow' },
  { caption: '导出报表', fn: 'exportReport' },
  { caption: '预览分层变化', fn: 'openTierPreview' },
  { caption: '设置', fn: 'openSettings' },
];

/**
 * An Editor add-on's items live under 扩展程序 → <add-on name> (createAddonMenu), a bound
 * script's in a 客户管理 menu of its own. In AuthMode.NONE (an add-on installed but not
 * yet used in this document) Apps Script allows nothing but the menu, which is all this
 * does: the first item clicked runs with the person's authorisation.
 */
export function addMenu(ui: Ui): void {
  const menu = isEditorAddon() ? ui.createAddonMenu() : ui.createMenu(MENU_TITLE);
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

/** A small dialog that follows the sync until it ends; closing it does not stop the sync. */
export function showSyncStatus(): void {
  const page = gas.html().createHtmlOutputFromFile(SYNC_PAGE).setWidth(360).setHeight(160);
  gas.sheets().getUi().showModelessDialog(page, '立即同步');
}

/** A sidebar page that is not a form (我的待办), built as <key>.html like the forms. */
export function showPage(key: string, title: string): void {
  const page = gas.html().createHtmlOutputFromFile(key).setTitle(title);
  gas.sheets().getUi().showSidebar(page);
}
