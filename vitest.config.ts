import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Many tests run the real CLI, LibreOffice or Chromium as child processes; on a
    // busy 2-core machine a few seconds is not enough for them.
    testTimeout: 60_000,
    hookTimeout: 180_000,
  },
});
