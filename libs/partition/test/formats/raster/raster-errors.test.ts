import { join } from 'node:path';
import { SAMPLES_DIR, type SampleStore, STORE_KINDS, sampleBytes, sampleStore } from '@isthmus/fixtures';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDataset } from '../../../src/dataset.js';
import { blockOffset } from './gdal-oracle.js';

const COG = 'cog/RGB.byte.cog.tif';
const STRIPS = 'geotiff/RGB.byte.tif';
const LAS = 'las/autzen_trim.las';

/** The first IFD's offset and the entry of `tag` in it (classic little-endian TIFF). */
function ifdEntry(bytes: Buffer, tag: number): { ifd: number; entry: number } {
  const ifd = bytes.readUInt32LE(4);
  const count = bytes.readUInt16LE(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (bytes.readUInt16LE(entry) === tag) return { ifd, entry };
  }
  throw new Error(`no tag ${tag} in the first IFD`);
}

describe.each(STORE_KINDS)('bad GeoTIFF input on a %s store', (kind) => {
  let fixture: SampleStore;
  beforeAll(async () => {
    fixture = await sampleStore(kind, [COG, STRIPS, LAS], inject('s3'));
  });
  afterAll(() => fixture.dispose());

  async function broken(key: string, bytes: Uint8Array) {
    await fixture.store.put(key, bytes);
    return key;
  }

  it('a COG cut through its tile data: TruncatedDataError at the end of the object', async () => {
    const bytes = await sampleBytes(COG);
    const cut = Math.floor(bytes.length * 0.6);
    const key = await broken('broken/cut.cog.tif', bytes.subarray(0, cut));
    const dataset = await openDataset(key, { store: fixture.store });
    expect(dataset.format).toBe('cog');
    await expect(dataset.index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_TRUNCATED',
      key,
      offset: cut,
    });
    await expect(dataset.index()).rejects.toThrow(`${key} at byte ${cut}`);
  });

  it('a GeoTIFF cut before its last IFD: TruncatedDataError', async () => {
    const bytes = await sampleBytes(STRIPS);
    const cut = bytes.readUInt32LE(4) - 100;
    const key = await broken('broken/cut.tif', bytes.subarray(0, cut));
    const dataset = await openDataset(key, { store: fixture.store, format: 'geotiff' });
    await expect(dataset.index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_TRUNCATED',
      key,
      offset: cut,
    });
  });

  it('a corrupt deflate tile: CorruptDataError at the offset GDAL gives for it; other tiles still read', async () => {
    const bytes = Buffer.from(await sampleBytes(COG));
    const offset = await blockOffset(join(SAMPLES_DIR, COG), 0, 0);
    for (let i = offset + 100; i < offset + 120; i++) bytes[i] = bytes[i]! ^ 0xff;
    const key = await broken('broken/corrupt.cog.tif', bytes);
    const dataset = await openDataset(key, { store: fixture.store });
    const [first, second] = await dataset.partition({ by: 'tiles' });
    const readAll = async (partition: typeof first) => {
      let count = 0;
      for await (const _ of dataset.read(partition!)) count++;
      return count;
    };
    await expect(readAll(first)).rejects.toMatchObject({ code: 'ERR_PARTITION_CORRUPT', key, offset });
    await expect(readAll(first)).rejects.toThrow(`${key} at byte ${offset}`);
    expect(await readAll(second)).toBe(1);
  });

  it('a declared format the data is not: FormatMismatchError', async () => {
    await expect(openDataset(LAS, { store: fixture.store, format: 'geotiff' })).rejects.toMatchObject({
      code: 'ERR_PARTITION_FORMAT_MISMATCH',
      key: LAS,
      offset: 0,
    });
    await expect(openDataset(STRIPS, { store: fixture.store, format: 'cog' })).rejects.toThrow(
      /declared cog.*looks like geotiff/,
    );
    expect((await openDataset(COG, { store: fixture.store, format: 'geotiff' })).format).toBe('geotiff');
  });

  it('an IFD chain that loops: CorruptDataError at the IFD', async () => {
    const bytes = Buffer.from(await sampleBytes(STRIPS));
    const ifd = bytes.readUInt32LE(4);
    bytes.writeUInt32LE(ifd, ifd + 2 + bytes.readUInt16LE(ifd) * 12);
    const key = await broken('broken/loop.tif', bytes);
    const dataset = await openDataset(key, { store: fixture.store });
    await expect(dataset.index()).rejects.toMatchObject({ code: 'ERR_PARTITION_CORRUPT', key, offset: ifd });
  });

  it('a RowsPerStrip that disagrees with the strip offsets: InconsistentDataError', async () => {
    const bytes = Buffer.from(await sampleBytes(STRIPS));
    const { ifd, entry } = ifdEntry(bytes, 278);
    const type = bytes.readUInt16LE(entry + 2);
    if (type === 3) bytes.writeUInt16LE(2, entry + 8);
    else bytes.writeUInt32LE(2, entry + 8);
    const key = await broken('broken/rows.tif', bytes);
    const dataset = await openDataset(key, { store: fixture.store });
    await expect(dataset.index()).rejects.toMatchObject({
      code: 'ERR_PARTITION_INCONSISTENT',
      key,
      offset: ifd,
    });
  });

  it('a level the raster does not have: InvalidStrategyError', async () => {
    const dataset = await openDataset(COG, { store: fixture.store });
    const levels = ((await dataset.summary()).details!.levels as unknown[]).length;
    await expect(dataset.partition({ by: 'tiles', level: levels })).rejects.toMatchObject({
      code: 'ERR_PARTITION_INVALID_STRATEGY',
    });
    await expect(dataset.partition({ by: 'bbox', bbox: [0, 0, 1, 1], level: levels })).rejects.toThrow(
      `level ${levels} does not exist`,
    );
  });
});
