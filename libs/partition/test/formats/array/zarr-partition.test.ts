import { type SampleStore, STORE_KINDS, sampleStore } from '@isthmus/fixtures';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type Dataset, openDataset } from '../../../src/dataset.js';
import type { ZarrChunk } from '../../../src/formats/array/zarr-read.js';
import { read } from '../../../src/read-partition.js';
import type { Strategy } from '../../../src/strategy.js';
import { expectExactCover, genericStrategies } from '../../../src/testing/exact-cover.js';
import { recordDigest } from '../../../src/testing/record-digest.js';
import { ByteCountingStore } from '../../support/byte-counting-store.js';
import { dataSha1 } from './chunk-checksums.js';

const V2 = 'zarr/astronaut_v2.zarr';
const V3 = 'zarr/landsat_rgb_v3.zarr';
/**
 * Property runs per store and kind: a run reads the whole store, 432 chunk objects for the v2
 * sample (each a GET on S3), 51 for the v3 one.
 */
const RUNS: Record<string, Record<'file' | 's3', number>> = {
  [V2]: { file: 5, s3: 2 },
  [V3]: { file: 10, s3: 6 },
};

/** Every record of a store, read as one partition. */
async function allChunks(dataset: Dataset): Promise<ZarrChunk[]> {
  const [whole] = await dataset.partition({ by: 'count', count: 1 });
  const chunks: ZarrChunk[] = [];
  for await (const chunk of dataset.read<ZarrChunk>(whole!)) chunks.push(chunk);
  return chunks;
}

