/**
 * The form pages: the client bundled by esbuild into one self-contained HTML per form
 * (script and styles inline, no outside URL), the same file the add-on shows as a
 * sidebar and the local service serves at /forms/:form. Built in memory, once per
 * process, so a clean clone serves them without a build step.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { FORMS } from '../../shared/forms/definitions.ts';

const CLIENT_DIR = fileURLToPath(new URL('../../addon/src/client/', import.meta.url));

export interface FormPage {
  html: string;
  /** a Content-Security-Policy that lets exactly this page's inline script and styles run */
  csp: string;
}

export interface FormPages {
  /** by form key */
  forms: ReadonlyMap<string, FormPage>;
  /** the list of forms (local mode only) */
  index: FormPage;
  /** the customers list and customer page */
  customers: FormPage;
}

/**
 * Inline script text must not close its element early or open an HTML comment; both
 * replacements mean the same inside JS strings and regular expressions.
 */
function inlineSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\x21--');
}

// esbuild is loaded on first use: the service starts (and syncs) even where it is missing.

async function bundleScript(): Promise<string> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [CLIENT_DIR + 'main.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['es2020'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  });
  return inlineSafe(result.outputFiles[0]!.text.trim());
}

async function bundleStyles(): Promise<string> {
  const css = await readFile(CLIENT_DIR + 'styles.css', 'utf8');
  const { transform } = await import('esbuild');
  const result = await transform(css, { loader: 'css', minify: true, charset: 'utf8' });
  return result.code.trim().replace(/<\/(style)/gi, '<\\/$1');
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const sha256 = (text: string): string =>
  `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

function page(title: string, formKey: string, js: string, css: string): FormPage {
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${css}</style>
</head>
<body data-form="${escapeHtml(formKey)}">
<main id="app"><noscript>请启用 JavaScript 后使用本表单。</noscript></main>
<script>${js}</script>
</body>
</html>
`;
  const csp = [
    "default-src 'none'",
    `script-src ${sha256(js)}`,
    `style-src ${sha256(css)}`,
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}

export async function buildFormPages(): Promise<FormPages> {
  const [js, css] = await Promise.all([bundleScript(), bundleStyles()]);
  const forms = new Map<string, FormPage>(FORMS.map((f) => [f.key, page(f.title, f.key, js, css)]));
  // The add-on's 我的待办 sidebar comes from the same bundle.
  forms.set('worklist', page('我的待办', 'worklist', js, css));
  return {
    forms,
    index: page('客户管理表单', '', js, css),
    customers: page('客户', 'customers', js, css),
  };
}

let built: Promise<FormPages> | undefined;

/** The pages, built on first use and kept; a failed build is retried on the next call. */
export function formPages(): Promise<FormPages> {
  built ??= buildFormPages().catch((e: unknown) => {
    built = undefined;
    throw e;
  });
  return built;
}
