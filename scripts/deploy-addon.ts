/**
 * The last step of `npm run deploy:addon` (after the tests and the build): makes sure
 * clasp knows which Apps Script project to push to, then pushes addon/dist.
 *
 * .clasp.json is per deployment and never committed: it is written here from
 * CRM_SCRIPT_ID, or left as `clasp create` / `clasp clone` wrote it. A clean clone
 * without either stops with the ways to get one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const CLASP_JSON = join(ROOT, '.clasp.json');
const ROOT_DIR = 'addon/dist';

/** Apps Script IDs are long URL-safe base64 strings. */
const SCRIPT_ID = /^[A-Za-z0-9_-]{20,}$/;

export const HOW_TO_GET_A_PROJECT = `没有 .clasp.json，不知道要推送到哪个 Apps Script 项目。任选一种：
  · 已有表格（绑定脚本）：打开表格 → 扩展程序 → Apps Script → 项目设置，复制“脚本 ID”，然后
      CRM_SCRIPT_ID=<脚本 ID> npm run deploy:addon
  · 为已有表格新建绑定脚本：npx clasp create --type sheets --parentId <表格 ID> --title 客户管理 --rootDir ${ROOT_DIR}
  · 新建独立项目（编辑器加载项）：npx clasp create --type standalone --title 客户管理 --rootDir ${ROOT_DIR}
首次使用 clasp 前需先 npx clasp login，并在 https://script.google.com/home/usersettings 打开“Google Apps Script API”。
详见 docs/addon.md。`;

export type Project =
  { ok: true; scriptId: string; written: boolean } | { ok: false; message: string };

/** The project to push to: from CRM_SCRIPT_ID (written to .clasp.json), else .clasp.json. */
export function ensureProject(env: NodeJS.ProcessEnv = process.env, file = CLASP_JSON): Project {
  const fromEnv = env.CRM_SCRIPT_ID?.trim();
  if (fromEnv) {
    if (!SCRIPT_ID.test(fromEnv))
      return { ok: false, message: `CRM_SCRIPT_ID “${fromEnv}”不像 Apps Script 的脚本 ID` };
    writeFileSync(file, JSON.stringify({ scriptId: fromEnv, rootDir: ROOT_DIR }, null, 2) + '\n');
    return { ok: true, scriptId: fromEnv, written: true };
  }
  if (!existsSync(file)) return { ok: false, message: HOW_TO_GET_A_PROJECT };
  let parsed: { scriptId?: unknown; rootDir?: unknown };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
  } catch {
    return {
      ok: false,
      message: `.clasp.json 不是有效的 JSON：请删除后重试。\n${HOW_TO_GET_A_PROJECT}`,
    };
  }
  if (typeof parsed.scriptId !== 'string' || !SCRIPT_ID.test(parsed.scriptId))
    return { ok: false, message: `.clasp.json 中没有有效的 scriptId。\n${HOW_TO_GET_A_PROJECT}` };
  if (parsed.rootDir !== ROOT_DIR)
    return {
      ok: false,
      message: `.clasp.json 的 rootDir 应为 "${ROOT_DIR}"（构建结果所在目录），现在是 ${JSON.stringify(parsed.rootDir)}`,
    };
  return { ok: true, scriptId: parsed.scriptId, written: false };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const project = ensureProject();
  if (!project.ok) {
    console.error(project.message);
    process.exit(1);
  }
  console.log(
    `推送到 Apps Script 项目 ${project.scriptId}${project.written ? '（已写入 .clasp.json）' : ''}`,
  );
  // --force replaces the remote manifest without asking.
  const push = spawnSync('npx', ['clasp', 'push', '--force'], { cwd: ROOT, stdio: 'inherit' });
  process.exit(push.status ?? 1);
}
