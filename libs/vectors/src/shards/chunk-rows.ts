import {
  type Data,
  type DataType,
  type FixedSizeList,
  Float32,
  makeData,
  type RecordBatch,
  RecordBatch as RecordBatchClass,
  Struct,
  vectorFromArray,
} from 'apache-arrow';
import { type ChunkRow, chunkSchema, type TableEmbedderInfo } from '../table/chunk-schema.js';

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

/**
 * Rows as one Arrow record batch of the table schema (`chunkSchema`), vectors copied into one
 * `FixedSizeList<Float32>` column. (The ingest branch has the same function as `chunkBatch`;
 * one of them goes when both are merged.)
 */
export function chunkRowsBatch(rows: readonly ChunkRow[], embedder: TableEmbedderInfo): RecordBatch {
  const schema = chunkSchema(embedder);
  const values = new Float32Array(rows.length * embedder.dimension);
  for (const [at, row] of rows.entries()) values.set(row.vector, at * embedder.dimension);
  const column = (at: number, key: Exclude<keyof ChunkRow, 'vector'>): Data =>
    vectorFromArray(
      rows.map((row) => row[key]),
      schema.fields[at]!.type as DataType,
    ).data[0]!;
  const vectors = makeData({
    type: schema.fields[5]!.type as FixedSizeList<Float32>,
    length: rows.length,
    nullCount: 0,
    child: makeData({ type: new Float32(), length: values.length, nullCount: 0, data: values }),
  });
  const struct = makeData({
    type: new Struct(schema.fields),
    length: rows.length,
    nullCount: 0,
    children: [
      column(0, 'id'),
      column(1, 'text'),
      column(2, 'source'),
      column(3, 'chunk'),
      column(4, 'heading'),
      vectors,
    ],
  });
  return new RecordBatchClass(schema, struct);
}
