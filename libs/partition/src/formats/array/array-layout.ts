import { registry } from 'zarrita';
import { CorruptDataError } from '../../errors.js';
import type { Json, JsonObject } from '../../json.js';

/** How the chunks of a sharded array sit in its shards (`sharding_indexed`, Zarr v3). */
export interface ShardingLayout {
  /** Inner chunks per shard along each dimension. */
  perShard: number[];
  /** The codecs of the inner chunks. */
  innerCodecs: Json[];
  /** Whether the shard index is at the end of the shard (else at its start). */
  indexAtEnd: boolean;
  /** Whether a CRC-32C follows the index. */
  indexChecksum: boolean;
}

/**
 * What the partitioner needs to know of a Zarr array, from its metadata document: its shape, the
 * chunks records are made of (inner chunks for sharded arrays), and how chunk keys are written.
 */
export interface ArrayLayout {
  shape: number[];
  /** The shape of a record's chunk (the inner chunk of a sharded array). */
  chunkShape: number[];
  /** Record chunks along each dimension. */
  grid: number[];
  /** The shape of what one object holds (the shard of a sharded array, else the chunk). */
  storedChunkShape: number[];
  /** The key, relative to the array, of the object holding stored chunk `coordinates`. */
  storedKey(coordinates: readonly number[]): string;
  /** The stored chunk coordinates a key relative to the array names, if it names one. */
  parseStoredKey(name: string): number[] | undefined;
  sharding: ShardingLayout | undefined;
}

/** The numeric data types records can hold (zarrita reads them into typed arrays). */
const NUMERIC_V3 = /^(u?int(8|16|32|64)|float(16|32|64))$/;
const NUMERIC_V2 = /^[<>|]([iu][1248]|f[248])$/;

function fail(key: string, detail: string): never {
  throw new CorruptDataError({ key, offset: 0 }, detail);
}

function dimensions(key: string, value: Json | undefined, what: string, positive: boolean): number[] {
  if (
    !Array.isArray(value) ||
    !value.every((n) => Number.isSafeInteger(n) && (n as number) >= (positive ? 1 : 0))
  ) {
    fail(key, `${what} must be an array of ${positive ? 'positive' : 'non-negative'} integers`);
  }
  return value as number[];
}

function object(value: Json | undefined): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

function checkCodecs(key: string, names: Array<Json | undefined>): void {
  for (const name of names) {
    if (typeof name !== 'string' || !registry.has(name)) {
      fail(key, `codec ${JSON.stringify(name)} is not supported`);
    }
  }
}

/**
 * Writes chunk coordinates as a key and reads them back (`undefined` for other names): the
 * `default` encoding (`c/1/2`, `c` for no dimensions) or the `v2` one (`1.2`, `0` for none).
 */
function keyCodec(encoding: 'default' | 'v2', separator: string, rank: number) {
  const prefix = encoding === 'default' ? `c${separator}` : '';
  const scalarKey = encoding === 'default' ? 'c' : '0';
  return {
    storedKey: (coordinates: readonly number[]) =>
      rank === 0 ? scalarKey : `${prefix}${coordinates.join(separator)}`,
    parseStoredKey: (name: string): number[] | undefined => {
      if (rank === 0) return name === scalarKey ? [] : undefined;
      if (!name.startsWith(prefix)) return undefined;
      const parts = name.slice(prefix.length).split(separator);
      if (parts.length !== rank || !parts.every((part) => /^\d+$/.test(part))) return undefined;
      return parts.map(Number);
    },
  };
}

function regularLayout(
  key: string,
  shape: number[],
  chunkShape: number[],
): Pick<ArrayLayout, 'shape' | 'chunkShape' | 'grid' | 'storedChunkShape'> {
  if (chunkShape.length !== shape.length) {
    fail(key, `chunks has ${chunkShape.length} dimensions, shape ${shape.length}`);
  }
  return {
    shape,
    chunkShape,
    grid: shape.map((size, d) => Math.ceil(size / chunkShape[d]!)),
    storedChunkShape: chunkShape,
  };
}

/** The layout of a Zarr v2 array from its `.zarray` (`key` names it in errors). */
export function layoutV2(key: string, document: JsonObject): ArrayLayout {
  if (document.zarr_format !== 2) fail(key, `zarr_format is ${JSON.stringify(document.zarr_format)}, not 2`);
  const shape = dimensions(key, document.shape, 'shape', false);
  const layout = regularLayout(key, shape, dimensions(key, document.chunks, 'chunks', true));
  if (typeof document.dtype !== 'string' || !NUMERIC_V2.test(document.dtype)) {
    fail(key, `dtype ${JSON.stringify(document.dtype)} is not a supported numeric type`);
  }
  if (document.order !== 'C' && document.order !== 'F') fail(key, `order must be "C" or "F"`);
  const compressor = object(document.compressor);
  if (document.compressor !== null && !compressor) fail(key, 'compressor must be an object or null');
  const filters = document.filters ?? [];
  if (!Array.isArray(filters)) fail(key, 'filters must be an array or null');
  const ids = [...filters.map((filter) => object(filter)?.id), ...(compressor ? [compressor.id] : [])];
  checkCodecs(
    key,
    ids.filter((id) => id !== 'fixedscaleoffset').map((id) => `numcodecs.${id}`),
  );
  const separator = document.dimension_separator ?? '.';
  if (separator !== '.' && separator !== '/') fail(key, 'dimension_separator must be "." or "/"');
  return { ...layout, ...keyCodec('v2', separator, shape.length), sharding: undefined };
}

