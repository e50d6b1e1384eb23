import { gunzipSync, inflateSync } from 'node:zlib';
import * as zarr from 'zarrita';
import { CorruptDataError } from '../../errors.js';
import type { JsonObject } from '../../json.js';
import type { ArrayLayout } from './array-layout.js';

/** A decoded chunk as zarrita gives it: the whole chunk (not clipped), in its stored order. */
export interface DecodedChunk {
  data: ArrayLike<number | bigint>;
  shape: number[];
  stride: number[];
}

/** The metadata of one array: its path in the store (`''` for a root array) and its documents. */
export type ArrayMetadata = {
  path: string;
  /** The `.zarray` (v2) or `zarr.json` (v3) document. */
  document: JsonObject;
  /** The `.zattrs` document of a v2 array, if any. */
  attributes: JsonObject | null;
};

/** Decodes the chunk at `coordinates` from its stored bytes, or gives the fill value when there are none. */
export type ChunkDecoder = (coordinates: number[], bytes: Uint8Array | undefined) => Promise<DecodedChunk>;

const encodeJson = (value: JsonObject) => new TextEncoder().encode(JSON.stringify(value));

/** Inflaters of the compressors node:zlib decodes (zarrita's DecompressionStream costs ~20× more per chunk). */
const NODE_INFLATERS: Record<string, (bytes: Uint8Array) => Uint8Array> = {
  gzip: gunzipSync,
  zlib: inflateSync,
};

/**
 * Takes a final gzip or zlib compressor off a document zarrita decodes with, so node:zlib inflates
 * the stored bytes first and zarrita does the rest of the chain (bytes order, transpose, filters).
 */
function withoutFinalInflate(
  zarrFormat: 2 | 3,
  document: JsonObject,
): { document: JsonObject; inflate: ((bytes: Uint8Array) => Uint8Array) | undefined } {
  if (zarrFormat === 2) {
    const id = (document.compressor as JsonObject | null)?.id;
    const inflate = typeof id === 'string' ? NODE_INFLATERS[id] : undefined;
    return inflate ? { document: { ...document, compressor: null }, inflate } : { document, inflate };
  }
  const codecs = document.codecs as JsonObject[];
  const name = codecs.at(-1)?.name;
  const inflate = typeof name === 'string' ? NODE_INFLATERS[name] : undefined;
  return inflate
    ? { document: { ...document, codecs: codecs.slice(0, -1) }, inflate }
    : { document, inflate };
}

/**
 * The v3 document of an array stored without sharding: the array's own for unsharded arrays; for
 * a sharded one, an array of its inner chunks (inner chunk shape and codecs, default chunk keys).
 * zarrita decodes records with it (their places in the shards are known from the index), and
 * `toFile` writes inner chunks under it.
 */
export function unshardedDocument(metadata: ArrayMetadata, layout: ArrayLayout): JsonObject {
  if (!layout.sharding) return metadata.document;
  return {
    ...metadata.document,
    chunk_grid: { name: 'regular', configuration: { chunk_shape: layout.chunkShape } },
    chunk_key_encoding: { name: 'default', configuration: { separator: '/' } },
    codecs: layout.sharding.innerCodecs,
  };
}

/** The key, relative to the array, of a chunk of the unsharded document of an array. */
export function unshardedChunkKey(layout: ArrayLayout): (coordinates: readonly number[]) => string {
  if (!layout.sharding) return (coordinates) => layout.storedKey(coordinates);
  return (coordinates) => ['c', ...coordinates].join('/');
}

/**
 * Opens an array with zarrita over a store adapter that serves its metadata from the index (no
 * read) and each chunk's bytes from the caller, so every byte comes through the pinned
 * `DatasetSource`. zarrita does the metadata normalisation (v2 dtype, order, filters) and the
 * codecs, but for a final gzip or zlib, which node:zlib inflates.
 * Metadata zarrita rejects is `CorruptDataError` naming `documentKey`.
 */
export async function openChunkDecoder(
  zarrFormat: 2 | 3,
  metadata: ArrayMetadata,
  layout: ArrayLayout,
  documentKey: string,
): Promise<ChunkDecoder> {
  const root = `/${metadata.path}`.replace(/\/$/, '');
  const served = new Map<string, Uint8Array>();
  const { document, inflate } = withoutFinalInflate(zarrFormat, unshardedDocument(metadata, layout));
  if (zarrFormat === 2) {
    served.set(`${root}/.zarray`, encodeJson(document));
    if (metadata.attributes) served.set(`${root}/.zattrs`, encodeJson(metadata.attributes));
  } else {
    served.set(`${root}/zarr.json`, encodeJson(document));
  }
  const chunkKey = unshardedChunkKey(layout);
  const store: zarr.AsyncReadable = { get: async (path) => served.get(path) };
  const location = zarr.root(store).resolve(metadata.path || '/');
  let array: zarr.Array<zarr.DataType, zarr.AsyncReadable>;
  try {
    array =
      zarrFormat === 2
        ? await zarr.open.v2(location, { kind: 'array' })
        : await zarr.open.v3(location, { kind: 'array' });
  } catch (error) {
    throw new CorruptDataError({ key: documentKey, offset: 0 }, `zarrita cannot open the array: ${error}`, {
      cause: error,
    });
  }
  return async (coordinates, bytes) => {
    const path = `${root}/${chunkKey(coordinates)}`;
    if (bytes) served.set(path, inflate ? inflate(bytes) : bytes);
    try {
      return (await array.getChunk(coordinates)) as DecodedChunk;
    } finally {
      served.delete(path);
    }
  };
}
