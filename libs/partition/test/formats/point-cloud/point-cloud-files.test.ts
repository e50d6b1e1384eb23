import { type SampleStore, sampleBytes, sampleStore } from '@isthmus/fixtures';
import { Las } from 'copc';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseLasHeader, viewOf } from '../../../src/formats/point-cloud/las-header.js';
import type { LasPoint } from '../../../src/formats/point-cloud/las-point.js';
import { openDataset, type Partition } from '../../../src/index.js';
import { allRecordDigests } from '../../../src/testing/exact-cover.js';
import { recordDigest } from '../../../src/testing/record-digest.js';
import { pythonLasSummary } from './python-las-oracle.js';
import { withTempFile } from './test-files.js';

const LAS = 'las/autzen_trim.las';
const LAZ = 'laz/autzen_trim.laz';
const COPC = 'copc/lone-star.copc.laz';

let fixtures: SampleStore;
beforeAll(async () => {
  fixtures = await sampleStore('file', [LAS, LAZ, COPC], inject('s3'));
});
afterAll(() => fixtures.dispose());

async function classesOf(key: string, partition: Partition): Promise<Record<string, number>> {
  const dataset = await openDataset(key, { store: fixtures.store });
  const classes: Record<string, number> = {};
  for await (const point of dataset.read<LasPoint>(partition)) {
    classes[point.classification] = (classes[point.classification] ?? 0) + 1;
  }
  return classes;
}

describe('toFile', () => {
  it('LAS: a valid LAS of exactly the partition, as the Python oracle reads it', async () => {
    const dataset = await openDataset(LAS, { store: fixtures.store });
    const partition = (await dataset.partition({ by: 'records', records: 40_000 }))[1]!;
    const [file] = await dataset.toFile(partition);
    expect(file!.name).toBe('part-00001.las');
    const oracle = await withTempFile(file!.data, file!.name, pythonLasSummary);
    expect(oracle.pointCount).toBe(partition.records);
    expect(oracle.dataBytes).toBe(oracle.pointCount * oracle.recordLength);
    expect(oracle.classes).toEqual(await classesOf(LAS, partition));
    expect(oracle.headerBounds).toEqual([...oracle.min, ...oracle.max]);
  });

  // laz-perf is also the library's decoder (no other LAZ decoder exists here, see point-cloud.test.ts):
  // the LAZ check below is independent of it through the uncompressed LAS sample it compares with,
  // and the files written uncompressed (LAS) are read by the Python LAS reader; the COPC-node LAZ
  // is checked against laz-perf and our own reading only.
  it('LAZ whole chunks: the chunks copied with a new chunk table, as laz-perf decodes it', async () => {
    const dataset = await openDataset(LAZ, { store: fixtures.store });
    const partitions = await dataset.partition({ by: 'records', records: 50_000 });
    const partition = partitions[1]!;
    const [file] = await dataset.toFile(partition);
    expect(file!.name).toBe('part-00001.laz');
    const layout = parseLasHeader(file!.data, file!.name);
    expect(layout.pointCount).toBe(50_000);
    const decoded = await Las.PointData.decompressFile(file!.data);
    const las = await sampleBytes(LAS);
    const lasLayout = parseLasHeader(las, LAS);
    const first = lasLayout.pointDataOffset + 50_000 * lasLayout.recordLength;
    expect(Buffer.from(decoded).equals(las.subarray(first, first + 50_000 * lasLayout.recordLength))).toBe(
      true,
    );
    await fixtures.store.put('parts/whole.laz', file!.data);
    const part = await openDataset('parts/whole.laz', { store: fixtures.store });
    expect(part.format).toBe('laz');
    const digests = await allRecordDigests(part);
    const expected: string[] = [];
    for await (const point of dataset.read(partition)) expected.push(recordDigest(point));
    expect(digests).toEqual(expected);
  });

  it('LAZ cut inside a chunk: the points uncompressed (LAS), as the Python oracle reads them', async () => {
    const dataset = await openDataset(LAZ, { store: fixtures.store });
    const partition = (await dataset.partition({ by: 'records', records: 30_000 }))[1]!;
    const [file] = await dataset.toFile(partition);
    expect(file!.name).toBe('part-00001.las');
    const oracle = await withTempFile(file!.data, file!.name, pythonLasSummary);
    expect(oracle.pointCount).toBe(30_000);
    expect(oracle.classes).toEqual(await classesOf(LAZ, partition));
  });

  it('COPC nodes: a LAZ 1.4 (no COPC VLRs) of the nodes, as laz-perf decodes it', async () => {
    const dataset = await openDataset(COPC, { store: fixtures.store });
    const partition = (await dataset.partition({ by: 'count', count: 1 }))[0]!;
    const [file] = await dataset.toFile(partition);
    expect(file!.name).toBe('part-00000.laz');
    const layout = parseLasHeader(file!.data, file!.name);
    expect(layout.versionMinor).toBe(4);
    expect(layout.pointCount).toBe(partition.records);
    const decoded = await Las.PointData.decompressFile(file!.data);
    expect(decoded.length).toBe(partition.records! * layout.recordLength);
    await fixtures.store.put('parts/copc-part.laz', file!.data);
    const part = await openDataset('parts/copc-part.laz', { store: fixtures.store });
    expect(part.format).toBe('laz');
    expect((await part.summary()).records).toBe(partition.records);
    const [ours] = await part.partition({ by: 'records', records: 5000 });
    const [theirs] = await dataset.partition({ by: 'records', records: 5000 });
    const digests = async (d: typeof part, p: Partition) => {
      const all: string[] = [];
      for await (const point of d.read(p)) all.push(recordDigest(point));
      return all;
    };
    expect(await digests(part, ours!)).toEqual(await digests(dataset, theirs!));
  });

  it('COPC tile: the tile points uncompressed (LAS), as the Python oracle reads them', async () => {
    const dataset = await openDataset(COPC, { store: fixtures.store });
    const partition = (await dataset.partition({ by: 'tiles', grid: [2, 2] }))[3]!;
    const classes = await classesOf(COPC, partition);
    const [file] = await dataset.toFile(partition);
    expect(file!.name).toBe('part-00003.las');
    const oracle = await withTempFile(file!.data, file!.name, pythonLasSummary);
    expect(oracle.classes).toEqual(classes);
    expect(oracle.pointCount).toBe(Object.values(classes).reduce((a, b) => a + b, 0));
  });
});

