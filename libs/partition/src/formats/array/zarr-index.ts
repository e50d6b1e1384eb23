import { mapConcurrent } from '@isthmus/storage';
import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError, FormatMismatchError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import { type ArrayLayout, arrayLayout } from './array-layout.js';
import { type ArrayMetadata, openChunkDecoder } from './chunk-decoder.js';
import { cellCount, gridCoordinates, gridOrdinal } from './chunk-grid.js';
import { readShardIndex } from './shard-index.js';

/**
 * One array of the store in the index: its metadata, and for every record chunk (C order of the
 * chunk grid) the bytes it is stored in: `sizes[i]` is -1 for a chunk that does not exist (it reads
 * as the fill value, per the Zarr spec); `offsets[i]` is its place in its shard (sharded arrays).
 */
export type ZarrArrayIndex = ArrayMetadata & {
  sizes: number[];
  offsets: number[] | null;
};

/** The index of a Zarr store: its version, its root group's attributes, and its arrays in key order. */
export type ZarrIndex = {
  /** The store's key (its prefix), which the partitions' ranges start with. */
  key: string;
  zarrFormat: 2 | 3;
  attributes: JsonObject | null;
  arrays: ZarrArrayIndex[];
};

/** The names of the metadata objects of each version. */
const V2_METADATA = ['.zarray', '.zgroup', '.zattrs'];
const V3_METADATA = ['zarr.json'];

function baseName(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}

function parentPath(name: string): string {
  return name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : '';
}

/** Which Zarr version a store is, from the names of its objects (relative to the store). */
export function zarrFormatOf(names: readonly string[]): 2 | 3 | undefined {
  if (names.includes('zarr.json')) return 3;
  if (names.includes('.zgroup') || names.includes('.zarray')) return 2;
  if (names.some((name) => baseName(name) === 'zarr.json')) return 3;
  if (names.some((name) => V2_METADATA.includes(baseName(name)))) return 2;
  return undefined;
}

async function readDocument(source: DatasetSource, key: string): Promise<JsonObject> {
  const text = new TextDecoder().decode(await source.readAll(key));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CorruptDataError({ key, offset: 0 }, `not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new CorruptDataError({ key, offset: 0 }, 'not a JSON object');
  }
  return value as JsonObject;
}

/** Shard indexes read at once (each a small ranged read). */
const SHARD_INDEX_READS = 8;

/** Where each stored chunk of an array is, from the listing (and, for shards, their indexes). */
async function chunkInventory(
  source: DatasetSource,
  arrayKey: string,
  layout: ArrayLayout,
  stored: Map<string, number>,
): Promise<Pick<ZarrArrayIndex, 'sizes' | 'offsets'>> {
  const sizes = new Array<number>(cellCount(layout.grid)).fill(-1);
  const storedGrid = layout.shape.map((size, d) => Math.ceil(size / layout.storedChunkShape[d]!));
  const objects: Array<{ name: string; size: number; coordinates: number[] }> = [];
  for (const [name, size] of stored) {
    const coordinates = layout.parseStoredKey(name);
    if (coordinates?.every((c, d) => c < storedGrid[d]!)) objects.push({ name, size, coordinates });
  }
  const { sharding } = layout;
  if (!sharding) {
    for (const { size, coordinates } of objects) sizes[gridOrdinal(coordinates, layout.grid)] = size;
    return { sizes, offsets: null };
  }
  const offsets = new Array<number>(sizes.length).fill(-1);
  const indexes = await mapConcurrent(objects, SHARD_INDEX_READS, ({ name, size }) =>
    readShardIndex(source, `${arrayKey}${name}`, size, sharding),
  );
  indexes.forEach((places, i) => {
    places.forEach((place, slot) => {
      if (!place) return;
      const within = gridCoordinates(slot, sharding.perShard);
      const inner = objects[i]!.coordinates.map((c, d) => c * sharding.perShard[d]! + within[d]!);
      if (inner.some((c, d) => c >= layout.grid[d]!)) return;
      const ordinal = gridOrdinal(inner, layout.grid);
      sizes[ordinal] = place.length;
      offsets[ordinal] = place.offset;
    });
  });
  return { sizes, offsets };
}

/**
 * The index pass of a Zarr store: ONE listing of its keys (sizes and versions of every object),
 * the metadata of the root group and every array (read through zarrita, so whatever it cannot
 * open fails here, naming the key), and the index of every shard (a small ranged read each). No
 * chunk is read; chunks absent from the listing are recorded as absent (fill value).
 */
export async function indexZarrStore(source: DatasetSource): Promise<ZarrIndex> {
  const prefix = `${source.key}/`;
  const objects = new Map<string, number>();
  for await (const info of source.list(prefix)) objects.set(info.key.slice(prefix.length), info.size);
  const names = [...objects.keys()].sort();
  const zarrFormat = zarrFormatOf(names);
  if (zarrFormat === undefined) {
    throw new FormatMismatchError(
      { key: source.key },
      'no Zarr metadata (.zgroup, .zarray, zarr.json) under it',
    );
  }
  const metadataNames = names.filter((name) =>
    (zarrFormat === 2 ? V2_METADATA : V3_METADATA).includes(baseName(name)),
  );
  const isMetadata = new Set(metadataNames);
  const metadataBytes = metadataNames.reduce((total, name) => total + objects.get(name)!, 0);
  source.expectBytes(metadataBytes);
  const documents = new Map<string, JsonObject>();
  for (const name of metadataNames) documents.set(name, await readDocument(source, `${prefix}${name}`));

  const arrayNames =
    zarrFormat === 2
      ? metadataNames.filter((name) => baseName(name) === '.zarray')
      : metadataNames.filter((name) => documents.get(name)!.node_type === 'array');
  const rootName = zarrFormat === 2 ? '.zattrs' : 'zarr.json';
  const root = documents.get(rootName);
  const attributes =
    zarrFormat === 2
      ? (root ?? null)
      : root?.node_type === 'group'
        ? ((root.attributes ?? null) as JsonObject | null)
        : null;

  const opened = [];
  let shardIndexBytes = 0;
  for (const name of arrayNames) {
    const path = parentPath(name);
    const documentKey = `${prefix}${name}`;
    const metadata: ArrayMetadata = {
      path,
      document: documents.get(name)!,
      attributes: zarrFormat === 2 ? (documents.get(path ? `${path}/.zattrs` : '.zattrs') ?? null) : null,
    };
    const layout = arrayLayout(zarrFormat, documentKey, metadata.document);
    await openChunkDecoder(zarrFormat, metadata, layout, documentKey);
    const arrayPrefix = path ? `${path}/` : '';
    const stored = new Map<string, number>();
    for (const [objectName, size] of objects) {
      if (objectName.startsWith(arrayPrefix) && !isMetadata.has(objectName)) {
        stored.set(objectName.slice(arrayPrefix.length), size);
      }
    }
    if (layout.sharding) {
      const { perShard, indexChecksum } = layout.sharding;
      shardIndexBytes += stored.size * (16 * cellCount(perShard) + (indexChecksum ? 4 : 0));
    }
    opened.push({ metadata, layout, arrayPrefix, stored });
  }
  source.expectBytes(metadataBytes + shardIndexBytes);
  const arrays: ZarrArrayIndex[] = [];
  for (const { metadata, layout, arrayPrefix, stored } of opened) {
    arrays.push({
      ...metadata,
      ...(await chunkInventory(source, `${prefix}${arrayPrefix}`, layout, stored)),
    });
  }
  return { key: source.key, zarrFormat, attributes, arrays };
}
