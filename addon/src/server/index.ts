/**
 * The add-on's global functions: simple triggers, menu items and the sidebars' RPC
 * calls. The build turns each export into a top-level function of Code.js; the work
 * happens in the modules.
 */
import type { CustomerHit, FormOptions, SubmitResponse } from '../../../shared/forms/api.ts';
import type { Customer360, CustomerListView } from '../../../shared/customer360/view.ts';
import { options, search, submit, currentUser } from './forms.ts';
import { listCustomers, showCustomer } from './customers.ts';
import { gas } from './gas.ts';
import { addMenu, showCustomers, showForm } from './menu.ts';
import { promptSettings, saveServiceUrl, type SaveResult } from './settings.ts';
import { setupMessage, setUpWorkbook } from './setup.ts';
import { requestSync } from './sync.ts';

const active = () => gas.sheets().getActiveSpreadsheet();

export function onOpen(_e?: unknown): void {
  addMenu(gas.sheets().getUi());
}

export function onInstall(e?: unknown): void {
  onOpen(e);
}

export function initWorkbook(): void {
  const ss = active();
  ss.toast(setupMessage(setUpWorkbook(ss)), '初始化表格', 10);
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

export function syncNow(): void {
  const outcome = requestSync(active());
  if (outcome.ok) active().toast(outcome.message, '立即同步', 10);
  else {
    const ui = gas.sheets().getUi();
    ui.alert('同步失败', outcome.message, ui.ButtonSet.OK);
  }
}

export function openSettings(): void {
  promptSettings();
}

export function saveSettings(url: string): SaveResult {
  return saveServiceUrl(url);
}

export function submitForm(form: string, payload: Record<string, string>): SubmitResponse {
  return submit(active(), form, payload, currentUser(), Date.now());
}

export function searchCustomers(q: string): CustomerHit[] {
  return search(active(), String(q ?? ''));
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
