import {
  type Table as ArrowTable,
  type Data,
  type DataType,
  type FixedSizeList,
  Float32,
  makeData,
  RecordBatch,
  Struct,
  Table,
  tableFromIPC,
  tableToIPC,
  vectorFromArray,
} from 'apache-arrow';
import { InvalidArgumentError } from '../errors.js';
import { type ChunkRow, chunkSchema, type TableEmbedderInfo } from './chunk-schema.js';

/**
 * Chunk rows as one Arrow record batch of the table schema (`chunkSchema`), the vectors copied
 * into one `FixedSizeList<Float32>` column.
 * @throws {InvalidArgumentError} a vector of another length than `embedder.dimension`.
 */
export function chunkBatch(rows: readonly ChunkRow[], embedder: TableEmbedderInfo): RecordBatch {
  const schema = chunkSchema(embedder);
  const values = new Float32Array(rows.length * embedder.dimension);
  rows.forEach((row, at) => {
    if (row.vector.length !== embedder.dimension) {
      throw new InvalidArgumentError(
        `row ${row.id}: a vector of ${row.vector.length} numbers, the table takes ${embedder.dimension}`,
      );
    }
    values.set(row.vector, at * embedder.dimension);
  });
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
  return new RecordBatch(schema, struct);
}

/** Record batches as the bytes of one Arrow IPC stream (what a function stages). */
export function batchesToIpc(batches: readonly RecordBatch[]): Uint8Array {
  return tableToIPC(new Table(batches as RecordBatch[]), 'stream');
}

/** An Arrow IPC stream back as a table. */
export function ipcToTable(bytes: Uint8Array): ArrowTable {
  return tableFromIPC(bytes);
}
