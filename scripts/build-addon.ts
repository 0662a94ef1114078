/**
 * `npm run build:addon`: the Apps Script project in addon/dist/, ready for `clasp push`.
 * clasp 3 pushes files as they are, so TypeScript and imports are bundled here:
 *   Code.js           one classic script; every entry point a top-level function
 *   <form>.html       one self-contained sidebar page per form
 *   appsscript.json   the manifest, its urlFetchWhitelist set from CRM_SERVICE_URL
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Script } from 'node:vm';
import { build } from 'esbuild';
import { PLACEHOLDER_SERVICE_URL } from '../addon/src/server/service.ts';
import { buildFormPages } from '../sync-server/http/formPages.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const ADDON_DIST = join(ROOT, 'addon/dist');
const SERVER_ENTRY = join(ROOT, 'addon/src/server/index.ts');
const MANIFEST = join(ROOT, 'addon/appsscript.json');

/** Holds the bundle's exports inside Code.js; the wrappers below reach through it. */
export const NAMESPACE = '__crm';
export { PLACEHOLDER_SERVICE_URL };

export interface AddonBuild {
  dir: string;
  files: string[];
  entryPoints: string[];
  /** the urlFetchWhitelist prefix */
  serviceUrl: string;
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

async function bundleServer(serviceUrl: string, names: readonly string[]): Promise<string> {
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
    define: { __CRM_SERVICE_URL__: JSON.stringify(serviceUrl) },
  });
  const wrappers = names.map(
    (n) => `function ${n}() {\n  return ${NAMESPACE}.${n}.apply(this, arguments);\n}\n`,
  );
  const code = `${result.outputFiles[0]!.text}\n${wrappers.join('\n')}`;
  // Fails the build, not the push, on anything Apps Script could not load.
  new Script(code, { filename: 'Code.js' });
  return code;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, text, 'utf8');
  await rename(tmp, path);
}

export async function buildAddon(
  options: { serviceUrl?: string; outDir?: string } = {},
): Promise<AddonBuild> {
  const serviceUrl = whitelistPrefix(
    options.serviceUrl ?? process.env.CRM_SERVICE_URL ?? PLACEHOLDER_SERVICE_URL,
  );
  const dir = options.outDir ?? ADDON_DIST;
  const names = await entryPointNames();
  const [code, pages, manifestText] = await Promise.all([
    bundleServer(serviceUrl, names),
    buildFormPages(),
    readFile(MANIFEST, 'utf8'),
  ]);
  const manifest = { ...(JSON.parse(manifestText) as object), urlFetchWhitelist: [serviceUrl] };

  const out = new Map<string, string>([
    ['Code.js', code],
    ['appsscript.json', JSON.stringify(manifest, null, 2) + '\n'],
  ]);
  for (const [key, page] of pages.forms) out.set(`${key}.html`, page.html);
  out.set('customers.html', pages.customers.html);

  await mkdir(dir, { recursive: true });
  // clasp pushes every file in the folder: a page of a form that no longer exists must go.
  for (const name of await readdir(dir))
    if (/\.(js|gs|html|json)$/.test(name) && !out.has(name)) await rm(join(dir, name));
  for (const [name, text] of out) await writeAtomically(join(dir, name), text);
  return { dir, files: [...out.keys()], entryPoints: names, serviceUrl };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const result = await buildAddon();
  for (const f of result.files) console.log(`addon/dist/${f}`);
  console.log(`urlFetchWhitelist: ${result.serviceUrl}`);
  if (result.serviceUrl === PLACEHOLDER_SERVICE_URL)
    console.warn('CRM_SERVICE_URL is not set: the add-on can only reach the placeholder address');
}
