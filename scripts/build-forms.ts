/** `npm run build:forms`: the add-on's sidebar pages, one self-contained HTML per form, in addon/dist/. */
import { mkdir, writeFile } from 'node:fs/promises';
import { buildFormPages } from '../sync-server/http/formPages.ts';

const outDir = new URL('../addon/dist/', import.meta.url);
const pages = await buildFormPages();
await mkdir(outDir, { recursive: true });
for (const [key, page] of pages.forms) {
  await writeFile(new URL(`${key}.html`, outDir), page.html, 'utf8');
  console.log(`addon/dist/${key}.html  ${(Buffer.byteLength(page.html) / 1024).toFixed(0)} KB`);
}
