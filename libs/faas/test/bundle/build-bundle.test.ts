import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildBundle, bundleConditions } from '../../src/bundle/build-bundle.js';

describe('the export conditions bundles are built with', () => {
  it('asks for the workspace sources (@isthmus/source) only when the library runs from its sources', () => {
    const fromSources = pathToFileURL('/repo/libs/faas/src/bundle/build-bundle.ts').href;
    const installed = pathToFileURL('/app/node_modules/@isthmus/faas/dist/bundle/build-bundle.js').href;
    expect(bundleConditions(fromSources)).toEqual(['@isthmus/source']);
    expect(bundleConditions(installed)).toEqual([]);
  });
});

describe('the functions a bundle offers', () => {
  it('include those a module re-exports with export * from another of its modules', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'isthmus-reexport-'));
    try {
      const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
      const direct = await buildBundle({ entry: fixture('functions.ts'), outDir: join(dir, 'direct') });
      const reexported = await buildBundle({
        entry: fixture('reexported-functions.ts'),
        outDir: join(dir, 'star'),
      });
      expect(direct.functions.length).toBeGreaterThan(0);
      expect([...reexported.functions].sort()).toEqual([...direct.functions].sort());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
