/**
 * Deploying from a clean clone: no .clasp.json in the repository (clasp create refuses
 * to run over one), the project chosen from CRM_SCRIPT_ID or clasp's own file, and the
 * Editor add-on build that puts its menu under 扩展程序 and runs in AuthMode.NONE.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildAddon } from '../../scripts/build-addon.ts';
import { ensureProject } from '../../scripts/deploy-addon.ts';
import { AUTH_MODES, fakeAppsScript, loadBundle } from './fakes/services.ts';
import { SERVICE_URL } from './build.ts';
import { MENU_ITEMS } from '../../addon/src/server/menu.ts';

const dir = mkdtempSync(join(tmpdir(), 'crm-deploy-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = join(dir, '.clasp.json');
const SCRIPT_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcdefghijkl';

describe('the Apps Script project to push to', () => {
  it('is not in the repository: clasp create would refuse a placeholder', () => {
    expect(JSON.parse(readFileSync('.clasp.json.example', 'utf8'))).toMatchObject({
      rootDir: 'addon/dist',
    });
    expect(readFileSync('.gitignore', 'utf8')).toMatch(/^\.clasp\.json$/m);
  });

  it('stops a clean clone with the ways to get one, the API switch among them', () => {
    rmSync(file, { force: true });
    const result = ensureProject({}, file);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.message).toMatch(/CRM_SCRIPT_ID=/);
      expect(result.message).toMatch(/clasp create --type sheets --parentId/);
      expect(result.message).toContain('https://script.google.com/home/usersettings');
    }
  });

  it('writes .clasp.json from CRM_SCRIPT_ID', () => {
    expect(ensureProject({ CRM_SCRIPT_ID: ` ${SCRIPT_ID} ` }, file)).toEqual({
      ok: true,
      scriptId: SCRIPT_ID,
      written: true,
    });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      scriptId: SCRIPT_ID,
      rootDir: 'addon/dist',
    });
    expect(ensureProject({}, file)).toMatchObject({ ok: true, written: false });
  });

  it('refuses a placeholder ID and a project that would push the sources', () => {
    expect(ensureProject({ CRM_SCRIPT_ID: 'REPLACE_ME' }, file)).toMatchObject({ ok: false });
    writeFileSync(file, JSON.stringify({ scriptId: 'REPLACE_WITH_YOUR_SCRIPT_ID' }));
    expect(ensureProject({}, file)).toMatchObject({ ok: false });
    writeFileSync(file, JSON.stringify({ scriptId: SCRIPT_ID, rootDir: 'addon' }));
    expect(ensureProject({}, file)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/rootDir/),
    });
  });
});

describe('the Editor add-on build', () => {
  it('puts the menu under 扩展程序 and builds it in AuthMode.NONE without touching anything else', async () => {
    const out = join(dir, 'dist');
    const build = await buildAddon({ serviceUrl: SERVICE_URL, outDir: out, mode: 'addon' });
    expect(build.mode).toBe('addon');
    const code = await readFile(join(out, 'Code.js'), 'utf8');
    const gas = fakeAppsScript({ dist: out, whitelist: [SERVICE_URL + '/'] });
    // In AuthMode.NONE every service but the menu's throws.
    const denied = () => {
      throw new Error('Exception: You do not have permission to call this in AuthMode.NONE');
    };
    const ctx = loadBundle(code, {
      SpreadsheetApp: { ...gas.globals.SpreadsheetApp, getActiveSpreadsheet: denied },
      PropertiesService: { getDocumentProperties: denied },
    });
    (ctx.onOpen as (e: unknown) => void)({ authMode: AUTH_MODES.NONE });
    (ctx.onInstall as (e: unknown) => void)({ authMode: AUTH_MODES.FULL });
    expect(gas.ui.menus.map((m) => [m.addon, m.items.length])).toEqual([
      [true, MENU_ITEMS.length],
      [true, MENU_ITEMS.length],
    ]);
  }, 60_000);
});
