import type { RecordBatch } from 'apache-arrow';
import type { ChunkRow } from '../table/chunk-schema.js';

/**
 * The rows of a batch read from a vectors table; each `vector` is a view into the batch's
 * `FixedSizeList<Float32>` column (no copy).
 */
export function chunkRowsOf(batch: RecordBatch, dimension: number): ChunkRow[] {
  const vectors = packedVectors(batch, dimension);
  const [id, text, source, chunk, heading] = ['id', 'text', 'source', 'chunk', 'heading'].map(
    (name) => batch.getChild(name)!,
  );
  return Array.from({ length: batch.numRows }, (_, row) => ({
    id: id!.get(row),
    text: text!.get(row),
    source: source!.get(row),
    chunk: chunk!.get(row),
    heading: heading!.get(row),
    vector: vectors.subarray(row * dimension, (row + 1) * dimension),
  }));
}

/** The vectors of a batch's `vector` column (`FixedSizeList<Float32>`), packed row after row, without copying. */
export function packedVectors(batch: RecordBatch, dimension: number): Float32Array {
  const data = batch.getChild('vector')!.data[0]!;
  const child = data.children[0]!;
  const start = child.offset + data.offset * dimension;
  return (child.values as Float32Array).subarray(start, start + data.length * dimension);
}