describe.each(STORE_KINDS)('Zarr stores on a %s store', (kind) => {
  let fixture: SampleStore;
  beforeAll(async () => {
    fixture = await sampleStore(kind, [V2, V3], inject('s3'));
  });
  afterAll(() => fixture.dispose());

  describe.each([V2, V3])('%s', (key) => {
    let dataset: Dataset;
    let chunks: ZarrChunk[];
    let arrays: string[];
    beforeAll(async () => {
      dataset = await openDataset(key, { store: fixture.store });
      chunks = await allChunks(dataset);
      arrays = [...new Set(chunks.map((chunk) => chunk.array))];
    });

    it('is detected as zarr, and its index counts every chunk of every array in key order', async () => {
      expect(dataset.format).toBe('zarr');
      const summary = await dataset.summary();
      expect(summary.unit).toBe('chunks');
      expect(summary.records).toBe(chunks.length);
      expect(arrays).toEqual([...arrays].sort());
      const details = summary.details as { arrays: Record<string, { shape: number[]; chunks: number[] }> };
      for (const array of arrays) {
        const { shape, chunks: chunkShape } = details.arrays[array]!;
        const own = chunks.filter((chunk) => chunk.array === array);
        expect(own.length).toBe(shape.reduce((n, size, d) => n * Math.ceil(size / chunkShape[d]!), 1));
        // Chunks tile the array: their selections' sizes add up to its elements, in C order of the grid.
        expect(own.reduce((n, chunk) => n + chunk.data.length, 0)).toBe(
          shape.reduce((n, size) => n * size, 1),
        );
        const sorted = [...own].sort((a, b) =>
          a.chunk.join(',').localeCompare(b.chunk.join(','), undefined, { numeric: true }),
        );
        expect(own.map((chunk) => chunk.chunk)).toEqual(sorted.map((chunk) => chunk.chunk));
      }
    });

    it('covers the whole store exactly under random count, bytes and records plans', async () => {
      const reference = chunks.map(recordDigest);
      const summary = await dataset.summary();
      await fc.assert(
        fc.asyncProperty(genericStrategies(summary.records, summary.bytes), async (strategy) => {
          await expectExactCover(dataset, strategy, reference);
        }),
        { numRuns: RUNS[key]![kind] },
      );
    });

    it('covers the chosen array exactly under random chunks plans', async () => {
      const rank = chunks[0]!.chunk.length;
      const strategies = fc.record({
        by: fc.constant('chunks' as const),
        array: fc.constantFrom(...arrays),
        chunksPerPartition: fc.array(fc.integer({ min: 1, max: 3 }), { minLength: rank, maxLength: rank }),
      });
      await fc.assert(
        fc.asyncProperty(strategies, async (strategy: Strategy & { array: string }) => {
          const reference = chunks.filter((chunk) => chunk.array === strategy.array).map(recordDigest);
          await expectExactCover(dataset, strategy, reference, { ordered: false });
        }),
        { numRuns: RUNS[key]![kind] },
      );
    });
  });

  it('a sharded array is cut one shard per partition by default, each reading one range of its shard', async () => {
    const dataset = await openDataset(V3, { store: fixture.store });
    const partitions = await dataset.partition({ by: 'chunks', array: 'rgb_sharded' });
    const shards = new Set<string>();
    for await (const entry of fixture.store.list({ prefix: `${V3}/rgb_sharded/c/` })) {
      if (entry.kind === 'object') shards.add(entry.key);
    }
    expect(partitions.length).toBe(shards.size);
    for (const partition of partitions) {
      expect(partition.ranges.length).toBe(1);
      const [range] = partition.ranges;
      expect(shards.has(range!.key)).toBe(true);
      const { size } = await fixture.store.head(range!.key);
      // The inner chunks, without the shard's index at its end.
      expect(range!.offset + range!.length).toBeLessThan(size);
      // Reading it is one request for that range (counted by a store that counts what it serves).
      const counting = new ByteCountingStore(fixture.store);
      let chunks = 0;
      for await (const _ of read<ZarrChunk>(partition, { store: counting })) chunks++;
      expect(chunks).toBe(partition.records);
      expect(counting.reads).toEqual([
        { key: range!.key, range: { offset: range!.offset, length: range!.length }, bytes: range!.length },
      ]);
    }
  });

  it('reads as Arrow batches, one per chunk: coordinates named by dimension_names, values as the records', async () => {
    const dataset = await openDataset(V3, { store: fixture.store });
    const [, second] = await dataset.partition({ by: 'count', count: 2 });
    const records: ZarrChunk[] = [];
    for await (const record of dataset.read<ZarrChunk>(second!)) records.push(record);
    let i = 0;
    for await (const batch of dataset.readBatches(second!)) {
      const record = records[i++]!;
      expect(batch.schema.fields.map((field) => field.name)).toEqual(['band', 'y', 'x', 'value']);
      expect(batch.schema.metadata.get('array')).toBe(record.array);
      expect(JSON.parse(batch.schema.metadata.get('chunk')!)).toEqual(record.chunk);
      expect(batch.numRows).toBe(record.data.length);
      expect(dataSha1(batch.getChild('value')!.toArray() as Uint8Array)).toBe(dataSha1(record.data));
      const [band, y, x] = ['band', 'y', 'x'].map((name) => batch.getChild(name)!.toArray() as Int32Array);
      const width = record.selection[2]![1] - record.selection[2]![0];
      for (const row of [0, 1, width, batch.numRows - 1]) {
        const within = [0, Math.floor(row / width), row % width];
        expect([band![row], y![row], x![row]]).toEqual(
          record.selection.map(([start], d) => start + within[d]!),
        );
      }
    }
    expect(i).toBe(records.length);
  });

  it.each([V2, V3])(
    'the index pass of %s reads only metadata and shard indexes, and reports progress',
    async (key) => {
      const progress: Array<{ bytesRead: number; bytesTotal: number | undefined }> = [];
      // Opened through a store that counts what it serves: the bytes the index pass fetched.
      const counting = new ByteCountingStore(fixture.store);
      const dataset = await openDataset(key, {
        store: counting,
        reindex: true,
        readOnly: true,
        onProgress: (report) => progress.push(report),
      });
      const opening = counting.reads.length;
      await dataset.index();
      const metadata = new Map<string, number>();
      const shards = new Map<string, number>();
      for await (const entry of fixture.store.list({ prefix: `${key}/` })) {
        if (entry.kind !== 'object') continue;
        if (/(^|\/)(\.zarray|\.zgroup|\.zattrs|zarr\.json)$/.test(entry.key))
          metadata.set(entry.key, entry.size);
        else if (entry.key.includes('/rgb_sharded/c/')) shards.set(entry.key, entry.size);
      }
      // A shard's index: 16 bytes per inner chunk (4×4 per shard) and a CRC-32C, at its end.
      const indexBytes = 16 * 16 + 4;
      const expected = [...metadata.values()].reduce((sum, size) => sum + size, 0) + shards.size * indexBytes;
      expect(progress.at(-1)).toEqual({ bytesRead: expected, bytesTotal: expected });
      const reads = counting.reads.slice(opening);
      const sum = (served: typeof reads) => served.reduce((total, read) => total + read.bytes, 0);
      expect(sum(reads)).toBe(expected);
      for (const read of reads) {
        const shardSize = shards.get(read.key);
        if (shardSize === undefined) expect(metadata.has(read.key), read.key).toBe(true);
        else
          expect(read, read.key).toMatchObject({
            range: { offset: shardSize - indexBytes },
            bytes: indexBytes,
          });
      }
    },
  );

  it('a second open uses the sidecar index and plans the same partitions', async () => {
    const first = await openDataset(V2, { store: fixture.store });
    const plan = await first.partition({ by: 'bytes', bytes: 200_000 });
    const second = await openDataset(V2, { store: fixture.store });
    expect(await second.partition({ by: 'bytes', bytes: 200_000 })).toEqual(plan);
    expect(second.indexOrigin).toBe('sidecar');
  });
});
