import {
  type Data,
  Field,
  Float64,
  Int32,
  List,
  makeData,
  RecordBatch,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';

/** A spectrum or pixel as one Arrow row: scalar columns and its m/z and intensity arrays. */
export interface PeakRow {
  mz: Float64Array;
  intensity: Float32Array | Float64Array;
}

/** A `List<Float64>` column from one array a row. */
function listColumn(arrays: ArrayLike<number>[]): Data {
  const offsets = new Int32Array(arrays.length + 1);
  arrays.forEach((values, i) => {
    offsets[i + 1] = offsets[i]! + values.length;
  });
  const values = new Float64Array(offsets[arrays.length]!);
  for (const [i, array] of arrays.entries()) values.set(array, offsets[i]!);
  const item = new Field('item', new Float64(), false);
  const child = makeData({ type: new Float64(), length: values.length, data: values });
  return makeData({ type: new List(item), length: arrays.length, valueOffsets: offsets, child });
}

/**
 * One record batch, a row per spectrum or pixel: the scalar columns given (Utf8 for strings,
 * Int32 for integers, Float64 otherwise; null allowed), then `mz` and `intensity` as `List<Float64>`.
 */
export function peakBatch<TRow extends PeakRow>(
  rows: TRow[],
  scalars: Record<
    string,
    { type: 'utf8' | 'int32' | 'float64'; value: (row: TRow) => string | number | null }
  >,
): RecordBatch {
  const data: Record<string, Data> = {};
  for (const [name, column] of Object.entries(scalars)) {
    const type = column.type === 'utf8' ? new Utf8() : column.type === 'int32' ? new Int32() : new Float64();
    data[name] = vectorFromArray(rows.map(column.value), type).data[0]!;
  }
  data.mz = listColumn(rows.map((row) => row.mz));
  data.intensity = listColumn(rows.map((row) => row.intensity));
  return new RecordBatch(data);
}
