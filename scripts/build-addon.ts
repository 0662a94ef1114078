/**
 * `npm run build:addon`: the Apps Script project in addon/dist/, ready for `clasp push`.
 * clasp 3 pushes files as they are, so TypeScript and imports are bundled here:
 *   Code.js           one classic script; every entry point a top-level function
 *   <form>.html       one self-contained sidebar page per form
 *   sync-status.html  the dialog that follows a sync started by 立即同步
 *   appsscript.json   the manifest, its urlFetchWhitelist set from CRM_SERVICE_URL
 * CRM_ADDON_MODE=addon builds the Editor add-on (menu under 扩展程序); the default is a
 * script bound to one spreadsheet (its own 客户管理 menu).
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { threadId } from 'node:worker_threads';
import { build } from 'esbuild';
import { SYNC_PAGE } from '../addon/src/server/menu.ts';
import { PLACEHOLDER_SERVICE_URL } from '../addon/src/server/service.ts';
import { buildFormPages } from '../sync-server/http/formPages.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const ADDON_DIST = join(ROOT, 'addon/dist');
const SERVER_ENTRY = join(ROOT, 'addon/src/server/index.ts');
const MANIFEST = join(ROOT, 'addon/appsscript.json');
const SYNC_PAGE_SCRIPT = join(ROOT, 'addon/src/client/syncStatus.ts');
const SYNC_PAGE_STYLES = join(ROOT, 'addon/src/client/syncStatus.css');

export type AddonMode = 'bound' | 'addon';

/** Holds the bundle's exports inside Code.js; the wrappers below reach through it. */
export const NAMESPACE = '__crm';
export { PLACEHOLDER_SERVICE_URL };

export interface AddonBuild {
  dir: string;
  files: string[];
  entryPoints: string[];
  /** the urlFetchWhitelist prefix */
  serviceUrl: string;
  mode: AddonMode;
}

export function addonMode(text: string | undefined): AddonMode {
  const mode = (text ?? '').trim() || 'bound';
  if (mode !== 'bound' && mode !== 'addon')
    throw new Error(`CRM_ADDON_MODE "${text}" must be "bound" (the default) or "addon"`);
  return mode;
}

/** The whitelist prefix for a service URL: https, no query, ending in '/'. */
export function whitelistPrefix(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new Error(`CRM_SERVICE_URL "${url}" is not a URL (e.g. https://crm.example.com)`);
  }
  if (parsed.protocol !== 'https:' || parsed.search !== '' || parsed.hash !== '')
    throw new Error(`CRM_SERVICE_URL "${url}" must be an https URL without query or fragment`);
  return parsed.origin + parsed.pathname.replace(/\/*$/, '/');
}

/** The names index.ts exports: each becomes a global function Apps Script can call. */
async function entryPointNames(): Promise<string[]> {
  const mod = (await import(pathToFileURL(SERVER_ENTRY).href)) as Record<string, unknown>;
  return Object.keys(mod)
    .filter((k) => typeof mod[k] === 'function')
    .sort();
}

async function bundleServer(
  serviceUrl: string,
  mode: AddonMode,
  names: readonly string[],
): Promise<string> {
  const result = await build({
    entryPoints: [SERVER_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: NAMESPACE,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    // What the Apps Script V8 runtime is known to run.
    target: ['es2019'],
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
    define: {
      __CRM_SERVICE_URL__: JSON.stringify(serviceUrl),
      __CRM_ADDON_MODE__: JSON.stringify(mode),
    },
  });
  const wrappers = names.map(
    (n) => `function ${n}() {\n  return ${NAMESPACE}.${n}.apply(this, arguments);\n}\n`,
  );
  const code = `${result.outputFiles[0]!.text}\n${wrappers.join('\n')}`;
  // Fails the build, not the push, on anything Apps Script could not load.
  new Script(code, { filename: 'Code.js' });
  return code;
}

/** The sync dialog: one page, its script and styles inline like the form pages. */
async function syncPage(): Promise<string> {
  const [script, css] = await Promise.all([
    // The dialog runs in the person's browser, like the form pages.
    build({
      entryPoints: [SYNC_PAGE_SCRIPT],
      bundle: true,
      write: false,
      minify: true,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      logLevel: 'silent',
    }),
    readFile(SYNC_PAGE_STYLES, 'utf8'),
  ]);
  const js = script.outputFiles[0]!.text.trim().replace(/<\/(script)/gi, '<\\/$1');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<style>${css.replace(/<\/(style)/gi, '<\\/$1')}</style>
</head>
<body>
<p id="status" role="status" aria-live="polite" data-state="busy">正在开始同步…</p>
<button id="close" type="button">隐藏窗口（同步继续进行）</button>
<script>${js}</script>
</body>
</html>
`;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  // Thread too: the test loop's worker threads share one PID and may build at once.
  const tmp = `${path}.${process.pid}.${threadId}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

export async function buildAddon(
  options: { serviceUrl?: string; outDir?: string; mode?: AddonMode } = {},
): Promise<AddonBuild> {
  const serviceUrl = whitelistPrefix(
    options.serviceUrl ?? process.env.CRM_SERVICE_URL ?? PLACEHOLDER_SERVICE_URL,
  );
  const mode = options.mode ?? addonMode(process.env.CRM_ADDON_MODE);
  const dir = options.outDir ?? ADDON_DIST;
  const names = await entryPointNames();
  const [code, pages, manifestText, sync] = await Promise.all([
    bundleServer(serviceUrl, mode, names),
    buildFormPages(),
    readFile(MANIFEST, 'utf8'),
    syncPage(),
  ]);
  const manifest = { ...(JSON.parse(manifestText) as object), urlFetchWhitelist: [serviceUrl] };

  const out = new Map<string, string>([
    ['Code.js', code],
    ['appsscript.json', JSON.stringify(manifest, null, 2) + '\n'],
  ]);
  for (const [key, page] of pages.forms) out.set(`${key}.html`, page.html);
  out.set('customers.html', pages.customers.html);
  out.set(`${SYNC_PAGE}.html`, sync);

  await mkdir(dir, { recursive: true });
  // clasp pushes every file in the folder: a page of a form that no longer exists must go.
  for (const name of await readdir(dir))
    if (/\.(js|gs|html|json)$/.test(name) && !out.has(name)) await rm(join(dir, name));
  for (const [name, text] of out) await writeAtomically(join(dir, name), text);
  return { dir, files: [...out.keys()], entryPoints: names, serviceUrl, mode };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await buildAddon();
  for (const f of result.files) console.log(`addon/dist/${f}`);
  console.log(`urlFetchWhitelist: ${result.serviceUrl}`);
  console.log(
    `menu: ${result.mode === 'addon' ? 'Editor add-on (扩展程序)' : '客户管理 (bound script)'}`,
  );
  if (result.serviceUrl === PLACEHOLDER_SERVICE_URL)
    console.warn('CRM_SERVICE_URL is not set: the add-on can only reach the placeholder address');
}
