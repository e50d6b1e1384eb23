import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { SAMPLES_DIR, type SampleStore, STORE_KINDS, sampleBytes, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDataset } from '../../../src/dataset.js';
import type { Partition } from '../../../src/partition.js';

const V2 = 'zarr/astronaut_v2.zarr';
const V3 = 'zarr/landsat_rgb_v3.zarr';

describe.each(STORE_KINDS)('bad Zarr input on a %s store', (kind) => {
  let fixture: SampleStore;
  beforeAll(async () => {
    fixture = await sampleStore(kind, [], inject('s3'));
  });
  afterAll(() => fixture.dispose());

  /**
   * Copies the sample store `from` to `to`, only the arrays named in `arrays` (all when empty) and
   * of v2 arrays only the chunks of the first 4×4 (the others read as fill values; fewer uploads),
   * passing each file through `edit` (relative name, bytes) → new bytes, or undefined to leave it out.
   */
  async function brokenCopy(
    from: string,
    to: string,
    arrays: string[],
    edit: (name: string, bytes: Buffer) => Uint8Array | undefined = (_, bytes) => bytes,
  ): Promise<string> {
    const entries = await readdir(join(SAMPLES_DIR, from), { recursive: true, withFileTypes: true });
    for (const entry of entries.filter((file) => file.isFile())) {
      const name = relative(join(SAMPLES_DIR, from), join(entry.parentPath, entry.name));
      if (name.includes('/') && arrays.length > 0 && !arrays.includes(name.split('/')[0]!)) continue;
      const v2Chunk = /\/(\d+)\.(\d+)\.\d+$/.exec(name);
      if (v2Chunk && (Number(v2Chunk[1]) > 3 || Number(v2Chunk[2]) > 3)) continue;
      const bytes = edit(name, await sampleBytes(join(from, name)));
      if (bytes) await fixture.store.put(`${to}/${name}`, bytes);
    }
    return to;
  }

  async function readAll(partition: Partition, dataset: Awaited<ReturnType<typeof openDataset>>) {
    let records = 0;
    for await (const _ of dataset.read(partition)) records++;
    return records;
  }

  it('a chunk deleted after indexing: MissingPartError naming its key and chunk', async () => {
    const key = await brokenCopy(V2, 'broken/deleted.zarr', ['gzip']);
    const dataset = await openDataset(key, { store: fixture.store });
    const [partition] = await dataset.partition({ by: 'count', count: 1 });
    await fixture.store.delete(`${key}/gzip/1.2.0`);
    const failure = readAll(partition!, dataset);
    await expect(failure).rejects.toMatchObject({
      code: 'ERR_PARTITION_MISSING_PART',
      key: `${key}/gzip/1.2.0`,
    });
    await expect(failure).rejects.toThrow(
      'chunk [1,2,0] of array "gzip" was in the store when it was indexed',
    );
  });

  it('a chunk absent from the store reads as the fill value, as the spec says', async () => {
    const key = await brokenCopy(V2, 'broken/absent.zarr', ['raw'], (name, bytes) =>
      name === 'raw/2.3.1' ? undefined : bytes,
    );
    const dataset = await openDataset(key, { store: fixture.store });
    const [partition] = await dataset.partition({ by: 'count', count: 1 });
    const fill = (JSON.parse((await sampleBytes(`${V2}/raw/.zarray`)).toString()) as { fill_value: number })
      .fill_value;
    let seen = 0;
    for await (const record of dataset.read<{ chunk: number[]; data: Uint8Array }>(partition!)) {
      if (record.chunk.join() !== '2,3,1') continue;
      seen++;
      expect(record.data.length).toBe(100 * 100);
      expect(record.data.every((value) => value === fill)).toBe(true);
    }
    expect(seen).toBe(1);
    expect(partition!.ranges.some((range) => range.key.endsWith('raw/2.3.1'))).toBe(false);
  });

  it('a chunk written after indexing makes the sidecar stale: the next open indexes again and reads it', async () => {
    const key = await brokenCopy(V2, 'changed/added.zarr', ['raw'], (name, bytes) =>
      name === 'raw/2.3.1' ? undefined : bytes,
    );
    const first = await openDataset(key, { store: fixture.store });
    const before = (await first.summary()).details as { arrays: { raw: { storedChunks: number } } };
    await fixture.store.put(`${key}/raw/2.3.1`, await sampleBytes(`${V2}/raw/2.3.1`));
    const second = await openDataset(key, { store: fixture.store });
    const after = (await second.summary()).details as { arrays: { raw: { storedChunks: number } } };
    expect(second.indexOrigin).toBe('built');
    expect(second.sidecarRejection).toBe('stale');
    expect(after.arrays.raw.storedChunks).toBe(before.arrays.raw.storedChunks + 1);
    const [partition] = await second.partition({ by: 'chunks', chunksPerPartition: [6, 6, 3] });
    expect(partition!.ranges.some((range) => range.key === `${key}/raw/2.3.1`)).toBe(true);
  });

  it('a gzip chunk of garbage: CorruptDataError naming its key and chunk', async () => {
    const key = await brokenCopy(V2, 'broken/garbage.zarr', ['gzip'], (name, bytes) =>
      name === 'gzip/3.0.2' ? bytes.map((_, i) => (i * 7919) % 251) : bytes,
    );
    const dataset = await openDataset(key, { store: fixture.store });
    const [partition] = await dataset.partition({ by: 'chunks', chunksPerPartition: [6, 6, 3] });
    const failure = readAll(partition!, dataset);
    await expect(failure).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      key: `${key}/gzip/3.0.2`,
      offset: 0,
    });
    await expect(failure).rejects.toThrow('chunk [3,0,2] of array "gzip" does not decode');
  });

  it('an uncompressed chunk cut short: CorruptDataError (too few values), never a silent short chunk', async () => {
    const key = await brokenCopy(V2, 'broken/short.zarr', ['raw'], (name, bytes) =>
      name === 'raw/0.0.0' ? bytes.subarray(0, bytes.length - 10) : bytes,
    );
    const dataset = await openDataset(key, { store: fixture.store });
    const [partition] = await dataset.partition({ by: 'records', records: 1 });
    await expect(readAll(partition!, dataset)).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      key: `${key}/raw/0.0.0`,
    });
  });

  it('a damaged inner chunk of a shard: CorruptDataError at its offset in the shard', async () => {
    const shard = 'rgb_sharded/c/1/0/1';
    const key = await brokenCopy(V3, 'broken/inner.zarr', ['rgb_sharded'], (name, bytes) =>
      name === shard ? bytes.map((value, i) => (i < 40 ? value ^ 0xff : value)) : bytes,
    );
    const dataset = await openDataset(key, { store: fixture.store });
    const partitions = await dataset.partition({ by: 'chunks' });
    const broken = partitions.find((partition) => partition.ranges[0]!.key === `${key}/${shard}`)!;
    const failure = readAll(broken, dataset);
    await expect(failure).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      key: `${key}/${shard}`,
      offset: 0,
    });
    await expect(failure).rejects.toThrow('of array "rgb_sharded" does not decode');
  });

  it('a shard whose index fails its CRC-32C: CorruptDataError at the checksum, when indexing', async () => {
    const shard = 'rgb_sharded/c/0/0/0';
    let size = 0;
    const key = await brokenCopy(V3, 'broken/crc.zarr', ['rgb_sharded'], (name, bytes) => {
      if (name !== shard) return bytes;
      size = bytes.length;
      const copy = Buffer.from(bytes);
      copy[size - 20]! ^= 1;
      return copy;
    });
    const dataset = await openDataset(key, { store: fixture.store });
    await expect(dataset.index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      key: `${key}/${shard}`,
      offset: size - 4,
    });
  });

  it('a shard too short for its index: TruncatedDataError', async () => {
    const shard = 'rgb_sharded/c/2/1/1';
    const key = await brokenCopy(V3, 'broken/cut-shard.zarr', ['rgb_sharded'], (name, bytes) =>
      name === shard ? bytes.subarray(0, 100) : bytes,
    );
    const dataset = await openDataset(key, { store: fixture.store });
    await expect(dataset.index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_TRUNCATED',
      key: `${key}/${shard}`,
      offset: 100,
    });
  });

  it('a malformed .zarray: CorruptDataError naming it, when indexing', async () => {
    const cut = await brokenCopy(V2, 'broken/cut-meta.zarr', ['zlib'], (name, bytes) =>
      name === 'zlib/.zarray' ? bytes.subarray(0, 50) : bytes,
    );
    await expect((await openDataset(cut, { store: fixture.store })).index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      key: `${cut}/zlib/.zarray`,
      offset: 0,
    });
    const wrong = await brokenCopy(V2, 'broken/bad-shape.zarr', ['zlib'], (name, bytes) =>
      name === 'zlib/.zarray'
        ? Buffer.from(bytes.toString().replace('"shape": [', '"shape": ["x", '))
        : bytes,
    );
    const failure = (await openDataset(wrong, { store: fixture.store })).index();
    await expect(failure).rejects.toMatchObject({
      code: 'ERR_PARTITION_CORRUPT',
      key: `${wrong}/zlib/.zarray`,
    });
    await expect(failure).rejects.toThrow('shape must be an array of non-negative integers');
    const codec = await brokenCopy(V2, 'broken/bad-codec.zarr', ['zlib'], (name, bytes) =>
      name === 'zlib/.zarray' ? Buffer.from(bytes.toString().replace('"zlib"', '"nonesuch"')) : bytes,
    );
    await expect((await openDataset(codec, { store: fixture.store })).index()).rejects.toThrow(
      `${codec}/zlib/.zarray at byte 0: codec "numcodecs.nonesuch" is not supported`,
    );
  });

  it('a wrong declared format: FormatMismatchError both ways', async () => {
    const key = await brokenCopy(V2, 'copies/astronaut.zarr', ['raw']);
    await expect(openDataset(key, { store: fixture.store, format: 'bam' })).rejects.toMatchObject({
      code: 'ERR_PARTITION_FORMAT_MISMATCH',
      key,
    });
    await expect(
      openDataset(`${key}/raw/0.0.0`, { store: fixture.store, format: 'zarr' }),
    ).rejects.toMatchObject({
      code: 'ERR_PARTITION_FORMAT_MISMATCH',
      key: `${key}/raw/0.0.0`,
    });
  });

  it('a chunks plan of an array the store lacks, or of the wrong rank: InvalidStrategyError', async () => {
    const key = await brokenCopy(V3, 'copies/landsat.zarr', ['rgb']);
    const dataset = await openDataset(key, { store: fixture.store });
    await expect(dataset.partition({ by: 'chunks', array: 'nir' })).rejects.toThrow(
      'no array "nir" in the store; its arrays: "rgb"',
    );
    await expect(dataset.partition({ by: 'chunks', chunksPerPartition: [1, 1] })).rejects.toMatchObject({
      code: 'ERR_PARTITION_INVALID_STRATEGY',
    });
  });
});
