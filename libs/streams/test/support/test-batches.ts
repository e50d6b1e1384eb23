import { decodeRecords, encodeBatch, parseBatch } from '../../src/protocol/record-batch.js';

/** A batch of records whose values are `values` (UTF-8), optionally from an idempotent producer. */
export function batchOf(
  values: string[],
  producer?: { producerId: bigint; producerEpoch: number; baseSequence: number },
  timestamp?: bigint,
): Promise<Uint8Array> {
  return encodeBatch({
    records: values.map((value) => ({ value: new TextEncoder().encode(value), timestamp })),
    ...producer,
  });
}

/** The records of read batches as `offset:value` strings, in order. */
export async function recordsOf(batches: Uint8Array[]): Promise<string[]> {
  const out: string[] = [];
  for (const batch of batches) {
    for (const record of await decodeRecords(parseBatch(batch))) {
      out.push(`${record.offset}:${new TextDecoder().decode(record.value!)}`);
    }
  }
  return out;
}
