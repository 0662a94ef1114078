import { defineConfig } from 'vitest/config';

/**
 * Two projects. `unit`: pure and in-process tests (the CLI through its `main`, stores on
 * a temp file or the in-process fake Sheets API) — the fast loop, `npx vitest run
 * --project unit`. `e2e` (files named `*.e2e.test.ts`): Chromium, LibreOffice, the real
 * `crm-sync` command as a child process, the HTTP service end to end, and scale runs.
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
