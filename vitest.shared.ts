import type { UserWorkspaceConfig } from 'vitest/config';

/**
 * Settings every project's vitest config starts from: workspace packages resolve to their
 * TypeScript sources (the `@isthmus/source` export condition), so tests never need a build. The
 * bundler-only `module` condition is left out: it would load packages' untranspiled ESM builds.
 */
export const isthmusTestDefaults = {
  resolve: { conditions: ['@isthmus/source', 'node'] },
  ssr: { resolve: { conditions: ['@isthmus/source', 'node'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', '*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
} satisfies UserWorkspaceConfig;
