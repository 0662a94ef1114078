import { defineConfig } from 'vitest/config';

/**
 * Two projects. `unit`: pure and in-process tests (the CLI through its `main`, stores on
 * a temp file or the in-process fake Sheets API) — the fast loop, `npx vitest run
 * --project unit`. `e2e` (files named `*.e2e.test.ts`): Chromium, LibreOffice, the real
 * `crm-sync` command as a child process, the HTTP service end to end, hostile workbooks
 * through a whole sync, scale runs, and property sweeps over whole workbooks (hundreds of
 * writes, patches and mutated files): seconds each, so outside the loop but in `npm test`.
 */
export default defineConfig({
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/**/*.e2e.test.ts'],
          // Worker threads that keep their module cache between files: the unit files share
          // one import of the rules, the xlsx layer and googleapis instead of one each, which
          // halves the loop's CPU time. So a unit test must not depend on fresh module state
          // or call process.chdir (unavailable in threads); such a test belongs in e2e.
          pool: 'threads',
          isolate: false,
          // Both cores: vitest's default leaves one to the main process, which is idle once
          // the files are transformed, so the loop ran one file at a time.
          maxWorkers: 2,
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          // Child processes, LibreOffice and Chromium on a busy 2-core machine.
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
