import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError, InconsistentDataError, TruncatedDataError } from '../../errors.js';
import type { ShardingLayout } from './array-layout.js';
import { cellCount } from './chunk-grid.js';
import { crc32c } from './crc32c.js';

/** Where an inner chunk sits in its shard; `undefined` for an inner chunk the shard does not hold. */
export type InnerChunkPlace = { offset: number; length: number } | undefined;

const ABSENT = 0xffffffffffffffffn;

/**
 * Reads the index of one shard (`sharding_indexed`): a small ranged read at its end (or start),
 * its CRC-32C checked, giving each inner chunk's place in C order of the shard's chunk grid.
 */
export async function readShardIndex(
  source: DatasetSource,
  key: string,
  size: number,
  sharding: ShardingLayout,
): Promise<InnerChunkPlace[]> {
  const slots = cellCount(sharding.perShard);
  const entriesBytes = 16 * slots;
  const indexBytes = entriesBytes + (sharding.indexChecksum ? 4 : 0);
  if (size < indexBytes) {
    throw new TruncatedDataError(
      { key, offset: size },
      `a shard of ${size} bytes cannot hold its ${indexBytes}-byte index`,
    );
  }
  const at = sharding.indexAtEnd ? size - indexBytes : 0;
  const bytes = await source.read(key, at, indexBytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (sharding.indexChecksum) {
    const expected = view.getUint32(entriesBytes, true);
    const actual = crc32c(bytes.subarray(0, entriesBytes));
    if (actual !== expected) {
      throw new CorruptDataError(
        { key, offset: at + entriesBytes },
        `shard index checksum ${actual.toString(16)} differs from the stored ${expected.toString(16)}`,
      );
    }
  }
  const dataStart = sharding.indexAtEnd ? 0 : indexBytes;
  const dataEnd = sharding.indexAtEnd ? at : size;
  const places: InnerChunkPlace[] = [];
  for (let slot = 0; slot < slots; slot++) {
    const offset = view.getBigUint64(16 * slot, true);
    const length = view.getBigUint64(16 * slot + 8, true);
    if (offset === ABSENT && length === ABSENT) {
      places.push(undefined);
      continue;
    }
    if (offset < BigInt(dataStart) || offset + length > BigInt(dataEnd)) {
      throw new InconsistentDataError(
        { key, offset: at + 16 * slot },
        `the shard index puts inner chunk ${slot} at bytes ${offset}+${length}, outside the shard's data`,
      );
    }
    places.push({ offset: Number(offset), length: Number(length) });
  }
  return places;
}
