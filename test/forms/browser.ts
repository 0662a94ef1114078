/** Headless Debian Chromium for the form pages; never a downloaded browser. */
import { chromium, type Browser, type Page } from 'playwright-core';
import { NOW_MS } from './fixture.ts';

export const CHROMIUM = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OpenPage {
  page: Page;
  requests: { method: string; url: string }[];
  /** uncaught errors and console errors of the page */
  errors: string[];
  close(): Promise<void>;
}

/** A page whose clock reads the fixture's "now", like the server's, and that records its requests. */
export async function openPage(browser: Browser): Promise<OpenPage> {
  const context = await browser.newContext({ locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  await page.clock.setFixedTime(new Date(NOW_MS));
  const requests: { method: string; url: string }[] = [];
  page.setDefaultTimeout(10_000);
  page.on('request', (r) => requests.push({ method: r.method(), url: r.url() }));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, requests, errors, close: () => context.close() };
}

/** The message shown under a field, or '' when none is shown. */
export async function fieldError(page: Page, key: string): Promise<string> {
  const error = page.locator(`[data-field="${key}"] .error`);
  return (await error.isVisible()) ? ((await error.textContent()) ?? '') : '';
}

/** A field's control by its label text (the label may end in the required mark). */
export function byLabel(page: Page, text: string) {
  return page.getByLabel(new RegExp(`^${text.replace(/[()]/g, '\\$&')}\\*?$`));
}

/**
 * Puts a `google.script.run` stand-in into the page before its scripts run, the way
 * Apps Script serves a sidebar: every server call goes to `call` in the test, with
 * arguments and answers passed as plain JSON values like Apps Script's serializer.
 */
export async function standInScriptRun(
  page: Page,
  call: (name: string, args: unknown[]) => unknown,
): Promise<void> {
  await page.exposeFunction('__appsScript', async (name: string, args: unknown[]) =>
    JSON.parse(JSON.stringify((await call(name, args)) ?? null)),
  );
  await page.addInitScript(() => {
    type Handler = ((v: unknown) => void) | null;
    const host = window as unknown as {
      __appsScript(name: string, args: unknown[]): Promise<unknown>;
      google: unknown;
    };
    const runner = (ok: Handler, fail: Handler): unknown =>
      new Proxy(
        {},
        {
          get(_target, name) {
            if (name === 'withSuccessHandler') return (f: Handler) => runner(f, fail);
            if (name === 'withFailureHandler') return (f: Handler) => runner(ok, f);
            return (...args: unknown[]) => {
              host.__appsScript(String(name), args).then(
                (v) => ok?.(v),
                (e: unknown) => fail?.(e),
              );
            };
          },
        },
      );
    host.google = { script: { run: runner(null, null) } };
  });
}
