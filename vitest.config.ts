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
