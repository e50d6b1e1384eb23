import { readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { UserWorkspaceConfig } from 'vitest/config';

/** The `@isthmus/source` export condition: a workspace package's TypeScript sources. */
const SOURCE_CONDITION = '@isthmus/source';
const WORKSPACE_ROOT = fileURLToPath(new URL('.', import.meta.url));

/**
 * Settings every project's vitest config starts from: workspace packages resolve to their
 * TypeScript sources (the `@isthmus/source` export condition), so tests never need a build. The
 * bundler-only `module` condition is left out: it would load packages' untranspiled ESM builds.
 */
export const isthmusTestDefaults = {
  resolve: { conditions: [SOURCE_CONDITION, 'node'] },
  ssr: { resolve: { conditions: [SOURCE_CONDITION, 'node'] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', '*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
} satisfies UserWorkspaceConfig;

/**
 * The source file a workspace package's export names under the `@isthmus/source` condition, e.g.
 * `sourceOf('@isthmus/services/s3-global-setup')`: for `globalSetup`, whose entries vitest resolves
 * with Node's default conditions (the package's `dist/`, unbuilt or stale in a test run) instead of
 * `resolve.conditions`. It replaces relative paths into another package's folder.
 */
export function sourceOf(specifier: string): string {
  const segments = specifier.split('/');
  const nameLength = specifier.startsWith('@') ? 2 : 1;
  const packageDir = realpathSync(join(WORKSPACE_ROOT, 'node_modules', ...segments.slice(0, nameLength)));
  const subpath = ['.', ...segments.slice(nameLength)].join('/');
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
  const target = manifest.exports?.[subpath]?.[SOURCE_CONDITION];
  if (typeof target !== 'string') {
    throw new Error(
      `${specifier}: ${packageDir}/package.json exports no "${subpath}" with a "${SOURCE_CONDITION}" condition`,
    );
  }
  return join(packageDir, target);
}
