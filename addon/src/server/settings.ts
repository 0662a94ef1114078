/** 设置: the sync service's address, checked and reached before it is kept. */
import { gas } from './gas.ts';
import { checkServiceUrl, errorMessage, SERVICE_URL_PROPERTY, serviceUrl } from './service.ts';

export type SaveResult = { ok: boolean; message: string };

export function saveServiceUrl(text: string): SaveResult {
  const checked = checkServiceUrl(text);
  if (!checked.ok) return checked;
  const url = checked.url;
  let status: number;
  let body: string;
  try {
    const res = gas.fetch().fetch(url + '/healthz', { method: 'get', muteHttpExceptions: true });
    status = res.getResponseCode();
    body = res.getContentText();
  } catch (e) {
    return {
      ok: false,
      message: `无法连接 ${url}：${e instanceof Error ? e.message : String(e)}。地址未保存`,
    };
  }
  let healthy = false;
  try {
    healthy = status === 200 && (JSON.parse(body) as { ok?: unknown }).ok === true;
  } catch {
    healthy = false;
  }
  if (!healthy)
    return {
      ok: false,
      message: `${url}/healthz 没有回答同步服务的健康检查（${errorMessage(status, body)}）。地址未保存`,
    };
  gas.properties().getDocumentProperties().setProperty(SERVICE_URL_PROPERTY, url);
  return { ok: true, message: `已保存同步服务地址 ${url}，连接正常` };
}

/** Asks for the address in a prompt; the answer is shown in an alert. */
export function promptSettings(): void {
  const ui = gas.sheets().getUi();
  const current = serviceUrl();
  const answer = ui.prompt(
    '设置',
    `同步服务地址（https://…）\n当前：${current ?? '未设置'}`,
    ui.ButtonSet.OK_CANCEL,
  );
  if (answer.getSelectedButton() !== ui.Button.OK) return;
  const result = saveServiceUrl(answer.getResponseText());
  ui.alert(result.ok ? '设置已保存' : '设置未保存', result.message, ui.ButtonSet.OK);
}
