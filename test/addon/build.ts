/** One build of the add-on per test run, shared by the test files. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { buildAddon, type AddonBuild } from '../../scripts/build-addon.ts';

export const SERVICE_URL = 'https://crm-sync.test.example.com';

export interface Built extends AddonBuild {
  code: string;
  manifest: { oauthScopes: string[]; urlFetchWhitelist: string[]; runtimeVersion: string };
}

export async function built(): Promise<Built> {
  const build = await buildAddon({ serviceUrl: SERVICE_URL });
  const code = await readFile(join(build.dir, 'Code.js'), 'utf8');
  const manifest = JSON.parse(await readFile(join(build.dir, 'appsscript.json'), 'utf8'));
  return { ...build, code, manifest };
}
