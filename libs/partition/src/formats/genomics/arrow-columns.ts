import { Float64, Int32, type RecordBatch, Table, Utf8, vectorFromArray } from 'apache-arrow';

/** One Arrow column of a record type: its name, type and how to get its value from a record. */
export interface ArrowColumn<TRecord> {
  name: string;
  type: 'utf8' | 'int32' | 'float64';
  value(record: TRecord): string | number | null;
}

/** Records per Arrow batch. */
const BATCH_ROWS = 8192;

function arrowType(type: ArrowColumn<unknown>['type']): Utf8 | Int32 | Float64 {
  if (type === 'utf8') return new Utf8();
  return type === 'int32' ? new Int32() : new Float64();
}

function batchOf<TRecord>(records: TRecord[], columns: readonly ArrowColumn<TRecord>[]): RecordBatch[] {
  const vectors = Object.fromEntries(
    columns.map((column) => [
      column.name,
      vectorFromArray(
        records.map((record) => column.value(record)),
        arrowType(column.type),
      ),
    ]),
  );
  return new Table(vectors).batches;
}

/** The records as Arrow record batches of the given columns (up to 8192 rows each). */
export async function* recordBatches<TRecord>(
  records: AsyncIterable<TRecord>,
  columns: readonly ArrowColumn<TRecord>[],
): AsyncIterable<RecordBatch> {
  let rows: TRecord[] = [];
  for await (const record of records) {
    rows.push(record);
    if (rows.length === BATCH_ROWS) {
      yield* batchOf(rows, columns);
      rows = [];
    }
  }
  if (rows.length > 0) yield* batchOf(rows, columns);
}