describe('bad input', () => {
  async function broken(name: string, from: string, edit: (bytes: Buffer) => Buffer): Promise<string> {
    const key = `broken/${name}`;
    await fixtures.store.put(key, edit(Buffer.from(await sampleBytes(from))));
    return key;
  }

  async function indexError(key: string): Promise<Error & { code: string; key: string; offset: number }> {
    const dataset = await openDataset(key, { store: fixtures.store, readOnly: true });
    const error = await dataset.index().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error, `indexing ${key} should fail`).toBeInstanceOf(Error);
    const failure = error as Error & { code: string; key: string; offset: number };
    expect(failure.key).toBe(key);
    expect(failure.message).toContain(key);
    expect(failure.message).toMatch(/at byte \d+/);
    return failure;
  }

  it('a LAS header that lies about the point count', async () => {
    for (const delta of [1, -1]) {
      const key = await broken(`count${delta}.las`, LAS, (bytes) => {
        bytes.writeUInt32LE(bytes.readUInt32LE(107) + delta, 107);
        return bytes;
      });
      expect((await indexError(key)).code).toBe('ERR_PARTITION_INCONSISTENT');
    }
  });

  it('LAS points outside the header bounds', async () => {
    const key = await broken('bounds.las', LAS, (bytes) => {
      bytes.writeDoubleLE(bytes.readDoubleLE(179) - 100, 179);
      return bytes;
    });
    expect((await indexError(key)).code).toBe('ERR_PARTITION_INCONSISTENT');
  });

  it('a LAZ cut inside a chunk, or whose chunk table lies beyond the end', async () => {
    const cut = await broken('cut.laz', LAZ, (bytes) => bytes.subarray(0, 300_000));
    expect((await indexError(cut)).code).toBe('ERR_PARTITION_TRUNCATED');
    const beyond = await broken('beyond.laz', LAZ, (bytes) => {
      const at = parseLasHeader(bytes, 'x').pointDataOffset;
      bytes.writeBigInt64LE(BigInt(bytes.length + 100), at);
      return bytes;
    });
    expect((await indexError(beyond)).code).toBe('ERR_PARTITION_TRUNCATED');
    const table = await broken('table.laz', LAZ, (bytes) => bytes.subarray(0, bytes.length - 10));
    expect((await indexError(table)).code).toBe('ERR_PARTITION_TRUNCATED');
  });

  it('a LAZ header whose point count needs another number of chunks than the table lists', async () => {
    // Fixed-size chunks do not record the last chunk's count: a lie within it is not detectable.
    const key = await broken('count.laz', LAZ, (bytes) => {
      bytes.writeUInt32LE(bytes.readUInt32LE(107) + 50_000, 107);
      return bytes;
    });
    expect((await indexError(key)).code).toBe('ERR_PARTITION_INCONSISTENT');
  });

  it('a COPC file cut before its hierarchy', async () => {
    const key = await broken('cut.copc.laz', COPC, (bytes) => {
      const infoAt = 375 + 54;
      const hierarchy = Number(viewOf(bytes).getBigUint64(infoAt + 40, true));
      return bytes.subarray(0, hierarchy + 10);
    });
    expect((await indexError(key)).code).toBe('ERR_PARTITION_TRUNCATED');
  });

  it('a wrongly declared format', async () => {
    for (const [key, format] of [
      [LAS, 'laz'],
      [LAZ, 'las'],
      [LAZ, 'copc'],
      [COPC, 'las'],
    ] as const) {
      const error = await openDataset(key, { store: fixtures.store, format }).then(
        () => undefined,
        (e: unknown) => e as { code: string; message: string },
      );
      expect(error?.code, `${key} declared ${format}`).toBe('ERR_PARTITION_FORMAT_MISMATCH');
      expect(error?.message).toContain(key);
    }
  });
});
