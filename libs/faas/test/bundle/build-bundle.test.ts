import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleConditions } from '../../src/bundle/build-bundle.js';

describe('the export conditions bundles are built with', () => {
  it('asks for the workspace sources (@isthmus/source) only when the library runs from its sources', () => {
    const fromSources = pathToFileURL('/repo/libs/faas/src/bundle/build-bundle.ts').href;
    const installed = pathToFileURL('/app/node_modules/@isthmus/faas/dist/bundle/build-bundle.js').href;
    expect(bundleConditions(fromSources)).toEqual(['@isthmus/source']);
    expect(bundleConditions(installed)).toEqual([]);
  });
});
