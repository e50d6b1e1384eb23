import { type Data, RecordBatch, Utf8, vectorFromArray } from 'apache-arrow';

/** An Arrow record batch of Utf8 columns, in the order given. */
export function utf8Batch(columns: Record<string, ReadonlyArray<string | null>>): RecordBatch {
  const data: Record<string, Data> = {};
  for (const [name, values] of Object.entries(columns))
    data[name] = vectorFromArray(values, new Utf8()).data[0]!;
  return new RecordBatch(data);
}