function shardingLayout(key: string, codec: JsonObject, chunkShape: number[]): ShardingLayout {
  const configuration = object(codec.configuration) ?? {};
  const inner = dimensions(key, configuration.chunk_shape, 'sharding chunk_shape', true);
  if (inner.length !== chunkShape.length || chunkShape.some((size, d) => size % inner[d]! !== 0)) {
    fail(key, `sharding chunk_shape ${JSON.stringify(inner)} does not divide the shard shape`);
  }
  const innerCodecs = configuration.codecs;
  const indexCodecs = configuration.index_codecs ?? [{ name: 'bytes', configuration: { endian: 'little' } }];
  if (!Array.isArray(innerCodecs) || !Array.isArray(indexCodecs)) fail(key, 'sharding codecs must be arrays');
  const innerNames = innerCodecs.map((c) => object(c)?.name);
  if (innerNames.includes('sharding_indexed')) fail(key, 'nested sharding is not supported');
  checkCodecs(key, innerNames);
  const indexNames = indexCodecs.map((c) => object(c)?.name);
  const endian = object(object(indexCodecs[0])?.configuration)?.endian ?? 'little';
  if (
    indexNames[0] !== 'bytes' ||
    endian !== 'little' ||
    indexNames.length > 2 ||
    (indexNames.length === 2 && indexNames[1] !== 'crc32c')
  ) {
    fail(key, `shard index codecs ${JSON.stringify(indexNames)} are not supported (bytes[, crc32c])`);
  }
  return {
    perShard: chunkShape.map((size, d) => size / inner[d]!),
    innerCodecs,
    indexAtEnd: (configuration.index_location ?? 'end') === 'end',
    indexChecksum: indexNames.length === 2,
  };
}

/** The layout of a Zarr v3 array from its `zarr.json` (`key` names it in errors). */
export function layoutV3(key: string, document: JsonObject): ArrayLayout {
  const shape = dimensions(key, document.shape, 'shape', false);
  const grid = object(document.chunk_grid);
  if (grid?.name !== 'regular') fail(key, 'only the regular chunk grid is supported');
  const storedChunkShape = dimensions(key, object(grid.configuration)?.chunk_shape, 'chunk_shape', true);
  const layout = regularLayout(key, shape, storedChunkShape);
  if (typeof document.data_type !== 'string' || !NUMERIC_V3.test(document.data_type)) {
    fail(key, `data_type ${JSON.stringify(document.data_type)} is not a supported numeric type`);
  }
  const encoding = object(document.chunk_key_encoding) ?? { name: 'default' };
  const separator = object(encoding.configuration)?.separator ?? (encoding.name === 'v2' ? '.' : '/');
  if ((encoding.name !== 'default' && encoding.name !== 'v2') || (separator !== '.' && separator !== '/')) {
    fail(key, `chunk_key_encoding ${JSON.stringify(encoding)} is not supported`);
  }
  const keys = keyCodec(encoding.name, separator, shape.length);
  const codecs = document.codecs;
  if (!Array.isArray(codecs) || codecs.length === 0) fail(key, 'codecs must be a non-empty array');
  const sharded = codecs.map(object).find((codec) => codec?.name === 'sharding_indexed');
  if (!sharded) {
    checkCodecs(
      key,
      codecs.map((c) => object(c)?.name),
    );
    return { ...layout, ...keys, sharding: undefined };
  }
  if (codecs.length !== 1) fail(key, 'sharding_indexed must be the only codec');
  const sharding = shardingLayout(key, sharded, storedChunkShape);
  const chunkShape = storedChunkShape.map((size, d) => size / sharding.perShard[d]!);
  return {
    ...layout,
    ...keys,
    chunkShape,
    grid: shape.map((size, d) => Math.ceil(size / chunkShape[d]!)),
    sharding,
  };
}

/** The layout of an array of either Zarr version. */
export function arrayLayout(zarrFormat: 2 | 3, key: string, document: JsonObject): ArrayLayout {
  return zarrFormat === 2 ? layoutV2(key, document) : layoutV3(key, document);
}
