/**
 * The add-on's global functions: simple triggers, menu items and the sidebars' RPC
 * calls. The build turns each export into a top-level function of Code.js; the work
 * happens in the modules.
 */
import type { CustomerHit, FormOptions, SubmitResponse } from '../../../shared/forms/api.ts';
import type { Customer360, CustomerListView } from '../../../shared/customer360/view.ts';
import { options, search, submit, currentUser } from './forms.ts';
import { listCustomers, showCustomer } from './customers.ts';
import { gas, type OpenEvent } from './gas.ts';
import { addMenu, showCustomers, showForm, showPage, showSyncStatus } from './menu.ts';
import { FORMS } from '../../../shared/forms/definitions.ts';
import { promptSettings, saveServiceUrl, type SaveResult } from './settings.ts';
import { setupMessage, setUpWorkbook } from './setup.ts';
import { startSync, syncStatus as lookUpSync, type SyncStatus } from './sync.ts';
import { myDay } from './worklist.ts';
import { accessMessage, updateAccess } from './access.ts';
import { prefillOf, showPrefilledForm } from './prefill.ts';
import { sidebarPage } from '../../../shared/worklistPage.ts';
import type { WorklistReply } from '../../../shared/worklistPage.ts';
import { reportDialogHtml, reportLinks, type ReportLinks } from './report.ts';
import { tierPreview, tierPreviewHtml, type TierPreviewReply } from './tierPreview.ts';

const active = () => gas.sheets().getActiveSpreadsheet();

/**
 * Runs in every auth mode. In AuthMode.NONE (an Editor add-on installed but not yet used
 * in this document) only the menu may be built, so that is all it ever does: no
 * properties, no spreadsheet reads, whatever e.authMode says.
 */
export function onOpen(_e?: OpenEvent): void {
  addMenu(gas.sheets().getUi());
}

/** An Editor add-on's first run in a document: the menu appears without a reload. */
export function onInstall(e?: OpenEvent): void {
  onOpen(e);
}

export function initWorkbook(): void {
  const ss = active();
  const setup = setupMessage(setUpWorkbook(ss));
  const access = updateAccess(ss, gas.session().getActiveUser().getEmail());
  const rights = access.ok ? accessMessage(access, true) : `权限未更新：${access.message}`;
  ss.toast(rights === '' ? setup : `${setup}。${rights}`, '初始化表格', 10);
}

/** 更新权限: the protections of the config tabs and 用户 follow 用户 again. */
export function updatePermissions(): void {
  const ss = active();
  const outcome = updateAccess(ss, gas.session().getActiveUser().getEmail());
  if (outcome.ok) ss.toast(accessMessage(outcome), '更新权限', 10);
  else {
    const ui = gas.sheets().getUi();
    ui.alert('无法更新权限', outcome.message, ui.ButtonSet.OK);
  }
}

export function openNewCustomer(): void {
  showForm('new-customer');
}

export function openSignContract(): void {
  showForm('sign-contract');
}

export function openFollowUp(): void {
  showForm('follow-up');
}

export function openNewTicket(): void {
  showForm('new-ticket');
}

export function openHandleTicket(): void {
  showForm('handle-ticket');
}

export function openVisitRecord(): void {
  showForm('visit-record');
}

export function openReviewVisit(): void {
  showForm('review-visit');
}

export function openNewOrder(): void {
  showForm('new-order');
}

export function openEditCustomer(): void {
  showForm('edit-customer');
}

export function openNeedsSurvey(): void {
  showForm('needs-survey');
}

export function openExperienceSurvey(): void {
  showForm('experience-survey');
}

export function syncNow(): void {
  const started = startSync(active());
  if (started.ok) {
    active().toast(started.message, '立即同步', 5);
    showSyncStatus();
  } else {
    const ui = gas.sheets().getUi();
    ui.alert('同步未开始', started.message, ui.ButtonSet.OK);
  }
}

/** The sync dialog's poll: one short request per call. */
export function syncStatus(): SyncStatus {
  return lookUpSync();
}

export function openSettings(): void {
  promptSettings();
}

export function saveSettings(url: string): SaveResult {
  return saveServiceUrl(url);
}

export function submitForm(
  form: string,
  payload: Record<string, string | boolean>,
): SubmitResponse {
  return submit(active(), form, payload, currentUser(), Date.now());
}

export function searchCustomers(q: string): CustomerHit[] {
  return search(active(), String(q ?? ''), currentUser());
}

export function formOptions(form: string, q?: string): FormOptions {
  return options(active(), form, String(q ?? ''), currentUser());
}

export function openCustomers(): void {
  showCustomers();
}

export function customerList(query: Record<string, unknown>): CustomerListView {
  return listCustomers(active(), query ?? {}, currentUser(), Date.now());
}

export function customer360(id: string): Customer360 | null {
  return showCustomer(active(), String(id ?? ''), currentUser(), Date.now());
}

export function openWorklist(): void {
  showPage('worklist', '我的待办');
}

/** The sidebar's 我的待办: the account's day, or why it cannot be shown. */
export function myWorklist(group?: unknown, offset?: unknown): WorklistReply {
  const email = gas.session().getActiveUser().getEmail();
  return myDay(active(), email, Date.now(), sidebarPage(group, offset));
}

/** A 我的待办 item's button: the form that acts on it, prefilled with its customer and row. */
export function openFormFromWorklist(form: string, customer?: unknown, ref?: unknown): void {
  const key = FORMS.find((f) => f.key === form)?.key;
  if (key) showPrefilledForm(key, prefillOf(customer, ref));
}

/** 导出报表: PDF links of 报表 and 销售分析 for a 经理 or 管理员. */
export function exportReport(): void {
  const page = gas
    .html()
    .createHtmlOutput(reportDialogHtml(myReportLinks()))
    .setWidth(360)
    .setHeight(200);
  gas.sheets().getUi().showModelessDialog(page, '导出报表');
}

export function myReportLinks(): ReportLinks {
  return reportLinks(active(), gas.session().getActiveUser().getEmail());
}

/** 预览分层变化: who the current 分层规则 would move, for a 经理 or 管理员; writes nothing. */
export function openTierPreview(): void {
  const page = gas
    .html()
    .createHtmlOutput(tierPreviewHtml(myTierPreview()))
    .setTitle('预览分层变化');
  gas.sheets().getUi().showSidebar(page);
}

export function myTierPreview(): TierPreviewReply {
  return tierPreview(active(), gas.session().getActiveUser().getEmail(), Date.now());
}
