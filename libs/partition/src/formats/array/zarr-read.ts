import type { DatasetSource } from '../../dataset-source.js';
import { CorruptDataError, MissingPartError, PartitionError } from '../../errors.js';
import type { Partition } from '../../partition.js';
import { type ArrayLayout, arrayLayout } from './array-layout.js';
import { type ChunkDecoder, openChunkDecoder } from './chunk-decoder.js';
import { cellCount, chunkSelection, gridCoordinates, type Selection } from './chunk-grid.js';
import { clipChunk, type NumericArray } from './clip-chunk.js';
import { RangeFetcher } from './range-fetcher.js';
import { metadataKey, type ZarrPartitionMeta } from './zarr-plan.js';

/** A record of a Zarr store: one chunk (an inner chunk of a sharded array) of one array. */
export interface ZarrChunk {
  /** The array's path in the store (`''` for a store that is one array). */
  array: string;
  /** The chunk's coordinates in the chunk grid. */
  chunk: number[];
  /** The elements it covers, `[start, end)` per dimension, clipped to the array's shape. */
  selection: Selection;
  /** Its values in C order; the shape is the selection's extent. */
  data: NumericArray;
}

/** An array of a partition, ready to decode. */
interface OpenArray {
  path: string;
  layout: ArrayLayout;
  decode: ChunkDecoder;
}

/** The arrays of a partition with their layouts, and the chunk decoders zarrita gives for them. */
export async function openPartitionArrays(partition: Partition, source: DatasetSource) {
  const { zarrFormat, arrays } = partition.meta as ZarrPartitionMeta;
  return Promise.all(
    arrays.map(async (metadata): Promise<OpenArray> => {
      const documentKey = metadataKey(source.key, zarrFormat, metadata.path);
      const layout = arrayLayout(zarrFormat, documentKey, metadata.document);
      return {
        path: metadata.path,
        layout,
        decode: await openChunkDecoder(zarrFormat, metadata, layout, documentKey),
      };
    }),
  );
}

function where(array: OpenArray, chunk: number[]): string {
  return `chunk [${chunk.join(',')}] of array ${JSON.stringify(array.path || '/')}`;
}

/**
 * The records of a Zarr partition, in plan order: each chunk's stored bytes (from the partition's
 * ranges only, read a few ahead), decoded by zarrita and clipped to the array. A chunk the index
 * saw but the store no longer has is `MissingPartError`; bytes that do not decode, `CorruptDataError`.
 */
export async function* readZarrPartition(
  partition: Partition,
  source: DatasetSource,
): AsyncIterable<ZarrChunk> {
  const arrays = await openPartitionArrays(partition, source);
  const fetcher = new RangeFetcher(source, partition.ranges);
  for (const [position, ordinal, range, offset, length] of (partition.meta as ZarrPartitionMeta).records) {
    const array = arrays[position!]!;
    const chunk = gridCoordinates(ordinal!, array.layout.grid);
    let bytes: Uint8Array | undefined;
    if (range !== undefined) {
      const { key, offset: rangeOffset } = partition.ranges[range]!;
      try {
        bytes = (await fetcher.bytes(range)).subarray(offset!, offset! + length!);
      } catch (error) {
        if (!(error instanceof MissingPartError)) throw error;
        throw new MissingPartError(
          { key, offset: rangeOffset + offset! },
          `${where(array, chunk)} was in the store when it was indexed, and is gone`,
          { cause: error },
        );
      }
    }
    const selection = chunkSelection(chunk, array.layout.chunkShape, array.layout.shape);
    const extent = selection.map(([start, end]) => end - start);
    let data: NumericArray;
    try {
      const decoded = await array.decode(chunk, bytes);
      if (decoded.data.length !== cellCount(decoded.shape)) {
        throw new Error(`${decoded.data.length} values for a chunk of shape [${decoded.shape.join(',')}]`);
      }
      data = clipChunk(decoded, extent);
    } catch (error) {
      if (error instanceof PartitionError || range === undefined) throw error;
      const { key, offset: rangeOffset } = partition.ranges[range]!;
      throw new CorruptDataError(
        { key, offset: rangeOffset + offset! },
        `${where(array, chunk)} does not decode: ${(error as Error).message}`,
        { cause: error },
      );
    }
    yield { array: array.path, chunk, selection, data };
  }
}
