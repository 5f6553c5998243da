import { defineConfig } from 'vitest/config'

/** Browser tests: headless Chromium (Debian package) against the browser-mode server. */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['test/e2e/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
