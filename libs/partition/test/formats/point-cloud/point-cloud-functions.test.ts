import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildBundle, executor, LocalBackend } from '@isthmus/faas';
import { type SampleStore, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import type * as Functions from '../../../examples/point-cloud-functions.js';
import type { LasPoint } from '../../../src/formats/point-cloud/las-point.js';
import { openDataset, type Strategy } from '../../../src/index.js';
import { pythonLasSummary } from './python-las-oracle.js';
import { withTempFile } from './test-files.js';

const LAS = 'las/autzen_trim.las';
const LAZ = 'laz/autzen_trim.laz';
const COPC = 'copc/lone-star.copc.laz';

let fixtures: SampleStore;
let outDir: string;
beforeAll(async () => {
  fixtures = await sampleStore('file', [LAS, LAZ, COPC], inject('s3'));
  outDir = await mkdtemp(join(tmpdir(), 'isthmus-point-cloud-bundle-'));
});
afterAll(async () => {
  await fixtures.dispose();
  await rm(outDir, { recursive: true, force: true });
});

/** Points per class, read sequentially in this process (the reference). */
async function sequentialClasses(key: string): Promise<Record<string, number>> {
  const dataset = await openDataset(key, { store: fixtures.store });
  const counts: Record<string, number> = {};
  for (const partition of await dataset.partition({ by: 'count', count: 1 })) {
    for await (const point of dataset.read<LasPoint>(partition)) {
      counts[point.classification] = (counts[point.classification] ?? 0) + 1;
    }
  }
  return counts;
}

it('counts points per class over LAZ and COPC partitions as bundled functions (laz-perf from the bundle)', async () => {
  const bundle = await buildBundle({
    entry: resolve(import.meta.dirname, '../../../examples/point-cloud-functions.ts'),
    outDir,
  });
  const run = await executor<typeof Functions>({ backend: new LocalBackend({ maxWorkers: 2 }), bundle });
  try {
    const oracle = await withTempFile(fixtures.store, LAS, pythonLasSummary);
    const cases: Array<[string, Strategy]> = [
      [LAZ, { by: 'records', records: 30_000 }],
      [COPC, { by: 'tiles', grid: [2, 2] }],
    ];
    for (const [key, strategy] of cases) {
      const dataset = await openDataset(key, { store: fixtures.store });
      const partitions = await dataset.partition(strategy);
      expect(partitions.length).toBeGreaterThan(1);
      const counts = await run.mapReduce('countClasses', partitions, 'sumClassCounts');
      expect(counts).toEqual(await sequentialClasses(key));
      if (key === LAZ) expect(counts).toEqual(oracle.classes);
    }
  } finally {
    await run.close();
  }
});
