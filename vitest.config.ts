import { defineConfig } from 'vitest/config';

/** The whole suite: every library, app and the cross-library end-to-end tests in `test/`. */
export default defineConfig({
  test: {
    projects: ['libs/*/vitest.config.ts', 'apps/*/vitest.config.ts', 'test/vitest.config.ts'],
  },
});
