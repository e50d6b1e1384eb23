// Example pipeline as functions: the mean of every chunk of a Zarr store (or of one array), one
// task per partition (each reads only its own chunks), then one reduce giving each array's mean.
import { type Partition, read } from '@isthmus/partition';
import type { ZarrChunk } from '@isthmus/partition/array';

/** The mean of one chunk. */
export interface ChunkMean {
  array: string;
  chunk: number[];
  /** Elements of the chunk inside the array. */
  elements: number;
  mean: number;
}

/** Every chunk's mean in store order, and each array's mean over all its elements. */
export interface StoreMeans {
  chunks: ChunkMean[];
  arrays: Record<string, { elements: number; mean: number }>;
}

/** Map step: the mean of each chunk of one partition. */
export async function chunkMeans(partition: Partition): Promise<ChunkMean[]> {
  const means: ChunkMean[] = [];
  for await (const { array, chunk, data } of read<ZarrChunk>(partition)) {
    let sum = 0;
    for (let i = 0; i < data.length; i++) sum += Number(data[i]);
    means.push({ array, chunk, elements: data.length, mean: sum / data.length });
  }
  return means;
}

/** Arrays in key order, each one's chunks in C order of their coordinates. */
function storeOrder(a: ChunkMean, b: ChunkMean): number {
  if (a.array !== b.array) return a.array < b.array ? -1 : 1;
  const d = a.chunk.findIndex((c, i) => c !== b.chunk[i]);
  return d < 0 ? 0 : a.chunk[d]! - b.chunk[d]!;
}

/** Reduce step: all chunk means (array, then C order of chunks) and each array's weighted mean. */
export async function storeMeans(perPartition: ChunkMean[][]): Promise<StoreMeans> {
  const chunks = perPartition.flat().sort(storeOrder);
  const totals: Record<string, { elements: number; sum: number }> = {};
  for (const { array, elements, mean } of chunks) {
    totals[array] ??= { elements: 0, sum: 0 };
    totals[array].elements += elements;
    totals[array].sum += mean * elements;
  }
  const arrays = Object.fromEntries(
    Object.entries(totals).map(([array, { elements, sum }]) => [array, { elements, mean: sum / elements }]),
  );
  return { chunks, arrays };
}
