import { RecordBatch, Schema, tableFromArrays } from 'apache-arrow';
import type { DatasetSource } from '../../dataset-source.js';
import type { Partition } from '../../partition.js';
import type { ArrayMetadata } from './chunk-decoder.js';
import { cellCount } from './chunk-grid.js';
import type { ZarrPartitionMeta } from './zarr-plan.js';
import { readZarrPartition, type ZarrChunk } from './zarr-read.js';

/** The names of an array's dimensions: v3 `dimension_names`, v2 `_ARRAY_DIMENSIONS`, else `dim_0`, `dim_1`, …. */
function dimensionNames(metadata: ArrayMetadata, rank: number): string[] {
  const given = metadata.document.dimension_names ?? metadata.attributes?._ARRAY_DIMENSIONS;
  return Array.from({ length: rank }, (_, d) => {
    const name = Array.isArray(given) ? given[d] : undefined;
    return typeof name === 'string' && name !== 'value' ? name : `dim_${d}`;
  });
}

/**
 * One chunk as an Arrow record batch in long form, one row per element in C order: its
 * coordinates in the array (an Int32 column per dimension) and its `value`; the array's path and
 * the chunk's coordinates are in the schema's metadata (`array`, `chunk`).
 */
export function chunkBatch(record: ZarrChunk, names: string[]): RecordBatch {
  const extent = record.selection.map(([start, end]) => end - start);
  const columns: Record<string, Int32Array> = {};
  names.forEach((name, d) => {
    const column = new Int32Array(record.data.length);
    const inner = cellCount(extent.slice(d + 1));
    for (let i = 0; i < column.length; i++)
      column[i] = record.selection[d]![0] + (Math.floor(i / inner) % extent[d]!);
    columns[name] = column;
  });
  const [batch] = tableFromArrays({ ...columns, value: record.data }).batches;
  const metadata = new Map([
    ['array', record.array],
    ['chunk', JSON.stringify(record.chunk)],
  ]);
  return new RecordBatch(new Schema(batch!.schema.fields, metadata), batch!.data);
}

/** The records of a Zarr partition as Arrow record batches, one per chunk. */
export async function* readZarrBatches(
  partition: Partition,
  source: DatasetSource,
): AsyncIterable<RecordBatch> {
  const { arrays } = partition.meta as ZarrPartitionMeta;
  for await (const record of readZarrPartition(partition, source)) {
    const metadata = arrays.find((array) => array.path === record.array)!;
    yield chunkBatch(record, dimensionNames(metadata, record.chunk.length));
  }
}
